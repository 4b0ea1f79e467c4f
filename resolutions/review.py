"""What resolutions put in the organisers' queue (groups.review_queue): resolutions that
reached both thresholds, waiting for an agenda decision. Staff decide the AGM's; the reps
of the region decide a regional conference's (staff read those)."""

from groups.review_queue import Reviewer, SectionKind, register

from .models import Resolution


def _submitted():
    return (
        Resolution.objects.filter(status=Resolution.Status.SUBMITTED)
        .select_related("meeting", "group")
        .order_by("submitted_at", "pk")
    )


def waiting_agm(reviewer: Reviewer, now):
    if not reviewer.is_staff:
        return Resolution.objects.none()
    return _submitted().filter(meeting__region__isnull=True)


def waiting_regional(reviewer: Reviewer, now):
    regions = reviewer.region_ids if reviewer.is_staff else reviewer.deciding_region_ids
    return _submitted().filter(meeting__region_id__in=regions)


def register_sections() -> None:
    register(
        SectionKind(
            key="resolutions_agm",
            order=50,
            title="AGM resolutions",
            template="resolutions/_review_agm.html",
            waiting=waiting_agm,
            can_decide=lambda reviewer: reviewer.is_staff,
        )
    )
    register(
        SectionKind(
            key="resolutions_regional",
            order=51,
            title="regional conference resolutions",
            template="resolutions/_review_regional.html",
            waiting=waiting_regional,
            can_decide=lambda reviewer: bool(reviewer.deciding_region_ids),
        )
    )
