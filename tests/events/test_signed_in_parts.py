"""An event's page for signed-in members (issue 22): the parts every plain member sees
come from portal.fragments, the person's own RSVP is rendered on each request, and the
page is the one the full render gives."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from events import services
from events.models import RSVP, Event
from tests.partners.factories import PartnerFactory
from tests.queries import SESSION

from .factories import EventFactory, FestivalFactory, RSVPFactory, VenueFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached(settings):
    settings.PAGE_CACHE_SECONDS = 60
    settings.LIVE_COUNTER_SECONDS = 0


@pytest.fixture
def event(people):
    festival = FestivalFactory(host_groups=[people.group], status="published")
    event = EventFactory(
        title="Vigil for peace",
        group=people.group,
        festival=festival,
        capacity=10,
        description="Bring **candles**.",
        venue=VenueFactory(name="Friends Meeting House", hearing_loop=True),
        mode=Event.Mode.HYBRID,
        online_url="https://meet.example.org/vigil-room",
    )
    event.cohost_groups.add(people.other_group)
    event.partners.add(PartnerFactory(name="RESTORE"))
    RSVPFactory(event=event, show_name=True, user__display_name="Gwen Going")
    return event


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(client, event) -> str:
    body = client.get(event.get_absolute_url()).content.decode()
    # The CSRF token differs between requests; whitespace between tags is not shown.
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)
    return re.sub(r">\s+<", "><", re.sub(r"\s*\n\s*", "\n", body))


@pytest.mark.parametrize("who", ["activist", "member"])
@pytest.mark.parametrize("rsvp", [None, "confirmed", "waitlisted"])
def test_page_is_the_full_render(people, event, settings, who, rsvp):
    user = getattr(people, who)
    if rsvp:
        RSVPFactory(event=event, user=user, status=rsvp, show_name=True)
    client = signed_in(user)
    settings.PAGE_CACHE_SECONDS = 0
    full = page(client, event)
    settings.PAGE_CACHE_SECONDS = 60
    built, served = page(client, event), page(client, event)
    assert built == full
    assert served == full
    assert "Friends Meeting House" in full and "<strong>candles</strong>" in full
    assert "RESTORE" in full and "Leicester" in full and "Gwen G." in full
    assert ("vigil-room" in full) is (rsvp == "confirmed")


def test_warm_page_queries(people, event, cached, django_assert_num_queries):
    client = signed_in(people.activist)
    client.get(event.get_absolute_url())
    # user, the event (with who may see it), the person's RSVP
    with django_assert_num_queries(3 + SESSION):
        response = client.get(event.get_absolute_url())
    assert "I'm coming" in response.content.decode()


def test_waitlisted_person_sees_their_place_in_the_queue(
    people, event, cached, django_assert_num_queries
):
    earlier = timezone.now() - timedelta(hours=1)
    RSVPFactory(event=event, status=RSVP.Status.WAITLISTED, waitlisted_at=earlier)
    RSVPFactory(
        event=event,
        user=people.activist,
        status=RSVP.Status.WAITLISTED,
        waitlisted_at=timezone.now(),
    )
    client = signed_in(people.activist)
    client.get(event.get_absolute_url())
    # and the place in the queue, and an event nearby to go to next (guests.panels)
    with django_assert_num_queries(5 + SESSION):
        body = client.get(event.get_absolute_url()).content.decode()
    assert "number 2 in the queue" in body


def test_own_rsvp_shows_at_once(people, event, cached, django_capture_on_commit_callbacks):
    client = signed_in(people.activist)
    assert "1 person is going" in client.get(event.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/events/{event.slug}/rsvp/", {"show_name": "on"})
    body = client.get(event.get_absolute_url()).content.decode()
    assert "You're coming." in body
    assert "2 people are going" in body and "Ada A." in body
    assert "2 of 10 places taken" in body


def test_edit_shows_at_once(people, event, cached, django_capture_on_commit_callbacks):
    client = signed_in(people.activist)
    client.get(event.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        services.update_event(
            event=event,
            data={"title": "Vigil moved indoors", "description": "Bring *lanterns*."},
            partners=[],
        )
    body = client.get(event.get_absolute_url()).content.decode()
    assert "<h1>Vigil moved indoors</h1>" in body and "<em>lanterns</em>" in body
    assert "candles" not in body and "RESTORE" not in body


def test_another_events_edit_and_rsvps_keep_the_parts(
    people, event, cached, django_capture_on_commit_callbacks, django_assert_num_queries
):
    other = EventFactory(group=people.other_group)
    client = signed_in(people.activist)
    client.get(event.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        services.update_event(event=other, data={"title": "Stall"})
        services.rsvp_to_event(event=event, user=people.member)
    # Only who is going is rebuilt (one query), for the new count.
    with django_assert_num_queries(4 + SESSION):
        body = page(client, event)
    assert "2 of 10 places taken" in body and "2 people are going" in body
    with django_assert_num_queries(3 + SESSION):
        assert page(client, event) == body


def test_a_lead_gets_the_whole_page(people, event, cached):
    signed_in(people.activist).get(event.get_absolute_url())
    body = signed_in(people.lead).get(event.get_absolute_url()).content.decode()
    assert "For the group's leads" in body
    assert "vigil-room" in body


def test_staff_and_reps_get_the_whole_page(people, event, cached):
    signed_in(people.activist).get(event.get_absolute_url())
    for user in (people.staff, people.rep):
        response = signed_in(user).get(event.get_absolute_url())
        assert response.status_code == 200
        assert "parts" not in response.context


def test_cohosting_lead_and_host_get_their_controls(people, event, cached):
    signed_in(people.activist).get(event.get_absolute_url())
    body = signed_in(people.other_lead).get(event.get_absolute_url()).content.decode()
    assert "Remove from Leicester (stop co-hosting)" in body
    event.host = people.member
    event.save()
    response = signed_in(people.member).get(event.get_absolute_url())
    assert response.context["is_host"] is True and "parts" not in response.context


@pytest.mark.parametrize(
    ("status", "visibility"),
    [(Event.Status.DRAFT, Event.Visibility.PUBLIC), (Event.Status.PUBLISHED, "members")],
)
def test_parts_cached_for_one_never_shown_to_who_may_not_see(
    people, event, cached, status, visibility
):
    Event.objects.filter(pk=event.pk).update(status=status, visibility=visibility)
    lead_sees = signed_in(people.lead).get(event.get_absolute_url())
    assert lead_sees.status_code == 200
    if status == Event.Status.PUBLISHED:
        assert signed_in(people.member).get(event.get_absolute_url()).status_code == 200
    assert signed_in(people.activist).get(event.get_absolute_url()).status_code == 404
