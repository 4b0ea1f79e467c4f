"""Webhooks against a real HTTP receiver on this machine."""

import hashlib
import hmac
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import mail
from django.utils import timezone

from api import webhooks
from api.models import WebhookDelivery, WebhookSubscription
from campaigns import services as campaign_services
from campaigns.models import Action
from events import services as event_services
from events.models import Event
from front.account_data import delete_account
from groups import services as group_services
from tests.campaigns.factories import ActionFactory, CampaignFactory
from tests.events.conftest import deliver_outbox
from tests.events.factories import EventFactory
from tests.factories import UserFactory
from tests.people import make_people

pytestmark = pytest.mark.django_db


def verify(secret: str, headers, body: bytes, tolerance: int = 300) -> bool:
    """The README's verification example, run here against real deliveries."""
    import time

    timestamp = headers["X-PeoplePower-Timestamp"]
    expected = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    given = headers["X-PeoplePower-Signature"].removeprefix("sha256=")
    fresh = abs(time.time() - int(timestamp)) <= tolerance
    return fresh and hmac.compare_digest(expected.hexdigest(), given)


class Receiver:
    """A local HTTP server that records what it gets and answers self.status."""

    def __init__(self):
        self.requests = []
        self.status = 204
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((self.path, dict(self.headers), body))
                self.send_response(receiver.status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook?x=1"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


@pytest.fixture
def people(db):
    return make_people()


def _send_all():
    for pk in webhooks.due_ids():
        webhooks.deliver(delivery_id=pk)


def test_an_attendance_is_delivered_signed_to_a_group_subscription(receiver, people, settings):
    settings.WEBHOOK_ALLOW_PRIVATE = True
    subscription = webhooks.subscribe(
        url=receiver.url, events=["attendance.created"], by=people.lead, group=people.group
    )
    webhooks.subscribe(
        url=receiver.url, events=["attendance.created"], by=people.other_lead,
        group=people.other_group,
    )  # fmt: skip
    event = EventFactory(group=people.group)
    rsvp = event_services.rsvp_to_event(event=event, user=people.member)
    # Only the Derby subscription's delivery was written.
    assert WebhookDelivery.objects.get().subscription == subscription
    _send_all()
    [(path, headers, body)] = receiver.requests
    assert path == "/hook?x=1"
    assert headers["X-PeoplePower-Event"] == "attendance.created"
    assert verify(subscription.secret, headers, body)
    assert not verify("wrong", headers, body)
    payload = json.loads(body)
    assert payload["type"] == "attendance.created"
    assert payload["data"]["attendance"] == {
        "identifiers": [f"people_power:attendance:{rsvp.pk}"],
        "status": "confirmed",
    }
    assert payload["data"]["person"]["identifiers"] == [f"people_power:person:{people.member.pk}"]
    assert people.member.email not in body.decode()
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.response_status, delivery.attempts) == ("sent", 204, 1)
    assert str(delivery.uid) == headers["X-PeoplePower-Delivery"]
    # Sending it again does nothing: it is claimed once.
    assert webhooks.deliver(delivery_id=delivery.pk) == "not due"
    assert len(receiver.requests) == 1


def test_each_event_type_reaches_subscribers(receiver, people, settings):
    settings.WEBHOOK_ALLOW_PRIVATE = True
    webhooks.subscribe(
        url=receiver.url, events=[t for t, _ in WebhookDelivery.event.field.choices],
        by=UserFactory(is_staff=True),
    )  # fmt: skip
    event = EventFactory(group=people.group, status=Event.Status.DRAFT)
    event_services.publish_event(event=event)
    event_services.rsvp_to_event(event=event, user=people.activist)
    event_services.cancel_rsvp(event=event, user=people.activist)
    event_services.cancel_event(event=event, reason="Rain")
    group_services.join_group(group=people.group, user=people.activist)
    petition = ActionFactory(kind=Action.Kind.SIGN, campaign=CampaignFactory(status="active"))
    campaign_services.take_action(action=petition, user=people.activist)
    activist_id = people.activist.pk
    delete_account(user=people.activist)
    _send_all()
    assert sorted(h["X-PeoplePower-Event"] for _p, h, _b in receiver.requests) == [
        "attendance.cancelled",
        "attendance.created",
        "event.cancelled",
        "event.published",
        "person.erased",
        "person.joined_group",
        "signature.created",
    ]
    erased = json.loads(receiver.requests[-1][2])
    assert erased == {
        "type": "person.erased",
        "created": erased["created"],
        "data": {"person": {"identifiers": [f"people_power:person:{activist_id}"]}},
    }


def test_failures_are_retried_with_backoff_then_the_subscription_is_disabled(
    receiver, people, settings
):
    settings.WEBHOOK_ALLOW_PRIVATE = True
    settings.WEBHOOK_MAX_ATTEMPTS = 2
    settings.WEBHOOK_RETRY_SECONDS = 60
    settings.WEBHOOK_DISABLE_AFTER = 3
    receiver.status = 500
    subscription = webhooks.subscribe(
        url=receiver.url, events=["person.joined_group"], by=people.lead, group=people.group
    )
    group_services.join_group(group=people.group, user=people.activist)
    delivery = WebhookDelivery.objects.get()
    before = timezone.now()
    assert webhooks.deliver(delivery_id=delivery.pk) == "retry"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.response_status, delivery.last_error) == (
        "pending",
        500,
        "answered 500",
    )
    assert before + timedelta(seconds=59) < delivery.next_attempt_at
    assert delivery.next_attempt_at < before + timedelta(seconds=62)
    assert webhooks.due_ids() == []  # not due yet
    WebhookDelivery.objects.update(next_attempt_at=timezone.now())
    assert webhooks.deliver(delivery_id=delivery.pk) == "failed"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("failed", 2)
    # The third failure in a row disables it and tells its owner.
    group_services.join_group(group=people.group, user=UserFactory())
    third = WebhookDelivery.objects.get(status="pending")
    assert webhooks.deliver(delivery_id=third.pk) == "retry"
    subscription.refresh_from_db()
    assert (subscription.is_active, subscription.failures_in_a_row) == (False, 3)
    deliver_outbox()
    [email] = mail.outbox
    assert email.to == [people.lead.email]
    assert email.subject == f"Webhook disabled: {receiver.url}"
    assert len(receiver.requests) == 3
    # A disabled subscription gets no new deliveries.
    group_services.join_group(group=people.group, user=UserFactory())
    assert WebhookDelivery.objects.count() == 2


def test_a_replay_sends_the_same_body_again(receiver, people, settings):
    settings.WEBHOOK_ALLOW_PRIVATE = True
    webhooks.subscribe(
        url=receiver.url, events=["person.joined_group"], by=people.lead, group=people.group
    )
    group_services.join_group(group=people.group, user=people.activist)
    _send_all()
    original = WebhookDelivery.objects.get()
    copy = webhooks.replay(delivery=original)
    _send_all()
    copy.refresh_from_db()
    assert copy.status == "sent"
    assert copy.body == original.body
    assert receiver.requests[0][2] == receiver.requests[1][2]
    assert (
        receiver.requests[0][1]["X-PeoplePower-Delivery"]
        != (receiver.requests[1][1]["X-PeoplePower-Delivery"])
    )


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/hook",
        "http://localhost:9/hook",
        "http://10.0.0.5/hook",
        "http://192.168.1.1/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:9/hook",
        "http://0.0.0.0:9/hook",
    ],
)
def test_private_loopback_and_link_local_addresses_are_never_called(people, url):
    webhooks.subscribe(url=url, events=["person.joined_group"], by=people.lead, group=people.group)
    group_services.join_group(group=people.group, user=people.activist)
    delivery = WebhookDelivery.objects.get()
    webhooks.deliver(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.response_status is None
    assert delivery.last_error.startswith("Not sent: ")
    assert "private, loopback or link-local" in delivery.last_error


def test_the_local_receiver_is_refused_without_the_setting(receiver, people):
    webhooks.subscribe(
        url=receiver.url, events=["person.joined_group"], by=people.lead, group=people.group
    )
    group_services.join_group(group=people.group, user=people.activist)
    _send_all()
    assert receiver.requests == []


def test_a_timeout_is_a_failure(people, settings):
    settings.WEBHOOK_ALLOW_PRIVATE = True
    settings.WEBHOOK_TIMEOUT_SECONDS = 0.5
    import socket

    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)  # accepts the connection, never answers
    try:
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/"
        webhooks.subscribe(
            url=url, events=["person.joined_group"], by=people.lead, group=people.group
        )
        group_services.join_group(group=people.group, user=people.activist)
        delivery = WebhookDelivery.objects.get()
        assert webhooks.deliver(delivery_id=delivery.pk) == "retry"
    finally:
        silent.close()
    delivery.refresh_from_db()
    assert delivery.last_error.startswith(("TimeoutError", "timeout"))


def test_only_staff_subscribe_to_everything(people):
    with pytest.raises(webhooks.WebhookError, match="Only staff"):
        webhooks.subscribe(url="https://example.org/", events=["event.published"], by=people.lead)
    with pytest.raises(webhooks.WebhookError, match="Choose events"):
        webhooks.subscribe(
            url="https://example.org/", events=["nope"], by=people.lead, group=people.group
        )
    assert WebhookSubscription.objects.count() == 0


def test_a_lead_adds_and_deletes_a_group_webhook(client, people):
    client.force_login(people.lead)
    url = f"/api/groups/{people.group.slug}/tokens/"
    response = client.post(
        url, {"url": "https://crm.example.org/hook", "events": ["attendance.created"]}
    )
    assert response.status_code == 200
    subscription = WebhookSubscription.objects.get()
    assert (subscription.group, subscription.events, subscription.created_by) == (
        people.group,
        ["attendance.created"],
        people.lead,
    )
    assert subscription.secret.encode() in response.content
    page = client.get(url)
    assert subscription.secret.encode() not in page.content
    assert b"https://crm.example.org/hook" in page.content
    client.force_login(people.other_lead)
    assert (
        client.post(
            f"/api/groups/{people.group.slug}/webhooks/{subscription.pk}/delete/"
        ).status_code
        == 404
    )
    client.force_login(people.lead)
    response = client.post(f"/api/groups/{people.group.slug}/webhooks/{subscription.pk}/delete/")
    assert response.status_code == 302
    assert not WebhookSubscription.objects.exists()


def test_staff_subscribe_and_replay_in_the_admin(client, people):
    people.staff.is_superuser = True
    people.staff.save()
    client.force_login(people.staff)
    response = client.post(
        "/admin/api/webhooksubscription/add/",
        {"url": "https://crm.example.org/all", "events": ["person.joined_group"], "group": ""},
        follow=True,
    )
    assert response.status_code == 200
    subscription = WebhookSubscription.objects.get()
    assert (subscription.group, subscription.created_by) == (None, people.staff)
    assert any(subscription.secret in str(m) for m in response.context["messages"])
    group_services.join_group(group=people.group, user=people.activist)
    original = WebhookDelivery.objects.get()
    response = client.post(
        "/admin/api/webhookdelivery/",
        {"action": "replay", "_selected_action": [original.pk]},
    )
    assert response.status_code == 302
    copy = WebhookDelivery.objects.exclude(pk=original.pk).get()
    assert (copy.replay_of, copy.body, copy.status) == (original, original.body, "pending")
