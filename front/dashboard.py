"""The "To do" block of My portal: what a lead or rep should act on. A fixed number of
queries: one per kind of item, whatever the number of groups."""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from campaigns.models import Campaign, FundingRequest
from events.models import Event
from groups.models import Membership
from groups.permissions import groups_in_rep_scope
from partners.models import PartnerSuggestion
from resources.permissions import review_queue

SHOWN = 5


def lead_todos(user) -> dict:
    led = list(Membership.objects.leads().filter(user=user).values_list("group_id", flat=True))
    if not led:
        return {}
    now = timezone.now()
    # Reports due are listed by the events block (templates/events/_my_portal.html).
    area_ids = Membership.objects.leads().filter(user=user).values("group__area_id")
    return {
        "proposals": list(
            Campaign.objects.filter(
                status=Campaign.Status.PROPOSED, scope=Campaign.Scope.LOCAL, group_id__in=led
            )
            .select_related("group")
            .order_by("created_at")[:SHOWN]
        ),
        "suggestions": list(
            PartnerSuggestion.objects.filter(
                status=PartnerSuggestion.Status.PENDING, area_id__in=area_ids
            ).order_by("created_at")[:SHOWN]
        ),
        "waitlisted_events": list(
            Event.objects.filter(
                group_id__in=led,
                status=Event.Status.PUBLISHED,
                starts_at__gte=now,
                waitlist_count__gt=0,
            )
            .order_by("starts_at")
            .select_related("group")[:SHOWN]
        ),
    }


def rep_queue_count(user) -> int | None:
    """How many items wait for this rep's decision; None for people who are not reps."""
    if not (user.is_staff or user.has_regional_role):
        return None
    groups = groups_in_rep_scope(user)
    region_ids = groups.values("area__region_id")
    area_ids = groups.values("area_id")
    overdue_before = timezone.now() - timedelta(days=7)
    proposals = Campaign.objects.filter(
        status=Campaign.Status.PROPOSED, scope=Campaign.Scope.REGIONAL, region_id__in=region_ids
    ).count()
    funding = FundingRequest.objects.filter(
        status__in=[FundingRequest.Status.PENDING, FundingRequest.Status.QUESTION]
    ).filter(Q(campaign__group__in=groups) | Q(campaign__region_id__in=region_ids))
    suggestions = PartnerSuggestion.objects.filter(
        status=PartnerSuggestion.Status.PENDING, area_id__in=area_ids
    )
    overdue = Event.objects.filter(
        group__in=groups,
        status=Event.Status.PUBLISHED,
        ends_at__lt=overdue_before,
        report__isnull=True,
    )
    resources = review_queue(user)
    return proposals + funding.count() + suggestions.count() + overdue.count() + resources.count()


def my_portal_block(request) -> dict:
    return {"lead": lead_todos(request.user), "rep_queue": rep_queue_count(request.user)}
