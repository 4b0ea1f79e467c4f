"""The festivals index: current and upcoming festivals (issue 16), so a week of events can
be found without knowing its address."""

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.shortcuts import render
from django.utils import timezone

from groups.models import LocalGroup

from .models import Event
from .permissions import visible_festivals

PAGE_SIZE = 20


def festival_list(request):
    """Published festivals that have not ended (and a lead's own drafts), soonest first,
    each with its hosts and its number of published sessions: three queries."""
    today = timezone.localdate()
    festivals = (
        visible_festivals(request.user)
        .filter(ends_on__gte=today)
        .annotate(
            session_count=Count(
                "sessions",
                filter=Q(sessions__status=Event.Status.PUBLISHED),
                distinct=True,
            )
        )
        .prefetch_related(
            Prefetch(
                "host_groups", queryset=LocalGroup.objects.order_by("name").only("name", "slug")
            )
        )
        .order_by("starts_on", "pk")
    )
    page = Paginator(festivals, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "events/festival_list.html", {"page": page, "today": today})
