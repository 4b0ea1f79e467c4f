"""How long a map takes to draw, and to serve once drawn (portal/maps.py).

    .venv/bin/python bench/maps.py

Draws the demo Midlands map (14 groups, the East and West Midlands outlines) with the
cache emptied each time, then serves it from the per-process cache, and times the point in
polygon lookup a region without named outlines needs (cached per point after the first).
Needs no database or settings.
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from portal import geo, maps  # noqa: E402

OUTCODES = ["DE1", "LE1", "NG1", "LN1", "NN1", "NN16", "OX16", "B1", "B15", "CV1", "WR1",
            "WR14", "ST1", "SY1"]  # fmt: skip


def main() -> None:
    places = [maps.Place(*geo.lookup_outcode(o)[1:], o) for o in OUTCODES]
    outlines = ("E12000004", "E12000005")
    maps.boundaries()
    rounds = 50
    start = time.perf_counter()
    for _ in range(rounds):
        maps._draw.cache_clear()
        svg = maps.render(title="Midlands", places=places, regions=outlines)
    drawn = (time.perf_counter() - start) / rounds
    hits = 20_000
    start = time.perf_counter()
    for _ in range(hits):
        maps.render(title="Midlands", places=places, regions=outlines)
    cached = (time.perf_counter() - start) / hits
    start = time.perf_counter()
    for _ in range(rounds):
        maps._containing.cache_clear()
        maps.codes_containing((p.lat, p.lon) for p in places)
    lookup = (time.perf_counter() - start) / rounds
    print(f"drawn: {drawn * 1000:.2f} ms; from the cache: {cached * 1e6:.1f} µs; "
          f"SVG {len(svg):,} bytes; outlines containing 14 places, uncached: "
          f"{lookup * 1000:.2f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
