"""Maps drawn on the server as SVG: the outlines of UK regions and nations from the shipped
boundary file (portal/data/regions.geojson, see portal/data/README.md) with numbered
markers for places (groups, events) and a "you searched here" mark. No tile server, no
JavaScript; the SVG scales with its viewBox.

The projection is equirectangular with the longitude scaled by cos(latitude) at the map's
centre: at the scale of a region (a few hundred km) it is within a few per cent of the
National Grid and needs no datum transformation.

A map is an image (role="img" with a title and a description). Its markers are not
links: the text list beside it (the map's key, in the template) is the accessible
alternative and carries the links. Drawn maps are kept in a per-process cache keyed on
everything they show, so they are never stale and cost no query or network round trip."""

from __future__ import annotations

import functools
import hashlib
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr  # nosec B406: escapes our SVG, parses no XML

from django.utils.safestring import SafeString, mark_safe

from .geo import PostcodeError, lookup_outcode

BOUNDARIES_GEOJSON = Path(__file__).resolve().parent / "data" / "regions.geojson"

WIDTH = 480
MIN_HEIGHT = 240
MAX_HEIGHT = 600
# Room for a marker at the edge and, at the bottom, the credit line.
PADDING = 32
MARKER_RADIUS = 11
# A map of one place still shows some country around it (degrees of latitude).
MIN_SPAN_DEG = 0.6
CREDIT = "Outlines: Natural Earth. Places: contains OS data © Crown copyright 2025"
ATTRIBUTION = (
    "Outlines: Natural Earth (public domain). Places: contains OS data © Crown copyright "
    "and database right 2025; contains Royal Mail data © Royal Mail copyright and database "
    "right 2025; contains National Statistics data © Crown copyright and database right 2025."
)


@dataclass(frozen=True)
class Place:
    lat: float
    lon: float
    label: str


@dataclass(frozen=True)
class Boundary:
    code: str
    name: str
    rings: tuple[tuple[tuple[float, float], ...], ...]  # (lon, lat) pairs, closed
    bbox: tuple[float, float, float, float]  # south, north, west, east

    def contains(self, lat: float, lon: float) -> bool:
        """Even-odd ray casting over every ring (holes and islands alike)."""
        inside = False
        for ring in self.rings:
            for (x1, y1), (x2, y2) in pairwise(ring):
                if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
                    inside = not inside
        return inside


@functools.cache
def boundaries() -> dict[str, Boundary]:
    """Every shipped outline by its ONS code (E12000004 East Midlands, S92000003 Scotland...)."""
    with BOUNDARIES_GEOJSON.open(encoding="utf-8") as handle:
        features = json.load(handle)["features"]
    found = {}
    for feature in features:
        rings = tuple(
            tuple((x, y) for x, y in ring)
            for polygon in feature["geometry"]["coordinates"]
            for ring in polygon
        )
        lons = [x for ring in rings for x, _y in ring]
        lats = [y for ring in rings for _x, y in ring]
        code = feature["properties"]["code"]
        found[code] = Boundary(
            code=code,
            name=feature["properties"]["name"],
            rings=rings,
            bbox=(min(lats), max(lats), min(lons), max(lons)),
        )
    return found


def codes_containing(points: Iterable[tuple[float, float]]) -> tuple[str, ...]:
    """The codes of the outlines that contain any of the (lat, lon) points, sorted."""
    return tuple(sorted({code for lat, lon in points for code in _containing(lat, lon)}))


@functools.lru_cache(maxsize=4096)
def _containing(lat: float, lon: float) -> tuple[str, ...]:
    return tuple(code for code, b in boundaries().items() if b.contains(lat, lon))


def parse_codes(text: str) -> tuple[str, ...]:
    """Codes from a space- or comma-separated list; ValueError naming any we don't ship."""
    codes = tuple(dict.fromkeys(text.replace(",", " ").upper().split()))
    unknown = [c for c in codes if c not in boundaries()]
    if unknown:
        raise ValueError(f"No outline is shipped for {', '.join(unknown)}.")
    return codes


def place_of(latitude, longitude, postcode_district: str, label: str) -> Place | None:
    """A place from stored coordinates, else from its postcode district's centroid. Stored
    coordinates off the globe (typed in the admin) count as none."""
    if (
        latitude is not None
        and longitude is not None
        and abs(latitude) < 90
        and abs(longitude) <= 180
    ):
        return Place(latitude, longitude, label)
    if postcode_district:
        try:
            _outcode, lat, lon = lookup_outcode(postcode_district)
        except PostcodeError:
            return None
        return Place(lat, lon, label)
    return None


@dataclass(frozen=True)
class Frame:
    """Equirectangular projection of lat/lon onto the viewBox."""

    west: float
    north: float
    cos_lat: float
    scale: float  # viewBox units per degree of latitude
    x0: float
    y0: float
    width: int
    height: int

    def project(self, lat: float, lon: float) -> tuple[float, float]:
        return (
            self.x0 + (lon - self.west) * self.cos_lat * self.scale,
            self.y0 + (self.north - lat) * self.scale,
        )

    def unproject(self, x: float, y: float) -> tuple[float, float]:
        return (
            self.north - (y - self.y0) / self.scale,
            self.west + (x - self.x0) / (self.cos_lat * self.scale),
        )

    def shows(self, bbox: tuple[float, float, float, float]) -> bool:
        """Whether any of a (south, north, west, east) box falls inside the map."""
        south, west = self.unproject(0, self.height)
        north, east = self.unproject(self.width, 0)
        return bbox[0] < north and bbox[1] > south and bbox[2] < east and bbox[3] > west


def frame_for(points: Sequence[tuple[float, float]], *, width: int = WIDTH) -> Frame:
    """The frame that fits the (lat, lon) points inside the padding, centred."""
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    south, north, west, east = min(lats), max(lats), min(lons), max(lons)
    if north - south < MIN_SPAN_DEG:
        middle = (north + south) / 2
        south, north = middle - MIN_SPAN_DEG / 2, middle + MIN_SPAN_DEG / 2
    cos_lat = math.cos(math.radians((north + south) / 2))
    if (east - west) * cos_lat < MIN_SPAN_DEG:
        middle = (east + west) / 2
        half = MIN_SPAN_DEG / cos_lat / 2
        west, east = middle - half, middle + half
    inner_w = width - 2 * PADDING
    span_x, span_y = (east - west) * cos_lat, north - south
    scale = min(inner_w / span_x, (MAX_HEIGHT - 2 * PADDING) / span_y)
    height = max(MIN_HEIGHT, math.ceil(span_y * scale + 2 * PADDING))
    return Frame(
        west=west,
        north=north,
        cos_lat=cos_lat,
        scale=scale,
        x0=(width - span_x * scale) / 2,
        y0=(height - span_y * scale) / 2,
        width=width,
        height=height,
    )


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _path(frame: Frame, boundary: Boundary) -> str:
    parts = []
    for ring in boundary.rings:
        xy = [frame.project(lat, lon) for lon, lat in ring[:-1]]
        parts.append("M" + "L".join(f"{_n(x)} {_n(y)}" for x, y in xy) + "Z")
    return "".join(parts)


def _text(x: float, y: float, text: str, cls: str, anchor: str = "start") -> str:
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" class="{cls}" text-anchor="{anchor}">{escape(text)}</text>'
    )


def render(
    *,
    title: str,
    places: Sequence[Place] = (),
    regions: Sequence[str] | None = None,
    here: Place | None = None,
    numbered: bool = True,
) -> SafeString:
    """The SVG of a map: the outlines of `regions` (ONS codes; unknown ones are skipped)
    and everything in them, or with `regions` None a map fitted to the places with every
    outline around them; `places` as markers (numbered 1.. in order when
    `numbered`, else pins with their label written beside them) and `here` as the
    searched point. Empty when there is nothing to draw."""
    return mark_safe(  # noqa: S308 - every text and attribute is escaped in _draw
        _draw(title, tuple(places), None if regions is None else tuple(regions), here, numbered)
    )


def _spread(spots: list[tuple[float, float]], taken: list[tuple[float, float]]) -> list:
    """Where to draw each marker so none hides another: its own spot when free, else the
    nearest free one on rings around it (drawn with a leader line to the true spot)."""
    gap = 2 * MARKER_RADIUS + 2
    drawn = []
    for x, y in spots:
        choice = (x, y)
        candidates = [(x, y)] + [
            (x + k * gap * math.cos(a * math.pi / 4), y + k * gap * math.sin(a * math.pi / 4))
            for k in (1, 2, 3)
            for a in range(8)
        ]
        for cx, cy in candidates:
            if all(math.hypot(cx - tx, cy - ty) >= gap for tx, ty in taken):
                choice = (cx, cy)
                break
        taken.append(choice)
        drawn.append(choice)
    return drawn


@functools.lru_cache(maxsize=512)
def _draw(
    title: str,
    places: tuple[Place, ...],
    regions: tuple[str, ...] | None,
    here: Place | None,
    numbered: bool,
) -> str:
    spots = [(p.lat, p.lon) for p in places] + ([(here.lat, here.lon)] if here else [])
    if regions is None:
        # Fit the places and draw every outline that shows around them.
        if not spots:
            return ""
        frame = frame_for(spots)
        outlines = [b for _c, b in sorted(boundaries().items()) if frame.shows(b.bbox)]
    else:
        outlines = [boundaries()[c] for c in regions if c in boundaries()]
        points = [(lat, lon) for b in outlines for ring in b.rings for lon, lat in ring]
        if not points + spots:
            return ""
        frame = frame_for(points + spots)
    key = hashlib.sha256(repr((title, places, regions, here, numbered)).encode()).hexdigest()
    ident = f"map-{key[:10]}"
    count = len(places)
    described = [f"{i}. {p.label}" if numbered else p.label for i, p in enumerate(places, 1)]
    if here is not None:
        described.append(here.label)
    desc = "; ".join(described) if described else "No places to show."
    if outlines:
        desc = f"Outline of {', '.join(b.name for b in outlines)}. " + desc
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {frame.width} {frame.height}" '
        f'class="pp-map" role="img" aria-labelledby="{ident}-t {ident}-d" '
        f'data-places="{count}">',
        f'<title id="{ident}-t">{escape(title)}</title>',
        f'<desc id="{ident}-d">{escape(desc)}</desc>',
        f'<rect class="pp-map-sea" width="{frame.width}" height="{frame.height}"/>',
    ]
    for boundary in outlines:
        out.append(
            f'<path class="pp-map-region" data-code="{boundary.code}" fill-rule="evenodd" '
            f'd="{_path(frame, boundary)}"><title>{escape(boundary.name)}</title></path>'
        )
    # Layers, bottom up: leader lines to moved markers' true places, the searched point,
    # the markers; so nothing is drawn over a marker's number.
    here_xy = frame.project(here.lat, here.lon) if here is not None else None
    true_spots = [frame.project(p.lat, p.lon) for p in places]
    drawn_spots = _spread(true_spots, [here_xy] if here_xy else []) if numbered else true_spots
    for (tx, ty), (x, y) in zip(true_spots, drawn_spots, strict=True):
        if (x, y) != (tx, ty):
            out.append(
                f'<line class="pp-map-leader" x1="{_n(tx)}" y1="{_n(ty)}" x2="{_n(x)}" '
                f'y2="{_n(y)}"/><circle class="pp-map-spot" cx="{_n(tx)}" cy="{_n(ty)}" r="2.5"/>'
            )
    if here is not None:
        x, y = here_xy
        star = " ".join(
            f"{_n(x + r * math.sin(math.pi * k / 5))},{_n(y - r * math.cos(math.pi * k / 5))}"
            for k, r in ((k, 13 if k % 2 == 0 else 5.5) for k in range(10))
        )
        out.append(
            f'<g class="pp-map-here"><title>{escape(here.label)}</title>'
            f"<polygon points={quoteattr(star)}/></g>"
        )
    for number, (place, (x, y)) in enumerate(zip(places, drawn_spots, strict=True), 1):
        label = f"{number}. {place.label}" if numbered else place.label
        out.append(f'<g class="pp-map-marker"><title>{escape(label)}</title>')
        if numbered:
            out.append(f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{MARKER_RADIUS}"/>')
            out.append(_text(x, y + 4.5, str(number), "pp-map-number", "middle"))
        else:
            out.append(f'<circle cx="{_n(x)}" cy="{_n(y)}" r="7"/>')
            anchor = "end" if x > frame.width * 0.6 else "start"
            dx = -11 if anchor == "end" else 11
            out.append(_text(x + dx, y + 5, place.label, "pp-map-label", anchor))
        out.append("</g>")
    out.append(_text(frame.width - 6, frame.height - 6, CREDIT, "pp-map-credit", "end"))
    out.append("</svg>")
    return "".join(out)
