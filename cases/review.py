"""Individuals at Risk figures per group, for the reps' review (wired in by review/).

For the period from ``start`` (inclusive) to ``end`` (exclusive):

- letters_online: appeal letters counted (emailed, or posted and ticked) in the period by
  people who were members of the group at the time;
- letters_offline, cards_offline: letters and solidarity cards written on paper at the
  group's events on the UK days the period covers (from their post-event reports);
- cases_adopted: cases the group adopts now;
- outcomes: of those, the ones released or improved in the period.

Three grouped queries, whatever the number of groups.
"""

from datetime import datetime, timedelta

from django.db.models import Count, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from groups.models import Membership

from .models import AppealLetter, Case, CaseAdoption, OfflineTally

FIGURES = ("letters_online", "letters_offline", "cards_offline", "cases_adopted", "outcomes")


def group_figures(group_ids: list[int], *, start: datetime, end: datetime) -> dict[int, dict]:
    figures = {group_id: dict.fromkeys(FIGURES, 0) for group_id in group_ids}
    # Per membership, a correlated count on (user, counted_at), as the review counts
    # campaign actions: each member's letters are probed through their index.
    written_while_member = (
        AppealLetter.objects.filter(
            user_id=OuterRef("user_id"),
            counted_at__gte=Greatest(OuterRef("joined_at"), Value(start)),
            counted_at__lt=Coalesce(OuterRef("left_at"), Value(end)),
        )
        .filter(counted_at__lt=end)
        .order_by()
        .values("user_id")
        .annotate(n=Count("*"))
        .values("n")
    )
    online = (
        Membership.objects.filter(group_id__in=group_ids, joined_at__lt=end)
        .exclude(left_at__lte=start)
        .annotate(written=Coalesce(Subquery(written_while_member), 0))
        .order_by()
        .values("group_id")
        .annotate(n=Sum("written"))
    )
    for row in online:
        figures[row["group_id"]]["letters_online"] = row["n"] or 0
    # Paper is counted by the day it was written: the UK days the period touches.
    first_day = timezone.localdate(start)
    last_day = timezone.localdate(end - timedelta(microseconds=1))
    offline = (
        OfflineTally.objects.filter(
            group_id__in=group_ids, written_on__gte=first_day, written_on__lte=last_day
        )
        .order_by()
        .values("group_id")
        .annotate(letters=Sum("letters"), cards=Sum("cards"))
    )
    for row in offline:
        figures[row["group_id"]]["letters_offline"] = row["letters"]
        figures[row["group_id"]]["cards_offline"] = row["cards"]
    good = Q(
        case__status__in=[Case.Status.RELEASED, Case.Status.IMPROVED],
        case__status_changed_at__gte=start,
        case__status_changed_at__lt=end,
    )
    adopted = (
        CaseAdoption.objects.filter(group_id__in=group_ids)
        .order_by()
        .values("group_id")
        .annotate(n=Count("pk"), outcomes=Count("pk", filter=good))
    )
    for row in adopted:
        figures[row["group_id"]]["cases_adopted"] = row["n"]
        figures[row["group_id"]]["outcomes"] = row["outcomes"]
    return figures
