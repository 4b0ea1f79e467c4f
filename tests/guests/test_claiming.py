"""Claiming: once an address is confirmed on an account (at sign-up or later), the guest
actions and RSVPs made with it become the account's, and nothing counts twice."""

import re

from django.core import mail
from django.urls import reverse

from campaigns import services as campaign_services
from campaigns.models import Action, ActionTaken
from events.models import RSVP
from guests import services
from portal.models import GuestContact, OutboxMessage, User
from portal.services import deliver_outbox_message
from tests.campaigns.factories import ActionFactory
from tests.events.factories import EventFactory
from tests.factories import UserFactory

from .conftest import confirm_link, guest_data, path_of

SIGNUP = {
    "email": "amina@example.net",
    "display_name": "Amina",
    "password1": "a long and unusual passphrase",
    "password2": "a long and unusual passphrase",
}


def _deliver():
    for pk in OutboxMessage.objects.filter(status="pending").values_list("pk", flat=True):
        deliver_outbox_message(message_id=pk)


def _guest_sign_and_rsvp(client, action, event):
    client.post(reverse("guests:act", args=[action.campaign.slug, action.pk]), guest_data())
    client.get(path_of(confirm_link()))
    client.post(reverse("guests:rsvp", args=[event.slug]), guest_data())
    client.get(path_of(confirm_link()))


def test_sign_up_then_confirming_the_address_claims_guest_actions(client, db):
    action = ActionFactory(kind=Action.Kind.SIGN)
    event = EventFactory(capacity=5)
    _guest_sign_and_rsvp(client, action, event)
    other = client.__class__()  # a different browser: its address is not proven there
    other.post(reverse("account_signup"), SIGNUP)
    user = User.objects.get(email="amina@example.net")
    assert ActionTaken.objects.get().guest is not None  # not before the address is confirmed
    mail.outbox.clear()
    _deliver()
    bodies = "\n".join(m.body for m in mail.outbox)
    link = re.search(r"https?://[^/]+(/accounts/confirm-email/[^/\s]+/)", bodies)
    other.post(link.group(1))
    taken = ActionTaken.objects.get()
    assert (taken.user, taken.guest) == (user, None)
    rsvp = RSVP.objects.get()
    assert (rsvp.user, rsvp.guest, rsvp.status) == (user, None, RSVP.Status.CONFIRMED)
    assert GuestContact.objects.get().claimed_by == user
    action.refresh_from_db()
    event.refresh_from_db()
    assert (action.count, event.confirmed_count) == (1, 1)
    # My portal shows them.
    other.force_login(user)
    portal = other.get(reverse("my_portal")).content.decode()
    assert event.title in portal


def test_sign_up_right_after_confirming_signs_in_and_returns_to_the_page(client, db):
    """The guest just proved the address by clicking our link in this browser: the
    "create an account" offer signs them in at once, claims, and brings them back."""
    action = ActionFactory(kind=Action.Kind.SIGN)
    client.post(reverse("guests:act", args=[action.campaign.slug, action.pk]), guest_data())
    page = client.get(path_of(confirm_link())).content.decode()
    signup_url = re.search(r'href="(/accounts/signup/\?[^"]+)"', page).group(1)
    signup_url = signup_url.replace("&amp;", "&")
    form = client.get(signup_url).content.decode()
    assert 'value="amina@example.net"' in form
    response = client.post(signup_url, SIGNUP)
    assert response.status_code == 302
    assert response.url == action.get_absolute_url()
    user = User.objects.get(email="amina@example.net")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert user.email_verified is True
    assert ActionTaken.objects.get().user == user
    page = client.get(response.url).content.decode()
    assert "You&#x27;ve done this one" in page or "You've done this one" in page


def test_claiming_where_the_account_already_acted_counts_once(db):
    action = ActionFactory(kind=Action.Kind.SIGN)
    event = EventFactory(capacity=1)
    user = UserFactory(email="old@example.net")
    campaign_services.take_action(action=action, user=user)
    contact = GuestContact.objects.create(email="amina@example.net", name="Amina")
    campaign_services.take_action(action=action, guest=contact)
    from events import services as event_services

    event_services.rsvp_to_event(event=event, user=user)
    event_services.rsvp_to_event(event=event, guest=contact)  # waitlisted
    action.refresh_from_db()
    assert action.count == 2
    user.email = "amina@example.net"
    user.save()
    services.claim_for_user(user=user)
    action.refresh_from_db()
    event.refresh_from_db()
    assert action.count == 1
    assert list(ActionTaken.objects.values_list("user", "guest")) == [(user.pk, None)]
    assert list(RSVP.objects.values_list("user", "status")) == [(user.pk, "confirmed")]
    assert (event.confirmed_count, event.waitlist_count) == (1, 0)


def test_confirming_the_address_after_sign_up_signs_in_and_returns_to_the_start(client, db):
    """Issue 16, item 11: sign up from an action page, click the link in the email in the
    same browser: signed in, back on the action page, with a message."""
    action = ActionFactory(kind=Action.Kind.SIGN)
    page = client.get(action.get_absolute_url()).content.decode()
    signup = re.search(r'href="(/accounts/signup/\?next=[^"]+)"', page).group(1)
    response = client.post(signup.replace("&amp;", "&"), {**SIGNUP, "email": "new@example.net"})
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    _deliver()
    link = re.search(r"https?://[^/]+(/accounts/confirm-email/[^/\s]+/)", mail.outbox[-1].body)
    response = client.post(link.group(1), follow=True)
    user = User.objects.get(email="new@example.net")
    assert response.redirect_chain[-1][0] == action.get_absolute_url()
    assert client.session["_auth_user_id"] == str(user.pk)
    page = response.content.decode()
    assert "You have confirmed new@example.net" in page
