"""Resolution news sent by a real Celery worker: the agenda decision, the result and a
progress update reach the proposer, the co-sponsoring lead and every supporter once each,
even when every run is planned twice."""

import uuid
from collections import Counter
from datetime import date

import pytest

from portal import tasks
from portal.models import BulkBatch, BulkRun, OutboxMessage
from resolutions import news, services
from tests.notifications.test_worker import recipients_of, start_worker
from tests.portal.test_worker import wait_for
from tests.resolutions.test_news import involved


@pytest.mark.worker
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_worker_sends_each_resolution_answer_once(tmp_path):
    resolution, staff, expected, quiet = involved()
    services.decide(resolution=resolution, by=staff, decision="accept")
    services.record_result(
        resolution=resolution,
        by=staff,
        result="passed",
        votes_for=50,
        votes_against=2,
        abstentions=0,
    )
    services.post_progress(
        resolution=resolution,
        by=staff,
        responsible="National staff",
        dated=date(2031, 2, 1),
        status="in_progress",
        percent=10,
        note="Started.",
    )
    runs = list(BulkRun.objects.filter(kind=news.KIND).values_list("pk", flat=True))
    assert len(runs) == 3
    queue = f"test-{uuid.uuid4().hex[:10]}"
    mail_dir = tmp_path / "mail"
    for run_id in runs + runs:  # planning twice (a task delivered twice) changes nothing
        tasks.plan_bulk_run.apply_async((run_id,), queue=queue)
    worker = start_worker(queue, mail_dir, tmp_path / "worker.log", DIGEST_SEND_RATE_PER_SECOND="0")
    try:
        done = wait_for(
            lambda: BulkBatch.objects.filter(run_id__in=runs, status="done").count() == 3,
            timeout=120,
        )
        assert done, (tmp_path / "worker.log").read_text()[-3000:]
    finally:
        worker.terminate()
        # A worker holding a reserved (unacknowledged) message takes about 30 s
        # of warm shutdown before it restores it to the queue.
        worker.wait(timeout=90)
    assert recipients_of(mail_dir) == Counter({email: 3 for email in expected})
    assert quiet.email not in recipients_of(mail_dir)
    sent = OutboxMessage.objects.filter(kind=news.KIND)
    assert set(sent.values_list("status", flat=True)) == {"sent"}
    assert sent.count() == 3 * len(expected)
