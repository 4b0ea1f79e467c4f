"""Event reminders: rows polled by beat, never far-future ETA tasks.

Every REMINDER_TICK_SECONDS the reminder tick (events.tasks.reminder_tick)
1. creates a ReminderSchedule row per kind for each published event starting within
   REMINDER_LOOKAHEAD_HOURS, and recomputes it when the event's start has moved;
2. sends each due row: it locks the row (SELECT ... FOR UPDATE SKIP LOCKED), queues one
   outbox email per confirmed RSVP and marks the row sent, all in one transaction. Two
   ticks at once each skip the row the other holds; a worker killed half-way rolls back
   and leaves the row pending for the next tick. The outbox dedupe key is the second guard.

A reminder whose time had already passed when the row was made or recomputed (the event
was created, published or moved too late for it) is skipped, never sent late. The one
exception is the grace of one tick interval: a reminder due at 18:00 for an event
published at 17:58 is found by the 18:02 tick and still goes.
"""

import logging
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from portal.dates import LONDON
from portal.services import queue_email, render_email

from .links import cancel_url_for
from .models import RSVP, Event, ReminderSchedule

log = logging.getLogger(__name__)
Kind = ReminderSchedule.Kind
Status = ReminderSchedule.Status


def reminder_times(starts_at: datetime) -> dict[str, datetime]:
    """When each reminder for an event starting then is due.

    The day-before one is at a wall-clock time in London on the previous calendar day,
    so it stays at 18:00 across a clock change; the same-day one is a fixed number of
    real hours before the start."""
    hour, minute = (int(part) for part in settings.REMINDER_DAY_BEFORE_LOCAL_TIME.split(":"))
    local_day = starts_at.astimezone(LONDON).date() - timedelta(days=1)
    return {
        Kind.DAY_BEFORE: datetime.combine(local_day, time(hour, minute), tzinfo=LONDON),
        Kind.SAME_DAY: starts_at - timedelta(hours=settings.REMINDER_HOURS_BEFORE),
    }


def _grace_start(now: datetime) -> datetime:
    return now - timedelta(seconds=settings.REMINDER_TICK_SECONDS)


def sync_reminder_schedules(*, now: datetime | None = None) -> tuple[int, int]:
    """Create rows for events coming into the window and recompute rows of moved events.
    Returns (created, recomputed)."""
    now = now or timezone.now()
    events = list(
        Event.objects.filter(
            status=Event.Status.PUBLISHED,
            starts_at__gt=now,
            starts_at__lte=now + timedelta(hours=settings.REMINDER_LOOKAHEAD_HOURS),
        ).values_list("pk", "starts_at")
    )
    existing = {
        (row.event_id, row.kind): row
        for row in ReminderSchedule.objects.filter(event_id__in=[pk for pk, _ in events])
    }
    grace = _grace_start(now)
    new, moved = [], []
    for event_id, starts_at in events:
        for kind, due_at in reminder_times(starts_at).items():
            status = Status.PENDING if due_at >= grace else Status.SKIPPED
            row = existing.get((event_id, kind))
            if row is None:
                new.append(
                    ReminderSchedule(
                        event_id=event_id,
                        kind=kind,
                        due_at=due_at,
                        starts_at=starts_at,
                        status=status,
                        processed_at=None if status == Status.PENDING else now,
                        created_at=now,
                    )
                )
            elif row.starts_at != starts_at:
                row.due_at, row.starts_at, row.status = due_at, starts_at, status
                row.processed_at = None if status == Status.PENDING else now
                row.recipients = 0
                moved.append(row)
    # Two ticks at once: the unique (event, kind) constraint keeps the first row.
    ReminderSchedule.objects.bulk_create(new, ignore_conflicts=True)
    ReminderSchedule.objects.bulk_update(
        moved, ["due_at", "starts_at", "status", "processed_at", "recipients"]
    )
    return len(new), len(moved)


def reminder_key(*, event_id: int, user_id: int | str, kind: str, starts_at: datetime) -> str:
    """reminder:<event>:<user>:<kind>:<start>; the start is in the key so that a moved
    event's still-due reminder is not taken for the one sent for the old time."""
    return f"reminder:{event_id}:{user_id}:{kind}:{starts_at.astimezone(LONDON):%Y%m%dT%H%M}"


def _skip_reason(schedule: ReminderSchedule, event: Event, now: datetime) -> str:
    if event.status != Event.Status.PUBLISHED:
        return "event not published"
    if event.starts_at != schedule.starts_at:
        return "event moved"  # the next sync recomputes the row
    if event.starts_at <= now:
        return "event started"
    if schedule.kind == Kind.DAY_BEFORE and reminder_times(event.starts_at)[Kind.SAME_DAY] <= now:
        return "superseded by the same-day reminder"  # e.g. after an outage
    return ""


def _queue_reminders(schedule: ReminderSchedule, now: datetime) -> int:
    event = Event.objects.select_related("venue", "group").get(pk=schedule.event_id)
    reason = _skip_reason(schedule, event, now)
    if reason:
        log.info("reminder %s skipped: %s", schedule.pk, reason)
        schedule.status = Status.SKIPPED
        schedule.processed_at = now
        schedule.save(update_fields=["status", "processed_at"])
        return 0
    # Accounts that want reminders, and guests (who asked for this one event by RSVPing).
    rsvps = (
        RSVP.objects.filter(event=event, status=RSVP.Status.CONFIRMED)
        .filter(
            Q(user__is_active=True, user__event_reminders=True)
            | Q(user__isnull=True, guest__isnull=False)
        )
        .select_related("user", "guest")
        .order_by("pk")
    )
    event_url = settings.SITE_URL + event.get_absolute_url()
    settings_url = settings.SITE_URL + reverse("notifications:settings")
    count = 0
    for rsvp in rsvps:
        person = rsvp.person
        subject, text, html = render_email(
            "reminder",
            {
                "event": event,
                "user": person,
                "kind": schedule.kind,
                "same_day": schedule.kind == Kind.SAME_DAY,
                "online": event.mode != Event.Mode.IN_PERSON and event.online_url,
                "event_url": event_url,
                "cancel_url": cancel_url_for(rsvp),
                "settings_url": settings_url if rsvp.user_id else "",
            },
        )
        queue_email(
            key=reminder_key(
                event_id=event.pk,
                user_id=rsvp.user_id if rsvp.user_id else f"g{rsvp.guest_id}",
                kind=schedule.kind,
                starts_at=event.starts_at,
            ),
            to=person.email,
            subject=subject,
            text=text,
            html=html,
            kind=f"reminder_{schedule.kind}",
            user=rsvp.user,
        )
        count += 1
    schedule.status = Status.SENT
    schedule.processed_at = now
    schedule.recipients = count
    schedule.save(update_fields=["status", "processed_at", "recipients"])
    return count


def send_due_reminders(*, now: datetime | None = None) -> int:
    """Queue every due reminder; one transaction per event. Returns emails queued."""
    now = now or timezone.now()
    total = 0
    while True:
        with transaction.atomic():
            schedule = (
                ReminderSchedule.objects.select_for_update(skip_locked=True)
                .filter(status=Status.PENDING, due_at__lte=now)
                .order_by("due_at", "pk")
                .first()
            )
            if schedule is None:
                return total
            total += _queue_reminders(schedule, now)


def run_reminder_tick(*, now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    created, moved = sync_reminder_schedules(now=now)
    return {"created": created, "recomputed": moved, "queued": send_due_reminders(now=now)}
