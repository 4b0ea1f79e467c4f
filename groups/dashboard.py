"""The "My groups" block of My portal."""

from django.db.models import F, Window
from django.db.models.functions import RowNumber

from .models import Announcement, Membership

ANNOUNCEMENTS_PER_GROUP = 2


def my_portal_block(request) -> dict:
    user = request.user
    memberships = list(
        Membership.objects.current()
        .filter(user=user, group__is_active=True)
        .select_related("group")
        .order_by("group__name")
    )
    by_group = {m.group_id: m for m in memberships}
    for m in memberships:
        m.latest_announcements = []
    if by_group:
        # One query for every group's latest few, however many groups there are.
        latest = (
            Announcement.objects.filter(group_id__in=by_group)
            .annotate(
                position=Window(
                    RowNumber(), partition_by=F("group_id"), order_by=F("created_at").desc()
                )
            )
            .filter(position__lte=ANNOUNCEMENTS_PER_GROUP)
            .order_by("group_id", "position")
        )
        for announcement in latest:
            by_group[announcement.group_id].latest_announcements.append(announcement)
    is_rep = user.is_staff or user.has_regional_role
    return {"memberships": memberships, "is_rep": is_rep}
