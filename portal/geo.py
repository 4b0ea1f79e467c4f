"""UK postcode district (outcode) lookup and great-circle distance helpers.

Standard library only, so it can be imported before Django is configured.
Coordinates come from portal/data/outcodes.csv; see portal/data/README.md for its source.
"""

from __future__ import annotations

import csv
import functools
import math
import re
from pathlib import Path

EARTH_RADIUS_KM = 6371.0088  # IUGG mean Earth radius
OUTCODES_CSV = Path(__file__).resolve().parent / "data" / "outcodes.csv"

# Letters each position may hold, per the Royal Mail / GOV.UK postcode format rules.
_OUTCODE = (
    r"[A-PR-UWYZ][0-9][0-9]?"  # A9, A99
    r"|[A-PR-UWYZ][A-HK-Y][0-9][0-9]?"  # AA9, AA99
    r"|[A-PR-UWYZ][0-9][A-HJKPSTUW]"  # A9A
    r"|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY]"  # AA9A
)
_INCODE = r"[0-9][ABD-HJLNP-UW-Z]{2}"
_POSTCODE_RE = re.compile(rf"(?P<outcode>{_OUTCODE})(?:\s*{_INCODE})?")
_MAX_INPUT_LENGTH = 16


class PostcodeError(ValueError):
    """A postcode that is malformed or whose district we have no coordinates for."""


def normalise_postcode(text: str) -> str | None:
    """Return the outcode of a full UK postcode or bare outcode, or None if malformed."""
    # isascii() first: str.upper() maps some non-ASCII letters (e.g. "ſ") onto ASCII ones.
    if len(text) > _MAX_INPUT_LENGTH or not text.isascii():
        return None
    match = _POSTCODE_RE.fullmatch(text.strip().upper())
    return match["outcode"] if match else None


@functools.cache
def _centroids() -> dict[str, tuple[float, float]]:
    with OUTCODES_CSV.open(newline="", encoding="utf-8") as handle:
        return {
            row["outcode"]: (float(row["latitude"]), float(row["longitude"]))
            for row in csv.DictReader(handle)
        }


def lookup_outcode(text: str) -> tuple[str, float, float]:
    """Return (outcode, latitude, longitude) for a postcode or outcode, else PostcodeError."""
    outcode = normalise_postcode(text)
    if outcode is None:
        raise PostcodeError("That doesn't look like a UK postcode.")
    try:
        lat, lon = _centroids()[outcode]
    except KeyError:
        raise PostcodeError(f"We don't know where postcode district {outcode} is.") from None
    return outcode, lat, lon


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle (haversine) distance in kilometres between two WGS84 points."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlam = math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlam / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def bounding_box(lat: float, lon: float, radius_km: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lon, max_lon) enclosing every point within radius_km.

    Meant for an indexed prefilter; follow it with distance_km() for the exact test.
    """
    angular = radius_km / EARTH_RADIUS_KM
    # Pad by a hair so points exactly on the circle survive floating-point rounding.
    pad = 1e-9
    min_lat = math.degrees(math.radians(lat) - angular) - pad
    max_lat = math.degrees(math.radians(lat) + angular) + pad
    if min_lat <= -90 or max_lat >= 90 or angular >= math.pi / 2:
        # The circle reaches a pole, so every longitude is in range.
        return max(min_lat, -90.0), min(max_lat, 90.0), -180.0, 180.0
    # asin(sin r / cos lat), not r / cos lat: the widest point of the circle lies poleward of
    # its centre, so the simpler formula would cut off the circle's flanks.
    dlon = math.degrees(math.asin(math.sin(angular) / math.cos(math.radians(lat)))) + pad
    min_lon, max_lon = lon - dlon, lon + dlon
    if min_lon < -180 or max_lon > 180:
        # Crosses the antimeridian; a single range can't express the wrap, so widen it.
        return min_lat, max_lat, -180.0, 180.0
    return min_lat, max_lat, min_lon, max_lon
