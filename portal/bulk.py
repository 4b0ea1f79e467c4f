"""Bulk email: one way to send one message each to many people, exactly once.

Digests, case follow-ups, resolution news and the like are kinds of bulk send. An app
registers each kind (``register(BulkKind(...))`` in its AppConfig.ready) with:

- ``recipients(run)``: the ids to send to, in a stable order (users for digests; any rows
  the kind's builder understands for others), read once when the run is planned;
- ``build(run, ids, now)``: one batch of those ids turned into unsaved OutboxMessage rows,
  each with a dedupe key unique to (kind, key, person), using a fixed number of queries
  whatever the batch size. Nobody to tell in a batch is fine: return fewer rows.

A send is started by ``start_bulk_send(kind=..., key=...)`` inside the transaction of the
write that causes it (publishing an update, say); the unique (kind, key) makes a second
start a no-op. The rest happens in Celery:

1. Plan. ``plan_run`` splits the recipients into BulkBatch rows of DIGEST_BATCH_SIZE, once.
2. Build. A worker locks a pending batch (SKIP LOCKED), builds its messages and bulk-inserts
   them into the outbox, marking the batch queued, in one transaction. Killed half-way,
   the transaction rolls back and the batch is still pending.
3. Deliver. The worker claims the queued batch and sends its pending outbox rows over one
   SMTP connection at DIGEST_SEND_RATE_PER_SECOND; the outbox row claim
   (portal.services.deliver_outbox_message) makes each email go once.

Each batch is claimed (its started-at time, committed) before a worker builds it. Beat's
bulk tick plans runs whose planning task was lost and dispatches again a batch whose
worker has gone (claimed more than BULK_BATCH_STALE_SECONDS ago, a little longer than the
task's hard time limit: a few minutes) or whose task never started (handed out
DIGEST_REDISPATCH_SECONDS ago: a lost task message); portal.tasks.sweep_outbox sends
outbox rows left pending.
"""

import json
import logging
import secrets
import time
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from operator import attrgetter

from django.conf import settings
from django.core.mail import get_connection
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import Model, Q, QuerySet
from django.utils import timezone
from django.utils.html import escape

# tasks imports this module too; like services and tasks, each uses the other only at call
# time, so the import order does not matter.
from . import tasks
from .models import BulkBatch, BulkRun, OutboxMessage
from .services import TransientSendError, deliver_outbox_message, render_email

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BulkKind:
    name: str
    recipients: Callable[[BulkRun], Iterable[int]]
    build: Callable[[BulkRun, list[int], datetime], list[OutboxMessage]]


_KINDS: dict[str, BulkKind] = {}


def register(kind: BulkKind) -> BulkKind:
    _KINDS[kind.name] = kind
    return kind


def kind_of(name: str) -> BulkKind:
    try:
        return _KINDS[name]
    except KeyError:
        raise LookupError(f"No bulk send of kind {name!r} is registered.") from None


# --- starting and planning ------------------------------------------------------------


def start_bulk_send(
    *,
    kind: str,
    key: str,
    since: datetime | None = None,
    params: dict | None = None,
    now: datetime | None = None,
) -> tuple[BulkRun, bool]:
    """Create the run once and have it planned after commit. Returns (run, created)."""
    kind_of(kind)  # fail at once, in the caller's transaction, for an unknown kind
    run, created = get_or_create_run(kind=kind, key=key, since=since, params=params, now=now)
    if created:
        tasks.plan_bulk_run.delay_on_commit(run.pk)
    return run, created


def get_or_create_run(
    *,
    kind: str,
    key: str,
    since: datetime | None = None,
    params: dict | None = None,
    now: datetime | None = None,
) -> tuple[BulkRun, bool]:
    return BulkRun.objects.get_or_create(
        kind=kind,
        key=key,
        defaults={"since": since, "params": params or {}, "created_at": now or timezone.now()},
    )


def plan_run(*, run_id: int, now: datetime | None = None) -> BulkRun:
    """Split the run's recipients into batches once; later calls change nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        run = BulkRun.objects.select_for_update().get(pk=run_id)
        if run.planned_at is not None:
            return run
        ids = list(kind_of(run.kind).recipients(run))
        size = settings.DIGEST_BATCH_SIZE
        BulkBatch.objects.bulk_create(
            BulkBatch(run=run, number=n, recipient_ids=ids[start : start + size])
            for n, start in enumerate(range(0, len(ids), size))
        )
        run.planned_at, run.recipients = now, len(ids)
        run.save(update_fields=["planned_at", "recipients"])
    return run


def dispatchable_batches(now: datetime) -> QuerySet[BulkBatch]:
    """Batches never handed to a worker; started by a worker that has gone (its claim is
    older than any live task can be, BULK_BATCH_STALE_SECONDS, and it was not handed out
    again within that time); or handed out and never started for so long
    (DIGEST_REDISPATCH_SECONDS) that the task message must have been lost."""
    gone = now - timedelta(seconds=settings.BULK_BATCH_STALE_SECONDS)
    lost = now - timedelta(seconds=settings.DIGEST_REDISPATCH_SECONDS)
    return BulkBatch.objects.filter(
        Q(status=BulkBatch.Status.PENDING) | Q(status=BulkBatch.Status.QUEUED)
    ).filter(
        Q(dispatched_at__isnull=True)
        | Q(claimed_at__lt=gone, dispatched_at__lt=gone)
        | Q(claimed_at__isnull=True, dispatched_at__lt=lost)
    )


def dispatch_batches(*, now: datetime | None = None) -> int:
    """Hand every dispatchable batch to a worker. Returns how many."""
    now = now or timezone.now()
    with transaction.atomic():
        ids = list(dispatchable_batches(now).order_by("pk").values_list("pk", flat=True))
        BulkBatch.objects.filter(pk__in=ids).update(dispatched_at=now)
        for batch_id in ids:
            tasks.send_bulk_batch.delay_on_commit(batch_id)
    return len(ids)


def run_bulk_tick(*, now: datetime | None = None) -> dict[str, int]:
    """Beat: plan runs whose planning task was lost (a minute's grace for the task that
    start_bulk_send queued), then dispatch what is due."""
    now = now or timezone.now()
    unplanned = BulkRun.objects.filter(
        planned_at__isnull=True, created_at__lt=now - timedelta(minutes=1)
    ).values_list("pk", flat=True)
    planned = [plan_run(run_id=run_id, now=now) for run_id in list(unplanned)]
    return {"planned": len(planned), "dispatched": dispatch_batches(now=now)}


# --- building ------------------------------------------------------------------------


# A builder that renders its email once per batch puts these in place of the recipient's
# name and unsubscribe link; personal_message fills them in for each person.
NAME, UNSUBSCRIBE = "PPBULKNAMEPLACEHOLDER", "PPBULKUNSUBSCRIBEPLACEHOLDER"


def personal_message(
    *,
    key: str,
    kind: str,
    user,
    unsubscribe_url: str,
    rendered: tuple[str, str, str],
    now: datetime,
) -> OutboxMessage:
    """One person's copy of an email rendered with NAME and UNSUBSCRIBE, as an unsaved
    outbox row with the one-click unsubscribe headers (RFC 2369 and 8058)."""
    subject, text, html = rendered
    return OutboxMessage(
        dedupe_key=key,
        kind=kind,
        user=user,
        to=user.email,
        subject=subject[:255],
        body_text=text.replace(NAME, user.public_name).replace(UNSUBSCRIBE, unsubscribe_url),
        body_html=html.replace(NAME, escape(user.public_name)).replace(
            UNSUBSCRIBE, escape(unsubscribe_url)
        ),
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
        created_at=now,
        next_attempt_at=now,
    )


class PrecompiledEmail:
    """An email template rendered once per distinct shared content, then filled in for
    each person.

    Most people in a batch get the same items (the same group's events, the same
    campaign's news); only a few fields are their own (their name, their unsubscribe
    link). ``render`` renders the template (portal.services.render_email) the first time
    it sees a ``shared`` key, with a slot, a random token, in place of each personal
    field; every other person with that key costs a few ``str.replace`` calls. The slots
    are escaped as Django would: HTML-escaped in the subject and the HTML body, raw in
    the text body (whose templates turn autoescaping off).

    Keep one instance per run in a worker (``for_run``), so that people in different
    batches with the same items share a rendering too; it remembers at most ``limit``
    renderings (the oldest go first), so memory stays flat whatever the number of
    recipients. A key names objects by pk (``fingerprint``): an item edited while the
    run is being built may go out as it was when first rendered, as it would have had the
    run been built a minute earlier."""

    def __init__(self, template: str, personal: Iterable[str], limit: int = 5000):
        self.template, self.limit = template, limit
        token = secrets.token_hex(8)
        self.slots = {name: f"bulkslot{token}{name}end" for name in personal}
        self._rendered: dict[Hashable, tuple[str, str, str]] = {}

    _per_run: dict[tuple, "PrecompiledEmail"] = {}  # noqa: RUF012 (one per process)

    @classmethod
    def for_run(cls, run: BulkRun, template: str, personal: Iterable[str]) -> "PrecompiledEmail":
        """The instance for this run in this process (only the latest run's is kept)."""
        key = (run.pk, template)
        if key not in cls._per_run:
            cls._per_run.clear()
            cls._per_run[key] = cls(template, personal)
        return cls._per_run[key]

    def slot(self, name: str) -> str:
        return self.slots[name]

    def render(
        self, *, shared: Hashable, context: Callable[[], dict], values: dict[str, str]
    ) -> tuple[str, str, str]:
        """``context()`` (called only on a first sight of ``shared``) must use
        ``self.slot(name)`` for every personal field; ``values`` fills them in."""
        parts = self._rendered.get(shared)
        if parts is None:
            if len(self._rendered) >= self.limit:
                del self._rendered[next(iter(self._rendered))]
            parts = self._rendered[shared] = render_email(self.template, context())
        subject, text, html = parts
        for name, slot in self.slots.items():
            value = str(values[name])
            subject = subject.replace(slot, escape(value))
            text = text.replace(slot, value)
            html = html.replace(slot, escape(value))
        return subject, text, html

    @property
    def renders(self) -> int:
        return len(self._rendered)


def fingerprint(value) -> Hashable:
    """A hashable stand-in for a digest context value: model objects by class and pk,
    containers element by element, everything else as it is."""
    if isinstance(value, dict):
        return tuple((k, fingerprint(v)) for k, v in sorted(value.items()))
    if isinstance(value, list | tuple) and value:
        # The common case, a list of objects of one model: one tuple of pks (a national
        # digest run fingerprints a couple of million values).
        kind = type(value[0])
        if isinstance(value[0], Model) and all(type(v) is kind for v in value):
            return ("objects", kind.__name__, tuple(v.pk for v in value))
    if isinstance(value, list | tuple | set | frozenset):
        items = tuple(fingerprint(v) for v in value)
        return tuple(sorted(items, key=repr)) if isinstance(value, set | frozenset) else items
    pk = getattr(value, "pk", None)
    if pk is not None:
        return (type(value).__name__, pk)
    return value


# Wall-clock and CPU seconds of this process per phase of building (bench_digest prints
# them; the difference is mostly waiting for PostgreSQL, or for a busy machine).
PHASE_SECONDS: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])


@contextmanager
def timed(phase: str):
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        yield
    finally:
        seconds = PHASE_SECONDS[phase]
        seconds[0] += time.perf_counter() - wall
        seconds[1] += time.process_time() - cpu


_OUTBOX_FIELDS = [f for f in OutboxMessage._meta.concrete_fields if not f.primary_key]
# One statement's rows: under PostgreSQL's 65,535 parameters, and a few MB of text.
_ROWS_PER_INSERT = 500
_KEEP_QUEUED = "ON CONFLICT (dedupe_key) DO NOTHING"


def insert_outbox_rows(messages: list[OutboxMessage]) -> None:
    """Insert unsaved outbox rows, a message already queued under the same dedupe key
    (e.g. by an operator re-planning a run) staying as it is (ON CONFLICT DO NOTHING).

    On PostgreSQL one multi-row INSERT per 500 rows with the values taken straight from
    the objects: Django's bulk_create prepares each value of each row through the field's
    get_db_prep_save (about 40 calls a row)."""
    if connection.vendor != "postgresql":
        OutboxMessage.objects.bulk_create(messages, ignore_conflicts=True, batch_size=500)
        return
    table = connection.ops.quote_name(OutboxMessage._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in _OUTBOX_FIELDS)
    placeholders = "(" + ", ".join(["%s"] * len(_OUTBOX_FIELDS)) + ")"
    json_fields = {f.attname for f in _OUTBOX_FIELDS if f.get_internal_type() == "JSONField"}
    getters = [
        (lambda m, a=f.attname: json.dumps(getattr(m, a), cls=DjangoJSONEncoder))
        if f.attname in json_fields
        else attrgetter(f.attname)
        for f in _OUTBOX_FIELDS
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(messages), _ROWS_PER_INSERT):
            chunk = messages[start : start + _ROWS_PER_INSERT]
            params = [get(m) for m in chunk for get in getters]
            # Only the model's own table and column names go into the text; values are
            # parameters.
            values = ", ".join([placeholders] * len(chunk))
            sql = f"INSERT INTO {table} ({columns}) VALUES {values} {_KEEP_QUEUED}"  # noqa: S608 # nosec B608
            cursor.execute(sql, params)


def build_batch(*, batch_id: int, now: datetime | None = None) -> int | None:
    """Queue the batch's messages in the outbox. None if another worker has it or had it."""
    now = now or timezone.now()
    with transaction.atomic():
        batch = (
            BulkBatch.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("run")
            .filter(pk=batch_id, status=BulkBatch.Status.PENDING)
            .first()
        )
        if batch is None:
            return None
        with timed("build"):
            messages = kind_of(batch.run.kind).build(batch.run, batch.recipient_ids, now)
        with timed("insert"):
            for message in messages:
                message.bulk_batch_id = batch.pk
            insert_outbox_rows(messages)
        batch.status, batch.queued_at, batch.queued = BulkBatch.Status.QUEUED, now, len(messages)
        batch.save(update_fields=["status", "queued_at", "queued"])
    return len(messages)


# --- delivering ----------------------------------------------------------------------


def deliver_throttled(*, message_ids: list[int], rate: float) -> dict[str, int]:
    """Like portal.services.deliver_outbox_batch (one SMTP connection), at most `rate`
    messages a second so that a big send does not trip the mail provider's limits."""
    interval = 1.0 / rate if rate > 0 else 0.0
    outcomes: dict[str, int] = {}
    with get_connection() as connection:
        for message_id in message_ids:
            started = time.monotonic()
            try:
                outcome = deliver_outbox_message(message_id=message_id, connection=connection)
            except TransientSendError:
                outcome = "retry"  # pending again with a later time; sweep_outbox retries it
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
            if outcome == "sent":
                time.sleep(max(0.0, interval - (time.monotonic() - started)))
    return outcomes


def claim_batch(*, batch_id: int, now: datetime) -> bool:
    """Claim the batch for this worker, committed before any work starts: the claim is
    the batch's started-at time. A live worker finishes a batch (build and delivery, one
    task) within the task's hard time limit, so a claim older than
    BULK_BATCH_STALE_SECONDS belonged to a worker that died; another may then take it."""
    stale = now - timedelta(seconds=settings.BULK_BATCH_STALE_SECONDS)
    return (
        BulkBatch.objects.filter(
            pk=batch_id, status__in=[BulkBatch.Status.PENDING, BulkBatch.Status.QUEUED]
        )
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale))
        .update(claimed_at=now)
        == 1
    )


def deliver_batch(*, batch_id: int, claimed: bool = False) -> dict[str, int]:
    """Send the batch's queued messages. ``claimed``: the caller holds the batch's claim."""
    now = timezone.now()
    if not claimed and not claim_batch(batch_id=batch_id, now=now):
        return {}
    batch = BulkBatch.objects.get(pk=batch_id)
    ids = list(
        OutboxMessage.objects.filter(bulk_batch=batch)
        .filter(
            Q(status=OutboxMessage.Status.PENDING, next_attempt_at__lte=now)
            | Q(status=OutboxMessage.Status.SENDING)
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    outcomes = deliver_throttled(message_ids=ids, rate=settings.DIGEST_SEND_RATE_PER_SECOND)
    BulkBatch.objects.filter(pk=batch_id, status=BulkBatch.Status.QUEUED).update(
        status=BulkBatch.Status.DONE, done_at=timezone.now()
    )
    return outcomes


def send_batch(*, batch_id: int) -> dict[str, int]:
    """The task's work: claim the batch, build it, deliver it. Of two workers given the
    same batch (a re-dispatch, a redelivered task message) one does it; a worker killed
    half-way leaves a claim that goes stale after BULK_BATCH_STALE_SECONDS."""
    if not claim_batch(batch_id=batch_id, now=timezone.now()):
        return {}
    build_batch(batch_id=batch_id)
    return deliver_batch(batch_id=batch_id, claimed=True)
