"""Issue 16, defect 8 (around the day of an event) and the add-to-calendar menu."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from events import services
from events.models import RSVP, Event, Venue, WalkIn
from tests.factories import UserFactory

from .conftest import deliver_outbox
from .factories import EventFactory, RSVPFactory

pytestmark = pytest.mark.django_db


def _check_in(event):
    return reverse("events:check_in", args=[event.slug])


def test_a_second_tap_does_not_check_a_person_out(client, people):
    event = EventFactory(group=people.group)
    rsvp = RSVPFactory(event=event)
    client.force_login(people.lead)
    url = reverse("events:check_in_toggle", args=[event.slug, rsvp.pk])
    assert client.get(url).status_code == 405
    client.post(url)
    rsvp.refresh_from_db()
    first = rsvp.checked_in_at
    assert first is not None
    response = client.post(url, follow=True)
    rsvp.refresh_from_db()
    assert rsvp.checked_in_at == first
    assert "was already checked in" in response.content.decode()

    page = client.get(_check_in(event)).content.decode()
    undo = reverse("events:check_in_undo", args=[event.slug, rsvp.pk])
    assert f'action="{undo}"' in page
    client.post(undo)
    rsvp.refresh_from_db()
    assert rsvp.checked_in_at is None


def test_lead_adds_a_walk_in_who_counts_in_attendance(client, people):
    start = timezone.now() - timedelta(minutes=30)
    event = EventFactory(group=people.group, starts_at=start, ends_at=start + timedelta(hours=2))
    came = RSVPFactory(event=event)
    services.set_check_in(rsvp=came, came=True)
    RSVPFactory(event=event)  # had a place, did not come
    client.force_login(people.lead)

    response = client.post(
        reverse("events:walk_in_add", args=[event.slug]), {"name": "Sam Walker", "email": ""}
    )
    assert response.status_code == 302
    walk_in = WalkIn.objects.get()
    assert (walk_in.event, walk_in.name, walk_in.email, walk_in.added_by) == (
        event,
        "Sam Walker",
        "",
        people.lead,
    )
    page = client.get(_check_in(event)).content.decode()
    assert "<strong>2</strong> came" in page
    assert "Sam Walker" in page
    report = client.get(reverse("events:report", args=[event.slug]))
    assert report.context["form"].initial["attendance"] == 2

    response = client.post(reverse("events:walk_in_add", args=[event.slug]), {"name": ""})
    assert response.status_code == 400
    assert response.context["walk_in_form"].errors["name"] == ["This field is required."]

    client.post(reverse("events:walk_in_remove", args=[event.slug, walk_in.pk]))
    assert not WalkIn.objects.exists()


@pytest.mark.parametrize("who", ["anonymous", "member", "other_lead", "rep"])
def test_walk_ins_are_refused_to_outsiders(client, people, who):
    event = EventFactory(group=people.group)
    walk_in = WalkIn.objects.create(event=event, name="Sam")
    user = getattr(people, who)
    if user:
        client.force_login(user)
    add = client.post(reverse("events:walk_in_add", args=[event.slug]), {"name": "X"})
    remove = client.post(reverse("events:walk_in_remove", args=[event.slug, walk_in.pk]))
    assert add.status_code in (302, 404) and remove.status_code in (302, 404)
    assert list(WalkIn.objects.values_list("name", flat=True)) == ["Sam"]
    assert not add.get("Location", "").startswith(_check_in(event))


def test_a_finished_event_neither_asks_nor_offers_to_cancel(client, people):
    start = timezone.now() - timedelta(days=1)
    event = EventFactory(group=people.group, starts_at=start, ends_at=start + timedelta(hours=2))
    RSVPFactory(event=event, user=people.member)
    client.force_login(people.lead)
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Are you coming?" not in page
    assert "This event has finished" in page
    assert reverse("events:cancel", args=[event.slug]) not in page
    response = client.post(reverse("events:cancel", args=[event.slug]), {"reason": "Rain"})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED
    assert mail.outbox == []


def test_the_event_page_shows_my_waitlist_position(client, people):
    event = EventFactory(group=people.group, capacity=1)
    services.rsvp_to_event(event=event, user=UserFactory())
    services.rsvp_to_event(event=event, user=UserFactory())
    services.rsvp_to_event(event=event, user=people.member)
    assert RSVP.objects.filter(status=RSVP.Status.WAITLISTED).count() == 2
    client.force_login(people.member)
    page = client.get(event.get_absolute_url()).content.decode()
    assert "number 2 in the queue" in page


def test_add_to_calendar_menu_on_the_page_and_in_the_confirmation(client, people, settings):
    settings.SITE_URL = "https://portal.example.org"
    event = EventFactory(group=people.group, title="Vigil")
    page = client.get(event.get_absolute_url()).content.decode()
    for label in ("Google Calendar", "Outlook.com", "Office 365", ".ics"):
        assert label in page
    assert "https://calendar.google.com/calendar/render?action=TEMPLATE&amp;text=Vigil" in page
    client.force_login(people.member)
    client.post(reverse("events:rsvp", args=[event.slug]))
    deliver_outbox()
    body = mail.outbox[0].body
    assert "Google Calendar: https://calendar.google.com/calendar/render?" in body
    assert "Outlook.com: https://outlook.live.com/calendar/0/deeplink/compose?" in body
    assert "Office 365: https://outlook.office.com/calendar/0/deeplink/compose?" in body
    assert f"https://portal.example.org/events/{event.slug}/calendar.ics" in body


def test_adding_a_venue_keeps_what_was_typed_in_the_event_form(client, people):
    client.force_login(people.lead)
    url = reverse("events:create", args=["derby"])
    typed = {
        "title": "Peace picnic",
        "kind": "social",
        "description": "Bring food.",
        "starts_at": "2027-06-10T12:00",
        "ends_at": "2027-06-10T15:00",
        "mode": "in_person",
        "visibility": "public",
        "venue-name": "Markeaton Park",
        "venue-address": "Markeaton Lane",
        "venue-town": "Derby",
        "venue-postcode": "DE22 3BG",
        "venue-step_free": "on",
        "add_venue": "1",
    }
    response = client.post(url, typed)
    assert response.status_code == 200
    venue = Venue.objects.get(name="Markeaton Park")
    assert (venue.town, venue.step_free) == ("Derby", True)
    assert not Event.objects.exists()
    form = response.context["form"]
    assert not form.is_bound
    assert form.initial["title"] == "Peace picnic"
    assert form.initial["starts_at"] == "2027-06-10T12:00"
    assert form.initial["venue"] == str(venue.pk)
    page = response.content.decode()
    assert "Markeaton Park, Derby is added and chosen" in page
    assert 'value="Peace picnic"' in page

    # A venue with a mistake: its errors are shown and the event's input is still kept.
    response = client.post(url, {**typed, "venue-name": "", "title": "Second try"})
    assert response.context["venue_form"].errors["name"] == ["This field is required."]
    assert response.context["form"].initial["title"] == "Second try"
    assert Venue.objects.count() == 1


def test_members_proposing_an_event_cannot_add_venues(client, people):
    client.force_login(people.member)
    response = client.get(reverse("events:propose", args=["derby"]))
    assert response.status_code == 200
    assert 'name="add_venue"' not in response.content.decode()


def test_the_event_form_has_tick_boxes_and_no_dashes(client, people):
    from groups.models import LocalGroup
    from tests.partners.factories import PartnershipFactory

    # the form offers only partners the group works with (issue 15, item 1)
    PartnershipFactory(group=LocalGroup.objects.get(slug="derby"))
    client.force_login(people.lead)
    page = client.get(reverse("events:create", args=["derby"])).content.decode()
    assert "<select multiple" not in page and " multiple>" not in page
    assert "---------" not in page
    assert 'type="checkbox" class="form-check-input"  name="partners"' in page
    assert "Not part of a campaign" in page
