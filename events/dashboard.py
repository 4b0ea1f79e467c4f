"""The events block of My portal: my places, my waitlist spots, reports I owe, my groups'
drafts, members' event proposals and other groups' co-hosting invitations waiting for me
as a lead, and my own proposals."""

from django.db.models import Count, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import RSVP, CohostInvitation, Event, awaiting_report_q
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
    # The groups I lead, read once: most people lead none (two queries saved), and a list
    # of ids lets each lead's proposals be looked up by group in their partial index.
    led = list(lead_group_ids(user).values_list("group_id", flat=True))
    reports_due, to_decide, drafts, invitations = [], [], [], []
    if led:
        invitations = list(
            CohostInvitation.objects.filter(
                group_id__in=led, status=CohostInvitation.Status.PENDING
            )
            .filter(
                Q(
                    event__ends_at__gte=now,
                    event__status__in=[Event.Status.DRAFT, Event.Status.PUBLISHED],
                )
                | Q(festival__ends_on__gte=timezone.localdate(now))
            )
            .select_related("event__group", "event__venue", "festival", "group")
            .order_by("created_at", "pk")[:LIMIT]
        )
        reports_due = list(
            Event.objects.filter(awaiting_report_q(now), group_id__in=led).order_by("-starts_at")[
                :LIMIT
            ]
        )
        to_decide = list(
            Event.objects.filter(group_id__in=led, status=Event.Status.PROPOSED)
            .select_related("group", "host")
            .order_by("starts_at", "pk")[:LIMIT]
        )
        # A draft saved and left is found again here, and on the group page.
        drafts = list(
            Event.objects.filter(group_id__in=led, status=Event.Status.DRAFT)
            .upcoming(now)
            .select_related("group")
            .order_by("starts_at", "pk")[:LIMIT]
        )
    my_proposals = list(
        Event.objects.filter(
            host=user,
            status__in=[Event.Status.PROPOSED, Event.Status.RETURNED, Event.Status.DECLINED],
            ends_at__gte=now,
        )
        .select_related("group")
        .order_by("starts_at", "pk")[:LIMIT]
    )
    return {
        "coming": [r for r in rsvps if r.status == RSVP.Status.CONFIRMED][:LIMIT],
        "waiting": [r for r in rsvps if r.status == RSVP.Status.WAITLISTED][:LIMIT],
        "reports_due": reports_due,
        "proposals_to_decide": to_decide,
        "drafts": drafts,
        "my_proposals": my_proposals,
        "cohost_invitations": invitations,
    }
