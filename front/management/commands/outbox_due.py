from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db.models import Count, Q
from django.utils import timezone

from events import reminders
from events.models import RSVP, Event, ReminderSchedule
from front import digests
from portal.models import BulkBatch, BulkRun, OutboxMessage


class Command(BaseCommand):
    help = "Show what is due in the next hour: reminders, digests and the mail outbox."

    def add_arguments(self, parser):
        parser.add_argument("--minutes", type=int, default=60, help="How far ahead (default 60).")

    def handle(self, *args, minutes, **options):
        now = timezone.now()
        until = now + timedelta(minutes=minutes)
        self.stdout.write(f"Due between {self._local(now)} and {self._local(until)} (UK time)")
        self._reminders(now, until)
        self._digests(now, until)
        self._outbox(now, until)

    def _local(self, moment):
        return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"

    def _reminders(self, now, until):
        self.stdout.write("\nReminders")
        rows = list(
            ReminderSchedule.objects.filter(
                status=ReminderSchedule.Status.PENDING, due_at__lte=until
            )
            .select_related("event")
            .annotate(
                people=Count(
                    "event__rsvps",
                    filter=Q(
                        event__rsvps__status=RSVP.Status.CONFIRMED,
                        event__rsvps__user__event_reminders=True,
                    ),
                )
            )
        )
        scheduled = set(ReminderSchedule.objects.values_list("event_id", "kind"))
        # Events the next tick will schedule (published since the last tick).
        horizon = now + timedelta(hours=settings.REMINDER_LOOKAHEAD_HOURS)
        unscheduled = []
        for event in Event.objects.filter(
            status=Event.Status.PUBLISHED, starts_at__gt=now, starts_at__lte=horizon
        ).annotate(people=Count("rsvps", filter=Q(rsvps__status=RSVP.Status.CONFIRMED))):
            for kind, due_at in reminders.reminder_times(event.starts_at).items():
                grace = now - timedelta(seconds=settings.REMINDER_TICK_SECONDS)
                if (event.pk, kind) not in scheduled and grace <= due_at <= until:
                    unscheduled.append((due_at, kind, event, event.people))
        lines = [(r.due_at, r.kind, r.event, r.people) for r in rows] + unscheduled
        for due_at, kind, event, people in sorted(lines, key=lambda line: line[0]):
            self.stdout.write(
                f"  {self._local(due_at)}  {kind:<10}  {event.title} ({people} confirmed)"
            )
        if not lines:
            self.stdout.write("  none")

    def _digests(self, now, until):
        self.stdout.write("\nDigests")
        moments = [
            now + timedelta(minutes=m) for m in range(0, int((until - now).seconds / 60) + 1, 15)
        ]
        seen = set()
        for moment in moments:
            for kind, period, _since in digests.runs_due(moment):
                if (kind, period) in seen or BulkRun.objects.filter(kind=kind, key=period).exists():
                    continue
                seen.add((kind, period))
                count = digests.recipients(kind).count()
                self.stdout.write(
                    f"  {self._local(moment)}  {kind} {period}: up to {count} recipients"
                )
        unfinished = (
            BulkBatch.objects.exclude(status=BulkBatch.Status.DONE)
            .values("run__kind", "run__key", "status")
            .annotate(batches=Count("pk"))
            .order_by("run__key", "run__kind", "status")
        )
        for row in unfinished:
            self.stdout.write(
                f"  in progress  {row['run__kind']} {row['run__key']}: "
                f"{row['batches']} batch(es) {row['status']}"
            )
        if not seen and not unfinished:
            self.stdout.write("  none")

    def _outbox(self, now, until):
        self.stdout.write("\nOutbox")
        stale = now - timedelta(seconds=settings.OUTBOX_STALE_SECONDS)
        pending = (
            OutboxMessage.objects.filter(
                status=OutboxMessage.Status.PENDING, next_attempt_at__lte=until
            )
            .values("kind")
            .annotate(n=Count("pk"))
            .order_by("kind")
        )
        for row in pending:
            self.stdout.write(f"  pending  {row['kind']}: {row['n']}")
        stuck = OutboxMessage.objects.filter(
            status=OutboxMessage.Status.SENDING, claimed_at__lt=stale
        ).count()
        failed = OutboxMessage.objects.filter(status=OutboxMessage.Status.FAILED).count()
        self.stdout.write(f"  claimed by a worker that died (will be retried): {stuck}")
        self.stdout.write(f"  failed (resend from the admin): {failed}")
