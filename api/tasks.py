"""Celery tasks of the API app: webhook deliveries. Names are explicit."""

from celery import shared_task


@shared_task(name="api.send_webhook")
def send_webhook(delivery_id: int) -> str:
    from . import webhooks

    return webhooks.deliver(delivery_id=delivery_id)


@shared_task(name="api.webhook_tick")
def webhook_tick() -> int:
    """Beat: hand out retries that are due and deliveries a dead worker left behind."""
    from . import webhooks

    due = webhooks.due_ids()
    for pk in due:
        send_webhook.delay(pk)
    return len(due)
