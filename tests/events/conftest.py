from tests.people import login_as  # noqa: F401 (the app's tests import it from here)


def deliver_outbox():
    """Send every queued email now (what the Celery task does after commit)."""
    from portal.models import OutboxMessage
    from portal.services import deliver_outbox_message

    pending = OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).order_by("pk")
    for pk in pending.values_list("pk", flat=True):
        deliver_outbox_message(message_id=pk)
