"""The core's Celery tasks: the mail outbox and bulk sends. Names are explicit so that a
task queued before a module moved still finds its code."""

from celery import shared_task
from django.conf import settings

from . import bulk, services
from .models import OutboxMessage


@shared_task(bind=True, max_retries=None, name="portal.tasks.send_outbox_message")
def send_outbox_message(self, message_id: int) -> str:
    try:
        return services.deliver_outbox_message(message_id=message_id)
    except services.TransientSendError as exc:
        attempts = OutboxMessage.objects.filter(pk=message_id).values_list("attempts", flat=True)
        raise self.retry(exc=exc, countdown=services.retry_delay(attempts[0])) from exc


@shared_task(name="portal.tasks.sweep_outbox")
def sweep_outbox() -> dict[str, int]:
    """Beat: send whatever a lost task or a dead worker left behind."""
    return services.deliver_outbox_batch(message_ids=services.due_outbox_ids())


@shared_task(name="portal.tasks.purge_outbox")
def purge_outbox() -> int:
    """Beat, daily: drop email copies older than OUTBOX_RETENTION_DAYS."""
    return services.purge_old_outbox(older_than_days=settings.OUTBOX_RETENTION_DAYS)


@shared_task(name="portal.tasks.plan_bulk_run")
def plan_bulk_run(run_id: int) -> int:
    """After a bulk send starts: split it into batches and hand them to workers."""
    bulk.plan_run(run_id=run_id)
    return bulk.dispatch_batches()


@shared_task(name="portal.tasks.bulk_tick")
def bulk_tick() -> dict[str, int]:
    """Beat: plan runs whose planning task was lost; dispatch lost batches again."""
    return bulk.run_bulk_tick()


# The name it had when digests were the only bulk send: batches queued before the upgrade
# still find it.
@shared_task(name="portal.tasks.dispatch_digest_batches")
def dispatch_digest_batches() -> int:
    return bulk.dispatch_batches()


@shared_task(name="portal.tasks.send_digest_batch")
def send_bulk_batch(batch_id: int) -> dict[str, int]:
    return bulk.send_batch(batch_id=batch_id)
