"""Writes for the portal core: the mail outbox.

Every email the portal sends is queued here, inside the transaction of the change that
caused it, and delivered by a Celery task after commit.
"""

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template import Context, TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.utils import timezone

from . import pagecache, tasks
from .models import OutboxMessage, User

log = logging.getLogger(__name__)


class TransientSendError(Exception):
    """The mail server said 'try later'; the row is pending again."""


def render_plain(name: str, context: dict) -> str:
    """A plain-text template rendered without HTML escaping: a subject or text body shows
    "Tom's & Co" as typed, never "Tom&#x27;s &amp; Co" (nothing here is parsed as HTML)."""
    return get_template(name).template.render(Context(context, autoescape=False))


def render_email(template: str, context: dict) -> tuple[str, str, str]:
    """Render emails/<template>_subject.txt, _body.txt and (if present) _body.html."""
    context = {"site_name": settings.SITE_NAME, "site_url": settings.SITE_URL, **context}
    subject = " ".join(render_plain(f"emails/{template}_subject.txt", context).split())
    text = render_plain(f"emails/{template}_body.txt", context)
    try:
        html = render_to_string(f"emails/{template}_body.html", context)
    except TemplateDoesNotExist:  # plain text only
        html = ""
    return subject, text, html


def queue_email(
    *,
    key: str,
    to: str,
    subject: str,
    text: str,
    kind: str,
    html: str = "",
    user: User | None = None,
    headers: dict | None = None,
    attachments: list[dict] | None = None,
) -> tuple[OutboxMessage, bool]:
    """Queue one email under a dedupe key. Queueing the same key again does nothing."""
    try:
        with transaction.atomic():
            message = OutboxMessage.objects.create(
                dedupe_key=key[:200],
                kind=kind,
                to=to,
                subject=subject[:255],
                body_text=text,
                body_html=html,
                user=user,
                headers=headers or {},
                attachments=attachments or [],
            )
    except IntegrityError:
        return OutboxMessage.objects.get(dedupe_key=key[:200]), False
    tasks.send_outbox_message.delay_on_commit(message.pk)
    return message, True


def _is_transient(exc: Exception) -> bool:
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return False
    return isinstance(exc, smtplib.SMTPServerDisconnected | smtplib.SMTPConnectError | OSError)


def _claim(message_id: int) -> bool:
    now = timezone.now()
    stale = now - timedelta(seconds=settings.OUTBOX_STALE_SECONDS)
    # The conditional update is the claim: of two workers given the same id, exactly one
    # sees 1 here. A row left in SENDING by a killed worker becomes claimable again once
    # stale, which is the one place a message can go out twice (killed after the SMTP
    # server accepted it, before we marked it sent).
    return (
        OutboxMessage.objects.filter(pk=message_id)
        .filter(
            Q(status=OutboxMessage.Status.PENDING, next_attempt_at__lte=now)
            | Q(status=OutboxMessage.Status.SENDING, claimed_at__lt=stale)
        )
        .update(status=OutboxMessage.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
        == 1
    )


def retry_delay(attempts: int) -> int:
    """Seconds to wait after a transient failure: 1, 2, 4, ... minutes, at most 30.

    Kept well below the broker's visibility timeout so a waiting retry is never
    redelivered as if lost."""
    return min(60 * 2 ** max(attempts - 1, 0), 1800)


def deliver_outbox_message(*, message_id: int, connection=None) -> str:
    """Claim, send and mark one message. Returns 'sent', 'skipped', 'retry' or 'failed'."""
    if not _claim(message_id):
        return "skipped"
    message = OutboxMessage.objects.get(pk=message_id)
    rows = OutboxMessage.objects.filter(pk=message_id, status=OutboxMessage.Status.SENDING)
    try:
        message.as_email(connection=connection).send()
    except Exception as exc:
        error = f"{exc.__class__.__name__}: {exc}"[:2000]
        if _is_transient(exc) and message.attempts < settings.OUTBOX_MAX_ATTEMPTS:
            rows.update(
                status=OutboxMessage.Status.PENDING,
                last_error=error,
                next_attempt_at=timezone.now() + timedelta(seconds=retry_delay(message.attempts)),
            )
            log.warning("outbox %s: transient failure, will retry: %s", message_id, error)
            raise TransientSendError(error) from exc
        rows.update(status=OutboxMessage.Status.FAILED, last_error=error)
        log.error("outbox %s: failed for good: %s", message_id, error)
        return "failed"
    rows.update(status=OutboxMessage.Status.SENT, sent_at=timezone.now(), last_error="")
    return "sent"


def deliver_outbox_batch(*, message_ids: list[int]) -> dict[str, int]:
    """Deliver several messages over one SMTP connection."""
    outcomes: dict[str, int] = {}
    with get_connection() as connection:
        for message_id in message_ids:
            try:
                outcome = deliver_outbox_message(message_id=message_id, connection=connection)
            except TransientSendError:
                outcome = "retry"
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


def due_outbox_ids(*, limit: int = 500) -> list[int]:
    """Rows that should have gone by now: pending past their time (the task was lost, e.g.
    the broker restarted) or claimed by a worker that died."""
    now = timezone.now()
    grace = now - timedelta(seconds=60)
    stale = now - timedelta(seconds=settings.OUTBOX_STALE_SECONDS)
    return list(
        OutboxMessage.objects.filter(
            Q(status=OutboxMessage.Status.PENDING, next_attempt_at__lte=grace)
            | Q(status=OutboxMessage.Status.SENDING, claimed_at__lt=stale)
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )


@transaction.atomic
def resend_outbox_messages(*, message_ids: list[int]) -> int:
    """Put failed messages back in the queue (from the admin)."""
    ids = list(
        OutboxMessage.objects.filter(
            pk__in=message_ids, status=OutboxMessage.Status.FAILED
        ).values_list("pk", flat=True)
    )
    OutboxMessage.objects.filter(pk__in=ids).update(
        status=OutboxMessage.Status.PENDING, attempts=0, next_attempt_at=timezone.now()
    )
    for message_id in ids:
        tasks.send_outbox_message.delay_on_commit(message_id)
    return len(ids)


def purge_old_outbox(*, older_than_days: int) -> int:
    """Delete copies of sent and failed emails past the retention period (they hold
    personal data). Pending ones stay until they are sent or fail."""
    cutoff = timezone.now() - timedelta(days=older_than_days)
    deleted, _ = OutboxMessage.objects.filter(
        created_at__lt=cutoff,
        status__in=[OutboxMessage.Status.SENT, OutboxMessage.Status.FAILED],
    ).delete()
    return deleted


@transaction.atomic
def update_profile(
    *, user: User, display_name: str, postcode_district: str, show_to_others: bool
) -> None:
    """Save the profile page. Turning "show my first name and initial" off hides the
    person from every "who's going" and "recent signers" at once; turning it on only
    changes the forms' starting answer (each RSVP and signature keeps its own choice)."""
    hide = user.show_to_others and not show_to_others
    user.display_name = display_name
    user.postcode_district = postcode_district
    user.show_to_others = show_to_others
    user.save(update_fields=["display_name", "postcode_district", "show_to_others"])
    # Through the apps' reverse relations: the pages that showed the name are made stale.
    rsvps = user.rsvps.filter(show_name=True)
    signed = user.actions_taken.filter(show_name=True)
    scopes = [f"event:{slug}" for slug in rsvps.values_list("event__slug", flat=True)]
    scopes += [
        f"campaign:{slug}"
        for slug in signed.values_list("action__campaign__slug", flat=True).distinct()
    ]
    # A group's page names its leads (and their announcements, in members' My portal).
    led = user.memberships.filter(role="lead", left_at__isnull=True)
    scopes += [f"group:{slug}" for slug in led.values_list("group__slug", flat=True)]
    if hide:
        rsvps.update(show_name=False)
        signed.update(show_name=False)
    pagecache.touch(*scopes)
