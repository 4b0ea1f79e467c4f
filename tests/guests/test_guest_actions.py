"""Signing, pledging and writing without an account: pending until the click in the
email, then counted once through the campaigns app's own services."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Action, ActionTaken
from guests import services
from guests.models import PendingAction
from portal.models import GuestConsent, GuestContact, OutboxMessage
from tests.campaigns.factories import ActionFactory, CampaignFactory
from tests.events.conftest import deliver_outbox
from tests.factories import UserFactory

from .conftest import confirm_link, guest_data, path_of


def _act(client, action, **extra):
    url = reverse("guests:act", args=[action.campaign.slug, action.pk])
    return client.post(url, guest_data(**extra))


def test_action_page_offers_the_guest_form(client, db):
    action = ActionFactory(kind=Action.Kind.SIGN)
    page = client.get(action.get_absolute_url()).content.decode()
    assert reverse("guests:act", args=[action.campaign.slug, action.pk]) in page
    assert 'name="guest-email"' in page
    assert (
        'name="guest-consent"' in page
        and "checked" not in page.split('name="guest-consent"')[1][:40]
    )


def test_guest_signature_counts_only_after_the_click_and_once(client, db):
    action = ActionFactory(kind=Action.Kind.SIGN, count=0)
    response = _act(client, action, show_name="on")
    assert response.status_code == 302
    assert response.url.startswith(reverse("guests:sent"))
    assert "Check your email to confirm" in client.get(response.url).content.decode()
    action.refresh_from_db()
    assert action.count == 0
    assert ActionTaken.objects.count() == 0
    link = confirm_link()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["amina@example.net"]

    page = client.get(path_of(link))
    assert page.status_code == 200
    assert "counts" in page.content.decode()
    action.refresh_from_db()
    assert action.count == 1
    taken = ActionTaken.objects.get()
    contact = GuestContact.objects.get()
    assert (taken.guest, taken.user, taken.show_name) == (contact, None, True)
    assert contact.name == "Amina Guest"
    # Not consented: the postcode is not kept.
    assert contact.outcode == "" and GuestConsent.objects.count() == 0

    again = client.get(path_of(link))
    assert "Already confirmed" in again.content.decode()
    action.refresh_from_db()
    assert action.count == 1

    # A second guest action, same email and action: counts once.
    _act(client, action)
    client.get(path_of(confirm_link()))
    action.refresh_from_db()
    assert action.count == 1
    assert ActionTaken.objects.count() == 1


def test_consent_is_stored_with_its_wording_and_time(client, db):
    action = ActionFactory(kind=Action.Kind.PLEDGE)
    _act(client, action, consent="on")
    client.get(path_of(confirm_link()))
    consent = GuestConsent.objects.get()
    assert consent.about == f"campaign:{action.campaign.slug}"
    assert consent.wording == f"Email me about the campaign {action.campaign.title}"
    assert consent.given_at is not None
    assert GuestContact.objects.get().outcode == "DE1"


def test_guest_letter_is_sent_only_when_confirmed_and_not_kept(client, db):
    campaign = CampaignFactory(target_email="council@example.gov.uk", target_name="The Council")
    action = ActionFactory(campaign=campaign, kind=Action.Kind.WRITE)
    _act(client, action, subject="Please act", body="Dear Council, my own words.")
    deliver_outbox()
    assert [m.to for m in mail.outbox] == [["amina@example.net"]]
    link = confirm_link()
    mail.outbox.clear()
    client.get(path_of(link))
    deliver_outbox()
    assert [m.to for m in mail.outbox] == [["council@example.gov.uk"]]
    letter = mail.outbox[0]
    assert letter.subject == "Please act"
    assert "Dear Council, my own words." in letter.body
    assert "Amina Guest" in letter.body
    assert letter.extra_headers["Reply-To"] == "amina@example.net"
    pending = PendingAction.objects.get()
    assert (pending.letter_subject, pending.letter_body) == ("", "")
    action.refresh_from_db()
    assert action.count == 1


def test_confirmed_action_goes_to_the_verified_account_of_that_address(client, db):
    user = UserFactory(email="amina@example.net")
    action = ActionFactory(kind=Action.Kind.SIGN)
    _act(client, action)
    client.get(path_of(confirm_link()))
    taken = ActionTaken.objects.get()
    assert (taken.user, taken.guest) == (user, None)


def test_no_account_enumeration(client, db):
    """The answer and the email are the same for a known address and an unknown one."""
    UserFactory(email="known@example.net")
    action = ActionFactory(kind=Action.Kind.SIGN)
    answers, bodies = [], []
    for email in ("known@example.net", "unknown@example.net"):
        mail.outbox.clear()
        response = _act(client, action, email=email)
        answers.append((response.status_code, response.url, dict(response.cookies)))
        link = confirm_link()
        sent = mail.outbox[0]
        bodies.append((sent.subject, sent.body.replace(link, "LINK"), sent.attachments))
        assert client.get(response.url).content == client.get(answers[0][1]).content
    assert answers[0] == answers[1]
    assert bodies[0] == bodies[1]


def test_links_that_do_not_work_get_a_clear_page(client, db):
    action = ActionFactory(kind=Action.Kind.SIGN)
    _act(client, action)
    link = path_of(confirm_link())
    tampered = link[:-3] + "xx/"
    response = client.get(tampered)
    assert response.status_code == 400
    assert "This link does not work" in response.content.decode()
    PendingAction.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.get(link)
    assert response.status_code == 400
    page = response.content.decode()
    assert "It has expired" in page and "Send me a new link" in page
    action.refresh_from_db()
    assert action.count == 0


def test_expiry_purge_leaves_nothing(client, db):
    action = ActionFactory(kind=Action.Kind.SIGN)
    _act(client, action, email="never@example.net")
    _act(client, action, email="clicked@example.net")
    client.get(path_of(confirm_link()))
    assert PendingAction.objects.count() == 2
    assert services.purge_expired() == 0
    later = timezone.now() + timedelta(days=7, seconds=1)
    assert services.purge_expired(now=later) == 2
    assert PendingAction.objects.count() == 0
    assert not OutboxMessage.objects.filter(dedupe_key__startswith="guests-confirm:").exists()
    assert not OutboxMessage.objects.filter(to="never@example.net").exists()
    assert not GuestContact.objects.filter(email="never@example.net").exists()
    # The confirmed one counts still.
    action.refresh_from_db()
    assert action.count == 1


def test_purge_is_the_beat_task(db):
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["guests-purge-expired"]
    assert entry["task"] == "guests.purge_expired"
    from guests.tasks import purge_expired

    assert purge_expired.name == "guests.purge_expired"


def test_closed_action_refuses_guests(client, db):
    action = ActionFactory(kind=Action.Kind.SIGN, deadline=timezone.localdate() - timedelta(days=1))
    response = _act(client, action)
    assert response.status_code == 400
    assert PendingAction.objects.count() == 0


def test_signed_in_people_use_their_account(client, db):
    action = ActionFactory(kind=Action.Kind.SIGN)
    client.force_login(UserFactory())
    response = _act(client, action)
    assert response.status_code == 302
    assert response.url == action.get_absolute_url()
    assert PendingAction.objects.count() == 0


@pytest.mark.parametrize(
    "extra, field",
    [
        ({"email": "not-an-email"}, "Email address"),
        ({"name": "x" * 10000}, "Your name"),
        ({"postcode": "ZZ99 9ZZ"}, "Postcode"),
        ({"name": "   "}, "Your name"),
    ],
)
def test_bad_input_is_a_form_error(client, db, extra, field):
    action = ActionFactory(kind=Action.Kind.SIGN)
    response = _act(client, action, **extra)
    assert response.status_code == 400
    assert f"Please check the form: {field}" in response.content.decode()
    assert PendingAction.objects.count() == 0


def test_guest_supports_a_campaign_once_confirmed(client, db):
    from campaigns.models import CampaignSupporter

    campaign = CampaignFactory()
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert reverse("guests:support", args=[campaign.slug]) in page
    client.post(reverse("guests:support", args=[campaign.slug]), guest_data())
    campaign.refresh_from_db()
    assert campaign.supporter_count == 0
    link = path_of(confirm_link())
    client.get(link)
    client.get(link)
    campaign.refresh_from_db()
    assert campaign.supporter_count == 1
    assert CampaignSupporter.objects.get().guest == GuestContact.objects.get()


def test_a_guest_who_shows_their_name_is_among_recent_signers(client, db):
    action = ActionFactory(kind=Action.Kind.SIGN)
    _act(client, action, show_name="on")
    client.get(path_of(confirm_link()))
    page = client.get(action.campaign.get_absolute_url()).content.decode()
    assert "Recent signers" in page
    assert "Amina G." in page.split("Recent signers")[1][:300]
