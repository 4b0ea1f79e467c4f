"""The campaigns block of My portal: my campaigns with what is left to do, and my actions."""

from django.db.models import Prefetch, Q
from django.utils import timezone

from .models import Action, ActionTaken, CampaignSupporter

MAX_CAMPAIGNS = 20
MAX_ACTIONS = 10


def my_portal_block(request) -> dict:
    user = request.user
    # Actions still open that I have not taken: one query for all my campaigns.
    todo = (
        Action.objects.exclude(taken__user=user)
        .filter(Q(deadline__isnull=True) | Q(deadline__gte=timezone.localdate()))
        .order_by("position", "pk")
    )
    supports = (
        CampaignSupporter.objects.filter(user=user)
        .select_related("campaign")
        .prefetch_related(Prefetch("campaign__actions", queryset=todo, to_attr="todo_actions"))
        .order_by("-created_at")[:MAX_CAMPAIGNS]
    )
    taken = (
        ActionTaken.objects.filter(user=user)
        .select_related("action__campaign")
        .order_by("-created_at")[:MAX_ACTIONS]
    )
    return {"supports": list(supports), "taken": list(taken)}
