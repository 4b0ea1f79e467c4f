"""Issue 16 (the look): "N people are going" on an event page and "recent signers" on a
campaign page name only the people who chose to be seen, by first name and initial with
an initials avatar; the choice is a tick box on the RSVP and sign forms (signed in or
not) and in the profile, off by default; turning it off in the profile hides the person
everywhere at once."""

import re

import pytest
from django.urls import reverse

from campaigns.models import Action, ActionTaken
from events.models import RSVP
from portal.models import GuestContact, short_name
from portal.templatetags.portal_tags import avatar
from tests.campaigns.factories import ActionFactory, ActionTakenFactory
from tests.factories import UserFactory
from tests.guests.conftest import confirm_link, guest_data, path_of
from tests.queries import SESSION

from .factories import EventFactory, RSVPFactory

pytestmark = pytest.mark.django_db

LABEL = "Show my first name and initial to others"


def going_box(html: str) -> str:
    found = re.search(r'<div class="pp-going mb-3">(.*?)</div>', html, re.S)
    return " ".join(found[1].split()) if found else ""


def test_short_name_is_the_first_name_and_the_last_initial():
    assert short_name("Amira Hassan") == "Amira H."
    assert short_name("Lewis (demo lead)") == "Lewis L."
    assert short_name("  Cher ") == "Cher"
    assert short_name("") == ""


def test_the_avatar_keeps_its_colour_and_has_the_initials():
    html = avatar("Amira H.")
    assert html == avatar("Amira H.")
    assert re.fullmatch(
        r'<span class="pp-avatar pp-avatar-[0-7]" aria-hidden="true">AH</span>', html
    )


def test_who_is_going_names_only_those_who_chose_to_be_seen(client):
    event = EventFactory(capacity=10)
    RSVPFactory(event=event, user__display_name="Amira Hassan", show_name=True)
    RSVPFactory(event=event, user__display_name="Hidden Person", show_name=False)
    guest = GuestContact.objects.create(email="gina@example.net", name="Gina Guest")
    RSVPFactory(event=event, user=None, guest=guest, show_name=True)
    RSVPFactory(
        event=event,
        user__display_name="Wai Tlisted",
        status=RSVP.Status.WAITLISTED,
        show_name=True,
    )

    html = client.get(event.get_absolute_url()).content.decode()

    box = going_box(html)
    assert box.startswith('<p class="mb-1"><strong>3 people are going</strong></p>')
    assert f"{avatar('Gina G.')}Gina G.</li><li>{avatar('Amira H.')}Amira H.</li>" in box
    assert box.endswith('<p class="small text-muted mb-0">and 1 other</p>')
    for hidden in ("Hidden", "Hassan", "Guest", "Wai", "gina@example.net"):
        assert hidden not in html, hidden


def test_nobody_is_named_by_default(client):
    event = EventFactory()
    RSVPFactory(event=event, user__display_name="Quiet Person")
    box = going_box(client.get(event.get_absolute_url()).content.decode())
    assert box == '<p class="mb-1"><strong>1 person is going</strong></p>'


@pytest.mark.parametrize("ticked", [True, False])
def test_the_signed_in_rsvp_form_records_the_choice(client, ticked):
    user = UserFactory(display_name="Tick Box", show_to_others=ticked)
    event = EventFactory()
    client.force_login(user)
    page = client.get(event.get_absolute_url()).content.decode()
    box = page.split('id="rsvp-show-name"')[1][:60]
    assert (" checked" in box.split(">")[0]) is ticked  # the profile's answer to start with
    assert f'<label class="form-check-label" for="rsvp-show-name">{LABEL}</label>' in page
    client.post(reverse("events:rsvp", args=[event.slug]), {"show_name": "on"} if ticked else {})
    assert RSVP.objects.get(user=user).show_name is ticked
    assert ("Tick B." in client.get(event.get_absolute_url()).content.decode()) is ticked


def test_a_guest_who_chose_to_be_seen_is_among_who_is_going(client):
    event = EventFactory(capacity=5)
    client.post(reverse("guests:rsvp", args=[event.slug]), guest_data(show_name="on"))
    client.get(path_of(confirm_link()))
    assert RSVP.objects.get().show_name is True
    assert "Amina G." in going_box(client.get(event.get_absolute_url()).content.decode())


def test_a_guest_who_did_not_tick_is_only_counted(client):
    event = EventFactory(capacity=5)
    page = client.get(event.get_absolute_url()).content.decode()
    assert LABEL in page and 'name="guest-show_name"' in page  # the guest form's box
    client.post(reverse("guests:rsvp", args=[event.slug]), guest_data())
    client.get(path_of(confirm_link()))
    box = going_box(client.get(event.get_absolute_url()).content.decode())
    assert box == '<p class="mb-1"><strong>1 person is going</strong></p>'


def test_recent_signers_show_first_name_and_initial(client):
    action = ActionFactory(kind=Action.Kind.SIGN)
    ActionTakenFactory(action=action, user__display_name="Shown Person", show_name=True)
    html = client.get(action.campaign.get_absolute_url()).content.decode()
    assert f"<li>{avatar('Shown P.')}Shown P.</li>" in html
    assert "Shown Person" not in html


def test_the_profile_choice_starts_the_sign_form_and_unticking_hides_everywhere(client):
    user = UserFactory(display_name="Amira Hassan", show_to_others=True)
    event = EventFactory()
    RSVPFactory(event=event, user=user, show_name=True)
    action = ActionFactory(kind=Action.Kind.SIGN)
    ActionTaken.objects.create(action=action, user=user, show_name=True)
    visitor = client.__class__()
    assert "Amira H." in visitor.get(event.get_absolute_url()).content.decode()
    assert "Amira H." in visitor.get(action.campaign.get_absolute_url()).content.decode()
    client.force_login(user)
    profile = client.get(reverse("profile")).content.decode()
    assert LABEL in profile and 'name="show_to_others"' in profile

    response = client.post(
        reverse("profile"), {"display_name": "Amira Hassan", "postcode_district": ""}
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.show_to_others is False
    assert RSVP.objects.get(user=user).show_name is False
    assert ActionTaken.objects.get(user=user).show_name is False
    # The cached public pages were made stale by the change.
    assert "Amira H." not in visitor.get(event.get_absolute_url()).content.decode()
    assert "Amira H." not in visitor.get(action.campaign.get_absolute_url()).content.decode()


def test_ticking_it_in_the_profile_names_nobody_who_said_no(client):
    user = UserFactory(display_name="Amira Hassan")
    event = EventFactory()
    RSVPFactory(event=event, user=user, show_name=False)
    client.force_login(user)
    client.post(
        reverse("profile"),
        {"display_name": "Amira Hassan", "postcode_district": "", "show_to_others": "on"},
    )
    user.refresh_from_db()
    assert user.show_to_others is True
    assert RSVP.objects.get(user=user).show_name is False


@pytest.mark.parametrize("count", [1, 3])
def test_who_is_going_costs_the_same_queries_for_1_and_3_people(
    client, django_assert_num_queries, count
):
    event = EventFactory(capacity=10)
    for n in range(count):
        RSVPFactory(event=event, user__display_name=f"Person {n} Shown", show_name=True)
        RSVPFactory(event=event, user__display_name=f"Person {n} Hidden")
    viewer = UserFactory()
    client.force_login(viewer)
    client.get(event.get_absolute_url())
    with django_assert_num_queries(EVENT_PAGE + SESSION):
        html = client.get(event.get_absolute_url()).content.decode()
    assert going_box(html).count("pp-avatar-") == count


EVENT_PAGE = 10
