import csv
import math

import pytest

from portal import geo
from portal.geo import (
    PostcodeError,
    bounding_box,
    distance_km,
    lookup_outcode,
    normalise_postcode,
)

# Outcode centroids move by well under 1 km between Code-Point Open releases (checked against
# ONSPD-derived means: 99% of districts within 0.14 km), so 1 km keeps distance tests valid
# across a data refresh while still catching a wrong district or a swapped lat/lon.
CENTROID_TOLERANCE_KM = 1.0


def _destination(lat: float, lon: float, bearing_deg: float, km: float) -> tuple[float, float]:
    """Point reached by travelling km along a great circle from (lat, lon)."""
    d = km / geo.EARTH_RADIUS_KM
    phi, lam, theta = math.radians(lat), math.radians(lon), math.radians(bearing_deg)
    phi2 = math.asin(math.sin(phi) * math.cos(d) + math.cos(phi) * math.sin(d) * math.cos(theta))
    lam2 = lam + math.atan2(
        math.sin(theta) * math.sin(d) * math.cos(phi),
        math.cos(d) - math.sin(phi) * math.sin(phi2),
    )
    return math.degrees(phi2), math.degrees(lam2)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("DE1 3AA", "DE1"),
        ("de1 3aa", "DE1"),
        ("De1 3Aa", "DE1"),
        ("DE13AA", "DE1"),
        ("  DE1   3AA  ", "DE1"),
        ("DE1\t3AA", "DE1"),
        ("sw1a 1aa", "SW1A"),
        ("SW1A1AA", "SW1A"),
        ("bt7 1nn", "BT7"),
        ("M1 1AE", "M1"),
        ("B33 8TH", "B33"),
        ("CR2 6XH", "CR2"),
        ("DN55 1PT", "DN55"),
        ("W1A 0AX", "W1A"),
        ("EC1A 1BB", "EC1A"),
    ],
)
def test_normalise_postcode_full_postcode_returns_outcode(text, expected):
    assert normalise_postcode(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("DE1", "DE1"),
        (" de1 ", "DE1"),
        ("SW1A", "SW1A"),
        ("sw1a", "SW1A"),
        ("M1", "M1"),
        ("DN55", "DN55"),
        ("W1A", "W1A"),
        ("bt7", "BT7"),
    ],
)
def test_normalise_postcode_outcode_only_returns_outcode(text, expected):
    assert normalise_postcode(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "12345",
        "DE",
        "D",
        "<script>",
        "<script>alert(1)</script>",
        "DE1 3AA" * 10,
        "DE1 3AAA",
        "DE1 3A",
        "DE13 AA",  # the space must fall between outcode and incode
        "DE1-3AA",
        "DE1 CAA",
        "DE1 3CA",  # C, I, K, M, O, V never appear in an incode
        "QE1 3AA",  # Q, V, X never start a postcode
        "AI1 1AA",  # I, J, Z never come second
        "ZZ99",
        "SW1AB",
        "SW1AA 1AA",
        "W1I 1AA",  # I is not a valid A9A district letter
        "ſw1a 1aa",  # upper() would turn the long s into an ASCII S
        "ＤＥ１ ３ＡＡ",
        "DE1\n3AA\nX",
    ],
)
def test_normalise_postcode_malformed_returns_none(text):
    assert normalise_postcode(text) is None


def test_lookup_outcode_full_postcode_returns_centroid():
    outcode, lat, lon = lookup_outcode("de1 3aa")

    assert outcode == "DE1"
    assert lat == pytest.approx(52.922, abs=0.01)
    assert lon == pytest.approx(-1.477, abs=0.01)


def test_lookup_outcode_unspaced_and_spaced_agree():
    assert lookup_outcode("SW1A1AA") == lookup_outcode("sw1a 1aa") == lookup_outcode(" SW1A ")


def test_lookup_outcode_outcode_only_returns_centroid():
    outcode, lat, lon = lookup_outcode("SW1A")

    assert outcode == "SW1A"
    assert lat == pytest.approx(51.5045, abs=0.01)
    assert lon == pytest.approx(-0.1323, abs=0.01)


@pytest.mark.parametrize(
    ("text", "outcode"),
    [
        ("ZE9 9ZZ", "ZE9"),  # well-formed; Shetland only has ZE1-ZE3
        ("GY1 1AA", "GY1"),  # Channel Islands are not in Code-Point Open
    ],
)
def test_lookup_outcode_unknown_district_raises(text, outcode):
    with pytest.raises(PostcodeError) as excinfo:
        lookup_outcode(text)

    assert str(excinfo.value) == f"We don't know where postcode district {outcode} is."


@pytest.mark.parametrize("text", ["", "12345", "DE", "<script>", "x" * 1000])
def test_lookup_outcode_malformed_raises(text):
    with pytest.raises(PostcodeError) as excinfo:
        lookup_outcode(text)

    assert str(excinfo.value) == "That doesn't look like a UK postcode."


def test_postcode_error_is_value_error():
    assert issubclass(PostcodeError, ValueError)


def test_distance_km_derby_to_birmingham():
    _, lat1, lon1 = lookup_outcode("DE1")
    _, lat2, lon2 = lookup_outcode("B1")

    assert distance_km(lat1, lon1, lat2, lon2) == pytest.approx(57.1, abs=CENTROID_TOLERANCE_KM)


def test_distance_km_london_to_edinburgh():
    _, lat1, lon1 = lookup_outcode("SW1A")
    _, lat2, lon2 = lookup_outcode("EH1")

    assert distance_km(lat1, lon1, lat2, lon2) == pytest.approx(533.7, abs=CENTROID_TOLERANCE_KM)


def test_distance_km_one_degree_of_latitude():
    # 2 * pi * 6371.0088 / 360
    assert distance_km(52.0, -1.0, 53.0, -1.0) == pytest.approx(111.19508, abs=1e-5)


def test_distance_km_same_point_is_zero():
    assert distance_km(52.922, -1.477, 52.922, -1.477) == 0.0


def test_distance_km_is_symmetric():
    there = distance_km(52.922, -1.477, 60.151, -1.171)
    back = distance_km(60.151, -1.171, 52.922, -1.477)

    assert there == pytest.approx(back, rel=1e-12)


def test_distance_km_antipodes_is_half_circumference():
    assert distance_km(0.0, 0.0, 0.0, 180.0) == pytest.approx(math.pi * geo.EARTH_RADIUS_KM)


@pytest.mark.parametrize(
    ("lat", "lon", "radius_km"),
    [(52.922, -1.477, 10.0), (51.5045, -0.1323, 50.0), (60.151, -1.171, 200.0), (0.0, 0.0, 1.0)],
)
def test_bounding_box_contains_points_at_radius(lat, lon, radius_km):
    min_lat, max_lat, min_lon, max_lon = bounding_box(lat, lon, radius_km)

    for bearing in range(0, 360, 3):
        plat, plon = _destination(lat, lon, bearing, radius_km)
        assert distance_km(lat, lon, plat, plon) == pytest.approx(radius_km)
        assert min_lat <= plat <= max_lat
        assert min_lon <= plon <= max_lon


def test_bounding_box_is_tight_in_latitude():
    min_lat, max_lat, _, _ = bounding_box(52.922, -1.477, 111.19508)

    assert min_lat == pytest.approx(51.922, abs=1e-6)
    assert max_lat == pytest.approx(53.922, abs=1e-6)


def test_bounding_box_excludes_points_beyond_radius():
    min_lat, max_lat, min_lon, max_lon = bounding_box(52.922, -1.477, 10.0)

    for bearing in (0, 90, 180, 270):
        plat, plon = _destination(52.922, -1.477, bearing, 10.5)
        assert not (min_lat <= plat <= max_lat and min_lon <= plon <= max_lon)


def test_bounding_box_reaching_pole_spans_all_longitudes():
    assert bounding_box(89.9, 10.0, 50.0) == (pytest.approx(89.45, abs=0.01), 90.0, -180.0, 180.0)


def test_bounding_box_crossing_antimeridian_spans_all_longitudes():
    _, _, min_lon, max_lon = bounding_box(0.0, 179.99, 10.0)

    assert (min_lon, max_lon) == (-180.0, 180.0)


def _csv_rows() -> list[dict[str, str]]:
    with geo.OUTCODES_CSV.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == ["outcode", "latitude", "longitude"]
        return list(reader)


def test_outcodes_csv_row_count_in_expected_range():
    assert 2800 <= len(_csv_rows()) <= 3200


def test_outcodes_csv_every_row_parses():
    for row in _csv_rows():
        outcode = row["outcode"]
        assert normalise_postcode(outcode) == outcode, outcode
        # Great Britain, Scilly to Shetland.
        assert 49.8 <= float(row["latitude"]) <= 60.9, outcode
        assert -8.7 <= float(row["longitude"]) <= 1.8, outcode
        assert len(row["latitude"].split(".")[1]) in (4, 5), outcode
        assert len(row["longitude"].split(".")[1]) in (4, 5), outcode


def test_outcodes_csv_sorted_and_unique():
    outcodes = [row["outcode"] for row in _csv_rows()]

    assert outcodes == sorted(set(outcodes))


def test_outcodes_csv_loaded_into_lookup_table():
    assert len(geo._centroids()) == len(_csv_rows())
