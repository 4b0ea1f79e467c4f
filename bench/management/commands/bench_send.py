"""Benchmark the sending side of a bulk send: queued outbox rows to a local SMTP sink
through real Celery workers, each message claimed before it is sent."""

import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

from aiosmtpd.controller import Controller
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from portal import tasks
from portal.models import BulkBatch, BulkRun, OutboxMessage

ROOT = Path(settings.BASE_DIR)


class Sink:
    """An aiosmtpd handler that counts what arrives: messages, distinct Message-IDs and
    SMTP connections."""

    def __init__(self):
        self.lock = threading.Lock()
        self.messages = 0
        self.message_ids: set[str] = set()
        self.connections: set[int] = set()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        content = envelope.original_content or b""
        message_id = ""
        for line in content.split(b"\r\n"):
            if line.lower().startswith(b"message-id:"):
                message_id = line.split(b":", 1)[1].strip().decode()
                break
            if not line:
                break
        with self.lock:
            self.messages += 1
            self.message_ids.add(message_id)
            self.connections.add(id(session))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


class Command(BaseCommand):
    help = (
        "Benchmark: queue --messages outbox rows in bulk batches, start an SMTP sink "
        "(aiosmtpd) and real Celery workers, deliver them and print messages per second. "
        "The rows are deleted afterwards."
    )

    def add_arguments(self, parser):
        parser.add_argument("--messages", type=int, default=10_000)
        parser.add_argument("--batch-size", type=int, default=settings.DIGEST_BATCH_SIZE)
        parser.add_argument("--workers", type=int, default=2, help="Worker processes.")
        parser.add_argument("--concurrency", type=int, default=2, help="Pool size of each.")
        parser.add_argument("--timeout", type=float, default=1800)

    def handle(self, *args, messages, batch_size, workers, concurrency, timeout, **options):
        if connection.vendor != "postgresql" or not settings.REDIS_URL:
            raise CommandError("bench_send needs PostgreSQL and Redis (DATABASE_URL, REDIS_URL).")
        logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd: a line per command
        sink = Sink()
        port = free_port()
        controller = Controller(sink, hostname="127.0.0.1", port=port)
        controller.start()
        tag = f"bench-send-{uuid.uuid4().hex[:8]}"
        queue = tag
        procs = []
        try:
            run, batch_ids = self._queue(tag, messages, batch_size)
            self.stdout.write(f"Queued {messages} messages in {len(batch_ids)} batches ({tag}).")
            env = {
                **os.environ,
                "DATABASE_URL": database_url(),
                "EMAIL_URL": f"smtp://127.0.0.1:{port}",
                "CELERY_QUEUE": queue,
                "DIGEST_SEND_RATE_PER_SECOND": "0",  # unthrottled: measure the machinery
            }
            for n in range(workers):
                procs.append(self._worker(env, queue, concurrency, n))
            self._wait_ready(queue, workers)
            started = time.perf_counter()
            with transaction.atomic():
                BulkBatch.objects.filter(pk__in=batch_ids).update(dispatched_at=timezone.now())
            for batch_id in batch_ids:
                tasks.send_bulk_batch.apply_async(args=[batch_id], queue=queue)
            sent = self._wait_sent(run, messages, timeout)
            elapsed = time.perf_counter() - started
            self.stdout.write(
                f"Sent {sent} of {messages} in {elapsed:.1f} s: {sent / elapsed:.0f} messages/s "
                f"({workers} workers x {concurrency}); the sink got {sink.messages} messages "
                f"({len(sink.message_ids)} distinct Message-IDs) over {len(sink.connections)} "
                f"SMTP connections for {len(batch_ids)} batches"
            )
            if sent != messages or sink.messages != messages:
                raise CommandError("Not every message arrived exactly once.")
        finally:
            for proc in procs:
                if proc.poll() is None:
                    os.killpg(proc.pid, signal.SIGTERM)
            for proc in procs:
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
            controller.stop()
            BulkRun.objects.filter(kind="bench_send", key=tag).delete()
            OutboxMessage.objects.filter(kind="bench_send", dedupe_key__startswith=tag).delete()

    def _queue(self, tag: str, count: int, batch_size: int) -> tuple[BulkRun, list[int]]:
        now = timezone.now()
        with transaction.atomic():
            run = BulkRun.objects.create(
                kind="bench_send", key=tag, created_at=now, planned_at=now, recipients=count
            )
            batches = BulkBatch.objects.bulk_create(
                BulkBatch(run=run, number=n, status=BulkBatch.Status.QUEUED, queued_at=now)
                for n in range((count + batch_size - 1) // batch_size)
            )
            body = "Hello,\n\nThis week in your groups: three events, two updates.\n" * 20
            OutboxMessage.objects.bulk_create(
                (
                    OutboxMessage(
                        dedupe_key=f"{tag}:{n}",
                        kind="bench_send",
                        to=f"person{n}@example.org",
                        subject=f"Your week ({n})",
                        body_text=body,
                        body_html=f"<p>{body}</p>",
                        bulk_batch=batches[n // batch_size],
                        created_at=now,
                        next_attempt_at=now,
                    )
                    for n in range(count)
                ),
                batch_size=2000,
            )
        return run, [b.pk for b in batches]

    def _worker(self, env, queue, concurrency, n) -> subprocess.Popen:
        log = Path(settings.VAR_DIR) / "bench" / f"send-worker-{n}.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        return subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "celery",
                "--app=portal",
                "worker",
                f"--queues={queue}",
                f"--concurrency={concurrency}",
                f"--hostname={queue}-{n}@%h",
                "--loglevel=WARNING",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=ROOT,
            env=env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def _wait_ready(self, queue: str, workers: int) -> None:
        from portal.celery import app

        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            replies = app.control.ping(timeout=1.0) or []
            mine = [r for r in replies for name in r if name.startswith(queue)]
            if len(mine) >= workers:
                return
        raise CommandError("The workers did not start within two minutes (see var/bench/).")

    def _wait_sent(self, run: BulkRun, count: int, timeout: float) -> int:
        deadline = time.monotonic() + timeout
        sent = 0
        while time.monotonic() < deadline:
            sent = OutboxMessage.objects.filter(
                bulk_batch__run=run, status=OutboxMessage.Status.SENT
            ).count()
            if sent >= count:
                break
            time.sleep(0.5)
        return sent
