"""Demo data: people who acted without an account. Two confirmed guest signatures on the
first open petition, one of them with a place at the next public event with room, and one
signature still waiting for its click. Safe to run again: each is keyed by its address."""

import logging

from django.db.models import F, Q
from django.utils import timezone

from campaigns.models import Action
from events.models import Event
from portal.models import GuestContact

from . import services
from .models import PendingAction

log = logging.getLogger(__name__)

GUESTS = [
    ("Rosa Demo-Guest", "rosa.guest@example.org"),
    ("Tom Demo-Guest", "tom.guest@example.org"),
]
WAITING = ("Ifeoma Demo-Guest", "ifeoma.guest@example.org")


def seed(*, accounts: dict) -> None:
    petition = (
        Action.objects.filter(kind=Action.Kind.SIGN, campaign__status="active")
        .filter(Q(deadline__isnull=True) | Q(deadline__gte=timezone.localdate()))
        .select_related("campaign")
        .order_by("pk")
        .first()
    )
    if petition is None:
        log.warning("guests demo skipped: no open petition (the campaigns demo is missing)")
        return
    event = (
        Event.objects.public()
        .upcoming()
        .filter(status=Event.Status.PUBLISHED)
        .filter(Q(capacity__isnull=True) | Q(confirmed_count__lt=F("capacity")))
        .order_by("starts_at")
        .first()
    )
    for n, (name, email) in enumerate(GUESTS):
        if GuestContact.objects.filter(email=email).exists():
            continue
        targets = [petition] + ([event] if event is not None and n == 0 else [])
        for target in targets:
            pending = services.start_pending(target=target, name=name, email=email)
            services.confirm_pending(pending_id=pending.pk)
    name, email = WAITING
    if not PendingAction.objects.filter(email=email).exists():
        services.start_pending(target=petition, name=name, email=email)
