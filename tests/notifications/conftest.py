from datetime import datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from events.models import RSVP, Event, Venue
from tests.factories import UserFactory
from tests.groups.factories import AreaFactory, LocalGroupFactory, MembershipFactory

LONDON = ZoneInfo("Europe/London")


def london(*args) -> datetime:
    return datetime(*args, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def _notification_settings(settings):
    settings.SITE_URL = "https://portal.example.org"
    settings.DIGEST_SEND_RATE_PER_SECOND = 0  # no throttling in tests
    settings.REMINDER_DAY_BEFORE_LOCAL_TIME = "18:00"
    settings.REMINDER_HOURS_BEFORE = 2


_counter = iter(range(1, 10**6))


def make_venue(**fields) -> Venue:
    n = next(_counter)
    defaults = {
        "name": f"Friends Meeting House {n}",
        "slug": f"venue-{n}",
        "address": "1 St Helen's Street",
        "town": "Derby",
        "postcode_district": "DE1",
        "latitude": 52.9225,
        "longitude": -1.4746,
        "step_free": True,
        "access_notes": "Ramp at the side door.",
    }
    return Venue.objects.create(**{**defaults, **fields})


def make_event(*, group, starts_at: datetime, **fields) -> Event:
    n = next(_counter)
    defaults = {
        "title": f"Event {n}",
        "slug": f"event-{n}",
        "ends_at": starts_at + timedelta(hours=2),
        "status": Event.Status.PUBLISHED,
        "visibility": Event.Visibility.PUBLIC,
    }
    return Event.objects.create(group=group, starts_at=starts_at, **{**defaults, **fields})


def rsvp(event: Event, user, status=RSVP.Status.CONFIRMED) -> RSVP:
    row = RSVP.objects.create(event=event, user=user, status=status)
    if status == RSVP.Status.CONFIRMED:
        Event.objects.filter(pk=event.pk).update(confirmed_count=event.confirmed_count + 1)
        event.confirmed_count += 1
    return row


@pytest.fixture
def derby(db):
    area = AreaFactory(name="Derbyshire")
    group = LocalGroupFactory(area=area, name="Derby", slug="derby", town="Derby")
    lead = MembershipFactory(group=group, lead=True, user__display_name="Lena Lead").user
    return SimpleNamespace(area=area, group=group, lead=lead, venue=make_venue())


@pytest.fixture
def attendee(db):
    return UserFactory(display_name="Ada Attendee")
