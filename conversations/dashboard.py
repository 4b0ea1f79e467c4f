"""The conversations block of My portal: unread threads, and for the people who moderate
a place, the reports waiting in it."""

from django.db.models import Count, Q, Window

from groups.models import Membership

from .models import PLACE_FIELDS, Report
from .permissions import readable_threads
from .unread import _unread_q, with_read_at

LIMIT = 5


def my_portal_block(request) -> dict:
    user = request.user
    # The total comes with each row (COUNT(*) OVER ()): one query for both.
    unread = list(
        with_read_at(readable_threads(user), user)
        .filter(_unread_q(user))
        .annotate(total=Window(Count("*")))
        .select_related(*PLACE_FIELDS)
        .order_by("-last_post_at", "-pk")[:LIMIT]
    )
    count = unread[0].total if unread else 0
    # A lead's reports: posts reported in the groups they lead and in the discussions of
    # the resolutions those groups propose (reps see theirs in /review/).
    led = Membership.objects.leads().filter(user=user).values("group_id")
    reports = list(
        Report.objects.filter(resolved_at__isnull=True)
        .filter(Q(post__thread__group__in=led) | Q(post__thread__resolution__group__in=led))
        .select_related("post__thread__group", "post__thread__resolution", "post__author")
        .order_by("created_at", "pk")[:LIMIT]
    )
    return {"unread_threads": unread, "unread_count": count, "reports": reports}
