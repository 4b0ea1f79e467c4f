from celery import shared_task

from . import services


@shared_task(bind=True, max_retries=None)
def send_outbox_message(self, message_id: int) -> str:
    try:
        return services.deliver_outbox_message(message_id=message_id)
    except services.TransientSendError as exc:
        from .models import OutboxMessage

        attempts = OutboxMessage.objects.filter(pk=message_id).values_list("attempts", flat=True)
        raise self.retry(exc=exc, countdown=services.retry_delay(attempts[0])) from exc


@shared_task
def sweep_outbox() -> dict[str, int]:
    """Beat: send whatever a lost task or a dead worker left behind."""
    return services.deliver_outbox_batch(message_ids=services.due_outbox_ids())


# Reminders and digests (portal.reminders, portal.digests): beat ticks find what is due in
# the database, so a tick lost with the broker is made up by the next one.


@shared_task
def reminder_tick() -> dict[str, int]:
    from . import reminders

    return reminders.run_reminder_tick()


@shared_task
def digest_tick() -> dict[str, int]:
    from . import digests

    return digests.run_digest_tick()


@shared_task
def dispatch_digest_batches() -> int:
    from . import digests

    return digests.dispatch_batches()


@shared_task
def send_digest_batch(batch_id: int) -> dict[str, int]:
    from . import digests

    return digests.send_batch(batch_id=batch_id)


@shared_task
def purge_outbox() -> int:
    """Beat, daily: drop email copies older than OUTBOX_RETENTION_DAYS."""
    from django.conf import settings

    return services.purge_old_outbox(older_than_days=settings.OUTBOX_RETENTION_DAYS)
