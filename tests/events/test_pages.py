from datetime import UTC, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Event
from tests.groups.factories import LocalGroupFactory
from tests.queries import SESSION

from .conftest import login_as
from .factories import EventFactory, FestivalFactory, RSVPFactory, VenueFactory


def _titles(response):
    return [e.title for e in response.context["page"].object_list]


@pytest.mark.parametrize("count", [1, 3])
def test_list_query_count_constant(client, people, django_assert_num_queries, count):
    festival = FestivalFactory()
    for _ in range(count):
        EventFactory(festival=festival, group=people.group)
    client.force_login(people.member)
    client.get(reverse("events:list"))  # warm the session
    # (session,) user, areas (the only select), count, page: no list of every group
    with django_assert_num_queries(4 + SESSION):
        response = client.get(reverse("events:list") + "?postcode=DE1&kind=workshop")
    assert len(response.context["page"].object_list) == count


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", ["Public"]),
        ("activist", ["Public"]),
        ("other_lead", ["Public"]),
        ("member", ["Public", "Members"]),
        ("lead", ["Public", "Members", "Draft"]),
        ("staff", ["Public", "Members", "Draft"]),
    ],
)
def test_list_shows_only_what_each_person_may_see(client, people, who, expected):
    now = timezone.now()
    for offset, title, extra in [
        (1, "Public", {}),
        (2, "Members", {"visibility": Event.Visibility.MEMBERS}),
        (3, "Draft", {"status": Event.Status.DRAFT}),
    ]:
        start = now + timedelta(days=offset)
        EventFactory(
            title=title,
            group=people.group,
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            **extra,
        )
    login_as(client, people, who)
    assert _titles(client.get(reverse("events:list"))) == expected


def test_list_upcoming_by_default_and_past_browsable(client, db):
    now = timezone.now()
    EventFactory(
        title="Last month",
        starts_at=now - timedelta(days=30),
        ends_at=now - timedelta(days=30) + timedelta(hours=1),
    )
    EventFactory(
        title="Last week",
        starts_at=now - timedelta(days=7),
        ends_at=now - timedelta(days=7) + timedelta(hours=1),
    )
    EventFactory(title="Next week")
    assert _titles(client.get(reverse("events:list"))) == ["Next week"]
    assert _titles(client.get(reverse("events:list") + "?when=past")) == ["Last week", "Last month"]


def test_list_filters(client, people):
    festival = FestivalFactory()
    base = timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=3), time(12)))

    def make(title, days=0, **kw):
        start = base + timedelta(days=days)
        return EventFactory(title=title, starts_at=start, ends_at=start + timedelta(hours=1), **kw)

    make("Film", kind=Event.Kind.FILM, group=people.group)
    make(
        "Online talk",
        1,
        kind=Event.Kind.TALK,
        mode=Event.Mode.ONLINE,
        venue=None,
        online_url="https://meet.example.org/x",
        group=people.other_group,
    )
    make(
        "Hybrid",
        2,
        mode=Event.Mode.HYBRID,
        online_url="https://meet.example.org/y",
        group=people.other_group,
    )
    cohosted = make("Cohosted", 3, festival=festival, group=people.other_group)
    cohosted.cohost_groups.add(people.group)
    url = reverse("events:list")
    assert _titles(client.get(url + "?kind=film")) == ["Film"]
    assert _titles(client.get(url + "?mode=online")) == ["Online talk", "Hybrid"]
    assert _titles(client.get(url + "?mode=in_person")) == ["Film", "Hybrid", "Cohosted"]
    assert _titles(client.get(url + "?group=derby")) == ["Film", "Cohosted"]
    assert _titles(client.get(url + f"?area={people.group.area.slug}")) == ["Film"]
    assert _titles(client.get(url + f"?festival={festival.slug}")) == ["Cohosted"]
    day = timezone.localtime(base + timedelta(days=1)).date()
    assert _titles(client.get(url + f"?date_from={day}&date_to={day + timedelta(days=1)}")) == [
        "Online talk",
        "Hybrid",
    ]


def test_list_near_postcode_sorts_by_distance(client, db):
    EventFactory(
        title="Birmingham",
        venue=VenueFactory(town="Birmingham", latitude=52.4796, longitude=-1.9026),
    )
    EventFactory(
        title="Derby", venue=VenueFactory(town="Derby", latitude=52.9225, longitude=-1.4746)
    )
    response = client.get(reverse("events:list") + "?postcode=DE1 3AA")
    assert _titles(response) == ["Derby", "Birmingham"]
    assert response.context["near"] == "DE1"
    assert "away" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?page=abc", None),
        ("?page=99999", None),
        ("?postcode=XX", "look like a UK postcode"),
        ("?kind=rave", "Select a valid choice"),
        ("?group=no-such-group", "Select a valid choice"),
        ("?date_from=2027-13-45", "Enter a valid date"),
        ("?date_from=2027-05-02&date_to=2027-05-01", "must be after its start"),
    ],
)
def test_list_bad_input_is_not_an_error(client, db, query, message):
    EventFactory(title="Still listed")
    response = client.get(reverse("events:list") + query)
    assert response.status_code == 200
    assert "Still listed" in response.content.decode() or "page=" not in query
    if message:
        assert message in response.content.decode()


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 404),
        ("activist", 404),
        ("other_lead", 404),
        ("member", 200),
        ("lead", 200),
        ("staff", 200),
    ],
)
def test_detail_members_only_event_hidden_from_outsiders(client, people, who, status):
    event = EventFactory(group=people.group, visibility=Event.Visibility.MEMBERS)
    login_as(client, people, who)
    assert client.get(event.get_absolute_url()).status_code == status
    assert client.get(reverse("events:ics", args=[event.slug])).status_code == status


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 404), ("activist", 404), ("member", 404), ("other_lead", 404), ("lead", 200)],
)
def test_detail_draft_only_for_leads(client, people, who, status):
    event = EventFactory(group=people.group, status=Event.Status.DRAFT)
    login_as(client, people, who)
    assert client.get(event.get_absolute_url()).status_code == status


@pytest.mark.parametrize(
    ("who", "sees_link"),
    [
        ("anonymous", False),
        ("activist", False),
        ("waitlisted", False),
        ("confirmed", True),
        ("lead", True),
    ],
)
def test_detail_online_link_only_for_confirmed_and_leads(client, people, who, sees_link):
    event = EventFactory(
        group=people.group,
        mode=Event.Mode.HYBRID,
        online_url="https://meet.example.org/secret-room",
    )
    if who in ("confirmed", "waitlisted"):
        RSVPFactory(event=event, user=people.activist, status=who)
        client.force_login(people.activist)
    else:
        login_as(client, people, who)
    body = client.get(event.get_absolute_url()).content.decode()
    ics = client.get(reverse("events:ics", args=[event.slug])).content.decode()
    assert ("secret-room" in body) is sees_link
    assert ("secret-room" in ics) is sees_link


def test_detail_shows_venue_access_cohosts_and_open_graph(client, people, settings):
    from tests.partners.factories import PartnerFactory

    settings.SITE_URL = "https://portal.example.org"
    venue = VenueFactory(
        name="Derby Multi-Faith Centre", hearing_loop=True, access_notes="Lift to all floors"
    )
    event = EventFactory(title="Peace & film", group=people.group, venue=venue)
    event.cohost_groups.add(people.other_group)
    event.partners.add(PartnerFactory(name="RESTORE"))
    body = client.get(event.get_absolute_url()).content.decode()
    assert '<meta property="og:title" content="Peace &amp; film">' in body
    url = f"https://portal.example.org{event.get_absolute_url()}"
    assert f'<meta property="og:url" content="{url}">' in body
    assert "Hearing loop: yes" in body
    assert "Lift to all floors" in body
    assert "Leicester" in body and "RESTORE" in body


@pytest.mark.parametrize(
    ("utc", "shown"),
    [
        # 28 March 2027: clocks go forward at 01:00 GMT; 00:30 UTC is 00:30 GMT.
        (datetime(2027, 3, 28, 0, 30, tzinfo=UTC), "Sun 28 Mar 2027, 00:30"),
        (datetime(2027, 3, 28, 1, 30, tzinfo=UTC), "Sun 28 Mar 2027, 02:30"),
        # 31 October 2027: 01:30 happens twice, first in BST then in GMT.
        (datetime(2027, 10, 31, 0, 30, tzinfo=UTC), "Sun 31 Oct 2027, 01:30"),
        (datetime(2027, 10, 31, 1, 30, tzinfo=UTC), "Sun 31 Oct 2027, 01:30"),
    ],
)
def test_detail_times_shown_in_london_across_clock_changes(client, db, utc, shown):
    event = EventFactory(starts_at=utc, ends_at=utc + timedelta(minutes=30))
    body = client.get(event.get_absolute_url()).content.decode()
    assert shown in body


def test_detail_ambiguous_hour_names_its_zone(client, db):
    first = datetime(2027, 10, 31, 0, 30, tzinfo=UTC)
    second = datetime(2027, 10, 31, 1, 30, tzinfo=UTC)
    a = EventFactory(starts_at=first, ends_at=first + timedelta(minutes=20))
    b = EventFactory(starts_at=second, ends_at=second + timedelta(minutes=20))
    assert "01:50 BST" in client.get(a.get_absolute_url()).content.decode()
    assert "01:50 GMT" in client.get(b.get_absolute_url()).content.decode()


@pytest.mark.parametrize("count", [1, 3])
def test_festival_programme_by_day_constant_queries(client, db, django_assert_num_queries, count):
    festival = FestivalFactory(host_groups=[LocalGroupFactory()])
    day = datetime(2027, 5, 10, 9, 0, tzinfo=UTC)
    for n in range(count):
        start = day + timedelta(days=n % 2, hours=n)
        EventFactory(festival=festival, starts_at=start, ends_at=start + timedelta(hours=1))
    with django_assert_num_queries(5):
        response = client.get(festival.get_absolute_url())
    assert [len(items) for _day, items in response.context["days"]] == (
        [1] if count == 1 else [2, 1]
    )


def test_festival_filters_by_kind_and_venue(client, db):
    festival = FestivalFactory()
    hall = VenueFactory(slug="hall")
    EventFactory(title="Film", kind=Event.Kind.FILM, festival=festival, venue=hall)
    EventFactory(title="Football", kind=Event.Kind.SPORT, festival=festival)

    def titles(query):
        response = client.get(festival.get_absolute_url() + query)
        return [e.title for _d, items in response.context["days"] for e in items]

    assert titles("?kind=sport") == ["Football"]
    assert titles("?venue=hall") == ["Film"]
    assert titles("?venue=nowhere") == ["Film", "Football"]


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 404), ("activist", 404), ("other_lead", 404), ("lead", 200)]
)
def test_draft_festival_only_for_host_leads(client, people, who, status):
    festival = FestivalFactory(status="draft", host_groups=[people.group])
    login_as(client, people, who)
    assert client.get(festival.get_absolute_url()).status_code == status


def test_unknown_event_is_404(client, db):
    assert client.get(reverse("events:detail", args=["nope"])).status_code == 404


def test_list_narrowed_to_a_group_says_so_and_offers_the_way_back(client, people):
    EventFactory(group=people.group, title="Derby picnic")
    EventFactory(group=people.other_group, title="Leicester vigil")
    response = client.get(reverse("events:list"), {"group": people.group.slug, "kind": ""})
    html = response.content.decode()
    assert "Derby picnic" in html
    assert "Leicester vigil" not in html
    assert "Only events of the group <strong>Derby</strong>." in html
    assert 'href="?kind="' in html
    assert f'<option value="{people.other_group.slug}"' not in html
