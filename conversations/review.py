"""What conversations put in the reps' queue (groups.review_queue): open reports of posts
in the groups, regions and campaigns of the reviewer's patch, and in the discussions of
the resolutions they organise (a regional conference's for its region's reps, the AGM's
for staff)."""

from django.db.models import Q

from events.models import Festival
from groups.review_queue import Reviewer, SectionKind, register

from .models import Report


def waiting_reports(reviewer: Reviewer, now):
    return (
        Report.objects.filter(resolved_at__isnull=True)
        .filter(
            Q(post__thread__group__area_id__in=reviewer.area_ids)
            | Q(post__thread__region_id__in=reviewer.region_ids)
            | Q(post__thread__campaign__region_id__in=reviewer.region_ids)
            | Q(post__thread__campaign__group__area_id__in=reviewer.area_ids)
            | Q(
                post__thread__festival__in=Festival.objects.filter(
                    host_groups__area_id__in=reviewer.area_ids
                ).values("pk")
            )
            | Q(post__thread__resolution__meeting__region_id__in=reviewer.deciding_region_ids)
            | (
                Q(post__thread__campaign__scope="national")
                | Q(post__thread__resolution__meeting__kind="agm")
                if reviewer.is_staff
                else Q(pk__in=[])
            )
        )
        .select_related("post__thread", "post__author", "reported_by")
        .order_by("created_at", "pk")
    )


def register_sections() -> None:
    register(
        SectionKind(
            key="conversation_reports",
            order=60,
            title="reported posts",
            template="conversations/_review_reports.html",
            waiting=waiting_reports,
        )
    )
