"""Real Celery workers against the test database and the broker the settings name."""

import os
import signal
import subprocess
import uuid
from collections import Counter
from datetime import timedelta
from email import message_from_bytes

import pytest
from django.test import override_settings
from django.utils import timezone

from campaigns.models import CampaignSupporter, CampaignUpdate
from front import digests
from portal import tasks
from portal.models import BulkBatch, OutboxMessage
from tests.factories import UserFactory
from tests.portal.test_worker import SHORT_CLAIMS, wait_for
from tests.portal.test_worker import start_worker as start_real_worker

from .test_digests import campaign


def start_worker(queue, mail_dir, log_path, **env_vars) -> subprocess.Popen:
    return start_real_worker(
        queue, mail_dir, log_path, concurrency=1, SITE_URL="https://portal.example.org", **env_vars
    )


def recipients_of(mail_dir) -> Counter:
    return Counter(message_from_bytes(path.read_bytes())["To"] for path in mail_dir.glob("*.eml"))


@pytest.mark.worker
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_worker_killed_mid_batch_sends_nothing_twice_and_loses_nothing(tmp_path):
    now = timezone.now()
    lift = campaign("Lift the Ban")
    CampaignUpdate.objects.create(campaign=lift, title="News", body="x", created_at=now)
    users = UserFactory.create_batch(8, campaign_digest_consent_at=now)
    for user in users:
        CampaignSupporter.objects.create(campaign=lift, user=user)
    run = digests.plan_run(
        kind=digests.Kind.ACTIVIST_WEEKLY, period="2027-W09", since=now - timedelta(days=7)
    )
    batch = run.batches.get()
    queue = f"test-{uuid.uuid4().hex[:10]}"
    mail_dir = tmp_path / "mail"

    # One email a second, so that the kill lands between two sends.
    tasks.send_bulk_batch.apply_async((batch.pk,), queue=queue)
    first = start_worker(
        queue, mail_dir, tmp_path / "first.log", **{**SHORT, "DIGEST_SEND_RATE_PER_SECOND": "1"}
    )
    try:
        assert wait_for(lambda: len(recipients_of(mail_dir)) >= 3, timeout=90), (
            tmp_path / "first.log"
        ).read_text()[-3000:]
    finally:
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(timeout=30)
    sent_before = sum(recipients_of(mail_dir).values())
    assert 3 <= sent_before < 8
    batch.refresh_from_db()
    assert batch.status == BulkBatch.Status.QUEUED

    # Beat's bulk tick hands the batch out again once its claim is stale, and it finishes.
    second = start_worker(queue, mail_dir, tmp_path / "second.log", **SHORT)
    try:

        def tick_until_done():
            tasks.bulk_tick.apply_async(queue=queue)
            return BulkBatch.objects.filter(pk=batch.pk, status="done").exists()

        done = wait_for(tick_until_done, timeout=90, every=2.0)
        assert done, (tmp_path / "second.log").read_text()[-3000:]
    finally:
        second.terminate()
        # A worker holding a reserved (unacknowledged) message takes about 30 s
        # of warm shutdown before it restores it to the queue.
        second.wait(timeout=90)
    assert recipients_of(mail_dir) == Counter({user.email: 1 for user in users})
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"sent"}
    assert OutboxMessage.objects.filter(attempts=1).count() == 8


SHORT = {**SHORT_CLAIMS, "DIGEST_SEND_RATE_PER_SECOND": "0"}


@pytest.mark.worker
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_worker_killed_mid_build_is_replaced_within_the_short_stale_time(tmp_path):
    """A worker SIGKILLed while building a digest batch: the batch's claim goes stale after
    BULK_BATCH_STALE_SECONDS (not DIGEST_REDISPATCH_SECONDS, an hour), the bulk tick hands
    it out again, and every digest arrives once, within that short time."""
    from django.db import connection, transaction

    from portal import bulk

    now = timezone.now()
    lift = campaign("Lift the Ban")
    CampaignUpdate.objects.create(campaign=lift, title="News", body="x", created_at=now)
    users = UserFactory.create_batch(8, campaign_digest_consent_at=now)
    for user in users:
        CampaignSupporter.objects.create(campaign=lift, user=user)
    run = digests.plan_run(
        kind=digests.Kind.ACTIVIST_WEEKLY, period="2027-W09", since=now - timedelta(days=7)
    )
    batch = run.batches.get()
    BulkBatch.objects.filter(pk=batch.pk).update(dispatched_at=now)
    queue = f"test-{uuid.uuid4().hex[:10]}"
    mail_dir = tmp_path / "mail"

    class Killed(Exception):
        pass

    # Hold one of the batch's dedupe keys in an open transaction: the worker's bulk insert
    # waits on it, so the kill lands mid-build, deterministically.
    with pytest.raises(Killed), transaction.atomic():
        OutboxMessage.objects.create(
            dedupe_key=digests.digest_key(run, users[-1].pk), kind="x", to="x@example.org"
        )
        tasks.send_bulk_batch.apply_async((batch.pk,), queue=queue)
        first = start_worker(queue, mail_dir, tmp_path / "first.log", **SHORT)
        try:

            def waiting_on_our_lock():
                with connection.cursor() as cursor:
                    # Activity views are snapshotted once per transaction: take a new one.
                    cursor.execute("SELECT pg_stat_clear_snapshot()")
                    cursor.execute(
                        "SELECT count(*) FROM pg_stat_activity "
                        "WHERE datname = current_database() AND wait_event_type = 'Lock' "
                        "AND query LIKE 'INSERT INTO%%outbox%%'"
                    )
                    return cursor.fetchone()[0] >= 1

            assert wait_for(waiting_on_our_lock, timeout=90), (tmp_path / "first.log").read_text()[
                -3000:
            ]
        finally:
            os.killpg(first.pid, signal.SIGKILL)
            first.wait(timeout=30)
        raise Killed  # roll our row back: the dead worker's insert then rolls back too
    killed_at = timezone.now()
    assert wait_for(lambda: not OutboxMessage.objects.exists(), timeout=30)
    batch.refresh_from_db()
    assert (batch.status, batch.claimed_at is not None) == (BulkBatch.Status.PENDING, True)

    second = start_worker(queue, mail_dir, tmp_path / "second.log", **SHORT)
    try:
        with override_settings(BULK_BATCH_STALE_SECONDS=12):
            # Not handed out again while the claim could still be a live worker's.
            assert bulk.dispatchable_batches(timezone.now()).count() == 0

        def tick_until_done():
            tasks.bulk_tick.apply_async(queue=queue)
            return BulkBatch.objects.filter(pk=batch.pk, status="done").exists()

        done = wait_for(tick_until_done, timeout=90, every=2.0)
        assert done, (tmp_path / "second.log").read_text()[-3000:]
    finally:
        second.terminate()
        # A worker holding a reserved (unacknowledged) message takes about 30 s
        # of warm shutdown before it restores it to the queue.
        second.wait(timeout=90)
    batch.refresh_from_db()
    assert recipients_of(mail_dir) == Counter({user.email: 1 for user in users})
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"sent"}
    # Stale after 12 s, a tick every 2 s, and time to build and send on a loaded machine.
    assert (batch.done_at - killed_at).total_seconds() < 12 + 2 + 30
    assert (batch.claimed_at - killed_at).total_seconds() >= 12 - 5
