"""Maps on the region, group and directory pages (issue 16's map, issue 19.1)."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from portal import maps
from tests.groups.factories import AreaFactory, LocalGroupFactory

pytestmark = pytest.mark.django_db


def _markers(html: str) -> list[str]:
    return re.findall(r'<g class="pp-map-marker"><title>([^<]*)</title>', html)


def _outlines(html: str) -> list[str]:
    return re.findall(r'data-code="(\w+)"', html)


def test_region_map_marks_exactly_the_regions_groups_in_the_order_of_its_key(client, people):
    region = people.region
    region.boundary_codes = "E12000004 E12000005"
    region.save()
    LocalGroupFactory(area=people.group.area, name="Birmingham", postcode_district="B1",
                      latitude=52.48, longitude=-1.9)  # fmt: skip
    LocalGroupFactory(area=AreaFactory(region=region), name="Malvern", latitude=None,
                      longitude=None, postcode_district="WR14")  # fmt: skip
    LocalGroupFactory(area=people.group.area, name="Unplaced", latitude=None, longitude=None,
                      postcode_district="")  # fmt: skip
    LocalGroupFactory(area=people.group.area, name="Closed", is_active=False)
    page = client.get(region.get_absolute_url()).content.decode()
    assert _markers(page) == ["1. Birmingham", "2. Derby", "3. Malvern"]
    key = re.search(r'<ol class="pp-map-key"[^>]*>(.*?)</ol>', page, re.S)[1]
    assert re.findall(r'<li><a href="[^"]+">([^<]+)</a>', key) == ["Birmingham", "Derby", "Malvern"]
    assert "Not on the map (no postcode yet):" in page
    assert ">Unplaced</a>" in page and "Leicester" not in page and "Closed" not in page
    assert _outlines(page) == ["E12000004", "E12000005"]
    assert f"Map of {region.name} with its 3 local groups" in page
    assert maps.ATTRIBUTION in page


def test_region_without_named_outlines_draws_those_its_groups_stand_in(client, people):
    page = client.get(people.region.get_absolute_url()).content.decode()
    assert _markers(page) == ["1. Derby"]
    assert _outlines(page) == ["E12000004"]


def test_region_outline_codes_are_checked(people):
    region = people.region
    region.boundary_codes = "E12000004 X1"
    with pytest.raises(ValidationError, match="No outline is shipped for X1"):
        region.full_clean()
    region.boundary_codes = "e12000004, E12000005"
    region.full_clean()
    assert region.outline_codes == ("E12000004", "E12000005")


def test_group_page_shows_the_group_in_its_region(client, people):
    people.region.boundary_codes = "E12000004 E12000005"
    people.region.save()
    page = client.get(people.group.get_absolute_url()).content.decode()
    assert _markers(page) == ["Derby"]
    assert '<text x="' in page and 'class="pp-map-label"' in page
    assert _outlines(page) == ["E12000004", "E12000005"]
    assert f'<a href="{people.region.get_absolute_url()}">{people.region.name}</a>' in page
    assert maps.ATTRIBUTION in page


def test_group_without_a_place_has_no_map(client, db):
    group = LocalGroupFactory(latitude=None, longitude=None, postcode_district="")
    page = client.get(group.get_absolute_url()).content.decode()
    assert "<svg" not in page and "Where we are" in page


def test_directory_near_a_postcode_maps_the_groups_listed_and_the_search(client, db):
    LocalGroupFactory(name="Derby", latitude=52.9225, longitude=-1.4746)
    LocalGroupFactory(name="Leicester", latitude=52.6369, longitude=-1.1398)
    page = client.get(reverse("groups:list"), {"postcode": "LE1 1AA"}).content.decode()
    assert _markers(page) == ["1. Leicester", "2. Derby"]
    assert '<g class="pp-map-here"><title>You searched for LE1</title>' in page
    assert re.findall(r'<span class="pp-map-pin"><span class="visually-hidden">Map marker '
                      r"</span>(\d)</span> <a[^>]*>(\w+)</a>", page) == [
        ("1", "Leicester"), ("2", "Derby")]  # fmt: skip
    assert maps.ATTRIBUTION in page


def test_directory_without_a_postcode_has_no_map(client, db):
    LocalGroupFactory(name="Derby")
    assert "<svg" not in client.get(reverse("groups:list")).content.decode()
