"""Server-drawn SVG maps (portal/maps.py) and the shipped boundary file."""

import json
import math
import re

import pytest

from portal import geo, maps

ONS_CODES = {
    "E12000001": "North East",
    "E12000002": "North West",
    "E12000003": "Yorkshire and The Humber",
    "E12000004": "East Midlands",
    "E12000005": "West Midlands",
    "E12000006": "East of England",
    "E12000007": "London",
    "E12000008": "South East",
    "E12000009": "South West",
    "N92000002": "Northern Ireland",
    "S92000003": "Scotland",
    "W92000004": "Wales",
}


def _place(outcode: str, label: str) -> maps.Place:
    _outcode, lat, lon = geo.lookup_outcode(outcode)
    return maps.Place(lat, lon, label)


def test_boundary_file_parses_with_one_closed_outline_per_region_and_nation():
    with maps.BOUNDARIES_GEOJSON.open(encoding="utf-8") as handle:
        collection = json.load(handle)
    assert collection["type"] == "FeatureCollection"
    found = {f["properties"]["code"]: f["properties"]["name"] for f in collection["features"]}
    assert found == ONS_CODES
    for feature in collection["features"]:
        assert feature["geometry"]["type"] == "MultiPolygon"
        rings = [ring for polygon in feature["geometry"]["coordinates"] for ring in polygon]
        assert rings, feature["properties"]["code"]
        for ring in rings:
            assert len(ring) >= 4 and ring[0] == ring[-1]
            # Great Britain and Northern Ireland, in WGS84 longitude/latitude order.
            assert all(-8.7 < lon < 1.8 and 49.8 < lat < 60.9 for lon, lat in ring)
        # Simplified to a few KB per region (Scotland's islands make it the largest).
        assert len(json.dumps(feature)) < 25_000


@pytest.mark.parametrize(
    ("outcode", "code"),
    [
        ("DE1", "E12000004"),  # Derby
        ("LE1", "E12000004"),  # Leicester
        ("B1", "E12000005"),  # Birmingham
        ("WR14", "E12000005"),  # Malvern
        ("SW1A", "E12000007"),  # Westminster
        ("CF10", "W92000004"),  # Cardiff
        ("EH1", "S92000003"),  # Edinburgh
        ("NE1", "E12000001"),  # Newcastle
        ("M1", "E12000002"),  # Manchester
        ("LS1", "E12000003"),  # Leeds
        ("CB2", "E12000006"),  # Cambridge
        ("OX1", "E12000008"),  # Oxford
        ("BS1", "E12000009"),  # Bristol
    ],
)
def test_each_outline_contains_its_own_cities_and_no_other(outcode, code):
    _outcode, lat, lon = geo.lookup_outcode(outcode)
    assert maps.codes_containing([(lat, lon)]) == (code,)


def test_every_code_a_region_may_name_has_an_outline():
    assert set(maps.boundaries()) == set(ONS_CODES)
    assert maps.parse_codes("e12000004, E12000005 E12000004") == ("E12000004", "E12000005")
    with pytest.raises(ValueError, match="No outline is shipped for E99999999."):
        maps.parse_codes("E12000004 E99999999")


def test_projection_maps_known_points_exactly():
    frame = maps.frame_for([(52.0, -2.0), (53.0, -1.0)])
    cos_lat = math.cos(math.radians(52.5))
    # One degree of latitude fills the 600-unit-high map less its padding (2 × 32).
    assert frame.scale == 536
    assert (frame.width, frame.height) == (480, 600)
    x0 = (480 - cos_lat * 536) / 2
    assert frame.project(53.0, -2.0) == pytest.approx((x0, 32.0), abs=1e-9)
    assert frame.project(52.0, -1.0) == pytest.approx((x0 + cos_lat * 536, 568.0), abs=1e-9)
    assert frame.project(52.5, -1.5) == pytest.approx((240.0, 300.0), abs=1e-9)


def test_projection_keeps_distances_in_proportion_within_a_region():
    derby, leicester, birmingham = (geo.lookup_outcode(o)[1:] for o in ("DE1", "LE1", "B1"))
    frame = maps.frame_for([derby, leicester, birmingham])

    def drawn(a, b):
        (x1, y1), (x2, y2) = frame.project(*a), frame.project(*b)
        return math.hypot(x2 - x1, y2 - y1)

    per_km_1 = drawn(derby, leicester) / geo.distance_km(*derby, *leicester)
    per_km_2 = drawn(derby, birmingham) / geo.distance_km(*derby, *birmingham)
    assert per_km_1 == pytest.approx(per_km_2, rel=0.005)


def test_a_single_place_still_shows_country_around_it():
    frame = maps.frame_for([(52.9225, -1.4746)])
    assert frame.project(52.9225, -1.4746) == pytest.approx((240.0, frame.height / 2), abs=1e-9)
    assert frame.scale == pytest.approx((480 - 64) / maps.MIN_SPAN_DEG, abs=1e-9)


def test_map_has_one_numbered_marker_per_place_the_outlines_and_the_credit():
    places = [_place("DE1", "Derby"), _place("LE1", "Leicester"), _place("B1", "Birmingham")]
    svg = maps.render(title="Groups", places=places, regions=["E12000004", "E12000005"])
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 480 ')
    assert 'role="img"' in svg and "<title id=" in svg
    assert re.findall(r'<g class="pp-map-marker"><title>([^<]*)</title>', svg) == [
        "1. Derby",
        "2. Leicester",
        "3. Birmingham",
    ]
    assert re.findall(r'class="pp-map-number" text-anchor="middle">(\d+)<', svg) == [
        "1",
        "2",
        "3",
    ]
    assert re.findall(r'data-code="(\w+)"', svg) == ["E12000004", "E12000005"]
    assert "pp-map-here" not in svg
    assert maps.CREDIT in svg
    assert "Outline of East Midlands, West Midlands. 1. Derby; 2. Leicester; 3. Birmingham" in svg


def test_map_without_named_outlines_fits_its_places_with_the_outlines_around_them():
    svg = maps.render(
        title="Near WR14",
        places=[_place("WR1", "Worcester")],
        here=_place("WR14", "You searched for WR14"),
    )
    # Worcester and Malvern are 12 km apart: the map draws the outlines whose extent
    # reaches the 70 km around them (the Midlands, the Welsh border, the south), no more.
    assert re.findall(r'data-code="(\w+)"', svg) == [
        "E12000004",
        "E12000005",
        "E12000008",
        "E12000009",
        "W92000004",
    ]
    assert '<g class="pp-map-here"><title>You searched for WR14</title><polygon points=' in svg


def test_markers_never_hide_one_another_or_the_search():
    derby = _place("DE1", "Derby")
    svg = maps.render(
        title="Two at one place",
        places=[derby, maps.Place(derby.lat, derby.lon, "Derby students")],
        here=maps.Place(derby.lat, derby.lon, "You searched for DE1"),
    )
    circles = re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)" r="11"/>', svg)
    spots = [(float(x), float(y)) for x, y in circles]
    centre = maps.frame_for([(derby.lat, derby.lon)]).project(derby.lat, derby.lon)
    assert len(spots) == 2 and spots[0] != spots[1]
    assert all(math.dist(spot, centre) >= 24 for spot in spots)
    assert math.dist(spots[0], spots[1]) >= 24
    # Each moved marker points back to its true place.
    leaders = re.findall(r'<line class="pp-map-leader" x1="([\d.]+)" y1="([\d.]+)"', svg)
    assert [(float(x), float(y)) for x, y in leaders] == [pytest.approx(centre, abs=0.05)] * 2


def test_map_labels_are_escaped():
    svg = maps.render(
        title='<script>"x"</script>', places=[maps.Place(52.9, -1.5, "A & <b>")], numbered=False
    )
    assert "<script>" not in svg and "<b>" not in svg
    assert "&lt;script&gt;" in svg
    assert "<title>A &amp; &lt;b&gt;</title>" in svg
    assert 'class="pp-map-label"' in svg


def test_nothing_to_draw_draws_nothing():
    assert maps.render(title="Empty") == ""


def test_place_of_falls_back_to_the_postcode_district():
    assert maps.place_of(1.0, 2.0, "DE1", "x") == maps.Place(1.0, 2.0, "x")
    _outcode, lat, lon = geo.lookup_outcode("DE1")
    assert maps.place_of(None, None, "DE1", "x") == maps.Place(lat, lon, "x")
    assert maps.place_of(None, None, "BT7", "x") is None
    assert maps.place_of(None, None, "", "x") is None
    # NaN fails every comparison, so it counts as no coordinates too.
    assert maps.place_of(float("nan"), 2.0, "", "x") is None
    assert maps.place_of(1e308, 2.0, "DE1", "x") == maps.Place(lat, lon, "x")


def test_a_drawn_map_is_kept_until_what_it_shows_changes():
    derby = _place("DE1", "Derby")
    maps._draw.cache_clear()
    first = maps.render(title="Derby", places=[derby], regions=["E12000004"])
    assert (maps._draw.cache_info().hits, maps._draw.cache_info().misses) == (0, 1)
    assert maps.render(title="Derby", places=[derby], regions=["E12000004"]) == first
    assert (maps._draw.cache_info().hits, maps._draw.cache_info().misses) == (1, 1)
    renamed = maps.render(title="Derby", places=[maps.Place(derby.lat, derby.lon, "Derby!")],
                          regions=["E12000004"])  # fmt: skip
    assert maps._draw.cache_info().misses == 2
    assert "<title>1. Derby!</title>" in renamed and "Derby!" not in first
