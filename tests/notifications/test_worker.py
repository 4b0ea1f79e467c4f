"""Real Celery workers against the test database and the broker the settings name."""

import os
import signal
import subprocess
import uuid
from collections import Counter
from datetime import timedelta
from email import message_from_bytes

import pytest
from django.utils import timezone

from campaigns.models import CampaignSupporter, CampaignUpdate
from front import digests
from portal import tasks
from portal.models import BulkBatch, OutboxMessage
from tests.factories import UserFactory
from tests.portal.test_worker import start_worker as start_real_worker
from tests.portal.test_worker import wait_for

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
    first = start_worker(queue, mail_dir, tmp_path / "first.log", DIGEST_SEND_RATE_PER_SECOND="1")
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

    # The next digest tick finds the batch (its claim is stale here at once) and finishes it.
    second = start_worker(
        queue,
        mail_dir,
        tmp_path / "second.log",
        DIGEST_SEND_RATE_PER_SECOND="0",
        DIGEST_REDISPATCH_SECONDS="0",
    )
    try:
        tasks.dispatch_digest_batches.apply_async(queue=queue)
        done = wait_for(
            lambda: BulkBatch.objects.filter(pk=batch.pk, status="done").exists(), timeout=90
        )
        assert done, (tmp_path / "second.log").read_text()[-3000:]
    finally:
        second.terminate()
        second.wait(timeout=30)
    assert recipients_of(mail_dir) == Counter({user.email: 1 for user in users})
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"sent"}
    assert OutboxMessage.objects.filter(attempts=1).count() == 8
