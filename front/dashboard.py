"""The "To do" block of My portal: what a lead or rep should act on. A fixed number of
queries: one per kind of item, whatever the number of groups."""

from django.utils import timezone

from campaigns.models import Campaign
from events.models import Event
from groups import coverage, review_queue
from partners.models import PartnerSuggestion

SHOWN = 5


def lead_todos(user) -> dict:
    led = coverage.covered_groups(user, roles={coverage.LEAD})
    if not led.exists():
        return {}
    now = timezone.now()
    # Reports due are listed by the events block (templates/events/_my_portal.html).
    return {
        "proposals": list(
            Campaign.objects.filter(
                status=Campaign.Status.PROPOSED, scope=Campaign.Scope.LOCAL, group__in=led
            )
            .select_related("group")
            .order_by("created_at")[:SHOWN]
        ),
        "suggestions": list(
            PartnerSuggestion.objects.filter(
                status=PartnerSuggestion.Status.PENDING,
                area__in=coverage.covered_areas(user, roles={coverage.LEAD}),
            ).order_by("created_at")[:SHOWN]
        ),
        "waitlisted_events": list(
            Event.objects.filter(
                group__in=led,
                status=Event.Status.PUBLISHED,
                starts_at__gte=now,
                waitlist_count__gt=0,
            )
            .order_by("starts_at")
            .select_related("group")[:SHOWN]
        ),
    }


def my_portal_block(request) -> dict:
    # The badge counts the same queue the review dashboard shows (groups.review_queue).
    return {
        "lead": lead_todos(request.user),
        "rep_queue": review_queue.queue_size(request.user, timezone.now()),
    }
