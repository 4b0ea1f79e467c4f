"""Webhooks: rows written in the transaction of what happened, sent by Celery after commit.

A delivery is claimed with a conditional update before it is sent, so two workers never
send it twice; a worker that died mid-send leaves it "sending", and the tick hands it out
again after WEBHOOK_TIMEOUT_SECONDS * 2. Failures are retried with exponential backoff up
to WEBHOOK_MAX_ATTEMPTS; a subscription failing WEBHOOK_DISABLE_AFTER times in a row is
disabled and its owner emailed. So is one whose owner may no longer have it (no longer a lead
of its group, nor staff; a closed or erased account): checked before each delivery.

Each request carries:
    X-PeoplePower-Event: attendance.created
    X-PeoplePower-Delivery: <uuid>
    X-PeoplePower-Timestamp: <unix seconds>
    X-PeoplePower-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>" with the secret>
"""

import hashlib
import hmac
import http.client
import ipaddress
import json
import secrets
import socket
import ssl
import time
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from portal.models import User
from portal.services import queue_email, render_email

from . import tasks
from .models import WebhookDelivery, WebhookEvent, WebhookSubscription
from .permissions import leads_group, maker_refusal

Status = WebhookDelivery.Status


class WebhookError(Exception):
    """A subscription that may not be made; str() is shown."""


class Unsafe(Exception):
    """The URL leads to an address we do not send to."""


def sign(secret: str, timestamp: str, body: str) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256)
    return f"sha256={digest.hexdigest()}"


# --- subscriptions -------------------------------------------------------------------


@transaction.atomic
def subscribe(*, url: str, events: list[str], by: User, group=None) -> WebhookSubscription:
    unknown = set(events) - set(WebhookEvent.values)
    if unknown or not events:
        raise WebhookError("Choose events from the list.")
    if group is None and not by.is_staff:
        raise WebhookError("Only staff may subscribe to what happens everywhere.")
    if urlsplit(url).scheme not in ("https", "http"):
        raise WebhookError("The URL must start with https://.")
    return WebhookSubscription.objects.create(
        url=url,
        events=sorted(set(events)),
        group=group,
        created_by=by,
        secret=secrets.token_hex(32),
    )


@transaction.atomic
def unsubscribe(*, subscription: WebhookSubscription) -> None:
    subscription.delete()


# --- writing deliveries (inside the emitter's transaction) -----------------------------


def _ref(kind: str, name: str, pk) -> dict:
    href = f"{settings.SITE_URL}{reverse(name, args=[pk])}" if pk else None
    return {"identifiers": [f"people_power:{kind}:{pk}"], "href": href}


def _data(name: str, data: dict) -> dict:
    """What a delivery says: identifiers and API links only, never contact details; the
    receiver reads more through the API with its token's scope."""
    if name.startswith("event."):
        return {"event": _ref("event", "api:event-detail", data["event"].pk)}
    if name.startswith("attendance."):
        rsvp = data["rsvp"]
        return {
            "attendance": {
                "identifiers": [f"people_power:attendance:{rsvp.pk}"],
                "status": rsvp.status,
            },
            "event": _ref("event", "api:event-detail", rsvp.event_id),
            "person": _ref("person", "api:person-detail", rsvp.user_id),
        }
    if name == "signature.created":
        return {
            "petition": _ref("petition", "api:petition-detail", data["action"].pk),
            "person": _ref("person", "api:person-detail", data["user"].pk),
        }
    group = data.get("group_id")
    person = {"identifiers": [f"people_power:person:{data['user'].pk}"]}
    if name == "person.joined_group":
        return {"person": person, "group": _ref("group", "api:group-detail", group)}
    return {"person": person}


def record(name: str, **data) -> None:
    """portal.hooks receiver: one delivery per active subscription that wants this."""
    group_ids = (set(data.get("group_ids") or ()) | {data.get("group_id")}) - {None}
    subscriptions = WebhookSubscription.objects.filter(is_active=True).filter(
        Q(group__isnull=True) | Q(group_id__in=group_ids)
    )
    wanted = [s for s in subscriptions if name in s.events]
    if not wanted:
        return
    payload = {"type": name, "created": timezone.now().isoformat(), "data": _data(name, data)}
    deliveries = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(subscription=s, event=name, body=json.dumps(payload)) for s in wanted
    )
    for delivery in deliveries:
        tasks.send_webhook.delay_on_commit(delivery.pk)


@transaction.atomic
def replay(*, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send the same body again as a new delivery (the old one keeps its outcome)."""
    copy = WebhookDelivery.objects.create(
        subscription=delivery.subscription,
        event=delivery.event,
        body=delivery.body,
        replay_of=delivery,
    )
    tasks.send_webhook.delay_on_commit(copy.pk)
    return copy


# --- sending -------------------------------------------------------------------------


def _vetted_address(host: str, port: int) -> str:
    """The address to connect to, resolved once (no second lookup for a rebinding DNS
    server to answer differently), refused if private, loopback, link-local or otherwise
    not public, unless WEBHOOK_ALLOW_PRIVATE."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise Unsafe(f"cannot resolve {host}") from error
    address = infos[0][4][0]
    ip = ipaddress.ip_address(address)
    if not settings.WEBHOOK_ALLOW_PRIVATE and not ip.is_global:
        raise Unsafe(f"{host} is a private, loopback or link-local address ({ip})")
    return address


class _PinnedHTTPS(http.client.HTTPSConnection):
    """HTTPS to an address we chose, with the certificate checked for the host name."""

    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def _post(url: str, body: str, headers: dict) -> int:
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    address = _vetted_address(parts.hostname or "", port)
    timeout = settings.WEBHOOK_TIMEOUT_SECONDS
    if parts.scheme == "https":
        connection = _PinnedHTTPS(parts.hostname, port, address, timeout)
    else:
        connection = http.client.HTTPConnection(address, port, timeout=timeout)
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    try:
        connection.request("POST", path, body=body.encode(), headers=headers)
        return connection.getresponse().status
    finally:
        connection.close()


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=settings.WEBHOOK_RETRY_SECONDS * 2 ** (attempts - 1))


def deliver(*, delivery_id: int) -> str:
    """Claim, send (outside any transaction), record. Returns what happened."""
    now = timezone.now()
    claimed = WebhookDelivery.objects.filter(
        pk=delivery_id, status=Status.PENDING, next_attempt_at__lte=now
    ).update(status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    if not claimed:
        return "not due"
    delivery = WebhookDelivery.objects.select_related("subscription__created_by").get(
        pk=delivery_id
    )
    subscription = delivery.subscription
    owner = subscription.created_by
    why = maker_refusal(
        owner, subscription.group_id, leads=leads_group(owner, subscription.group_id)
    )
    if subscription.is_active and why is not None:
        return _disable_for_owner(delivery, f"the person who made this subscription {why}")
    if not subscription.is_active:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=Status.FAILED, last_error="The subscription is disabled."
        )
        return "disabled"
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "User-Agent": f"{settings.SITE_NAME} webhooks",
        "Host": urlsplit(subscription.url).netloc,
        "X-PeoplePower-Event": delivery.event,
        "X-PeoplePower-Delivery": str(delivery.uid),
        "X-PeoplePower-Timestamp": timestamp,
        "X-PeoplePower-Signature": sign(subscription.secret, timestamp, delivery.body),
    }
    status, error = None, ""
    try:
        status = _post(subscription.url, delivery.body, headers)
        if not 200 <= status < 300:
            error = f"answered {status}"
    except Unsafe as unsafe:
        error = f"Not sent: {unsafe}."
    except (OSError, http.client.HTTPException) as failure:
        error = f"{type(failure).__name__}: {failure}"[:300]
    return _record_outcome(delivery, status=status, error=error)


@transaction.atomic
def _record_outcome(delivery: WebhookDelivery, *, status: int | None, error: str) -> str:
    now = timezone.now()
    subscription = WebhookSubscription.objects.select_for_update().get(pk=delivery.subscription_id)
    if not error:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=Status.SENT, response_status=status, sent_at=now, last_error=""
        )
        WebhookSubscription.objects.filter(pk=subscription.pk).update(failures_in_a_row=0)
        return "sent"
    gives_up = delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=Status.FAILED if gives_up else Status.PENDING,
        response_status=status,
        last_error=error,
        next_attempt_at=now + backoff(delivery.attempts),
    )
    subscription.failures_in_a_row += 1
    fields = ["failures_in_a_row"]
    if subscription.is_active and subscription.failures_in_a_row >= settings.WEBHOOK_DISABLE_AFTER:
        subscription.is_active = False
        subscription.disabled_at = now
        fields += ["is_active", "disabled_at"]
        _tell_owner(subscription, error)
    subscription.save(update_fields=fields)
    return "failed" if gives_up else "retry"


@transaction.atomic
def _disable_for_owner(delivery: WebhookDelivery, why: str) -> str:
    now = timezone.now()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=Status.FAILED, last_error=f"Not sent: {why}."[:300]
    )
    subscription = WebhookSubscription.objects.select_for_update().get(pk=delivery.subscription_id)
    if subscription.is_active:
        subscription.is_active = False
        subscription.disabled_at = now
        subscription.save(update_fields=["is_active", "disabled_at"])
        _tell_owner(subscription, "", reason=why)
    return "disabled"


def _tell_owner(subscription: WebhookSubscription, error: str, *, reason: str = "") -> None:
    """Email the subscription's maker that it was disabled: after failures (error), or
    because they may no longer have it (reason)."""
    owner = subscription.created_by
    if owner is None or not owner.is_active:
        return
    subject, text, html = render_email(
        "api_webhook_disabled",
        {"subscription": subscription, "error": error, "reason": reason, "user": owner},
    )
    queue_email(
        key=f"api:webhook-disabled:{subscription.pk}:{subscription.disabled_at.isoformat()}",
        to=owner.email,
        subject=subject,
        text=text,
        html=html,
        kind="api_webhook_disabled",
        user=owner,
    )


def due_ids(now=None) -> list[int]:
    """Deliveries to (re)send: pending and due, or claimed by a worker that must have died."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.WEBHOOK_TIMEOUT_SECONDS * 2 + 60)
    WebhookDelivery.objects.filter(status=Status.SENDING, claimed_at__lt=stale).update(
        status=Status.PENDING
    )
    return list(
        WebhookDelivery.objects.filter(status=Status.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:500]
    )
