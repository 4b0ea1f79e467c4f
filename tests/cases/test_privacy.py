"""The no-publish rule: the real name of a case that hides it appears in no page, feed,
export or email, whoever looks and whatever has happened on the case."""

import pytest
from django.urls import reverse

from cases import reminders, services
from portal.models import OutboxMessage
from tests.cases.access import ACCESS, REAL_NAME
from tests.cases.factories import AdoptionFactory, no_limit
from tests.security.roles import GET, ROLES
from tests.world import build_world, url_for

pytestmark = pytest.mark.django_db

# Other apps' pages that show the case: the group adopting it, the event writing for it
# and its report, the site's own pages.
RELATED = ["groups:detail", "events:detail", "events:report", "home", "search", "sitemap"]


def _act_on_everything(world) -> None:
    """Every kind of action on the hidden case that renders a page or sends an email."""
    people, case = world.people, world.case
    # Leicester adopts it too and writes nothing: its leads are reminded of the deadline.
    AdoptionFactory(case=case, group=world.other_group)
    reminders.run_deadline_reminders(today=world.urgent_action.deadline)
    services.send_letter(
        urgent_action=world.urgent_action,
        target=world.target,
        user=people.activist,
        body=services.letter_template(urgent_action=world.urgent_action, target=world.target),
        within_limits=no_limit,
    )
    services.mark_posted(letter=world.letter, user=people.member)
    services.approve_message(message=world.pending_message, by=people.staff)
    services.compile_batch(case=case, by=people.staff)
    services.publish_update(
        case=case, author=people.staff, title="Follow-up 2", body="Moved to a new prison."
    )


def test_hidden_real_name_never_appears_in_any_page_feed_export_or_email(client):
    world = build_world()
    _act_on_everything(world)
    names = [name for name, (method, _roles) in ACCESS.items() if method == GET] + RELATED
    shown = []
    for role in ROLES:
        client.logout()
        user = getattr(world.people, role)
        if user is not None:
            client.force_login(user)
        for name in names:
            response = client.get(url_for(world, name), {"q": "Zainab"} if name == "search" else {})
            body = b"".join(response.streaming_content) if response.streaming else response.content
            if REAL_NAME.encode() in body:
                shown.append(f"{name} as {role}")
    assert shown == []
    emails = list(OutboxMessage.objects.all())
    assert {message.kind for message in emails} >= {
        "cases_letter",
        "cases_message_approved",
        "cases_deadline_reminder",
    }
    for message in emails:
        for text in (message.subject, message.body_text, message.body_html):
            assert REAL_NAME not in text, message.kind


def test_the_pseudonym_is_what_pages_and_link_previews_use(client):
    world = build_world()
    body = client.get(reverse("cases:detail", args=[world.case.slug])).content.decode()
    assert '<meta property="og:title" content="Zee">' in body
    assert "<h1>Zee</h1>" in body
