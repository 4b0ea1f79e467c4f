"""The generator: runs each part in order inside one transaction, then rebuilds the indexes."""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime

from django.db import connection
from django.utils.text import slugify

from groups.models import Area, Region

from .copy import BULK_TABLES, Report, TableWriter, drop_secondary_indexes
from .events import EventsMixin
from .geography import AREAS_PER_REGION, REGIONS, _chunks, _join_names, _outcodes_by_prefix
from .organising import OrganisingMixin
from .people import PeopleMixin
from .plan import YEAR, Plan
from .text import _Slugs

# --- the generator --------------------------------------------------------------------


class Generator(PeopleMixin, OrganisingMixin, EventsMixin):
    def __init__(self, *, plan: Plan, seed: int, password: str, report: Report, now=None):
        self.plan = plan
        self.rng = random.Random(seed)  # nosec B311: made-up data, repeatable by design
        self.password = password
        self.report = report
        self.now = (now or datetime.now(UTC)).timestamp()
        self.start = self.now - 5 * YEAR
        self.cursor = None

    def writer(self, model, columns) -> TableWriter:
        return TableWriter(model, columns, cursor=self.cursor, report=self.report)

    def run(self, cursor) -> dict[str, int]:
        self.cursor = cursor
        rebuild = drop_secondary_indexes(cursor, BULK_TABLES)
        self.report.step(f"Dropped {len(rebuild)} indexes and constraints of the big tables")
        self.geography()
        self.users()
        self.groups()
        self.partners()
        self.campaigns()
        self.events()
        self.reset_sequences()
        self.report.step(f"Rebuilding {len(rebuild)} indexes and constraints")
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for statement in rebuild:
            started = time.monotonic()
            cursor.execute(statement)
            self.report.step(f"  {time.monotonic() - started:5.1f}s  {statement[:110]}")
        return self.report.tally

    # -- regions, areas ------------------------------------------------------------------

    def geography(self) -> None:

        self.report.step("Regions and areas")
        by_prefix = _outcodes_by_prefix()
        regions = self.writer(Region, ["id", "name", "slug"])
        areas = self.writer(Area, ["id", "region_id", "name", "slug"])
        # Per region: its outcodes; per area: (id, region index, [(prefix, town)], weight).
        self.region_outcodes: list[list[tuple[str, float, float, str]]] = []
        self.areas: list[tuple[int, int, list[tuple[str, str]], int]] = []
        area_slugs = _Slugs(100)
        for r, (name, prefixes) in enumerate(REGIONS):
            regions.add((r + 1, name, slugify(name)))
            outcodes = []
            for prefix, town in prefixes:
                outcodes += [(oc, lat, lon, town) for oc, lat, lon in by_prefix[prefix]]
            self.region_outcodes.append(outcodes)
            for part in _chunks(prefixes, AREAS_PER_REGION):
                area_id = len(self.areas) + 1
                area_name = _join_names([town for _, town in part])
                weight = sum(len(by_prefix[p]) for p, _ in part)
                self.areas.append((area_id, r, part, weight))
                areas.add((area_id, r + 1, area_name, area_slugs.make(area_name)))
        regions.close()
        areas.close()
        self.by_prefix = by_prefix

    # -- finishing -------------------------------------------------------------------------

    def reset_sequences(self) -> None:
        """Ids were chosen here; move each table's sequence past them."""
        tables = [t for t in self.report.tally if self.report.tally[t]]
        for table in tables:
            # The table names are our models' own, quoted.
            sql = f"SELECT max(id) FROM {connection.ops.quote_name(table)}"  # noqa: S608 # nosec B608
            self.cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, 'id'), ({sql}))", [table]
            )
