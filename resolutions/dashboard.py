"""The resolutions block of My portal (wired in by front/): what I proposed, drafts my
groups' leads may endorse, and what I support. Three queries."""

from django.db.models import Q

from groups.models import Membership

from .models import Resolution

SHOWN = 10


def my_portal_block(request) -> dict:
    user = request.user
    related = Resolution.objects.select_related("meeting")
    proposed = related.filter(proposer=user).order_by("-created_at", "-pk")[:SHOWN]
    to_endorse = (
        related.filter(status=Resolution.Status.DRAFT)
        .filter(group_id__in=Membership.objects.leads().filter(user=user).values("group_id"))
        .filter(~Q(proposer=user))
        .order_by("created_at", "pk")[:SHOWN]
    )
    supported = related.filter(supports__user=user).order_by("-supports__created_at")[:SHOWN]
    return {
        "proposed": list(proposed),
        "to_endorse": list(to_endorse),
        "supported": list(supported),
    }
