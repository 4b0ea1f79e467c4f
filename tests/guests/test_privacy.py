"""A guest's own data, by a link emailed to the address: see, download, erase."""

import json
import re

from django.core import mail
from django.urls import reverse

from campaigns.models import Action, ActionTaken
from events.models import RSVP
from guests.models import PendingAction
from portal.models import GuestConsent, GuestContact, OutboxMessage
from tests.campaigns.factories import ActionFactory
from tests.events.conftest import deliver_outbox
from tests.events.factories import EventFactory
from tests.factories import UserFactory

from .conftest import confirm_link, guest_data, path_of

DATA_LINK = re.compile(r"https?://\S+(/act/my-data/\S+/)")


def _data_link(client, email):
    deliver_outbox()
    mail.outbox.clear()
    response = client.post(reverse("guests:data_request"), {"email": email})
    assert response.status_code == 200
    deliver_outbox()
    (sent,) = mail.outbox
    return response, sent, DATA_LINK.search(sent.body).group(1)


def test_data_request_answer_and_email_do_not_say_what_we_hold(client, db):
    UserFactory(email="known@example.net")
    first, first_mail, first_link = _data_link(client, "known@example.net")
    second, second_mail, second_link = _data_link(client, "nobody@example.net")
    assert first.content == second.content
    assert first_mail.subject == second_mail.subject
    assert first_mail.body.replace(first_link, "") == second_mail.body.replace(second_link, "")


def test_guest_sees_downloads_and_erases_their_data(client, db):
    action = ActionFactory(kind=Action.Kind.SIGN)
    event = EventFactory(capacity=1)
    client.post(
        reverse("guests:act", args=[action.campaign.slug, action.pk]), guest_data(consent="on")
    )
    client.get(path_of(confirm_link()))
    client.post(reverse("guests:rsvp", args=[event.slug]), guest_data())
    client.get(path_of(confirm_link()))
    waiting = UserFactory()
    from events import services as event_services

    event_services.rsvp_to_event(event=event, user=waiting)  # on the waitlist behind the guest
    _response, _sent, link = _data_link(client, "amina@example.net")

    page = client.get(link).content.decode()
    assert "Amina Guest" in page and "DE1" in page and event.title in page
    exported = json.loads(client.get(link + "?format=json").content)
    assert exported["name"] == "Amina Guest"
    assert exported["consents"][0]["wording"].startswith("Email me about the campaign")
    assert [r["event"] for r in exported["rsvps"]] == [event.title]

    assert "Done" in client.post(link).content.decode()
    assert not GuestContact.objects.exists()
    assert not GuestConsent.objects.exists()
    assert not PendingAction.objects.exists()
    assert not OutboxMessage.objects.filter(to="amina@example.net").exists()
    # The signature still counts, without anything that says who; the freed place went on.
    action.refresh_from_db()
    assert action.count == 1
    assert ActionTaken.objects.get().guest is None
    assert RSVP.objects.get().user == waiting
    assert RSVP.objects.get().status == RSVP.Status.CONFIRMED


def test_a_forged_or_old_data_link_is_refused(client, db):
    assert client.get(reverse("guests:data", args=["forged:token"])).status_code == 404


def test_privacy_page_says_what_is_kept_for_guests(client, db):
    page = client.get(reverse("privacy")).content.decode()
    assert 'id="guests"' in page
    assert "7 days" in page
    assert reverse("guests:data_request") in page
