"""Trends for the review: events held, people reached and new members per month over the
last 12 months, per area or group (charts drawn by review.charts). "People reached" is
counted as "people who came" in review.figures."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone

from events.models import RSVP, Event, walk_in_count
from groups.models import Membership
from portal.dates import LONDON

from .figures import kept, local_midnight


@dataclass
class MonthFigures:
    month: dt.date
    events: int = 0
    reached: int = 0
    joined: int = 0


TREND_SERIES = [
    ("events", "Events held"),
    ("reached", "People reached"),
    ("joined", "New members"),
]


def last_12_months(today: dt.date) -> list[dt.date]:
    year, month = today.year, today.month
    months = []
    for _ in range(12):
        months.append(dt.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def _month_of(value) -> dt.date:
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value, LONDON) if timezone.is_aware(value) else value
        return value.date().replace(day=1)
    return value.replace(day=1)


def monthly_trends(groups, *, key: str, now: dt.datetime) -> tuple[list[dt.date], dict]:
    """Events held, people reached and new members per month over the last 12 months
    (this month included), per ``key`` ("group__area_id" or "group_id"): the months, and
    for each key seen a list of MonthFigures, one per month. Three queries. People
    reached is counted as "people who came" above."""
    months = last_12_months(timezone.localtime(now, LONDON).date())
    since = local_midnight(months[0])
    held = Event.objects.filter(
        group__in=groups,
        status=Event.Status.PUBLISHED,
        starts_at__gte=since,
        starts_at__lte=now,
    )
    figures: dict[int, dict[dt.date, MonthFigures]] = defaultdict(
        lambda: {month: MonthFigures(month) for month in months}
    )
    # One row per event held (a region holds about a thousand a year), then the check-ins
    # of the unreported ones by event id: joining RSVPs to events and grouping by month in
    # one query made PostgreSQL loop over every RSVP of the region (2.5 s nationally).
    held_rows = list(
        held.annotate(month=TruncMonth("starts_at", tzinfo=LONDON))
        .order_by()
        .annotate(came_at_door=walk_in_count())
        .values("pk", key, "month", "report__attendance", "report", "came_at_door")
    )
    for event in held_rows:
        point = figures[event[key]][_month_of(event["month"])]
        point.events += 1
        if event["report"] is None:
            point.reached += event["came_at_door"]
        else:
            point.reached += event["report__attendance"] or 0
    by_event = {event["pk"]: event for event in held_rows}
    unreported = held.filter(report__isnull=True).values("pk")
    for row in (
        RSVP.objects.filter(event_id__in=unreported, checked_in_at__isnull=False)
        .order_by()
        .values("event_id")
        .annotate(n=Count("pk"))
    ):
        event = by_event[row["event_id"]]
        figures[event[key]][_month_of(event["month"])].reached += row["n"]
    for row in (
        Membership.objects.filter(group__in=groups, joined_at__gte=since, joined_at__lte=now)
        .annotate(month=TruncMonth("joined_at", tzinfo=LONDON))
        .order_by()
        .values(key, "month")
        .annotate(n=Count("pk"))
    ):
        figures[row[key]][_month_of(row["month"])].joined += row["n"]
    return months, {k: list(v.values()) for k, v in figures.items()}


def empty_months(months: list[dt.date]) -> list[MonthFigures]:
    return [MonthFigures(month) for month in months]


def sum_months(series: list[list[MonthFigures]], months: list[dt.date]) -> list[MonthFigures]:
    total = empty_months(months)
    for points in series:
        for i, point in enumerate(points):
            total[i].events += point.events
            total[i].reached += point.reached
            total[i].joined += point.joined
    return total


def cached_monthly_trends(groups, *, key: str, now: dt.datetime):
    """monthly_trends as of ``now`` (see review.figures.kept)."""
    ids = ",".join(str(pk) for pk in groups)
    return kept(
        "trends", (ids, key, now.isoformat()), lambda: monthly_trends(groups, key=key, now=now)
    )
