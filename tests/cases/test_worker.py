"""A follow-up sent by real Celery workers, one of them killed half-way through a batch."""

import os
import signal
import uuid
from collections import Counter

import pytest

from cases import services
from portal import bulk, tasks
from portal.models import BulkBatch, BulkRun, OutboxMessage
from tests.cases.factories import CaseFactory
from tests.factories import UserFactory
from tests.notifications.test_worker import recipients_of, start_worker
from tests.portal.test_worker import SHORT_CLAIMS, wait_for


@pytest.mark.worker
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_worker_killed_mid_followup_sends_nobody_two_and_loses_nobody(tmp_path):
    case = CaseFactory(real_name="Sam Student")
    writers = UserFactory.create_batch(8)
    for writer in writers:
        services.write_message(case=case, user=writer, first_name="W", body="Courage.")
    staff = UserFactory(is_staff=True)
    services.publish_update(case=case, author=staff, title="Released!", body="Home at last.")
    run = bulk.plan_run(run_id=BulkRun.objects.get(kind="cases_update").pk)
    batch = run.batches.get()
    queue = f"test-{uuid.uuid4().hex[:10]}"
    mail_dir = tmp_path / "mail"

    # One email a second, so that the kill lands between two sends.
    tasks.send_bulk_batch.apply_async((batch.pk,), queue=queue)
    first = start_worker(
        queue,
        mail_dir,
        tmp_path / "first.log",
        **{**SHORT_CLAIMS, "DIGEST_SEND_RATE_PER_SECOND": "1"},
    )
    try:
        assert wait_for(lambda: len(recipients_of(mail_dir)) >= 3, timeout=90), (
            tmp_path / "first.log"
        ).read_text()[-3000:]
    finally:
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(timeout=30)
    assert 3 <= sum(recipients_of(mail_dir).values()) < 8
    batch.refresh_from_db()
    assert batch.status == BulkBatch.Status.QUEUED

    # Beat's bulk tick hands the batch out again once its claim is stale.
    second = start_worker(
        queue,
        mail_dir,
        tmp_path / "second.log",
        **{**SHORT_CLAIMS, "DIGEST_SEND_RATE_PER_SECOND": "0"},
    )
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
    assert recipients_of(mail_dir) == Counter({writer.email: 1 for writer in writers})
    followups = OutboxMessage.objects.filter(kind="cases_update")
    assert set(followups.values_list("status", flat=True)) == {"sent"}
    assert followups.filter(attempts=1).count() == 8
