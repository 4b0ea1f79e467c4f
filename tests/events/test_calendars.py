from datetime import UTC, datetime, timedelta

import icalendar
import pytest
from django.urls import reverse

from campaigns.models import Campaign
from events import services
from events.models import CalendarFeedToken, Event
from tests.factories import UserFactory

from .conftest import login_as
from .factories import EventFactory, FestivalFactory, RSVPFactory


def _parse(response):
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def test_event_ics_round_trips_with_dst_edge(client, db):
    # 01:30 on 31 October 2027 happens twice in the UK; this is the second (GMT) one.
    start = datetime(2027, 10, 31, 1, 30, tzinfo=UTC)
    event = EventFactory(
        title="Night vigil", starts_at=start, ends_at=start + timedelta(hours=1), sequence=3
    )
    response = client.get(reverse("events:ics", args=[event.slug]))
    assert response["Content-Disposition"] == f'attachment; filename="{event.slug}.ics"'
    calendar = _parse(response)
    assert str(calendar["version"]) == "2.0"
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["uid"]) == f"{event.uid}@127.0.0.1"
    assert vevent.decoded("dtstart") == start
    assert vevent.decoded("dtend") == start + timedelta(hours=1)
    assert vevent["sequence"] == 3
    assert str(vevent["status"]) == "CONFIRMED"
    assert str(vevent["summary"]) == "Night vigil"
    assert event.venue.name in str(vevent["location"])
    assert "DTSTART:20271031T013000Z" in response.content.decode()


def test_event_ics_spring_forward(client, db):
    start = datetime(2027, 3, 28, 0, 30, tzinfo=UTC)  # 00:30 GMT, the clocks jump at 01:00
    event = EventFactory(starts_at=start, ends_at=start + timedelta(hours=2))
    (vevent,) = _parse(client.get(reverse("events:ics", args=[event.slug]))).walk("VEVENT")
    assert vevent.decoded("dtend") - vevent.decoded("dtstart") == timedelta(hours=2)


def test_cancelled_event_ics_has_same_uid_higher_sequence(client, db):
    event = EventFactory()
    before = _parse(client.get(reverse("events:ics", args=[event.slug]))).walk("VEVENT")[0]
    services.cancel_event(event=event, reason="Storm")
    after = _parse(client.get(reverse("events:ics", args=[event.slug]))).walk("VEVENT")[0]
    assert str(after["uid"]) == str(before["uid"])
    assert after["sequence"] == before["sequence"] + 1
    assert str(after["status"]) == "CANCELLED"


def test_public_feed_lists_only_public_published(client, people):
    EventFactory(title="Public")
    EventFactory(title="Members", visibility=Event.Visibility.MEMBERS)
    EventFactory(title="Draft", status=Event.Status.DRAFT)
    client.force_login(people.staff)  # feeds never depend on who asks
    calendar = _parse(client.get(reverse("events:feed")))
    assert [str(e["summary"]) for e in calendar.walk("VEVENT")] == ["Public"]


def test_group_campaign_festival_feeds(client, people):
    festival = FestivalFactory()
    campaign = Campaign.objects.create(
        title="Lift the Ban",
        slug="lift-the-ban",
        summary="s",
        scope="national",
        status="active",
        target_name="Home Office",
        target_kind="government",
        goal="g",
    )
    hosted = EventFactory(title="Hosted", group=people.group, campaign=campaign)
    cohosted = EventFactory(title="Cohosted", group=people.other_group, festival=festival)
    cohosted.cohost_groups.add(people.group)
    EventFactory(title="Elsewhere", group=people.other_group)

    def titles(url):
        return sorted(str(e["summary"]) for e in _parse(client.get(url)).walk("VEVENT"))

    assert titles(reverse("events:group_feed", args=["derby"])) == ["Cohosted", "Hosted"]
    assert titles(reverse("events:campaign_feed", args=["lift-the-ban"])) == ["Hosted"]
    assert titles(reverse("events:festival_feed", args=[festival.slug])) == ["Cohosted"]
    assert hosted.pk
    assert client.get(reverse("events:group_feed", args=["nope"])).status_code == 404
    assert (
        client.get(
            reverse("events:festival_feed", args=[FestivalFactory(status="draft").slug])
        ).status_code
        == 404
    )


def test_personal_feed_token_and_reset(client, people):
    mine = EventFactory(
        title="Mine", mode=Event.Mode.HYBRID, online_url="https://meet.example.org/room"
    )
    EventFactory(title="Not mine")
    RSVPFactory(event=mine, user=people.activist)
    url = reverse("events:my_calendar")
    assert client.get(url).status_code == 302  # sign in first
    client.force_login(people.activist)
    assert client.get(url).context["feed_url"] is None
    client.post(url)
    token = CalendarFeedToken.objects.get(user=people.activist).token
    assert len(token) >= 40
    feed = client.get(reverse("events:personal_feed", args=[token]))
    (vevent,) = _parse(feed).walk("VEVENT")
    assert str(vevent["summary"]) == "Mine"
    assert "https://meet.example.org/room" in str(vevent["description"])
    client.post(url)
    assert client.get(reverse("events:personal_feed", args=[token])).status_code == 404
    assert client.get(reverse("events:personal_feed", args=["guess"])).status_code == 404


def test_feed_reset_needs_post_and_login(client, db):
    assert client.post(reverse("events:my_calendar")).status_code == 302
    assert not CalendarFeedToken.objects.exists()


@pytest.mark.parametrize("count", [1, 3])
def test_my_portal_block_constant_queries(client, people, django_assert_num_queries, count):
    for _ in range(count):
        RSVPFactory(user=people.activist)
        full = EventFactory(capacity=1)
        RSVPFactory(event=full)
        RSVPFactory(event=full, user=UserFactory())
        services.rsvp_to_event(event=full, user=people.activist)
    client.force_login(people.activist)
    from events.dashboard import my_portal_block

    request = client.get("/").wsgi_request
    request.user = people.activist
    with django_assert_num_queries(3):
        block = my_portal_block(request)
    assert len(block["coming"]) == count
    assert [r.position for r in block["waiting"]] == [1] * count
    body = client.get(reverse("my_portal")).content.decode()
    assert "number 1 in the queue" in body


def test_my_portal_block_empty_and_reports_due(client, people):
    start = datetime.now(UTC) - timedelta(days=2)
    EventFactory(
        title="Stall last week",
        group=people.group,
        starts_at=start,
        ends_at=start + timedelta(hours=1),
    )
    login_as(client, people, "lead")
    body = client.get(reverse("my_portal")).content.decode()
    assert "Find an event near you" in body
    assert "How did Stall last week go?" in body


@pytest.mark.parametrize("count", [1, 3])
def test_upcoming_events_tag_constant_queries(rf, people, django_assert_num_queries, count):
    from django.contrib.auth.models import AnonymousUser
    from django.template import Context, Template

    for n in range(count):
        EventFactory(title=f"Talk number {n}", group=people.group)
    EventFactory(title="Secret", group=people.group, visibility=Event.Visibility.MEMBERS)
    request = rf.get("/")
    request.user = AnonymousUser()
    template = Template("{% load events_tags %}{% upcoming_events_for_group group %}")
    with django_assert_num_queries(1):
        html = template.render(Context({"group": people.group, "request": request}))
    assert html.count("Talk number ") == count
    assert "Secret" not in html
