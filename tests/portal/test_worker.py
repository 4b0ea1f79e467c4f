"""A real Celery worker process, on the broker the settings name (Redis in CI)."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from portal import tasks
from portal.models import OutboxMessage

ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    db = connection.settings_dict
    if settings.IS_POSTGRES:
        auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
        return f"postgres://{auth}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"
    return f"sqlite:///{db['NAME']}"


def start_worker(
    queue: str, mail_dir: Path, log_path: Path, *, concurrency: int = 2, **env_vars: str
) -> subprocess.Popen:
    """A real worker on the settings' broker, reading the test database and writing each
    email it sends as an .eml file in mail_dir."""
    env = {k: v for k, v in os.environ.items() if k != "EMAIL_URL"}
    env.update(
        DATABASE_URL=database_url(),
        EMAIL_FILE_PATH=str(mail_dir),
        CELERY_QUEUE=queue,
        **env_vars,
    )
    return subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "celery",
            "--app=portal",
            "worker",
            f"--queues={queue}",
            f"--concurrency={concurrency}",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        stdout=log_path.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, so a SIGKILL reaches the pool child
    )


def wait_for(predicate, timeout=60.0, *, every: float = 0.25):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(every)
    return False


# Bulk batches' short re-dispatch, scaled down for workers under test: tasks stopped at
# 10 s, a batch's claim stale after 12 s (production: 360 s and 420 s).
SHORT_CLAIMS = {
    "CELERY_TASK_TIME_LIMIT": "10",
    "CELERY_TASK_SOFT_TIME_LIMIT": "8",
    "BULK_BATCH_STALE_SECONDS": "12",
}


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_real_worker_sends_outbox_email_once_when_task_is_queued_twice(tmp_path):
    queue = f"test-{uuid.uuid4().hex[:10]}"
    mail_dir = tmp_path / "mail"
    log_path = tmp_path / "worker.log"
    message = OutboxMessage.objects.create(
        dedupe_key="worker:test", kind="test", to="a@example.org", subject="Once", body_text="x"
    )
    for _ in range(2):
        tasks.send_outbox_message.apply_async((message.pk,), queue=queue)
    worker = start_worker(queue, mail_dir, log_path)
    try:
        finished = wait_for(lambda: log_path.read_text().count("succeeded in") >= 2, timeout=90)
        assert finished, log_path.read_text()[-3000:]
    finally:
        worker.terminate()
        # A worker holding a reserved (unacknowledged) message takes about 30 s
        # of warm shutdown before it restores it to the queue.
        worker.wait(timeout=90)
    log = log_path.read_text()
    assert log.count("'sent'") == 1
    assert log.count("'skipped'") == 1
    assert len(list(mail_dir.glob("*.eml"))) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxMessage.Status.SENT, 1)
