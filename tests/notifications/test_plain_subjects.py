"""Email subjects and text bodies are plain text: "Tom's & Co" arrives as typed."""

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail

from campaigns import services as campaign_services
from campaigns.models import Campaign
from events.reminders import run_reminder_tick
from partners import services as partner_services
from partners.models import PartnerSuggestion
from portal.models import OutboxMessage
from portal.services import deliver_outbox_message, render_plain
from tests.notifications.conftest import london, make_event, rsvp
from tests.world import build_world

NAME = "Tom's & Co <Ltd>"
EMAILS = Path(settings.BASE_DIR) / "templates" / "emails"
VARIABLE = re.compile(r"{{\s*([a-z_]+)|{%\s*(?:if|elif)\s+(?:not\s+)?([a-z_]+)")


class Anything:
    """Whatever a template asks of it (any attribute, any depth) prints as NAME."""

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        if name.endswith(("_at", "_on")):  # times and dates, for the date filter
            return datetime(2027, 6, 10, 18, 0, tzinfo=UTC)
        return self

    def __str__(self):
        return NAME


SUBJECTS = sorted(path.name.removesuffix("_subject.txt") for path in EMAILS.glob("*_subject.txt"))


@pytest.mark.parametrize("kind", SUBJECTS)
def test_every_email_subject_renders_as_plain_text(kind):
    source = (EMAILS / f"{kind}_subject.txt").read_text()
    names = {name for pair in VARIABLE.findall(source) for name in pair if name}
    context = {"site_name": NAME, **{name: Anything() for name in names}}
    subject = render_plain(f"emails/{kind}_subject.txt", context)
    if "{{" in source:
        assert NAME in subject
    assert "&amp;" not in subject and "&#x27;" not in subject and "&lt;" not in subject


def _sent() -> list:
    for message in OutboxMessage.objects.order_by("pk"):
        deliver_outbox_message(message_id=message.pk)
    return mail.outbox


def test_reminder_subject_is_plain_text(derby, attendee):
    event = make_event(
        group=derby.group, starts_at=london(2027, 6, 10, 19, 0), venue=derby.venue, title=NAME
    )
    rsvp(event, attendee)
    run_reminder_tick(now=london(2027, 6, 9, 18, 1))
    (message,) = _sent()
    assert message.subject == f"Tomorrow: {NAME}, 19:00"


@pytest.mark.django_db
@pytest.mark.parametrize("outcome", ["approve", "decline"])
def test_proposal_outcome_subject_is_plain_text(outcome):
    world = build_world()
    proposal = Campaign.objects.get(slug="safe-passage")
    Campaign.objects.filter(pk=proposal.pk).update(title=NAME)
    proposal.refresh_from_db()
    OutboxMessage.objects.all().delete()
    if outcome == "approve":
        campaign_services.approve_proposal(campaign=proposal, by=world.people.lead)
        expected = f'Your campaign "{NAME}" is approved'
    else:
        campaign_services.decline_proposal(campaign=proposal, by=world.people.lead, reason="No")
        expected = None
    (message,) = _sent()
    assert NAME in message.subject
    if expected:
        assert message.subject == expected


@pytest.mark.django_db
@pytest.mark.parametrize("outcome", ["accept", "decline"])
def test_suggestion_outcome_subject_is_plain_text(outcome):
    world = build_world()
    suggestion = PartnerSuggestion.objects.get()
    PartnerSuggestion.objects.filter(pk=suggestion.pk).update(name=NAME)
    suggestion.refresh_from_db()
    OutboxMessage.objects.all().delete()
    if outcome == "accept":
        partner_services.accept_suggestion(
            suggestion=suggestion, by=world.people.rep, kind=world.partner.kind
        )
    else:
        partner_services.decline_suggestion(suggestion=suggestion, by=world.people.rep, reason="No")
    (message,) = _sent()
    assert NAME in message.subject, message.subject
