"""The venue's map on an event page (issue 16's map)."""

import re

import pytest

from events.models import Event
from portal import maps
from tests.events.factories import EventFactory, VenueFactory

pytestmark = pytest.mark.django_db


def test_event_page_maps_its_venue_in_the_groups_region(client):
    event = EventFactory(venue=VenueFactory(name="Friends Meeting House", town="Derby"))
    page = client.get(event.get_absolute_url()).content.decode()
    assert re.findall(r'<g class="pp-map-marker"><title>([^<]*)</title>', page) == [
        "Friends Meeting House"
    ]
    assert re.findall(r'data-code="(\w+)"', page) == ["E12000004"]
    assert "Map: Friends Meeting House, Derby" in page
    assert maps.ATTRIBUTION in page


def test_venue_without_coordinates_is_placed_by_its_postcode_district(client):
    venue = VenueFactory(latitude=None, longitude=None, postcode_district="WR14", town="Malvern")
    page = client.get(EventFactory(venue=venue).get_absolute_url()).content.decode()
    assert re.findall(r'data-code="(\w+)"', page) == ["E12000005"]


def test_online_event_has_no_map(client):
    event = EventFactory(mode=Event.Mode.ONLINE, online_url="https://meet.example.org/x")
    assert "<svg" not in client.get(event.get_absolute_url()).content.decode()
