"""A token, and a webhook, act for its maker: every use re-checks that they still may (an
active account; a group's lead, or staff). Every route, every scope."""

import pytest
from django.core import mail

from api import services, webhooks
from api.models import Scope, WebhookDelivery
from front.account_data import delete_account
from groups import services as group_services
from tests.api.access import API_ACCESS
from tests.api.test_matrix import _body, _call
from tests.api.test_webhooks import Receiver
from tests.events.conftest import deliver_outbox
from tests.factories import UserFactory
from tests.groups.factories import MembershipFactory
from tests.world import build_world, url_for

pytestmark = pytest.mark.django_db

LEFT_LEAD = "The person who made this token no longer leads the group; a lead can make a new token."


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def lead(world):
    return world.group.memberships.leads().get().user


def _lead_token(world, lead):
    return services.create_token(name="CRM", by=lead, scopes=list(Scope.values), group=world.group)[
        1
    ]


# The schema and its docs page are the same for everyone and take no token.
NO_DATA = {"api:schema", "api:docs"}
USES = {name: methods for name, methods in API_ACCESS.items() if name not in NO_DATA}


def _every_use(client, world, raw) -> dict:
    """(method, route) -> (status, description) for every route that reads with a token."""
    seen = {}
    for name, methods in sorted(USES.items()):
        for method in methods:
            response = _call(client, method, url_for(world, name), raw, _body(world, name))
            error = response.json().get("osdi:error", {}) if response.status_code >= 400 else {}
            seen[(method, name)] = (response.status_code, error.get("description"))
    return seen


def test_a_lead_token_works_for_every_scope_while_its_maker_leads(client, world, lead):
    raw = _lead_token(world, lead)
    refused = {use: got for use, got in _every_use(client, world, raw).items() if got[0] >= 400}
    assert refused == {}


def test_a_lead_token_is_refused_everywhere_once_its_maker_steps_down(client, world, lead):
    raw = _lead_token(world, lead)
    lead.memberships.filter(group=world.group).update(role="member")
    seen = _every_use(client, world, raw)
    assert len(seen) == sum(len(methods) for methods in USES.values()) == 28
    assert {use for use, got in seen.items() if got != (403, LEFT_LEAD)} == set()
    # Leading again brings it back.
    lead.memberships.filter(group=world.group).update(role="lead")
    assert _call(client, "GET", url_for(world, "api:person-list"), raw, {}).status_code == 200


def test_a_lead_token_is_refused_once_its_maker_leaves_the_group(client, world, lead):
    raw = _lead_token(world, lead)
    MembershipFactory(group=world.group, lead=True)
    group_services.leave_group(group=world.group, user=lead)
    response = _call(client, "GET", url_for(world, "api:attendance-list"), raw, {})
    assert (response.status_code, response.json()["osdi:error"]) == (
        403,
        {"response_code": 403, "error_class": "forbidden", "description": LEFT_LEAD},
    )


def test_a_token_of_a_deactivated_account_is_refused(client, world, lead):
    raw = _lead_token(world, lead)
    lead.is_active = False
    lead.save()
    seen = _every_use(client, world, raw)
    assert set(seen.values()) == {
        (
            403,
            "The person who made this token no longer has an active account; "
            "a lead can make a new token.",
        )
    }


def test_a_token_of_an_erased_account_is_refused(client, world, lead):
    raw = _lead_token(world, lead)
    MembershipFactory(group=world.group, lead=True)
    delete_account(user=lead)
    response = _call(client, "GET", url_for(world, "api:signature-list"), raw, {})
    assert response.status_code == 403
    assert response.json()["osdi:error"]["description"] == (
        "The person who made this token has left (their account was erased); "
        "a lead can make a new token."
    )


def test_a_staff_made_token_outlives_no_one_but_the_staff_member(client, world):
    staff = UserFactory(is_staff=True)
    group_raw = services.create_token(
        name="g", by=staff, scopes=["people:read"], group=world.group
    )[1]
    national_raw = services.create_token(name="n", by=staff, scopes=["people:read"])[1]
    url = url_for(world, "api:person-list")
    assert _call(client, "GET", url, group_raw, {}).status_code == 200
    assert _call(client, "GET", url, national_raw, {}).status_code == 200
    staff.is_staff = False
    staff.save()
    assert _call(client, "GET", url, group_raw, {}).json()["osdi:error"]["description"] == (
        LEFT_LEAD
    )
    national = _call(client, "GET", url, national_raw, {})
    assert (national.status_code, national.json()["osdi:error"]["description"]) == (
        403,
        "The person who made this token is no longer staff; staff can make a new token.",
    )


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


def test_a_webhook_stops_and_its_owner_is_told_once_they_no_longer_lead(
    receiver, world, lead, settings
):
    settings.WEBHOOK_ALLOW_PRIVATE = True
    subscription = webhooks.subscribe(
        url=receiver.url, events=["person.joined_group"], by=lead, group=world.group
    )
    group_services.join_group(group=world.group, user=UserFactory())
    deliveries = WebhookDelivery.objects.filter(subscription=subscription)
    first = deliveries.get()
    assert webhooks.deliver(delivery_id=first.pk) == "sent"
    lead.memberships.filter(group=world.group).update(role="member")
    group_services.join_group(group=world.group, user=UserFactory())
    second = deliveries.get(status="pending")
    assert webhooks.deliver(delivery_id=second.pk) == "disabled"
    second.refresh_from_db()
    subscription.refresh_from_db()
    assert (second.status, second.last_error) == (
        "failed",
        "Not sent: the person who made this subscription no longer leads the group.",
    )
    assert (subscription.is_active, subscription.disabled_at is not None) == (False, True)
    assert len(receiver.requests) == 1
    deliver_outbox()
    [email] = [m for m in mail.outbox if m.subject.startswith("Webhook disabled")]
    assert (email.to, email.subject) == ([lead.email], f"Webhook disabled: {receiver.url}")
    assert (
        "stopped sending webhooks to "
        f"{receiver.url}: the person who made this subscription no longer leads the group "
        "(Derby)."
    ) in email.body
    # Disabled: nothing more is written for it, and no second email.
    group_services.join_group(group=world.group, user=UserFactory())
    assert deliveries.count() == 2
    deliver_outbox()
    assert len([m for m in mail.outbox if m.subject.startswith("Webhook disabled")]) == 1


def test_a_webhook_of_an_erased_owner_stops_without_an_email(receiver, world, lead, settings):
    settings.WEBHOOK_ALLOW_PRIVATE = True
    subscription = webhooks.subscribe(
        url=receiver.url, events=["person.joined_group"], by=lead, group=world.group
    )
    MembershipFactory(group=world.group, lead=True)
    delete_account(user=lead)
    group_services.join_group(group=world.group, user=UserFactory())
    [delivery] = WebhookDelivery.objects.filter(subscription=subscription)
    assert webhooks.deliver(delivery_id=delivery.pk) == "disabled"
    subscription.refresh_from_db()
    assert subscription.is_active is False
    assert receiver.requests == []
    deliver_outbox()
    assert [m for m in mail.outbox if m.subject.startswith("Webhook disabled")] == []
