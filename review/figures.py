"""Regional review: the figures reps see for the groups they cover, and what waits for them.

Every figure is defined here once (the README and the page's "How these are counted"
say the same in words):

- The period runs from ``start`` (inclusive) to ``end`` (exclusive). The presets end now;
  a custom range covers whole days in Europe/London, ``from`` to ``to`` inclusive.
- A held event is a published (not draft, not cancelled) event hosted by the group (co-hosts
  do not count) that started within the period and has started by now.
- RSVPs: confirmed RSVPs of held events. People who came: for each held event, the
  attendance in its report when one is filed, otherwise its checked-in RSVPs and its
  walk-ins (events.services.attendance).
- Reports due: held events that started more than 7 days ago. Reports filed: held events
  with a report (one filed early counts as filed, so filed may exceed due).
- Overdue reports (the health flag and the queue, whatever the period): events.models.
  report_overdue_q, ended events that started 7 to 365 days ago and have no report.
- No event in 90 days (the health flag): events.models.is_quiet, no event held in the last
  90 days and none coming up.
- Members: current members, leads included. New: joined in the period. Left: left in it.
- Active campaigns: the group's own local campaigns with status active, now.
- Actions: actions taken in the period by people who were members of the group then.
- Partnerships: active now. New: recorded in the period, whatever their status now.
- Last activity: the latest of a held event's start, a member joining, a report being
  filed and an announcement.

Each figure is one grouped query over all the groups at once, combined in Python, so the
number of queries does not grow with the number of groups or events.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from campaigns.models import ActionTaken, Campaign
from cases.review import group_figures as case_figures
from events.models import (
    REPORT_GRACE,
    RSVP,
    Event,
    is_quiet,
    report_overdue_q,
    walk_in_count,
)
from groups.models import Announcement, LocalGroup, Membership
from partners.models import Partnership
from portal.dates import LONDON

EARLIEST_YEAR = 2000

# --- the period ---------------------------------------------------------------------------

PRESETS = {
    "30d": ("Last 30 days", 30),
    "90d": ("Last 90 days", 90),
    "12m": ("Last 12 months", 365),
}
DEFAULT_PERIOD = "90d"


@dataclass(frozen=True)
class Period:
    key: str
    label: str
    start: dt.datetime
    end: dt.datetime
    params: dict  # what to put in a link's query string to come back to this period

    def contains(self, field_name: str) -> Q:
        return Q(**{f"{field_name}__gte": self.start, f"{field_name}__lt": self.end})


def preset_period(key: str, now: dt.datetime) -> Period:
    label, days = PRESETS[key]
    return Period(key, label, now - dt.timedelta(days=days), now, {"period": key})


def local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=LONDON)


class PeriodForm(forms.Form):
    """?period=30d|90d|12m|custom, with from/to (dates) for a custom range."""

    period = forms.ChoiceField(
        choices=[(key, label) for key, (label, _days) in PRESETS.items()]
        + [("custom", "Custom dates")],
        required=False,
        label="Period",
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        # "from" is a Python keyword, so these two are added here rather than declared.
        for name, label in (("from", "From"), ("to", "To")):
            self.fields[name] = forms.DateField(
                required=False,
                label=label,
                widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}),
                error_messages={"invalid": "Enter a date like 2025-03-31."},
            )

    def clean(self):
        data = super().clean()
        key = data.get("period") or DEFAULT_PERIOD
        data["period"] = key
        if key != "custom" or self.errors:
            return data
        start, end = data.get("from"), data.get("to")
        if start is None or end is None:
            raise forms.ValidationError("For custom dates, give both a from and a to date.")
        if start > end:
            raise forms.ValidationError("The from date must be on or before the to date.")
        if end > self.today:
            raise forms.ValidationError("The to date cannot be in the future.")
        if start.year < EARLIEST_YEAR:
            raise forms.ValidationError(f"Choose dates from {EARLIEST_YEAR} onwards.")
        return data

    def get_period(self, now: dt.datetime) -> Period:
        """The chosen period, or the default one when the input is not valid (the page
        then shows the form's errors)."""
        if not self.is_valid():
            return preset_period(DEFAULT_PERIOD, now)
        key = self.cleaned_data["period"]
        if key != "custom":
            return preset_period(key, now)
        start, end = self.cleaned_data["from"], self.cleaned_data["to"]
        return Period(
            "custom",
            f"{start.day} {start:%b %Y} to {end.day} {end:%b %Y}",
            local_midnight(start),
            local_midnight(end + dt.timedelta(days=1)),
            {"period": "custom", "from": start.isoformat(), "to": end.isoformat()},
        )


# --- the group table ------------------------------------------------------------------


class Flag:
    NO_RECENT_EVENT = "No event in 90 days"
    NO_LEAD = "No active lead"
    REPORTS_OVERDUE = "Reports overdue"
    SHRINKING = "Shrinking membership"


@dataclass
class GroupRow:
    group: LocalGroup
    members: int = 0
    new_members: int = 0
    left_members: int = 0
    leads: int = 0
    events: int = 0
    rsvps: int = 0
    came: int = 0
    reports_filed: int = 0
    reports_due: int = 0
    reports_overdue: int = 0
    campaigns: int = 0
    actions: int = 0
    partnerships: int = 0
    new_partnerships: int = 0
    # Individuals at Risk (cases.review): letters, cases adopted now, and their outcomes.
    letters_online: int = 0
    letters_offline: int = 0
    cases_adopted: int = 0
    case_outcomes: int = 0
    last_event_at: dt.datetime | None = None
    last_activity: dt.datetime | None = None
    flags: list[str] = field(default_factory=list)

    @property
    def flag_count(self) -> int:
        return len(self.flags)


# (sort key, heading): the table's headings, its sort whitelist and the CSV header all come
# from this list (csv_rows follows the same order).
COLUMNS = [
    ("name", "Group"),
    ("area", "Area"),
    ("members", "Members"),
    ("new_members", "New members"),
    ("events", "Events held"),
    ("rsvps", "RSVPs"),
    ("came", "People who came"),
    ("reports_filed", "Reports filed"),
    ("reports_due", "Reports due"),
    ("campaigns", "Active campaigns"),
    ("actions", "Actions by members"),
    ("partnerships", "Active partnerships"),
    ("new_partnerships", "New partnerships"),
    ("letters_online", "Letters online"),
    ("letters_offline", "Letters on paper"),
    ("cases_adopted", "Cases adopted"),
    ("case_outcomes", "Case outcomes"),
    ("last_activity", "Last activity"),
    ("flags", "Health flags"),
]
SORT_KEYS = {key for key, _label in COLUMNS}
DEFAULT_SORT = "name"
TOTAL_KEYS = [
    "members",
    "new_members",
    "events",
    "rsvps",
    "came",
    "reports_filed",
    "reports_due",
    "campaigns",
    "actions",
    "partnerships",
    "new_partnerships",
    "letters_online",
    "letters_offline",
    "cases_adopted",
    "case_outcomes",
]


def _sort_value(row: GroupRow, key: str):
    if key == "name":
        return row.group.name.casefold()
    if key == "area":
        return row.group.area.name.casefold()
    if key == "flags":
        return row.flag_count
    return getattr(row, key)


def sort_rows(rows: list[GroupRow], sort: str) -> tuple[list[GroupRow], str]:
    """Rows sorted by a whitelisted column ("-" for descending); unknown keys fall back to
    the group name. Empty values (no activity yet) go last either way."""
    key = sort.removeprefix("-")
    if key not in SORT_KEYS:
        sort, key = DEFAULT_SORT, DEFAULT_SORT
    descending = sort.startswith("-")
    rows = sorted(rows, key=lambda r: r.group.name.casefold())
    present = [r for r in rows if _sort_value(r, key) is not None]
    missing = [r for r in rows if _sort_value(r, key) is None]
    present.sort(key=lambda r: _sort_value(r, key), reverse=descending)
    return present + missing, sort


def _by_group(queryset, key: str = "group_id") -> dict[int, dict]:
    return {row[key]: row for row in queryset}


def group_rows(groups: list[LocalGroup], period: Period, now: dt.datetime) -> list[GroupRow]:
    """The review figures of these groups; a fixed number of queries however many."""
    ids = [g.pk for g in groups]
    if not ids:
        return []
    in_period = period.contains("starts_at")
    report_due_before = now - REPORT_GRACE
    started = Q(starts_at__lte=now)

    members = _by_group(
        Membership.objects.filter(group_id__in=ids)
        .order_by()
        .values("group_id")
        .annotate(
            members=Count("pk", filter=Q(left_at__isnull=True)),
            new_members=Count("pk", filter=period.contains("joined_at")),
            left_members=Count("pk", filter=period.contains("left_at")),
            last_join=Max("joined_at"),
        )
    )
    # Apart from the rest: only this figure needs the users' table (a deactivated account
    # is not an active lead), and joining it for every membership would be slow.
    leads = _by_group(
        Membership.objects.leads()
        .filter(group_id__in=ids, user__is_active=True)
        .order_by()
        .values("group_id")
        .annotate(n=Count("pk"))
    )
    events = _by_group(
        Event.objects.filter(group_id__in=ids, status=Event.Status.PUBLISHED)
        .order_by()
        .values("group_id")
        .annotate(
            events=Count("pk", filter=started & in_period),
            due=Count("pk", filter=started & in_period & Q(starts_at__lt=report_due_before)),
            filed=Count("pk", filter=started & in_period & Q(report__isnull=False)),
            reported_attendance=Sum("report__attendance", filter=started & in_period),
            # Walk-ins count until a report gives the attendance (a subquery per event,
            # not a join, which would multiply the other counts).
            walk_ins_unreported=Sum(
                walk_in_count(),
                filter=started & in_period & Q(report__isnull=True),
            ),
            overdue=Count("pk", filter=report_overdue_q(now)),
            upcoming=Count("pk", filter=Q(starts_at__gt=now)),
            last_event=Max("starts_at", filter=started),
            last_report=Max("report__filed_at"),
        )
    )
    rsvps = _by_group(
        RSVP.objects.filter(
            event__group_id__in=ids,
            event__status=Event.Status.PUBLISHED,
            event__starts_at__lte=now,
            event__starts_at__gte=period.start,
            event__starts_at__lt=period.end,
        )
        .order_by()
        .values("event__group_id")
        .annotate(
            rsvps=Count("pk", filter=Q(status=RSVP.Status.CONFIRMED)),
            checked_unreported=Count(
                "pk", filter=Q(checked_in_at__isnull=False, event__report__isnull=True)
            ),
        ),
        key="event__group_id",
    )
    campaigns = _by_group(
        Campaign.objects.filter(
            group_id__in=ids, scope=Campaign.Scope.LOCAL, status=Campaign.Status.ACTIVE
        )
        .order_by()
        .values("group_id")
        .annotate(n=Count("pk"))
    )
    # A member counts for the actions they took while they belonged to the group. Counted
    # per membership with a correlated subquery on (user, created_at), so that the database
    # probes each member's actions rather than scanning every action of the period.
    taken_while_member = (
        ActionTaken.objects.filter(
            user_id=OuterRef("user_id"),
            created_at__gte=Greatest(OuterRef("joined_at"), Value(period.start)),
            created_at__lt=Coalesce(OuterRef("left_at"), Value(period.end)),
        )
        .filter(created_at__lt=period.end)
        .order_by()
        .values("user_id")
        .annotate(n=Count("*"))
        .values("n")
    )
    actions = _by_group(
        Membership.objects.filter(group_id__in=ids, joined_at__lt=period.end)
        .exclude(left_at__lte=period.start)
        .annotate(taken=Coalesce(Subquery(taken_while_member), 0))
        .order_by()
        .values("group_id")
        .annotate(n=Sum("taken"))
    )
    partnerships = _by_group(
        Partnership.objects.filter(group_id__in=ids)
        .order_by()
        .values("group_id")
        .annotate(
            active=Count("pk", filter=Q(status=Partnership.Status.ACTIVE)),
            new=Count("pk", filter=period.contains("created_at")),
        )
    )
    announcements = _by_group(
        Announcement.objects.filter(group_id__in=ids)
        .order_by()
        .values("group_id")
        .annotate(last=Max("created_at"))
    )

    cases = case_figures(ids, start=period.start, end=period.end)

    rows = []
    for group in groups:
        m = members.get(group.pk, {})
        e = events.get(group.pk, {})
        r = rsvps.get(group.pk, {})
        p = partnerships.get(group.pk, {})
        row = GroupRow(
            group=group,
            members=m.get("members", 0),
            new_members=m.get("new_members", 0),
            left_members=m.get("left_members", 0),
            leads=leads.get(group.pk, {}).get("n", 0),
            events=e.get("events", 0),
            rsvps=r.get("rsvps", 0),
            came=(e.get("reported_attendance") or 0)
            + (e.get("walk_ins_unreported") or 0)
            + r.get("checked_unreported", 0),
            reports_filed=e.get("filed", 0),
            reports_due=e.get("due", 0),
            reports_overdue=e.get("overdue", 0),
            campaigns=campaigns.get(group.pk, {}).get("n", 0),
            actions=actions.get(group.pk, {}).get("n", 0),
            partnerships=p.get("active", 0),
            new_partnerships=p.get("new", 0),
            letters_online=cases[group.pk]["letters_online"],
            letters_offline=cases[group.pk]["letters_offline"],
            cases_adopted=cases[group.pk]["cases_adopted"],
            case_outcomes=cases[group.pk]["outcomes"],
            last_event_at=e.get("last_event"),
        )
        moments = [
            e.get("last_event"),
            e.get("last_report"),
            m.get("last_join"),
            announcements.get(group.pk, {}).get("last"),
        ]
        row.last_activity = max((t for t in moments if t is not None), default=None)
        if is_quiet(
            last_event_at=row.last_event_at, has_upcoming=e.get("upcoming", 0) > 0, now=now
        ):
            row.flags.append(Flag.NO_RECENT_EVENT)
        if row.leads == 0:
            row.flags.append(Flag.NO_LEAD)
        if row.reports_overdue:
            row.flags.append(Flag.REPORTS_OVERDUE)
        if row.left_members > row.new_members:
            row.flags.append(Flag.SHRINKING)
        rows.append(row)
    return rows


def kept(kind: str, parts: tuple, compute):
    """``compute()``, kept in the shared cache for REVIEW_CACHE_SECONDS under a key made of
    ``parts``. Callers pass the stepped ``now`` (figures_time) among the parts, so figures
    are worked out at most once per step and per scope, whatever else happens: they are
    statistics "as of" the time the page shows, not a live view. The decisions waiting in
    the queue are not kept here and are always current."""
    seconds = settings.REVIEW_CACHE_SECONDS
    if not seconds:
        return compute()
    raw = "|".join(str(part) for part in parts)
    key = f"review:{kind}:" + hashlib.sha256(raw.encode()).hexdigest()[:32]
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=seconds)
    return value


def cached_group_rows(groups: list[LocalGroup], period: Period, now: dt.datetime) -> list[GroupRow]:
    """group_rows as of ``now`` (see kept): reps reloading the dashboard, or every rep of
    a region after an edit anywhere, cost one cache read instead of the figure queries."""
    ids = ",".join(str(g.pk) for g in groups)
    parts = (ids, period.start.isoformat(), period.end.isoformat(), now.isoformat())
    return kept("rows", parts, lambda: group_rows(groups, period, now))


def figures_time(now: dt.datetime) -> dt.datetime:
    """With the cache on, 'now' moves in steps of REVIEW_CACHE_SECONDS so that periods
    ending now have the same bounds, and the same cache key, for that long."""
    seconds = settings.REVIEW_CACHE_SECONDS
    if not seconds:
        return now
    stamp = int(now.timestamp()) // seconds * seconds
    return dt.datetime.fromtimestamp(stamp, tz=dt.UTC)


def totals(rows: list[GroupRow]) -> dict[str, int]:
    result = {key: sum(getattr(row, key) for row in rows) for key in TOTAL_KEYS}
    result["groups"] = len(rows)
    result["flagged"] = sum(1 for row in rows if row.flags)
    return result


def flag_counts(rows: list[GroupRow]) -> list[tuple[str, int]]:
    counts = defaultdict(int)
    for row in rows:
        for flag in row.flags:
            counts[flag] += 1
    order = [Flag.NO_RECENT_EVENT, Flag.NO_LEAD, Flag.REPORTS_OVERDUE, Flag.SHRINKING]
    return [(flag, counts[flag]) for flag in order]


def csv_rows(rows: list[GroupRow]):
    for row in rows:
        yield [
            row.group.name,
            row.group.area.name,
            row.members,
            row.new_members,
            row.events,
            row.rsvps,
            row.came,
            row.reports_filed,
            row.reports_due,
            row.campaigns,
            row.actions,
            row.partnerships,
            row.new_partnerships,
            row.letters_online,
            row.letters_offline,
            row.cases_adopted,
            row.case_outcomes,
            timezone.localtime(row.last_activity).date().isoformat() if row.last_activity else "",
            "; ".join(row.flags),
        ]


# --- one group ----------------------------------------------------------------------------


def group_events(group: LocalGroup, period: Period, now: dt.datetime):
    """The group's published and cancelled events starting in the period, with RSVPs, who
    came and the report (``came`` is set as in the table: the report's attendance when
    filed, else check-ins)."""
    events = list(
        Event.objects.filter(
            group=group,
            status__in=[Event.Status.PUBLISHED, Event.Status.CANCELLED],
        )
        .filter(period.contains("starts_at"))
        .select_related("report", "venue")
        .annotate(
            rsvp_total=Count("rsvps", filter=Q(rsvps__status=RSVP.Status.CONFIRMED)),
            checked_in=Count("rsvps", filter=Q(rsvps__checked_in_at__isnull=False)),
            walk_in_count=walk_in_count(),
            report_overdue=ExpressionWrapper(report_overdue_q(now), output_field=BooleanField()),
        )
        .order_by("-starts_at", "-pk")
    )
    for event in events:
        event.review_report = getattr(event, "report", None)
        event.came = (
            event.review_report.attendance
            if event.review_report
            else event.checked_in + event.walk_in_count
        )
        event.has_started = event.starts_at <= now
    return events


def group_event_csv_rows(events):
    for event in events:
        report = event.review_report
        yield [
            timezone.localtime(event.starts_at).strftime("%Y-%m-%d %H:%M"),
            event.title,
            event.get_status_display(),
            event.get_kind_display(),
            event.venue.name if event.venue else event.get_mode_display(),
            event.rsvp_total,
            event.checked_in,
            event.came if event.has_started else "",
            "yes" if report else "no",
            report.attendance if report else "",
            report.new_contacts if report else "",
        ]


GROUP_EVENT_CSV_HEADER = [
    "Starts (Europe/London)",
    "Event",
    "Status",
    "Kind",
    "Venue or mode",
    "RSVPs",
    "Checked in",
    "People who came",
    "Report filed",
    "Attendance reported",
    "New contacts",
]
