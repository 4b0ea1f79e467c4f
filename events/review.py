"""What events put in the reps' queue (groups.review_queue): overdue event reports."""

from groups.review_queue import Reviewer, SectionKind, register

from .models import Event, report_overdue_q


def waiting_reports(reviewer: Reviewer, now):
    return (
        Event.objects.filter(
            report_overdue_q(now), group__area_id__in=reviewer.area_ids, group__is_active=True
        )
        .select_related("group")
        .order_by("starts_at", "pk")
    )


def register_sections() -> None:
    register(
        SectionKind(
            key="overdue",
            order=40,
            title="overdue event reports",
            template="events/_review_overdue.html",
            waiting=waiting_reports,
        )
    )
