"""What waits for a rep's decision: the one list that the review dashboard shows and My
portal's to-do badge counts, so the two cannot disagree.

Each app with something for reps to decide or chase registers a section in its
AppConfig.ready: the rows waiting in a reviewer's view (a queryset) and the template
that shows each row with its action. The sections are read here for one region (the
dashboard) or for everything a person covers (the badge).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, QuerySet, Window

from . import coverage
from .models import Area, Region

SHOWN = 25


@dataclass(frozen=True)
class Reviewer:
    """A person's view of the queue: the regions and areas in view (ids, or a queryset of
    ids that sections use as a subquery), and the regions where they are a regional rep
    (who decides)."""

    user: object
    region_ids: frozenset[int] | QuerySet
    area_ids: frozenset[int] | QuerySet
    deciding_region_ids: frozenset[int]

    @property
    def is_staff(self) -> bool:
        return self.user.is_staff


@dataclass(frozen=True)
class SectionKind:
    key: str
    order: int
    title: str
    template: str  # shows one section: {{ section.items }}, {{ section.can_decide }}
    waiting: Callable[[Reviewer, datetime], QuerySet]
    can_decide: Callable[[Reviewer], bool] = lambda reviewer: True
    # More for the template when the section has rows (e.g. the choices of a form).
    extra: Callable[[], dict] = dict


@dataclass
class Section:
    kind: SectionKind
    items: list
    total: int
    can_decide: bool
    extra: dict = field(default_factory=dict)

    @property
    def more(self) -> int:
        return self.total - len(self.items)


_KINDS: dict[str, SectionKind] = {}


def register(kind: SectionKind) -> SectionKind:
    _KINDS[kind.key] = kind
    return kind


def kinds() -> list[SectionKind]:
    return sorted(_KINDS.values(), key=lambda kind: kind.order)


def reviewer_for(user, *, region: Region | None = None, areas: list[Area] | None = None):
    """The reviewer's view of one region (its areas they cover, or ``areas``), or of
    everything they cover when no region is given. None for people who review nothing."""
    if not (user.is_authenticated and (user.is_staff or coverage.rep_roles(user))):
        return None
    deciding = coverage.rep_region_ids(user)
    if region is None:
        # Subqueries: the badge costs one query per section, whatever the person covers.
        covered = coverage.covered_areas(user, roles=coverage.REVIEWERS)
        return Reviewer(
            user=user,
            region_ids=covered.values("region_id"),
            area_ids=covered.values("pk"),
            deciding_region_ids=frozenset(deciding),
        )
    if areas is None:
        areas = coverage.covered_areas(user, roles=coverage.REVIEWERS).filter(region=region)
    return Reviewer(
        user=user,
        region_ids=frozenset({region.pk}),
        area_ids=frozenset(area.pk for area in areas),
        deciding_region_ids=frozenset(deciding & {region.pk}),
    )


def queue_for(reviewer: Reviewer, now: datetime) -> list[Section]:
    """The sections with something waiting, each with its first SHOWN rows and its total:
    one query per section (the total comes with each row, COUNT(*) OVER ())."""
    sections = []
    for kind in kinds():
        waiting = kind.waiting(reviewer, now).annotate(queue_total=Window(Count("*")))
        rows = list(waiting[:SHOWN])
        if rows:
            total = rows[0].queue_total
            sections.append(Section(kind, rows, total, kind.can_decide(reviewer), kind.extra()))
    return sections


def queue_size(user, now: datetime) -> int | None:
    """How many rows wait in everything this person covers; None if they review nothing."""
    reviewer = reviewer_for(user)
    if reviewer is None:
        return None
    return sum(kind.waiting(reviewer, now).count() for kind in kinds())
