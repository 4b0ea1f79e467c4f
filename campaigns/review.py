"""What campaigns put in the reps' queue (groups.review_queue): regional proposals and
funding requests."""

from groups.review_queue import Reviewer, SectionKind, register

from .models import Campaign, FundingRequest


def waiting_proposals(reviewer: Reviewer, now):
    """Regional proposals, for the reps of the region (who decide) and staff (who read)."""
    regions = reviewer.region_ids if reviewer.is_staff else reviewer.deciding_region_ids
    return (
        Campaign.objects.filter(
            status=Campaign.Status.PROPOSED, scope=Campaign.Scope.REGIONAL, region_id__in=regions
        )
        .select_related("proposed_by")
        .order_by("created_at", "pk")
    )


def waiting_funding(reviewer: Reviewer, now):
    """Open funding requests of the groups in view (local campaigns: only they ask)."""
    return (
        FundingRequest.objects.filter(
            status__in=[FundingRequest.Status.PENDING, FundingRequest.Status.QUESTION],
            campaign__group__area_id__in=reviewer.area_ids,
        )
        .select_related("campaign__group", "requested_by")
        .order_by("needed_by", "pk")
    )


def register_sections() -> None:
    register(
        SectionKind(
            key="proposals",
            order=10,
            title="regional campaign proposals",
            template="campaigns/_review_proposals.html",
            waiting=waiting_proposals,
            can_decide=lambda reviewer: bool(reviewer.deciding_region_ids),
        )
    )
    register(
        SectionKind(
            key="funding",
            order=20,
            title="funding requests",
            template="campaigns/_review_funding.html",
            waiting=waiting_funding,
            # Staff who are not reps read funding requests in the admin.
            can_decide=lambda reviewer: bool(reviewer.deciding_region_ids) or not reviewer.is_staff,
        )
    )
