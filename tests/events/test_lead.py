import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from events import services
from events.models import RSVP, Event, EventReport, Festival, Venue
from tests.factories import UserFactory
from tests.queries import SESSION

from .conftest import deliver_outbox, login_as
from .factories import EventFactory, FestivalFactory, RSVPFactory, VenueFactory

OUTSIDERS = [
    ("anonymous", (302, 404)),
    ("activist", (404,)),
    ("member", (404,)),
    ("other_lead", (404,)),
    ("rep", (404,)),
]


def _form(venue, **overrides):
    start = timezone.localtime(timezone.now() + timedelta(days=10)).replace(hour=19, minute=0)
    data = {
        "title": "What does peace mean to you?",
        "kind": "workshop",
        "description": "A workshop.",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "mode": "in_person",
        "venue": venue.pk,
        "online_url": "",
        "capacity": "20",
        "visibility": "public",
    }
    data.update(overrides)
    return data


def test_lead_creates_draft_event_in_uk_time(client, people):
    venue = VenueFactory()
    client.force_login(people.lead)
    data = _form(venue, starts_at="2027-06-10T19:00", ends_at="2027-06-10T21:00")
    response = client.post(reverse("events:create", args=["derby"]), data)
    event = Event.objects.get()
    assert response["Location"] == event.get_absolute_url()
    assert event.status == Event.Status.DRAFT
    assert event.group == people.group
    assert event.starts_at == datetime(2027, 6, 10, 18, 0, tzinfo=UTC)
    assert event.slug == "what-does-peace-mean-to-you-2027-06-10"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"ends_at": "2027-06-10T18:00"}, "ends_at", "must end after it starts"),
        ({"capacity": "0"}, "capacity", "greater than or equal to 1"),
        ({"capacity": "-3"}, "capacity", "greater than or equal to 1"),
        (
            {"starts_at": "1999-06-10T19:00", "ends_at": "1999-06-10T21:00"},
            "starts_at",
            "before 2000",
        ),
        (
            {"starts_at": "2099-06-10T19:00", "ends_at": "2099-06-10T21:00"},
            "starts_at",
            "at most 2 years ahead",
        ),
        (
            {"mode": "online", "online_url": "ftp://example.org/x"},
            "online_url",
            "must start with http",
        ),
        (
            {"mode": "online", "online_url": "javascript:alert(1)"},
            "online_url",
            "Enter a valid URL",
        ),
        ({"mode": "online", "online_url": ""}, "online_url", "Give the link"),
        ({"venue": ""}, "venue", "Choose a venue"),
        ({"kind": "community"}, "organiser_name", "Who runs"),
        # The clocks go forward: 01:30 on 28 March 2027 never happens in the UK.
        (
            {"starts_at": "2027-03-28T01:30", "ends_at": "2027-03-28T03:00"},
            "starts_at",
            "couldn’t be interpreted",
        ),
        # The clocks go back: 01:30 on 31 October 2027 happens twice, so it is ambiguous.
        (
            {"starts_at": "2027-10-31T01:30", "ends_at": "2027-10-31T03:00"},
            "starts_at",
            "couldn’t be interpreted",
        ),
    ],
)
def test_event_form_rejects_bad_input(client, people, overrides, field, message):
    client.force_login(people.lead)
    data = _form(VenueFactory(), starts_at="2027-06-10T19:00", ends_at="2027-06-10T21:00")
    data.update(overrides)
    response = client.post(reverse("events:create", args=["derby"]), data)
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert not Event.objects.exists()


def test_event_at_half_past_one_on_clock_change_nights_is_accepted_when_unambiguous(client, people):
    client.force_login(people.lead)
    data = _form(VenueFactory(), starts_at="2027-03-28T00:30", ends_at="2027-03-28T02:30")
    client.post(reverse("events:create", args=["derby"]), data)
    event = Event.objects.get()
    # 00:30 GMT to 02:30 BST is one hour, not two.
    assert (event.starts_at, event.ends_at) == (
        datetime(2027, 3, 28, 0, 30, tzinfo=UTC),
        datetime(2027, 3, 28, 1, 30, tzinfo=UTC),
    )


@pytest.mark.parametrize(("who", "statuses"), OUTSIDERS)
def test_create_refused_to_outsiders(client, people, who, statuses):
    login_as(client, people, who)
    response = client.post(reverse("events:create", args=["derby"]), _form(VenueFactory()))
    assert response.status_code in statuses
    assert not Event.objects.exists()


def test_edit_bumps_sequence_for_time_change_only(client, people):
    start = datetime(2027, 6, 10, 18, 0, tzinfo=UTC)
    event = EventFactory(group=people.group, starts_at=start, ends_at=start + timedelta(hours=2))
    client.force_login(people.lead)
    form = reverse("events:edit", args=[event.slug])
    local = timezone.localtime(event.starts_at)
    data = _form(
        event.venue,
        title=event.title,
        starts_at=local.strftime("%Y-%m-%dT%H:%M"),
        ends_at=timezone.localtime(event.ends_at).strftime("%Y-%m-%dT%H:%M"),
        description="New words",
    )
    assert client.post(form, data).status_code == 302
    event.refresh_from_db()
    assert (event.description, event.sequence) == ("New words", 0)
    data["ends_at"] = (local + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
    client.post(form, data)
    event.refresh_from_db()
    assert event.sequence == 1


def test_edit_capacity_below_confirmed_refused(client, people):
    event = EventFactory(group=people.group, capacity=5)
    RSVPFactory(event=event)
    RSVPFactory(event=event)
    client.force_login(people.lead)
    local = timezone.localtime(event.starts_at)
    data = _form(
        event.venue,
        capacity="1",
        starts_at=local.strftime("%Y-%m-%dT%H:%M"),
        ends_at=(local + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
    )
    response = client.post(reverse("events:edit", args=[event.slug]), data)
    assert "2 people already have a place" in response.context["form"].errors["capacity"][0]


@pytest.mark.parametrize(("who", "statuses"), OUTSIDERS)
def test_edit_publish_cancel_refused_to_outsiders(client, people, who, statuses):
    event = EventFactory(group=people.group, status=Event.Status.DRAFT)
    login_as(client, people, who)
    assert client.get(reverse("events:edit", args=[event.slug])).status_code in statuses
    assert client.post(reverse("events:publish", args=[event.slug])).status_code in statuses
    assert (
        client.post(reverse("events:cancel", args=[event.slug]), {"reason": "x"}).status_code
        in statuses
    )
    event.refresh_from_db()
    assert event.status == Event.Status.DRAFT


def test_publish_then_cancel_emails_everyone_with_cancelled_ics(client, people):
    event = EventFactory(group=people.group, status=Event.Status.DRAFT, capacity=1)
    client.force_login(people.lead)
    client.post(reverse("events:publish", args=[event.slug]))
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED
    coming, waiting = UserFactory(), UserFactory()
    services.rsvp_to_event(event=event, user=coming)
    services.rsvp_to_event(event=event, user=waiting)
    deliver_outbox()
    mail.outbox.clear()
    response = client.post(reverse("events:cancel", args=[event.slug]), {"reason": "Venue flooded"})
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.status, event.cancel_reason, event.sequence) == ("cancelled", "Venue flooded", 1)
    deliver_outbox()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([coming.email, waiting.email])
    assert all("Venue flooded" in m.body for m in mail.outbox)
    assert all("STATUS:CANCELLED" in m.attachments[0][1] for m in mail.outbox)


def test_cancel_requires_reason(client, people):
    event = EventFactory(group=people.group)
    client.force_login(people.lead)
    response = client.post(reverse("events:cancel", args=[event.slug]), {"reason": ""})
    assert response.context["form"].errors["reason"] == ["This field is required."]


@pytest.mark.parametrize(("who", "statuses"), OUTSIDERS)
def test_attendees_csv_check_in_refused_to_outsiders(client, people, who, statuses):
    event = EventFactory(group=people.group)
    rsvp = RSVPFactory(event=event)
    login_as(client, people, who)
    for name in ("attendees", "attendees_csv", "check_in"):
        assert client.get(reverse(f"events:{name}", args=[event.slug])).status_code in statuses
    toggle = reverse("events:check_in_toggle", args=[event.slug, rsvp.pk])
    assert client.post(toggle).status_code in statuses
    rsvp.refresh_from_db()
    assert rsvp.checked_in_at is None


@pytest.mark.parametrize("count", [1, 3])
def test_attendee_list_names_emails_constant_queries(
    client, people, django_assert_num_queries, count
):
    event = EventFactory(group=people.group, capacity=count)
    users = [UserFactory() for _ in range(count + 1)]
    for user in users:
        services.rsvp_to_event(event=event, user=user)
    client.force_login(people.lead)
    client.get("/")
    with django_assert_num_queries(3 + SESSION):
        response = client.get(reverse("events:attendees", args=[event.slug]))
    body = response.content.decode()
    assert [r.user for r in response.context["confirmed"]] == users[:count]
    assert [r.user for r in response.context["waitlist"]] == users[count:]
    assert all(u.email in body and u.public_name in body for u in users)


def test_attendees_csv_is_formula_safe(client, people):
    event = EventFactory(group=people.group)
    RSVPFactory(event=event, user=UserFactory(display_name="=HYPERLINK(1)"))
    client.force_login(people.lead)
    response = client.get(reverse("events:attendees_csv", args=[event.slug]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["#", "Name", "Email", "Status", "RSVPed (UK time)", "Came"]
    assert rows[1][1] == "'=HYPERLINK(1)"


def _past_event(group):
    start = timezone.now() - timedelta(days=1)
    return EventFactory(group=group, starts_at=start, ends_at=start + timedelta(hours=2))


def test_report_filed_by_lead_seen_by_rep(client, people):
    from tests.partners.factories import PartnerFactory

    event = _past_event(people.group)
    partner = PartnerFactory()
    client.force_login(people.lead)
    url = reverse("events:report", args=[event.slug])
    response = client.post(url, {"attendance": "-1", "new_contacts": "2"})
    assert "greater than or equal to 0" in response.context["form"].errors["attendance"][0]
    client.post(
        url,
        {
            "attendance": "23",
            "new_contacts": "4",
            "partners_involved": [partner.pk],
            "what_worked": "Food",
            "what_to_change": "Start later",
        },
    )
    report = EventReport.objects.get(event=event)
    assert (report.attendance, report.new_contacts, report.filed_by) == (23, 4, people.lead)
    assert list(report.partners_involved.all()) == [partner]
    client.force_login(people.rep)
    body = client.get(url).content.decode()
    assert "Start later" in body
    assert client.post(url, {"attendance": "1"}).status_code == 403


@pytest.mark.parametrize("who", ["anonymous", "activist", "member", "other_lead", "other_rep"])
def test_report_hidden_from_outsiders(client, people, who):
    event = _past_event(people.group)
    login_as(client, people, who)
    assert client.get(reverse("events:report", args=[event.slug])).status_code in (302, 404)


def test_report_not_before_event(client, people):
    event = EventFactory(group=people.group)
    client.force_login(people.lead)
    response = client.get(reverse("events:report", args=[event.slug]))
    assert response.status_code == 302


def test_venue_created_with_postcode_lookup(client, people):
    client.force_login(people.lead)
    data = {
        "name": "Derby Multi-Faith Centre",
        "address": "Mackworth Road",
        "town": "Derby",
        "postcode": "DE22 3BL",
        "step_free": "on",
    }
    response = client.post(reverse("events:venue_create") + "?next=https://evil.example.org/", data)
    assert response["Location"] == reverse("events:list")
    venue = Venue.objects.get()
    assert (venue.postcode_district, venue.step_free) == ("DE22", True)
    assert venue.latitude is not None and venue.longitude is not None


def test_venue_bad_postcode_rejected(client, people):
    client.force_login(people.lead)
    data = {"name": "Hall", "address": "1 Road", "town": "Derby", "postcode": "NOPE"}
    response = client.post(reverse("events:venue_create"), data)
    assert "look like a UK postcode" in response.context["form"].errors["postcode"][0]


@pytest.mark.parametrize(("who", "status"), [("activist", 403), ("member", 403), ("lead", 200)])
def test_venue_create_only_for_leads(client, people, who, status):
    login_as(client, people, who)
    assert client.get(reverse("events:venue_create")).status_code == status


def test_copy_festival_to_next_year(client, people):
    from tests.partners.factories import PartnerFactory

    festival = FestivalFactory(
        name="Derby Peace Week 2027",
        slug="derby-peace-week-2027",
        starts_on=date(2027, 3, 22),
        ends_on=date(2027, 3, 28),
        host_groups=[people.group],
    )
    partner = PartnerFactory()
    festival.partners.add(partner)
    # Tuesday 23 March 2027, 19:00 GMT: next year's copy must be Tuesday 21 March 2028, 19:00.
    start = datetime(2027, 3, 23, 19, 0, tzinfo=UTC)
    session = EventFactory(
        group=people.group, festival=festival, starts_at=start, ends_at=start + timedelta(hours=2)
    )
    session.partners.add(partner)
    RSVPFactory(event=session)
    # Friday 2 April 2027 BST session stays at 18:00 local time.
    late = datetime(2027, 3, 26, 18, 0, tzinfo=UTC)
    EventFactory(
        group=people.group, festival=festival, starts_at=late, ends_at=late + timedelta(hours=1)
    )
    client.force_login(people.other_lead)
    assert client.post(reverse("events:festival_copy", args=[festival.slug])).status_code == 404
    client.force_login(people.lead)
    assert client.get(reverse("events:festival_copy", args=[festival.slug])).status_code == 405
    client.post(reverse("events:festival_copy", args=[festival.slug]))
    copy = Festival.objects.get(slug="derby-peace-week-2028")
    assert (copy.name, copy.status, copy.starts_on, copy.ends_on) == (
        "Derby Peace Week 2028",
        "draft",
        date(2028, 3, 20),
        date(2028, 3, 26),
    )
    assert list(copy.partners.all()) == [partner]
    assert list(copy.host_groups.all()) == [people.group]
    sessions = list(copy.sessions.order_by("starts_at"))
    assert [s.status for s in sessions] == ["draft", "draft"]
    assert [timezone.localtime(s.starts_at).strftime("%a %d %b %H:%M") for s in sessions] == [
        "Tue 21 Mar 19:00",
        "Fri 24 Mar 18:00",
    ]
    assert sessions[0].venue == session.venue and list(sessions[0].partners.all()) == [partner]
    assert not RSVP.objects.filter(event__festival=copy).exists()
    assert sessions[0].uid != session.uid
