"""A generated national dataset for performance work (`manage.py seed_scale`).

Rows go in with PostgreSQL COPY from in-memory CSV, with ids chosen here so that child
rows can point at parents without reading anything back. Every maintained counter
(LocalGroup.member_count, Event.confirmed_count/waitlist_count, Action.count,
Campaign.supporter_count) is computed from the very rows written, before its parent row
is written. Sizes follow a Zipf-like law: a few big groups, events and actions, many small.

The generator is deterministic for a given --seed and --scale, and exact: the plan's
numbers are the rows written (tests rely on this).
"""

from __future__ import annotations

import csv
import io
import json
import math
import random
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime

from django.db import connection, models
from django.utils.text import slugify

from portal import geo

NULL = r"\N"  # COPY's NULL marker (FORMAT csv, NULL '\N'); an empty field is ''.
DAY = 86400.0
YEAR = 365.25 * DAY
FLUSH_ROWS = 50_000

# --- the plan -------------------------------------------------------------------------

FULL = {
    "groups": 600,
    "partners": 2_000,
    "users": 200_000,
    "memberships": 600_000,
    "campaigns": 500,
    "events": 60_000,
    "upcoming_events": 4_000,
    "rsvps": 1_500_000,
    "actions_taken": 2_000_000,
    "supporters": 300_000,
    "festivals": 60,
}
MINIMUM = {
    "groups": 60,
    "partners": 20,
    "users": 200,
    "memberships": 600,
    "campaigns": 24,
    "events": 120,
    "upcoming_events": 8,
    "rsvps": 1_000,
    "actions_taken": 1_000,
    "supporters": 200,
    "festivals": 2,
}


@dataclass(frozen=True)
class Plan:
    regions: int
    areas: int
    groups: int
    partners: int
    users: int
    memberships: int
    campaigns: int
    events: int
    upcoming_events: int
    rsvps: int
    actions_taken: int
    supporters: int
    festivals: int

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def plan_for(scale: float) -> Plan:
    """The row counts at a scale (1 = national). Structure (12 regions, 60 areas) is fixed;
    everything else scales, with a floor so that a tiny run still has every kind of row."""
    if scale <= 0:
        raise ValueError("The scale must be positive.")
    sizes = {name: max(MINIMUM[name], round(full * scale)) for name, full in FULL.items()}
    return Plan(regions=len(REGIONS), areas=sum(AREAS_PER_REGION for _ in REGIONS), **sizes)


# --- geography: 12 regions of real postcode areas, 5 areas each -------------------------

AREAS_PER_REGION = 5
REGIONS: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "North East",
        [
            ("NE", "Newcastle"),
            ("SR", "Sunderland"),
            ("DH", "Durham"),
            ("DL", "Darlington"),
            ("TS", "Middlesbrough"),
        ],
    ),
    (
        "North West",
        [
            ("M", "Manchester"),
            ("SK", "Stockport"),
            ("OL", "Oldham"),
            ("BL", "Bolton"),
            ("WN", "Wigan"),
            ("L", "Liverpool"),
            ("WA", "Warrington"),
            ("CH", "Chester"),
            ("CW", "Crewe"),
            ("PR", "Preston"),
            ("BB", "Blackburn"),
            ("FY", "Blackpool"),
            ("LA", "Lancaster"),
            ("CA", "Carlisle"),
        ],
    ),
    (
        "Yorkshire and the Humber",
        [
            ("LS", "Leeds"),
            ("BD", "Bradford"),
            ("HX", "Halifax"),
            ("HD", "Huddersfield"),
            ("WF", "Wakefield"),
            ("S", "Sheffield"),
            ("DN", "Doncaster"),
            ("HU", "Hull"),
            ("YO", "York"),
            ("HG", "Harrogate"),
        ],
    ),
    (
        "East Midlands",
        [
            ("DE", "Derby"),
            ("NG", "Nottingham"),
            ("LE", "Leicester"),
            ("LN", "Lincoln"),
            ("NN", "Northampton"),
        ],
    ),
    (
        "West Midlands",
        [
            ("B", "Birmingham"),
            ("WS", "Walsall"),
            ("WV", "Wolverhampton"),
            ("DY", "Dudley"),
            ("CV", "Coventry"),
            ("ST", "Stoke-on-Trent"),
            ("TF", "Telford"),
            ("SY", "Shrewsbury"),
            ("WR", "Worcester"),
            ("HR", "Hereford"),
        ],
    ),
    (
        "East of England",
        [
            ("NR", "Norwich"),
            ("IP", "Ipswich"),
            ("CO", "Colchester"),
            ("CB", "Cambridge"),
            ("PE", "Peterborough"),
            ("CM", "Chelmsford"),
            ("SS", "Southend-on-Sea"),
            ("SG", "Stevenage"),
            ("AL", "St Albans"),
            ("LU", "Luton"),
            ("WD", "Watford"),
        ],
    ),
    (
        "London",
        [
            ("E", "East London"),
            ("EC", "City of London"),
            ("IG", "Ilford"),
            ("RM", "Romford"),
            ("N", "North London"),
            ("NW", "North West London"),
            ("EN", "Enfield"),
            ("HA", "Harrow"),
            ("W", "West London"),
            ("WC", "Central London"),
            ("UB", "Southall"),
            ("TW", "Twickenham"),
            ("SW", "South West London"),
            ("SM", "Sutton"),
            ("SE", "South East London"),
            ("CR", "Croydon"),
            ("BR", "Bromley"),
        ],
    ),
    (
        "South East",
        [
            ("OX", "Oxford"),
            ("MK", "Milton Keynes"),
            ("HP", "High Wycombe"),
            ("RG", "Reading"),
            ("SL", "Slough"),
            ("GU", "Guildford"),
            ("KT", "Kingston"),
            ("RH", "Crawley"),
            ("SO", "Southampton"),
            ("PO", "Portsmouth"),
            ("BN", "Brighton"),
            ("TN", "Tunbridge Wells"),
            ("ME", "Medway"),
            ("CT", "Canterbury"),
            ("DA", "Dartford"),
        ],
    ),
    (
        "South West",
        [
            ("BS", "Bristol"),
            ("BA", "Bath"),
            ("GL", "Gloucester"),
            ("SN", "Swindon"),
            ("SP", "Salisbury"),
            ("BH", "Bournemouth"),
            ("DT", "Dorchester"),
            ("TA", "Taunton"),
            ("EX", "Exeter"),
            ("TQ", "Torquay"),
            ("PL", "Plymouth"),
            ("TR", "Truro"),
        ],
    ),
    (
        "Wales",
        [
            ("CF", "Cardiff"),
            ("NP", "Newport"),
            ("SA", "Swansea"),
            ("LD", "Llandrindod Wells"),
            ("LL", "Bangor"),
        ],
    ),
    (
        "Scotland South",
        [
            ("EH", "Edinburgh"),
            ("TD", "Galashiels"),
            ("G", "Glasgow"),
            ("PA", "Paisley"),
            ("ML", "Motherwell"),
            ("KA", "Kilmarnock"),
            ("DG", "Dumfries"),
            ("FK", "Stirling"),
        ],
    ),
    (
        "Scotland North",
        [
            ("DD", "Dundee"),
            ("KY", "Kirkcaldy"),
            ("PH", "Perth"),
            ("AB", "Aberdeen"),
            ("IV", "Inverness"),
            ("KW", "Kirkwall"),
            ("HS", "Stornoway"),
            ("ZE", "Lerwick"),
        ],
    ),
]


def _outcodes_by_prefix() -> dict[str, list[tuple[str, float, float]]]:
    by_prefix: dict[str, list[tuple[str, float, float]]] = {}
    for outcode, (lat, lon) in sorted(geo._centroids().items()):
        prefix = "".join(ch for ch in outcode[:2] if ch.isalpha())
        by_prefix.setdefault(prefix, []).append((outcode, lat, lon))
    return by_prefix


def _chunks(items: Sequence, parts: int) -> list[list]:
    size, extra = divmod(len(items), parts)
    result, start = [], 0
    for i in range(parts):
        end = start + size + (1 if i < extra else 0)
        result.append(list(items[start:end]))
        start = end
    return result


def _join_names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


# --- sizes ----------------------------------------------------------------------------


def zipf_weights(n: int, rng: random.Random, *, exponent: float = 1.0, offset: float = 2.0):
    """Weights of a Zipf-like law in random order: a few large, a long tail of small."""
    weights = [1.0 / (rank + offset) ** exponent for rank in range(n)]
    rng.shuffle(weights)
    return weights


def apportion(
    total: int, weights: Sequence[float], *, cap: int | None = None, minimum: int = 0
) -> list[int]:
    """Integers summing exactly to total, in proportion to weights (largest remainder),
    each at least minimum and at most cap (the excess over a cap goes to the others)."""
    n = len(weights)
    if n == 0:
        if total:
            raise ValueError("Nothing to share the total between.")
        return []
    if minimum * n > total or (cap is not None and cap * n < total):
        raise ValueError(f"Cannot share {total} between {n} with min {minimum}, cap {cap}.")
    targets = [float(minimum)] * n
    free = list(range(n))
    remaining = float(total - minimum * n)
    while True:
        weight_sum = sum(weights[i] for i in free)
        if weight_sum <= 0:
            share = {i: remaining / len(free) for i in free}
        else:
            share = {i: remaining * weights[i] / weight_sum for i in free}
        over = [i for i in free if cap is not None and targets[i] + share[i] > cap]
        if not over:
            for i in free:
                targets[i] += share[i]
            break
        for i in over:
            remaining -= cap - targets[i]
            targets[i] = float(cap)
        over_set = set(over)
        free = [i for i in free if i not in over_set]
    sizes = [math.floor(t + 1e-9) for t in targets]
    short = total - sum(sizes)
    order = sorted(range(n), key=lambda i: sizes[i] - targets[i])
    for i in order[:short]:
        sizes[i] += 1
    return sizes


# --- COPY -----------------------------------------------------------------------------

# Tables of 100,000s of rows: loading them with their secondary indexes and foreign keys
# in place costs an index insertion per index and an FK check per row (a third of the
# run); building each index once afterwards, and validating each FK with one join, is
# several times faster. Primary keys stay. It all happens inside the seeding transaction,
# so a failed run leaves the schema as it was.
BULK_TABLES = [
    "portal_user",
    "account_emailaddress",
    "groups_membership",
    "campaigns_actiontaken",
    "campaigns_campaignsupporter",
    "campaigns_sharearrival",
    "events_rsvp",
]


def drop_secondary_indexes(cursor, tables: Sequence[str]) -> list[str]:
    """Drop the tables' foreign keys, unique constraints and non-primary indexes; return
    the statements that recreate them (indexes first, then constraints)."""
    cursor.execute(
        """
        SELECT format('ALTER TABLE %%I ADD CONSTRAINT %%I %%s', rel.relname, con.conname,
                      pg_get_constraintdef(con.oid)),
               format('ALTER TABLE %%I DROP CONSTRAINT %%I', rel.relname, con.conname)
        FROM pg_constraint con
        JOIN pg_class rel ON rel.oid = con.conrelid
        WHERE rel.relname = ANY(%s) AND rel.relnamespace = current_schema()::regnamespace
          AND con.contype IN ('f', 'u')
        ORDER BY con.contype DESC, rel.relname, con.conname
        """,
        [list(tables)],
    )
    constraints = cursor.fetchall()
    for _, drop in constraints:
        cursor.execute(drop)
    cursor.execute(
        """
        SELECT pg_get_indexdef(ix.indexrelid), format('DROP INDEX %%I', idx.relname)
        FROM pg_index ix
        JOIN pg_class rel ON rel.oid = ix.indrelid
        JOIN pg_class idx ON idx.oid = ix.indexrelid
        WHERE rel.relname = ANY(%s) AND rel.relnamespace = current_schema()::regnamespace
          AND NOT ix.indisprimary
        ORDER BY rel.relname, idx.relname
        """,
        [list(tables)],
    )
    indexes = cursor.fetchall()
    for _, drop in indexes:
        cursor.execute(drop)
    # Unique constraints ('u' sorts after 'f', DESC puts them first) before foreign keys.
    return [create for create, _ in indexes] + [add for add, _ in constraints]


def _csv_constant(field: models.Field) -> str:
    value = field.get_default()
    if value is None:
        return NULL
    if isinstance(value, dict | list):
        return json.dumps(value)
    prepared = field.get_db_prep_save(value, connection)
    return NULL if prepared is None else str(prepared)


class TableWriter:
    """COPY rows into one model's table. `columns` are the attnames the caller gives, in
    order; any other column (a field added later) gets its model default, evaluated once,
    so a new NOT NULL field without a default is reported instead of guessed."""

    def __init__(self, model: type[models.Model], columns: Sequence[str], *, cursor, report):
        self.model = model
        self.cursor = cursor
        self.report = report
        fields = {f.attname: f for f in model._meta.concrete_fields}
        unknown = [c for c in columns if c not in fields]
        if unknown:
            raise ValueError(f"{model._meta.label} has no column(s) {unknown}")
        extra = []
        for attname, field in fields.items():
            if attname in columns:
                continue
            if field.primary_key and isinstance(field, models.fields.AutoFieldMixin):
                continue  # the sequence numbers it (m2m through rows)
            if not field.has_default() and not field.null:
                raise ValueError(
                    f"seed_scale does not know how to fill {model._meta.label}.{attname}: "
                    "add it to portal/scale.py."
                )
            extra.append((field.column, _csv_constant(field)))
        names = [fields[c].column for c in columns] + [column for column, _ in extra]
        self.extra = tuple(value for _, value in extra)
        self.sql = (
            f"COPY {connection.ops.quote_name(model._meta.db_table)} "
            f"({', '.join(connection.ops.quote_name(n) for n in names)}) "
            r"FROM STDIN WITH (FORMAT csv, NULL '\N')"
        )
        self.rows: list[tuple] = []
        self.count = 0

    def add(self, row: tuple) -> None:
        self.rows.append(row + self.extra if self.extra else row)
        if len(self.rows) >= FLUSH_ROWS:
            self.flush()

    def add_many(self, rows: Iterable[tuple]) -> None:
        for row in rows:
            self.add(row)

    def flush(self) -> None:
        if not self.rows:
            return
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(self.rows)
        buffer.seek(0)
        self.cursor.copy_expert(self.sql, buffer)
        self.count += len(self.rows)
        self.rows = []

    def close(self) -> int:
        self.flush()
        self.report.table_done(self.model._meta.db_table, self.count)
        return self.count


class Report:
    """Progress as it goes, and the tally at the end."""

    def __init__(self, write: Callable[[str], None]):
        self.write = write
        self.started = time.monotonic()
        self.tally: dict[str, int] = {}

    def step(self, message: str) -> None:
        self.write(f"[{time.monotonic() - self.started:6.1f}s] {message}")

    def table_done(self, table: str, count: int) -> None:
        self.tally[table] = self.tally.get(table, 0) + count
        self.step(f"  {table}: {count:,} rows")


# --- text -----------------------------------------------------------------------------

FIRST_NAMES = [
    "Amira",
    "Ben",
    "Chloe",
    "Dev",
    "Ella",
    "Femi",
    "Grace",
    "Hamza",
    "Isla",
    "Jack",
    "Kemi",
    "Leo",
    "Maya",
    "Noor",
    "Omar",
    "Priya",
    "Quinn",
    "Rosa",
    "Sam",
    "Tariq",
    "Uma",
    "Vik",
    "Wren",
    "Yasmin",
    "Zara",
    "Aidan",
    "Bea",
    "Cai",
    "Dina",
    "Ewan",
    "Fatima",
    "Gus",
    "Hana",
    "Idris",
    "Jo",
    "Kiran",
    "Lena",
    "Mo",
    "Nia",
    "Owen",
    "Pia",
    "Reza",
    "Sian",
    "Tom",
    "Una",
    "Wale",
    "Xin",
    "Yusuf",
    "Zoe",
]
LAST_INITIALS = "ABCDEFGHJKLMNOPRSTWY"
GROUP_VARIANTS = [
    ("{town}", "local"),
    ("{town} North", "local"),
    ("{town} South", "local"),
    ("{town} students", "student"),
    ("{town} youth", "youth"),
    ("{town} East", "local"),
    ("{town} West", "local"),
    ("{town} Central", "local"),
    ("{town} faith network", "network"),
    ("{town} lawyers network", "network"),
]
MEETING_NOTES = [
    "Second Tuesday, 7pm, Friends Meeting House",
    "First Wednesday, 7pm, the Central Library",
    "Last Thursday, 7.30pm, online and at the Unitarian chapel",
    "Every other Monday, 6.30pm, the Students' Union",
    "Third Saturday, 11am, the community centre cafe",
]
LOREM = (
    "We meet every month to plan actions, write letters and welcome new people. "
    "Everyone is welcome, whether you can give an hour a year or an evening a week.\n\n"
    "We work with local refugee charities, faith groups and the council, and we run "
    "stalls, film nights and vigils. **No experience needed.**"
)
PARTNER_KINDS = [
    ("City of Sanctuary", "{town} City of Sanctuary"),
    ("Refugee and asylum support", "{town} Welcomes Refugees"),
    ("Faith", "{town} Multi-Faith Centre"),
    ("Sport", "{town} Football Club Community Trust"),
    ("Trade union", "{town} Trades Council"),
    ("Student", "{town} Students' Union"),
    ("Legal", "{town} Law Centre"),
    ("Community", "{town} Community Food Bank"),
]
TOPICS = [
    "Refugees and asylum",
    "Business and human rights",
    "Individuals at risk",
    "Arms trade",
    "Freedom of expression",
    "Climate justice",
    "Women's rights",
    "Death penalty",
]
NATIONAL_CAMPAIGNS = [
    "Refugees Welcome",
    "Lift the Ban",
    "Think Twice",
    "Ethical Batteries",
    "Individuals at Risk",
    "Business and human rights",
    "Stop the arms trade",
    "Protect the right to protest",
]
LOCAL_CAMPAIGNS = [
    "Make {town} a Council of Sanctuary",
    "{town} MP: back Lift the Ban",
    "{town} businesses: sign the ethical batteries pledge",
    "Safe routes: {town} says Refugees Welcome",
    "{town} council: divest from arms companies",
]
EVENT_TITLES = {
    "workshop": "Letter-writing workshop",
    "talk": "Talk: human rights in {town} today",
    "film": "Film night",
    "performance": "Spoken word for human rights",
    "sport": "Football for Unity",
    "stall": "Street stall",
    "vigil": "Candlelit vigil",
    "meeting": "Monthly meeting",
    "training": "New member training",
    "social": "Social evening",
    "community": "Refugee Week picnic",
    "other": "Open evening",
}
EVENT_KIND_WEIGHTS = {
    "meeting": 30,
    "stall": 14,
    "workshop": 10,
    "social": 8,
    "film": 7,
    "talk": 7,
    "vigil": 5,
    "training": 5,
    "community": 5,
    "performance": 3,
    "sport": 3,
    "other": 3,
}
VENUE_NAMES = [
    "Friends Meeting House",
    "Central Library",
    "Unitarian Chapel",
    "Community Centre",
    "Students' Union",
    "Arts Centre",
    "Town Hall",
    "Multi-faith Centre",
    "The Crown (upstairs room)",
    "Quaker Meeting House",
]


def _ts(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


def _day(epoch: float) -> date:
    return _ts(epoch).date()


class _Slugs:
    """Unique slugs: the first of a name gets it bare, later ones a number."""

    def __init__(self, max_length: int):
        self.seen: set[str] = set()
        self.max_length = max_length

    def make(self, text: str) -> str:
        base = slugify(text)[: self.max_length - 8] or "x"
        slug, n = base, 1
        while slug in self.seen:
            n += 1
            slug = f"{base}-{n}"
        self.seen.add(slug)
        return slug


# --- the generator --------------------------------------------------------------------


@dataclass
class Group:
    id: int
    region: int  # index into regions
    area_id: int
    town: str
    outcode: str
    lat: float
    lon: float
    created: float
    members: list[int]  # current member user ids (leads first)
    leads: list[int]


class Generator:
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
        from groups.models import Area, Region

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

    # -- users -----------------------------------------------------------------------------

    def users(self) -> None:
        from allauth.account.models import EmailAddress

        from portal.models import User

        self.report.step(f"Activists: {self.plan.users:,}")
        rng, n = self.rng, self.plan.users
        # Each activist lives in a region, weighted by its number of postcode districts.
        region_weights = [len(oc) for oc in self.region_outcodes]
        region_sizes = apportion(n, region_weights, minimum=2)
        self.region_users: list[list[int]] = []
        self.user_joined = [0.0] * (n + 1)
        users = self.writer(
            User,
            [
                "id",
                "password",
                "last_login",
                "is_superuser",
                "email",
                "display_name",
                "postcode_district",
                "email_verified",
                "is_staff",
                "is_active",
                "date_joined",
                "digest_frequency",
                "campaign_digest_consent_at",
            ],
        )
        emails = self.writer(EmailAddress, ["id", "user_id", "email", "verified", "primary"])
        user_id = 0
        span = self.now - self.start - 30 * DAY
        for r, size in enumerate(region_sizes):
            ids = []
            outcodes = self.region_outcodes[r]
            for _ in range(size):
                user_id += 1
                ids.append(user_id)
                joined = self.start - YEAR + rng.random() * (span + YEAR)
                self.user_joined[user_id] = joined
                email = f"activist{user_id}@scale.example.net"
                name = (
                    f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_INITIALS)}."
                    if rng.random() < 0.8
                    else ""
                )
                district = rng.choice(outcodes)[0] if rng.random() < 0.85 else ""
                verified = rng.random() < 0.95
                frequency = "weekly" if rng.random() < 0.7 else rng.choice(["daily", "never"])
                consent = _ts(joined) if rng.random() < 0.6 else NULL
                users.add(
                    (
                        user_id,
                        self.password,
                        NULL,
                        False,
                        email,
                        name,
                        district,
                        verified,
                        False,
                        True,
                        _ts(joined),
                        frequency,
                        consent,
                    )
                )
                emails.add((user_id, user_id, email, verified, True))
            self.region_users.append(ids)
        users.close()
        emails.close()

    def _sample_users(self, k: int, preferred: Sequence[int], *, local_share: float = 0.85):
        """k distinct user ids, most from `preferred` (members, a region), the rest anyone."""
        rng = self.rng
        from_preferred = min(len(preferred), round(k * local_share) if k > 1 else k)
        chosen = rng.sample(preferred, from_preferred) if from_preferred else []
        if len(chosen) < k:
            seen = set(chosen)
            n = self.plan.users
            if k - len(chosen) > n // 3:  # dense: draw from the complement directly
                rest = [u for u in range(1, n + 1) if u not in seen]
                chosen += rng.sample(rest, k - len(chosen))
            else:
                while len(chosen) < k:
                    candidate = rng.randint(1, n)
                    if candidate not in seen:
                        seen.add(candidate)
                        chosen.append(candidate)
        return chosen

    # -- groups, memberships, reps, announcements ------------------------------------------

    def groups(self) -> None:
        from groups.models import Announcement, LocalGroup, Membership, RegionalRole

        plan, rng = self.plan, self.rng
        self.report.step(f"Groups: {plan.groups:,}, memberships: {plan.memberships:,}")
        per_area = apportion(plan.groups, [a[3] for a in self.areas], minimum=1)
        names_used: dict[str, int] = {}
        slugs = _Slugs(150)
        self.group_list: list[Group] = []
        specs = []
        for (area_id, r, prefixes, _), count in zip(self.areas, per_area, strict=True):
            for _ in range(count):
                prefix, town = rng.choices(
                    prefixes, weights=[len(self.by_prefix[p]) for p, _ in prefixes]
                )[0]
                outcode, lat, lon = rng.choice(self.by_prefix[prefix])
                variant = names_used.get(town, 0)
                names_used[town] = variant + 1
                if variant < len(GROUP_VARIANTS):
                    pattern, kind = GROUP_VARIANTS[variant]
                    name = pattern.format(town=town)
                else:
                    name, kind = f"{town} {outcode}", "local"
                specs.append((area_id, r, town, outcode, lat, lon, name, kind))
        # Member numbers: Zipf across groups, each at least two (a lead and a member), at
        # most 80% of the activists. Some people left (their rows stay, with left_at).
        weights = zipf_weights(len(specs), rng, exponent=1.1, offset=3.0)
        sizes = apportion(
            plan.memberships, weights, minimum=2, cap=min(plan.users, int(plan.users * 0.8))
        )
        groups = self.writer(
            LocalGroup,
            [
                "id",
                "area_id",
                "name",
                "slug",
                "kind",
                "description",
                "town",
                "postcode_district",
                "latitude",
                "longitude",
                "meeting_note",
                "contact_email",
                "founded",
                "is_active",
                "member_count",
                "created_at",
            ],
        )
        memberships = self.writer(
            Membership, ["id", "group_id", "user_id", "role", "joined_at", "left_at"]
        )
        membership_id = 0
        for gid, (spec, size) in enumerate(zip(specs, sizes, strict=True), start=1):
            area_id, r, town, outcode, lat, lon, name, kind = spec
            created = (
                self.start - rng.random() * 2 * YEAR
                if rng.random() < 0.7
                else (self.start + rng.random() * 4.5 * YEAR)
            )
            people = self._sample_users(size, self.region_users[r])
            # Leads are current; of the rest about 8% have left.
            n_leads = 1 if size < 30 else rng.choice([1, 2, 2, 3])
            current, leads, rows = [], [], []
            for index, user_id in enumerate(people):
                earliest = max(created, self.user_joined[user_id])
                joined = earliest + rng.random() * max(self.now - earliest - DAY, DAY)
                left = NULL
                role = "lead" if index < n_leads else "member"
                if role == "member" and rng.random() < 0.08:
                    left = _ts(joined + rng.random() * (self.now - joined))
                else:
                    current.append(user_id)
                    if role == "lead":
                        leads.append(user_id)
                membership_id += 1
                rows.append((membership_id, gid, user_id, role, _ts(joined), left))
            is_active = rng.random() > 0.03
            slug = slugs.make(name)
            groups.add(
                (
                    gid,
                    area_id,
                    name,
                    slug,
                    kind,
                    f"The {name} group.\n\n{LOREM}",
                    town,
                    outcode,
                    round(lat + rng.uniform(-0.01, 0.01), 5),
                    round(lon + rng.uniform(-0.01, 0.01), 5),
                    rng.choice(MEETING_NOTES),
                    f"{slug}@groups.scale.example.net",
                    _day(created),
                    is_active,
                    len(current),
                    _ts(created),
                )
            )
            memberships.add_many(rows)
            self.group_list.append(
                Group(gid, r, area_id, town, outcode, lat, lon, created, current, leads)
            )
        groups.close()
        memberships.close()
        self.group_sizes = sizes

        roles = self.writer(RegionalRole, ["id", "user_id", "region_id", "area_id", "created_at"])
        role_id = 0
        self.rep_users = []
        for r in range(len(REGIONS)):
            role_id += 1
            user_id = self.region_users[r][0]
            self.rep_users.append(user_id)
            roles.add((role_id, user_id, r + 1, NULL, _ts(self.start)))
        for area_id, r, _, _ in self.areas[::2]:
            role_id += 1
            roles.add((role_id, self.region_users[r][1], NULL, area_id, _ts(self.start)))
        roles.close()

        announcements = self.writer(
            Announcement, ["id", "group_id", "author_id", "title", "body", "created_at"]
        )
        counts = apportion(plan.groups * 5, [s**0.5 for s in sizes])
        announcement_id = 0
        for group, count in zip(self.group_list, counts, strict=True):
            for _ in range(count):
                announcement_id += 1
                when = max(group.created, self.start) + rng.random() * (
                    self.now - max(group.created, self.start)
                )
                announcements.add(
                    (
                        announcement_id,
                        group.id,
                        rng.choice(group.leads),
                        "News from the group",
                        "Thank you to everyone who came along. Next steps below.\n\n" + LOREM,
                        _ts(when),
                    )
                )
        announcements.close()

    # -- partners --------------------------------------------------------------------------

    def partners(self) -> None:
        from partners.models import Partner, PartnerKind, Partnership

        plan, rng = self.plan, self.rng
        self.report.step(f"Partners: {plan.partners:,}")
        kinds = self.writer(PartnerKind, ["id", "name", "slug"])
        for kind_id, (name, _) in enumerate(PARTNER_KINDS, start=1):
            kinds.add((kind_id, name, slugify(name)))
        kinds.close()
        partners = self.writer(
            Partner,
            [
                "id",
                "name",
                "slug",
                "kind_id",
                "description",
                "website",
                "contact_email",
                "contact_phone",
                "town",
                "postcode_district",
                "latitude",
                "longitude",
                "logo",
                "is_active",
                "created_at",
            ],
        )
        partner_areas = self.writer(Partner.areas.through, ["partner_id", "area_id"])
        partnerships = self.writer(
            Partnership,
            [
                "id",
                "group_id",
                "partner_id",
                "status",
                "since",
                "activities",
                "contact_name",
                "contact_email",
                "contact_phone",
                "private_notes",
                "created_at",
                "updated_at",
            ],
        )
        groups_by_area: dict[int, list[Group]] = {}
        for group in self.group_list:
            groups_by_area.setdefault(group.area_id, []).append(group)
        area_weights = [a[3] for a in self.areas]
        slugs = _Slugs(200)
        partnership_id = 0
        statuses = ["active"] * 6 + ["prospect"] * 2 + ["dormant", "ended"]
        for partner_id in range(1, plan.partners + 1):
            area_id, _, prefixes, _ = rng.choices(self.areas, weights=area_weights)[0]
            prefix, town = rng.choice(prefixes)
            outcode, lat, lon = rng.choice(self.by_prefix[prefix])
            kind_id = rng.randint(1, len(PARTNER_KINDS))
            name = PARTNER_KINDS[kind_id - 1][1].format(town=town)
            slug = slugs.make(name)
            if slug != slugify(name):
                name = f"{name} ({outcode})"
            created = self.start + rng.random() * (self.now - self.start)
            partners.add(
                (
                    partner_id,
                    name,
                    slug,
                    kind_id,
                    f"{name} works with local groups.\n\n{LOREM}",
                    f"https://{slug}.example.org/",
                    f"hello@{slug}.example.org",
                    "",
                    town,
                    outcode,
                    lat,
                    lon,
                    "",
                    rng.random() > 0.05,
                    _ts(created),
                )
            )
            partner_areas.add((partner_id, area_id))
            local = groups_by_area.get(area_id, [])
            for group in rng.sample(local, min(len(local), rng.choice([0, 1, 1, 2, 3]))):
                partnership_id += 1
                since = max(created, group.created)
                partnerships.add(
                    (
                        partnership_id,
                        group.id,
                        partner_id,
                        rng.choice(statuses),
                        _day(since),
                        "Joint stalls and events.",
                        "Partnership contact",
                        f"contact@{slug}.example.org",
                        "",
                        "",
                        _ts(since),
                        _ts(since),
                    )
                )
        partners.close()
        partner_areas.close()
        partnerships.close()

    # -- campaigns, actions, supporters ----------------------------------------------------

    def campaigns(self) -> None:
        from campaigns.models import (
            Action,
            ActionTaken,
            Campaign,
            CampaignSupporter,
            CampaignUpdate,
            Outcome,
            ShareArrival,
            Topic,
        )

        plan, rng = self.plan, self.rng
        self.report.step(f"Campaigns: {plan.campaigns:,}")
        topics = self.writer(Topic, ["id", "name", "slug"])
        for topic_id, name in enumerate(TOPICS, start=1):
            topics.add((topic_id, name, slugify(name)))
        topics.close()

        n_national = max(2, round(plan.campaigns * 0.04))
        n_regional = max(len(REGIONS), round(plan.campaigns * 0.12))
        statuses = (
            ["active"] * 60
            + ["won"] * 8
            + ["closed"] * 15
            + ["paused"] * 5
            + ["proposed"] * 8
            + ["rejected"] * 4
        )
        slugs = _Slugs(200)
        self.campaign_rows = []  # (id, scope, status, region index or None, group, created)
        specs = []
        for i in range(plan.campaigns):
            if i < n_national:
                scope, region, group = "national", None, None
                title = NATIONAL_CAMPAIGNS[i % len(NATIONAL_CAMPAIGNS)]
                status = "active" if i < 6 else rng.choice(statuses[:88])
            elif i < n_national + n_regional:
                scope, group = "regional", None
                region = (i - n_national) % len(REGIONS)
                title = f"{REGIONS[region][0]}: {rng.choice(NATIONAL_CAMPAIGNS)}"
                status = rng.choice(statuses[:88])
            else:
                scope = "local"
                group = self.group_list[
                    rng.choices(range(len(self.group_list)), weights=self.group_sizes)[0]
                ]
                region = group.region
                title = rng.choice(LOCAL_CAMPAIGNS).format(town=group.town)
                status = rng.choice(statuses)
            created = self.start + rng.random() * (self.now - self.start - 7 * DAY)
            specs.append((i + 1, scope, region, group, title, status, created))

        # Actions: 1 to 4 per campaign; only public campaigns have people taking them.
        action_specs = []  # (action id, campaign index, kind, weight)
        kinds = ["sign"] * 5 + ["write"] * 2 + ["pledge", "share"]
        weights_by_scope = {"national": 40.0, "regional": 4.0, "local": 1.0}
        campaign_weights = zipf_weights(len(specs), rng, exponent=0.8, offset=2.0)
        for index, (_, scope, _, _, _, status, _) in enumerate(specs):
            for position in range(rng.choice([1, 1, 2, 2, 3, 4])):
                kind = "sign" if position == 0 else rng.choice(kinds)
                public = status not in ("proposed", "rejected")
                weight = (
                    weights_by_scope[scope] * campaign_weights[index] / (position + 1)
                    if public
                    else 0.0
                )
                action_specs.append((len(action_specs) + 1, index, kind, position, weight))
        cap = max(1, int(plan.users * 0.75))
        taken_sizes = apportion(plan.actions_taken, [a[4] for a in action_specs], cap=cap)
        support_weights = [
            weights_by_scope[s[1]] * campaign_weights[i]
            if s[5] not in ("proposed", "rejected")
            else 0.0
            for i, s in enumerate(specs)
        ]
        supporter_sizes = apportion(plan.supporters, support_weights, cap=cap)
        share_arrivals = [
            size // 3 if spec[2] == "share" else 0
            for spec, size in zip(action_specs, taken_sizes, strict=True)
        ]

        campaigns = self.writer(
            Campaign,
            [
                "id",
                "title",
                "slug",
                "summary",
                "body",
                "image",
                "scope",
                "region_id",
                "group_id",
                "status",
                "target_name",
                "target_kind",
                "target_email",
                "goal",
                "starts_on",
                "ends_on",
                "is_featured",
                "supporter_count",
                "proposed_by_id",
                "proposal_reason",
                "first_action",
                "decided_by_id",
                "decided_at",
                "decision_reason",
                "created_at",
                "updated_at",
            ],
        )
        topic_links = self.writer(Campaign.topics.through, ["campaign_id", "topic_id"])
        partner_links = self.writer(Campaign.partners.through, ["campaign_id", "partner_id"])
        for (cid, scope, region, group, title, status, created), supporters in zip(
            specs, supporter_sizes, strict=True
        ):
            proposed = scope == "local" and (
                status in ("proposed", "rejected") or rng.random() < 0.5
            )
            decided = status != "proposed" and proposed
            rep = self.rep_users[region] if region is not None else self.rep_users[0]
            ends = created + rng.uniform(0.5, 2) * YEAR
            campaigns.add(
                (
                    cid,
                    title,
                    slugs.make(title),
                    f"{title}: add your name and help us win.",
                    LOREM,
                    "",
                    scope,
                    region + 1 if scope == "regional" else NULL,
                    group.id if group else NULL,
                    status,
                    "The decision-maker" if scope != "local" else f"{group.town} City Council",
                    "government" if scope != "local" else rng.choice(["mp", "council", "company"]),
                    "",
                    "Change the policy within a year.",
                    _day(created),
                    _day(ends) if status in ("won", "closed") else NULL,
                    scope == "national" and status == "active" and cid <= 3,
                    supporters,
                    rng.choice(group.leads) if proposed else NULL,
                    "Local people asked us to." if proposed else "",
                    "Sign the petition." if proposed else "",
                    rep if decided else NULL,
                    _ts(created + DAY) if decided else NULL,
                    "Looks good." if decided else "",
                    _ts(created),
                    _ts(min(self.now, created + rng.random() * YEAR)),
                )
            )
            for topic_id in rng.sample(range(1, len(TOPICS) + 1), rng.choice([1, 1, 2])):
                topic_links.add((cid, topic_id))
            if rng.random() < 0.3:
                partner_links.add((cid, rng.randint(1, plan.partners)))
            self.campaign_rows.append((cid, scope, status, region, group, created))
        campaigns.close()
        topic_links.close()
        partner_links.close()

        actions = self.writer(
            Action,
            [
                "id",
                "campaign_id",
                "kind",
                "title",
                "instructions",
                "statement",
                "goal_count",
                "deadline",
                "position",
                "count",
                "created_at",
            ],
        )
        for (action_id, index, kind, position, _), taken, arrivals in zip(
            action_specs, taken_sizes, share_arrivals, strict=True
        ):
            created = specs[index][6]
            # Action.count: people who took it, except a share, which counts arrivals.
            count = arrivals if kind == "share" else taken
            deadline = _day(created + YEAR) if rng.random() < 0.3 else NULL
            actions.add(
                (
                    action_id,
                    index + 1,
                    kind,
                    {
                        "sign": "Sign the petition",
                        "write": "Write to the decision-maker",
                        "pledge": "Pledge to take part",
                        "share": "Share with friends",
                    }[kind],
                    "It takes a minute.",
                    "We ask you to act now.",
                    max(100, count * 2) if rng.random() < 0.5 else NULL,
                    deadline,
                    position,
                    count,
                    _ts(created),
                )
            )
        actions.close()

        self.report.step(f"Actions taken: {plan.actions_taken:,}")
        taken_rows = self.writer(
            ActionTaken, ["id", "action_id", "user_id", "show_name", "created_at"]
        )
        arrivals_rows = self.writer(
            ShareArrival, ["id", "action_id", "sharer_id", "visitor_key", "created_at"]
        )
        taken_id = arrival_id = 0
        for (action_id, index, kind, _, _), size, arrivals in zip(
            action_specs, taken_sizes, share_arrivals, strict=True
        ):
            if not size:
                continue
            _, _, region, group, _, _, created = specs[index]
            preferred = (
                group.members
                if group
                else (self.region_users[region] if region is not None else [])
            )
            people = self._sample_users(size, preferred, local_share=0.6)
            span = self.now - created
            for user_id in people:
                taken_id += 1
                taken_rows.add(
                    (
                        taken_id,
                        action_id,
                        user_id,
                        kind == "sign" and rng.random() < 0.3,
                        _ts(created + rng.random() * span),
                    )
                )
            for _ in range(arrivals):
                arrival_id += 1
                arrivals_rows.add(
                    (
                        arrival_id,
                        action_id,
                        rng.choice(people),
                        f"{rng.getrandbits(256):064x}",
                        _ts(created + rng.random() * span),
                    )
                )
        taken_rows.close()
        arrivals_rows.close()

        self.report.step(f"Supporters: {plan.supporters:,}")
        supporters = self.writer(CampaignSupporter, ["id", "campaign_id", "user_id", "created_at"])
        supporter_id = 0
        for (cid, _, region, group, _, _, created), size in zip(
            specs, supporter_sizes, strict=True
        ):
            if not size:
                continue
            preferred = (
                group.members
                if group
                else (self.region_users[region] if region is not None else [])
            )
            for user_id in self._sample_users(size, preferred, local_share=0.6):
                supporter_id += 1
                supporters.add(
                    (supporter_id, cid, user_id, _ts(created + rng.random() * (self.now - created)))
                )
        supporters.close()

        updates = self.writer(
            CampaignUpdate, ["id", "campaign_id", "author_id", "title", "body", "created_at"]
        )
        outcomes = self.writer(
            Outcome, ["id", "campaign_id", "date", "kind", "summary", "recorded_by_id"]
        )
        update_id = outcome_id = 0
        for cid, _, status, region, group, created in self.campaign_rows:
            if status in ("proposed", "rejected"):
                continue
            author = rng.choice(group.leads) if group else self.rep_users[region or 0]
            for _ in range(rng.choice([1, 2, 3, 5])):
                update_id += 1
                updates.add(
                    (
                        update_id,
                        cid,
                        author,
                        "Campaign update",
                        "Here is what happened this month.\n\n" + LOREM,
                        _ts(created + rng.random() * (self.now - created)),
                    )
                )
            if status in ("won", "closed") or rng.random() < 0.2:
                outcome_id += 1
                outcomes.add(
                    (
                        outcome_id,
                        cid,
                        _day(created + rng.random() * (self.now - created)),
                        "win" if status == "won" else rng.choice(["response", "setback", "other"]),
                        "The council replied to our letters.",
                        author,
                    )
                )
        updates.close()
        outcomes.close()

    # -- events, festivals, RSVPs ----------------------------------------------------------

    def events(self) -> None:
        from events.models import RSVP, Event, EventReport, Festival, Venue

        plan, rng = self.plan, self.rng
        self.report.step(
            f"Events: {plan.events:,} ({plan.upcoming_events:,} upcoming), "
            f"festivals: {plan.festivals}"
        )
        venues = self.writer(
            Venue,
            [
                "id",
                "name",
                "slug",
                "address",
                "town",
                "postcode_district",
                "latitude",
                "longitude",
                "step_free",
                "hearing_loop",
                "accessible_toilet",
                "quiet_room",
                "access_notes",
                "capacity",
            ],
        )
        slugs = _Slugs(200)
        venue_id = 0
        group_venues: dict[int, list[int]] = {}
        for group in self.group_list:
            ids = []
            for name in rng.sample(VENUE_NAMES, rng.choice([1, 2, 2, 3])):
                venue_id += 1
                outcode, lat, lon = rng.choice(
                    [(group.outcode, group.lat, group.lon)]
                    + self.by_prefix["".join(ch for ch in group.outcode[:2] if ch.isalpha())][:5]
                )
                venues.add(
                    (
                        venue_id,
                        name,
                        slugs.make(f"{name} {group.town}"),
                        f"1 High Street, {group.town}",
                        group.town,
                        outcode,
                        round(lat + rng.uniform(-0.02, 0.02), 5),
                        round(lon + rng.uniform(-0.02, 0.02), 5),
                        rng.random() < 0.7,
                        rng.random() < 0.4,
                        rng.random() < 0.6,
                        rng.random() < 0.2,
                        "Step-free entrance at the side." if rng.random() < 0.3 else "",
                        rng.choice([NULL, 40, 60, 100, 200]),
                    )
                )
                ids.append(venue_id)
            group_venues[group.id] = ids
        venues.close()

        # Festivals: a week each, spread over the five years, the last one upcoming.
        n_fest = plan.festivals
        sessions_total = min(n_fest * 15, plan.events // 6, n_fest * (plan.upcoming_events // 2))
        session_counts = apportion(sessions_total, [1.0] * n_fest, minimum=1)
        upcoming_sessions = session_counts[-1]
        if upcoming_sessions > plan.upcoming_events:
            raise ValueError("The upcoming festival has more sessions than upcoming events.")
        festivals = self.writer(
            Festival,
            [
                "id",
                "name",
                "slug",
                "starts_on",
                "ends_on",
                "description",
                "image",
                "status",
                "created_at",
            ],
        )
        hosts = self.writer(Festival.host_groups.through, ["festival_id", "localgroup_id"])
        festival_partners = self.writer(Festival.partners.through, ["festival_id", "partner_id"])
        fest_slugs = _Slugs(200)
        biggest = sorted(self.group_list, key=lambda g: -len(g.members))[: max(12, n_fest)]
        festival_specs = []  # (id, start epoch, host group)
        for index in range(n_fest):
            fid = index + 1
            host = biggest[index % len(biggest)]
            if index == n_fest - 1:
                start = self.now + 21 * DAY
            else:
                start = (
                    self.start
                    + DAY
                    + (index / max(1, n_fest - 1)) * (self.now - self.start - 30 * DAY)
                )
            start = math.floor(start / DAY) * DAY
            name = f"{host.town} Peace Week {_ts(start).year}"
            festivals.add(
                (
                    fid,
                    name,
                    fest_slugs.make(name),
                    _day(start),
                    _day(start + 6 * DAY),
                    "A week of workshops, cinema, performance and football.\n\n" + LOREM,
                    "",
                    "published",
                    _ts(start - 60 * DAY),
                )
            )
            hosts.add((fid, host.id))
            festival_partners.add((fid, rng.randint(1, plan.partners)))
            festival_specs.append((fid, start, host))
        festivals.close()
        hosts.close()
        festival_partners.close()

        # Event schedule: (start epoch, group, festival id or None).
        group_weights = [len(g.members) ** 0.6 + 1 for g in self.group_list]
        schedule = []
        for (fid, start, host), count in zip(festival_specs, session_counts, strict=True):
            for _ in range(count):
                schedule.append(
                    (
                        start + rng.randrange(7) * DAY + rng.choice([11, 14, 18]) * 3600 - 3600,
                        host,
                        fid,
                    )
                )
        regular_upcoming = plan.upcoming_events - upcoming_sessions
        regular_past = plan.events - len(schedule) - regular_upcoming
        if regular_past < 0:
            raise ValueError("Too few events for the festivals and upcoming events.")
        chosen = rng.choices(
            self.group_list, weights=group_weights, k=regular_past + regular_upcoming
        )
        past_span = self.now - self.start - 2 * DAY
        for i, group in enumerate(chosen):
            if i < regular_past:
                day = self.start + rng.random() * past_span
            else:
                day = self.now + DAY + rng.random() * 120 * DAY
            day = math.floor(day / DAY) * DAY
            hour = rng.choice([18, 18, 18, 17, 10, 13])  # UTC; evenings local time mostly
            schedule.append((day + hour * 3600 + rng.choice([0, 1800]), group, None))
        schedule.sort(key=lambda s: s[0])

        # Per event: status, visibility, capacity, RSVP counts decided before writing it.
        active_campaigns = [c for c in self.campaign_rows if c[2] not in ("proposed", "rejected")]
        kinds = list(EVENT_KIND_WEIGHTS)
        kind_weights = list(EVENT_KIND_WEIGHTS.values())
        plans = []
        for start, group, fid in schedule:
            upcoming = start > self.now
            roll = rng.random()
            status = "cancelled" if roll < 0.03 else ("draft" if roll < 0.05 else "published")
            visibility = "members" if rng.random() < 0.1 and fid is None else "public"
            mode = rng.choices(["in_person", "online", "hybrid"], weights=[80, 12, 8])[0]
            capacity = rng.choice([None, None, None, 20, 30, 50, 80, 150])
            weight = (
                0.0
                if status == "draft"
                else (len(group.members) ** 0.5 + 2) * (0.5 if upcoming else 1.0)
            )
            plans.append([start, group, fid, status, visibility, mode, capacity, weight])
        rsvp_sizes = apportion(plan.rsvps, [p[7] for p in plans], cap=max(1, int(plan.users * 0.5)))

        events = self.writer(
            Event,
            [
                "id",
                "title",
                "slug",
                "kind",
                "description",
                "image",
                "starts_at",
                "ends_at",
                "mode",
                "venue_id",
                "online_url",
                "capacity",
                "visibility",
                "status",
                "cancel_reason",
                "group_id",
                "campaign_id",
                "festival_id",
                "organiser_name",
                "organiser_url",
                "uid",
                "sequence",
                "confirmed_count",
                "waitlist_count",
                "created_by_id",
                "created_at",
                "updated_at",
            ],
        )
        cohosts = self.writer(Event.cohost_groups.through, ["event_id", "localgroup_id"])
        event_partners = self.writer(Event.partners.through, ["event_id", "partner_id"])
        rsvps = self.writer(
            RSVP,
            [
                "id",
                "event_id",
                "user_id",
                "status",
                "created_at",
                "waitlisted_at",
                "updated_at",
                "checked_in_at",
            ],
        )
        reports = self.writer(
            EventReport,
            [
                "id",
                "event_id",
                "filed_by_id",
                "filed_at",
                "attendance",
                "new_contacts",
                "what_worked",
                "what_to_change",
            ],
        )
        event_slugs = _Slugs(220)
        rsvp_id = report_id = 0
        group_by_id = {g.id: g for g in self.group_list}
        self.report.step(f"RSVPs: {plan.rsvps:,}")
        for event_id, (spec, size) in enumerate(zip(plans, rsvp_sizes, strict=True), start=1):
            start, group, fid, status, visibility, mode, capacity, _ = spec
            kind = rng.choices(kinds, weights=kind_weights)[0]
            title = EVENT_TITLES[kind].format(town=group.town)
            if kind in ("stall", "meeting", "social", "vigil", "film"):
                title = f"{title}: {group.town}"
            end = start + rng.choice([1, 1.5, 2, 2, 3]) * 3600
            created = min(start - rng.uniform(3, 60) * DAY, self.now - rng.random() * DAY)
            lead = rng.choice(group.leads)
            # RSVPs: sorted by when they came; a few cancelled; first come are confirmed,
            # the rest of a full event waits (first come, first served).
            upper = min(self.now, start)
            times = sorted(created + rng.random() * max(upper - created, 60) for _ in range(size))
            people = self._sample_users(size, group.members)
            confirmed = waitlisted = 0
            past = end < self.now
            for user_id, when in zip(people, times, strict=True):
                rsvp_id += 1
                if rng.random() < 0.05:
                    rsvp_status, waited, checked = "cancelled", NULL, NULL
                elif capacity is None or confirmed < capacity:
                    confirmed += 1
                    rsvp_status, waited = "confirmed", NULL
                    checked = (
                        _ts(start + rng.random() * 900) if past and rng.random() < 0.65 else NULL
                    )
                else:
                    waitlisted += 1
                    rsvp_status, waited, checked = "waitlisted", _ts(when), NULL
                rsvps.add(
                    (rsvp_id, event_id, user_id, rsvp_status, _ts(when), waited, _ts(when), checked)
                )
            campaign_id = NULL
            if active_campaigns and rng.random() < 0.2:
                campaign_id = rng.choice(active_campaigns)[0]
            events.add(
                (
                    event_id,
                    title,
                    event_slugs.make(f"{title} {_day(start).isoformat()}"),
                    kind,
                    f"{title}.\n\n{LOREM}",
                    "",
                    _ts(start),
                    _ts(end),
                    mode,
                    rng.choice(group_venues[group.id]) if mode != "online" else NULL,
                    "https://meet.example.org/room" if mode != "in_person" else "",
                    capacity if capacity is not None else NULL,
                    visibility,
                    status,
                    "Venue unavailable." if status == "cancelled" else "",
                    group.id,
                    campaign_id,
                    fid if fid is not None else NULL,
                    "",
                    "",
                    uuid.UUID(int=rng.getrandbits(128), version=4),
                    0,
                    confirmed,
                    waitlisted,
                    lead,
                    _ts(created),
                    _ts(created),
                )
            )
            if rng.random() < 0.05:
                other = group_by_id[rng.randint(1, len(self.group_list))]
                if other.id != group.id:
                    cohosts.add((event_id, other.id))
            if rng.random() < 0.1:
                event_partners.add((event_id, rng.randint(1, plan.partners)))
            if past and status == "published" and rng.random() < 0.4:
                report_id += 1
                reports.add(
                    (
                        report_id,
                        event_id,
                        lead,
                        _ts(end + DAY),
                        max(1, round(confirmed * 0.7)),
                        rng.randint(0, 5),
                        "Good turnout.",
                        "Start on time.",
                    )
                )
        events.close()
        cohosts.close()
        event_partners.close()
        rsvps.close()
        reports.close()

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
