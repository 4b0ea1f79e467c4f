"""A webhook delivery sent by a real Celery worker to a real local receiver: a failure,
then beat's tick hands out the retry, which succeeds."""

import uuid

import pytest

from api import tasks, webhooks
from api.models import WebhookDelivery
from groups import services as group_services
from tests.api.test_webhooks import Receiver, verify
from tests.factories import UserFactory
from tests.groups.factories import LocalGroupFactory, MembershipFactory
from tests.portal.test_worker import start_worker, wait_for


@pytest.mark.worker
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_worker_sends_retries_and_records_a_delivery(tmp_path):
    receiver = Receiver()
    receiver.status = 503
    group = LocalGroupFactory()
    lead = MembershipFactory(group=group, lead=True).user
    subscription = webhooks.subscribe(
        url=receiver.url, events=["person.joined_group"], by=lead, group=group
    )
    group_services.join_group(group=group, user=UserFactory())
    delivery = WebhookDelivery.objects.get()
    queue = f"test-{uuid.uuid4().hex[:10]}"
    worker = start_worker(
        queue,
        tmp_path / "mail",
        tmp_path / "worker.log",
        WEBHOOK_ALLOW_PRIVATE="1",
        WEBHOOK_RETRY_SECONDS="0",
    )
    try:
        tasks.send_webhook.apply_async((delivery.pk,), queue=queue)
        assert wait_for(lambda: len(receiver.requests) == 1, timeout=90), (
            tmp_path / "worker.log"
        ).read_text()[-3000:]
        assert wait_for(
            lambda: WebhookDelivery.objects.filter(pk=delivery.pk, status="pending").exists()
        )
        receiver.status = 200
        tasks.webhook_tick.apply_async(queue=queue)
        assert wait_for(
            lambda: WebhookDelivery.objects.filter(pk=delivery.pk, status="sent").exists(),
            timeout=90,
        ), (tmp_path / "worker.log").read_text()[-3000:]
    finally:
        worker.terminate()
        # A worker holding a reserved (unacknowledged) message takes about 30 s
        # of warm shutdown before it restores it to the queue.
        worker.wait(timeout=90)
        receiver.close()
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.response_status) == (2, 200)
    [first, second] = receiver.requests
    assert first[2] == second[2] == delivery.body.encode()
    assert verify(subscription.secret, second[1], second[2])
