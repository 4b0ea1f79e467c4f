"""The regional review pages: the dashboard, trends, a printable summary, one group's
review and the CSV exports. Reps and staff only (a group's leads may see their own
group's review page); everyone else gets 404, since even the list of what a rep covers
is not public."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from campaigns.models import FundingRequest
from groups import coverage, review_queue
from groups.models import Area, LocalGroup, Membership, Region
from groups.permissions import group_for_lead_or_rep
from portal import pagecache
from portal.csvexport import csv_response
from portal.privatecache import cached_private_page
from resources import review as resources_review

from . import figures
from . import trends as monthly
from .charts import trend_block

# Names and areas read best A to Z first; figures and dates biggest or latest first.
ASCENDING_FIRST = {"name", "area"}


@dataclass
class Review:
    """What every region-wide review page starts from."""

    user: object
    now: dt.datetime
    regions: list[Region]
    region: Region | None
    areas: list[Area]
    groups: list[LocalGroup]
    period: figures.Period
    period_form: figures.PeriodForm
    notices: list[str]

    @property
    def covers_whole_region(self) -> bool:
        return self.user.is_staff or coverage.is_region_rep(self.user, self.region.pk)

    def queue(self) -> list[review_queue.Section]:
        """What waits for this reviewer in the region shown (groups.review_queue)."""
        reviewer = review_queue.reviewer_for(self.user, region=self.region, areas=self.areas)
        return review_queue.queue_for(reviewer, self.now)

    @property
    def scope_label(self) -> str:
        if self.region is None:
            return ""
        if self.covers_whole_region:
            return self.region.name
        return ", ".join(area.name for area in self.areas) + f" ({self.region.name})"

    @property
    def query(self) -> dict:
        """The region and period, for links that keep them."""
        params = dict(self.period.params)
        if self.region is not None:
            params["region"] = self.region.slug
        return params


def _is_reviewer(user) -> bool:
    return user.is_authenticated and (user.is_staff or user.has_regional_role)


def _period_form(request, now) -> tuple[figures.Period, figures.PeriodForm]:
    bound = "period" in request.GET
    form = figures.PeriodForm(
        request.GET if bound else None,
        initial={"period": figures.DEFAULT_PERIOD},
        today=timezone.localtime(now).date(),
    )
    return form.get_period(now), form


def _review(request) -> Review:
    user = request.user
    if not user.is_authenticated:
        raise Http404
    if not _is_reviewer(user):
        raise Http404
    now = figures.figures_time(timezone.now())
    period, period_form = _period_form(request, now)
    notices = []
    regions = coverage.covered_regions(user, roles=coverage.REVIEWERS)
    wanted = request.GET.get("region", "")
    region = next((r for r in regions if r.slug == wanted), None)
    if region is None and regions:
        if wanted:
            notices.append(
                f"You do not cover a region with that name, so this shows {regions[0].name}."
            )
        region = regions[0]
    areas, groups = [], []
    if region is not None:
        areas = list(
            coverage.covered_areas(user, roles=coverage.REVIEWERS)
            .filter(region=region)
            .order_by("name")
        )
        groups = list(
            LocalGroup.objects.filter(is_active=True, area__in=areas).select_related("area__region")
        )
    return Review(user, now, regions, region, areas, groups, period, period_form, notices)


SUMMARY_FLAGGED = 12  # groups listed on the one-page summary

# The dashboard's table fits 1280 px: its figures sit under five headings, so each column
# needs only a short label (the full one is read out with it and used by the CSV); the
# area and the health flags are shown under the group's name.
COLUMN_GROUPS = [
    ("People", {"members": "All", "new_members": "New"}),
    (
        "Events",
        {
            "events": "Held",
            "rsvps": "RSVPs",
            "came": "Came",
            "reports_filed": "Reports filed",
            "reports_due": "Reports due",
        },
    ),
    ("Campaigns", {"campaigns": "Active", "actions": "Actions"}),
    ("Partners", {"partnerships": "Active", "new_partnerships": "New"}),
    (
        "Individuals at Risk",
        {
            "letters_online": "Letters online",
            "letters_offline": "Letters on paper",
            "cases_adopted": "Cases adopted",
            "case_outcomes": "Outcomes",
        },
    ),
]
SHORT_LABELS = {key: short for _group, shorts in COLUMN_GROUPS for key, short in shorts.items()}


def _columns(sort: str) -> list[dict]:
    columns = []
    for key, label in figures.COLUMNS:
        if sort == key:
            aria, next_sort = "ascending", f"-{key}"
        elif sort == f"-{key}":
            aria, next_sort = "descending", key
        else:
            aria, next_sort = None, key if key in ASCENDING_FIRST else f"-{key}"
        columns.append(
            {
                "key": key,
                "label": label,
                "short": SHORT_LABELS.get(key, label),
                "aria_sort": aria,
                "next_sort": next_sort,
            }
        )
    return columns


def _table(request, data: Review) -> tuple[list[figures.GroupRow], str]:
    rows = figures.cached_group_rows(data.groups, data.period, data.now)
    return figures.sort_rows(rows, request.GET.get("sort", figures.DEFAULT_SORT))


def _region_trend(data: Review, *, per_area: bool) -> tuple[dict, list[dict]]:
    months, by_area = monthly.cached_monthly_trends(
        [g.pk for g in data.groups], key="group__area_id", now=data.now
    )
    empty = monthly.empty_months(months)
    overall = trend_block(
        block_id="trend-all",
        heading=data.scope_label or "your scope",
        months=monthly.sum_months(list(by_area.values()), months),
        series=monthly.TREND_SERIES,
    )
    areas = []
    if per_area:
        areas = [
            trend_block(
                block_id=f"trend-area-{area.pk}",
                heading=area.name,
                months=by_area.get(area.pk, empty),
                series=monthly.TREND_SERIES,
            )
            for area in data.areas
        ]
    return overall, areas


def _base_context(data: Review) -> dict:
    return {
        "review": data,
        "period": data.period,
        "period_form": data.period_form,
        "regions": data.regions,
        "region": data.region,
        "notices": data.notices,
        "query": data.query,
    }


def _dashboard_context(request) -> dict:
    data = _review(request)
    rows, sort = _table(request, data)
    context = _base_context(data)
    if data.region is not None:
        overall, _areas = _region_trend(data, per_area=False)
        sections = data.queue()
        context.update(
            {
                "sections": sections,
                "queue_total": sum(section.total for section in sections),
                "queue_kinds": review_queue.kinds(),
                "trend": overall,
                # The curriculum in this scope (resources.review): who has done what.
                "learning": resources_review.learning_table(data.groups),
            }
        )
    context.update(
        {
            "rows": rows,
            "sort": sort,
            "columns": _columns(sort),
            "column_groups": [(name, len(shorts)) for name, shorts in COLUMN_GROUPS],
            "totals": figures.totals(rows),
            "flag_counts": figures.flag_counts(rows),
        }
    )
    return context


@require_GET
def dashboard(request):
    if not _is_reviewer(request.user):
        raise Http404
    # Who may see it is checked above on every request; the page (figures, queue, trends)
    # is cached per person and query for REVIEW_CACHE_SECONDS and made stale by the writes
    # that bump its "review" scope (a decision in the queue, an edit of what it lists, a
    # change of role in the admin; docs/performance.md has the table), not by those that
    # change only counts (RSVPs, signatures), which it shows only in its figures, themselves
    # kept for REVIEW_CACHE_SECONDS (figures.kept).
    now = figures.figures_time(timezone.now())
    return cached_private_page(
        request,
        name="review",
        vary=now.isoformat(),
        seconds=settings.REVIEW_CACHE_SECONDS,
        template="review/dashboard.html",
        context=lambda: _dashboard_context(request),
        scope=pagecache.REVIEW,
    )


@require_GET
def trends(request):
    data = _review(request)
    context = _base_context(data)
    if data.region is not None:
        context["trend"], context["area_trends"] = _region_trend(data, per_area=True)
    return render(request, "review/trends.html", context)


@require_GET
def summary(request):
    """One printable page for a regional meeting."""
    data = _review(request)
    rows, _sort = _table(request, data)
    context = _base_context(data)
    if data.region is not None:
        context["trend"], _areas = _region_trend(data, per_area=False)
        totals = {section.kind.key: section.total for section in data.queue()}
        context["queue_counts"] = [
            (kind.title, totals.get(kind.key, 0)) for kind in review_queue.kinds()
        ]
    # The page promises one sheet: the groups with the most flags are listed, the rest
    # counted (the dashboard lists them all).
    flagged = sorted((row for row in rows if row.flags), key=lambda row: -len(row.flags))
    context.update(
        {
            "rows": rows,
            "flagged": flagged[:SUMMARY_FLAGGED],
            "flagged_more": max(len(flagged) - SUMMARY_FLAGGED, 0),
            "totals": figures.totals(rows),
            "flag_counts": figures.flag_counts(rows),
        }
    )
    return render(request, "review/summary.html", context)


@require_GET
def groups_csv(request):
    data = _review(request)
    rows, _sort = _table(request, data)
    region = data.region.slug if data.region else "none"
    return csv_response(
        f"review-{region}-{data.period.params.get('from', data.period.key)}.csv",
        [label for _key, label in figures.COLUMNS],
        figures.csv_rows(rows),
    )


def _group_review(request, slug):
    """A group's own leads and the reps covering it (staff included); 404 for others."""
    group = group_for_lead_or_rep(request.user, slug)
    now = timezone.now()
    period, form = _period_form(request, now)
    return group, now, period, form


@require_GET
def group_detail(request, slug):
    group, now, period, form = _group_review(request, slug)
    group = LocalGroup.objects.select_related("area__region").get(pk=group.pk)
    (row,) = figures.group_rows([group], period, now)
    months, by_group = monthly.monthly_trends([group.pk], key="group_id", now=now)
    trend = trend_block(
        block_id="trend-group",
        heading=group.name,
        months=by_group.get(group.pk, monthly.empty_months(months)),
        series=monthly.TREND_SERIES,
    )
    context = {
        "group": group,
        "row": row,
        "period": period,
        "period_form": form,
        "query": period.params,
        "trend": trend,
        "events": figures.group_events(group, period, now),
        "partnerships": group.partnerships.select_related("partner").order_by(
            "status", "partner__name"
        ),
        "campaigns": group.campaigns.order_by("-created_at"),
        "funding_requests": FundingRequest.objects.filter(campaign__group=group)
        .select_related("campaign", "requested_by")
        .order_by("-created_at"),
        "leads": Membership.objects.leads()
        .filter(group=group)
        .select_related("user")
        .order_by("joined_at"),
        "is_reviewer": _is_reviewer(request.user),
        # Funding requests open only for the group's leads and reps (not staff as such).
        "opens_funding": coverage.covers_group(
            request.user, group, roles=coverage.REPS | {coverage.LEAD}
        ),
    }
    return render(request, "review/group.html", context)


@require_GET
def group_events_csv(request, slug):
    group, now, period, _form = _group_review(request, slug)
    events = figures.group_events(group, period, now)
    return csv_response(
        f"{group.slug}-events-{period.params.get('from', period.key)}.csv",
        figures.GROUP_EVENT_CSV_HEADER,
        figures.group_event_csv_rows(events),
    )
