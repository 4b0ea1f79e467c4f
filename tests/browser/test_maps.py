"""The map pages at 1280 and 375 px: axe finds nothing serious, the SVG fits the screen
(it scales with its viewBox), and the map is drawn (issue 16's map; issue 19.1's region
and area pages)."""

import pytest
from django.urls import reverse

from tests.events.factories import EventFactory
from tests.groups.factories import LocalGroupFactory, RegionFactory

from .helpers import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TOWNS = [("Derby", 52.9225, -1.4746), ("Leicester", 52.6369, -1.1398),
         ("Birmingham", 52.4800, -1.9000), ("Malvern", 52.1100, -2.3200)]  # fmt: skip


def test_map_pages_are_accessible_and_fit_a_phone(page):
    region = RegionFactory(name="Midlands", slug="midlands", boundary_codes="E12000004 E12000005")
    groups = [
        LocalGroupFactory(area__region=region, name=name, town=name, latitude=lat, longitude=lon)
        for name, lat, lon in TOWNS
    ]
    event = EventFactory(group=groups[0])
    urls = [
        region.get_absolute_url(),
        groups[0].area.get_absolute_url(),
        groups[0].get_absolute_url(),
        event.get_absolute_url(),
        reverse("groups:list") + "?postcode=DE1",
    ]
    problems = []
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        for url in urls:
            assert page.goto(url).status == 200
            box = page.locator("svg.pp-map").bounding_box()
            if box is None or not 0 < box["width"] <= width:
                problems.append(f"{url} at {width}: map box {box}")
            if page.evaluate("document.documentElement.scrollWidth") > width:
                problems.append(f"{url} at {width}: scrolls sideways")
            problems += [f"{url} at {width}: {v}" for v in axe_violations(page)]
    assert problems == []
