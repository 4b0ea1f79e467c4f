"""events:write sets an event's co-hosting partners and invites co-hosting groups, through
the web's form (the same choices) and services (the same invitations and emails)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from api import services
from events.models import CohostInvitation, Event
from partners.models import Partnership
from tests.api.conftest import auth
from tests.events.conftest import deliver_outbox
from tests.events.factories import EventFactory
from tests.groups.factories import LocalGroupFactory
from tests.partners.factories import PartnerFactory, PartnershipFactory
from tests.people import make_people

pytestmark = pytest.mark.django_db

START = (timezone.now() + timedelta(days=10)).replace(microsecond=0)


@pytest.fixture
def people(db):
    return make_people()


@pytest.fixture
def raw(people):
    return services.create_token(
        name="CRM", by=people.lead, scopes=["events:write"], group=people.group
    )[1]


def _new(**changes) -> dict:
    return {
        "title": "Vigil for sanctuary",
        "start_date": START.isoformat(),
        "end_date": (START + timedelta(hours=2)).isoformat(),
        "mode": "online",
        "online_url": "https://meet.example.org/vigil",
        **changes,
    }


def _invited(event) -> list[tuple[int, str]]:
    return list(
        CohostInvitation.objects.filter(event=event)
        .order_by("group_id")
        .values_list("group_id", "status")
    )


def test_an_event_is_made_with_partners_and_invited_cohosts(api, people, raw):
    partnership = PartnershipFactory(group=people.group)
    response = api.post(
        "/api/v1/events/",
        _new(partner_ids=[partnership.partner.pk], cohost_group_ids=[people.other_group.pk]),
        format="json",
        **auth(raw),
    )
    assert response.status_code == 201, response.content
    event = Event.objects.get()
    assert list(event.partners.all()) == [partnership.partner]
    # Invited, as on the web: a co-host only once one of its leads accepts.
    assert _invited(event) == [(people.other_group.pk, "pending")]
    assert list(event.cohost_groups.all()) == []
    deliver_outbox()
    assert [m.to for m in mail.outbox if "co-host" in m.subject.lower()] == [
        [people.other_lead.email]
    ]


@pytest.mark.parametrize(
    "status", [Partnership.Status.PROSPECT, Partnership.Status.DORMANT, Partnership.Status.ENDED]
)
def test_only_partners_with_an_active_partnership_are_taken(api, people, raw, status):
    inactive = PartnershipFactory(group=people.group, status=status).partner
    theirs = PartnershipFactory(group=people.other_group).partner
    stranger = PartnerFactory()
    for partner in (inactive, theirs, stranger):
        response = api.post(
            "/api/v1/events/", _new(partner_ids=[partner.pk]), format="json", **auth(raw)
        )
        assert response.status_code == 400
        assert response.json()["osdi:error"]["fields"] == {
            "partner_ids": [
                f"Select a valid choice. {partner.pk} is not one of the available choices."
            ]
        }
    assert Event.objects.count() == 0


def test_only_other_active_groups_may_be_invited(api, people, raw):
    closed = LocalGroupFactory(is_active=False)
    for group in (people.group, closed):
        response = api.post(
            "/api/v1/events/", _new(cohost_group_ids=[group.pk]), format="json", **auth(raw)
        )
        assert response.status_code == 400
        assert response.json()["osdi:error"]["fields"] == {
            "cohost_group_ids": [
                f"Select a valid choice. {group.pk} is not one of the available choices."
            ]
        }
    response = api.post(
        "/api/v1/events/", _new(cohost_group_ids="derby"), format="json", **auth(raw)
    )
    assert response.status_code == 400
    assert list(response.json()["osdi:error"]["fields"]) == ["cohost_group_ids"]
    assert Event.objects.count() == 0


def test_a_change_replaces_the_lists_and_leaves_them_when_not_given(api, people, raw):
    first, second = (PartnershipFactory(group=people.group).partner for _ in range(2))
    event = EventFactory(group=people.group)
    url = f"/api/v1/events/{event.pk}/"
    body = {"partner_ids": [first.pk, second.pk], "cohost_group_ids": [people.other_group.pk]}
    assert api.patch(url, body, format="json", **auth(raw)).status_code == 200
    assert set(event.partners.all()) == {first, second}
    assert _invited(event) == [(people.other_group.pk, "pending")]
    # Another field only: both lists stay.
    assert api.patch(url, {"title": "Candle vigil"}, format="json", **auth(raw)).status_code == 200
    assert set(event.partners.all()) == {first, second}
    assert _invited(event) == [(people.other_group.pk, "pending")]
    # Empty lists: the partners go and the invitation is withdrawn.
    body = {"partner_ids": [], "cohost_group_ids": []}
    assert api.patch(url, body, format="json", **auth(raw)).status_code == 200
    assert list(event.partners.all()) == []
    assert _invited(event) == [(people.other_group.pk, "withdrawn")]
