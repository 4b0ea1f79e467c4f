import hashlib
import smtplib

import pytest
from django.core import mail
from django.test import override_settings

from portal import services
from portal.models import OutboxMessage


def queue(key="test:1", **overrides):
    kwargs = {
        "key": key,
        "to": "someone@example.org",
        "subject": "Hello",
        "text": "Plain body",
        "kind": "test",
        **overrides,
    }
    return services.queue_email(**kwargs)


class FlakyBackend:
    """Stands in for an SMTP server we do not run: fails the first N sends."""

    failures = 0
    error: Exception = smtplib.SMTPServerDisconnected("gone")

    def __init__(self, *args, **kwargs):
        pass

    def open(self):
        return True

    def close(self):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def send_messages(self, messages):
        if FlakyBackend.failures:
            FlakyBackend.failures -= 1
            raise FlakyBackend.error
        mail.outbox.extend(messages)
        return len(messages)


@pytest.mark.django_db
def test_queue_email_same_key_twice_keeps_one_row(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        first, created_first = queue()
        second, created_second = queue(subject="Changed")
    assert (created_first, created_second) == (True, False)
    assert first.pk == second.pk
    assert OutboxMessage.objects.get().subject == "Hello"
    assert len(callbacks) == 1


@pytest.mark.django_db
def test_deliver_sends_once_even_when_called_twice():
    message, _ = queue(
        html="<p>Hi</p>",
        attachments=[
            {"filename": "event.ics", "content": "BEGIN:VCALENDAR", "mimetype": "text/calendar"}
        ],
    )
    assert services.deliver_outbox_message(message_id=message.pk) == "sent"
    assert services.deliver_outbox_message(message_id=message.pk) == "skipped"
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert (sent.to, sent.subject, sent.body) == (["someone@example.org"], "Hello", "Plain body")
    assert sent.alternatives[0][1] == "text/html"
    assert sent.attachments[0][0] == "event.ics"
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxMessage.Status.SENT, 1)
    assert message.sent_at is not None


@pytest.mark.django_db
@override_settings(EMAIL_BACKEND="tests.portal.test_outbox.FlakyBackend", OUTBOX_MAX_ATTEMPTS=3)
def test_transient_failure_goes_back_to_pending_then_fails_for_good():
    FlakyBackend.failures, FlakyBackend.error = 5, smtplib.SMTPServerDisconnected("gone")
    message, _ = queue()
    with pytest.raises(services.TransientSendError):
        services.deliver_outbox_message(message_id=message.pk)
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxMessage.Status.PENDING, 1)
    assert message.last_error == "SMTPServerDisconnected: gone"
    assert message.next_attempt_at > message.created_at
    # Not due yet: a second delivery must wait for the backoff.
    assert services.deliver_outbox_message(message_id=message.pk) == "skipped"
    for expected_attempts in (2, 3):
        OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=message.created_at)
        outcome = None
        try:
            outcome = services.deliver_outbox_message(message_id=message.pk)
        except services.TransientSendError:
            outcome = "retry"
        message.refresh_from_db()
        assert message.attempts == expected_attempts
    assert outcome == "failed"
    assert message.status == OutboxMessage.Status.FAILED
    assert mail.outbox == []


@pytest.mark.django_db
@override_settings(EMAIL_BACKEND="tests.portal.test_outbox.FlakyBackend")
def test_permanent_failure_is_failed_at_once_and_resend_requeues(
    django_capture_on_commit_callbacks,
):
    FlakyBackend.failures = 1
    FlakyBackend.error = smtplib.SMTPRecipientsRefused({"someone@example.org": (550, b"no")})
    message, _ = queue()
    assert services.deliver_outbox_message(message_id=message.pk) == "failed"
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED
    with django_capture_on_commit_callbacks() as callbacks:
        assert services.resend_outbox_messages(message_ids=[message.pk]) == 1
    assert len(callbacks) == 1
    assert services.deliver_outbox_message(message_id=message.pk) == "sent"
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_sweep_sends_rows_whose_task_was_lost(django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    message, _ = queue()
    OutboxMessage.objects.filter(pk=message.pk).update(
        next_attempt_at=timezone.now() - timedelta(minutes=5)
    )
    fresh, _ = queue(key="test:fresh")
    assert services.due_outbox_ids() == [message.pk]
    assert services.deliver_outbox_batch(message_ids=services.due_outbox_ids()) == {"sent": 1}
    assert [m.to for m in mail.outbox] == [["someone@example.org"]]
    fresh.refresh_from_db()
    assert fresh.status == OutboxMessage.Status.PENDING


@pytest.mark.django_db
def test_outbox_admin_lists_messages_for_staff(client):
    from tests.factories import UserFactory

    queue()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.get("/admin/portal/outboxmessage/?status__exact=pending")
    assert response.status_code == 200
    assert "someone@example.org" in response.content.decode()


@pytest.mark.django_db
def test_purge_removes_sent_and_failed_copies_past_retention_only():
    from datetime import timedelta

    from django.utils import timezone

    from portal.tasks import purge_outbox

    old = timezone.now() - timedelta(days=91)
    for key, status, created in [
        ("old-sent", OutboxMessage.Status.SENT, old),
        ("old-failed", OutboxMessage.Status.FAILED, old),
        ("old-pending", OutboxMessage.Status.PENDING, old),
        ("new-sent", OutboxMessage.Status.SENT, timezone.now()),
    ]:
        message, _ = queue(key=key)
        OutboxMessage.objects.filter(pk=message.pk).update(status=status, created_at=created)
    assert purge_outbox() == 2
    assert sorted(OutboxMessage.objects.values_list("dedupe_key", flat=True)) == [
        "new-sent",
        "old-pending",
    ]


@pytest.mark.django_db
def test_a_message_sent_again_after_a_worker_died_keeps_its_message_id(settings):
    """A worker killed after the SMTP server took the message, before the row was marked
    sent: the sweep sends it again once the claim is stale, with the same Message-ID, so
    mail providers and clients fold the two copies."""
    from datetime import timedelta

    from django.utils import timezone

    settings.DEFAULT_FROM_EMAIL = "People Power <no-reply@portal.example.org>"
    message, _ = queue(key="test:killed")
    other, _ = queue(key="test:other", to="other@example.org")
    assert services.deliver_outbox_message(message_id=message.pk) == "sent"
    assert services.deliver_outbox_message(message_id=other.pk) == "sent"
    # What the dead worker left: the row still claimed, its claim now stale.
    claimed = timezone.now() - timedelta(seconds=settings.OUTBOX_STALE_SECONDS + 1)
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxMessage.Status.SENDING, claimed_at=claimed, sent_at=None
    )
    assert services.due_outbox_ids() == [message.pk]
    assert services.deliver_outbox_batch(message_ids=[message.pk]) == {"sent": 1}
    first, second_message, again = mail.outbox
    expected = "<" + hashlib.sha256(b"test:killed").hexdigest()[:40] + "@portal.example.org>"
    assert first.extra_headers["Message-ID"] == again.extra_headers["Message-ID"] == expected
    assert first.message()["Message-ID"] == expected
    assert second_message.extra_headers["Message-ID"] != expected


def test_a_live_workers_claim_is_never_taken_for_a_dead_one(settings):
    # A live worker's claim is at most the task's hard time limit old.
    assert settings.OUTBOX_STALE_SECONDS > settings.CELERY_TASK_TIME_LIMIT
    assert settings.OUTBOX_STALE_SECONDS <= settings.CELERY_TASK_TIME_LIMIT + 60
