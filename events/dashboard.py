"""The events block of My portal: my places, my waitlist spots, reports I owe."""

from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import RSVP, Event, awaiting_report_q
from .permissions import lead_group_ids

LIMIT = 10


def _waitlist_position():
    ahead = (
        RSVP.objects.filter(
            event=OuterRef("event"),
            status=RSVP.Status.WAITLISTED,
            waitlisted_at__lt=OuterRef("waitlisted_at"),
        )
        .order_by()
        .values("event")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(ahead), Value(0)) + 1


def my_portal_block(request) -> dict:
    user = request.user
    now = timezone.now()
    rsvps = list(
        RSVP.objects.filter(
            user=user,
            status__in=[RSVP.Status.CONFIRMED, RSVP.Status.WAITLISTED],
            event__ends_at__gte=now,
        )
        .select_related("event__venue")
        .annotate(position=_waitlist_position())
        .order_by("event__starts_at", "pk")[: LIMIT * 2]
    )
    reports_due = list(
        Event.objects.filter(awaiting_report_q(now), group__in=lead_group_ids(user)).order_by(
            "-starts_at"
        )[:LIMIT]
    )
    return {
        "coming": [r for r in rsvps if r.status == RSVP.Status.CONFIRMED][:LIMIT],
        "waiting": [r for r in rsvps if r.status == RSVP.Status.WAITLISTED][:LIMIT],
        "reports_due": reports_due,
    }
