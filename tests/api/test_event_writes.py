"""The events:write scope: create, change, publish and cancel events through the web's
form and services (the same checks, the same emails once, the same webhooks)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from api import services, webhooks
from api.models import WebhookDelivery
from events.models import Event
from events.services import rsvp_to_event
from tests.api.conftest import auth
from tests.campaigns.factories import CampaignFactory
from tests.events.conftest import deliver_outbox
from tests.events.factories import EventFactory, VenueFactory
from tests.partners.factories import PartnershipFactory
from tests.people import make_people

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db):
    return make_people()


@pytest.fixture
def raw(people):
    """A Derby lead's token with events:write; Derby has a webhook for both event hooks."""
    webhooks.subscribe(
        url="https://crm.example.org/hook",
        events=["event.published", "event.cancelled"],
        by=people.lead,
        group=people.group,
    )
    return services.create_token(
        name="CRM", by=people.lead, scopes=["events:write"], group=people.group
    )[1]


START = (timezone.now() + timedelta(days=10)).replace(microsecond=0)


def _new(**changes) -> dict:
    body = {
        "title": "Vigil for sanctuary",
        "start_date": START.isoformat(),
        "end_date": (START + timedelta(hours=2)).isoformat(),
        "mode": "online",
        "online_url": "https://meet.example.org/vigil",
    }
    return {**body, **changes}


def _hooks() -> list[str]:
    return list(WebhookDelivery.objects.order_by("pk").values_list("event", flat=True))


def test_a_group_token_creates_a_published_event(api, people, raw):
    response = api.post("/api/v1/events/", _new(kind="vigil"), format="json", **auth(raw))
    assert response.status_code == 201, response.content
    event = Event.objects.get()
    assert (event.title, event.group, event.created_by) == (
        "Vigil for sanctuary",
        people.group,
        people.lead,
    )
    assert (event.status, event.kind, event.starts_at) == (Event.Status.PUBLISHED, "vigil", START)
    assert response.json()["status"] == "confirmed"
    assert response.json()["_links"]["self"]["href"].endswith(f"/api/v1/events/{event.pk}/")
    assert _hooks() == ["event.published"]
    listed = api.get("/api/v1/events/").json()["_embedded"]["osdi:events"]
    assert [item["title"] for item in listed] == ["Vigil for sanctuary"]


def test_a_draft_is_published_once(api, people, raw):
    response = api.post("/api/v1/events/", _new(status="draft"), format="json", **auth(raw))
    assert response.status_code == 201
    assert response.json()["status"] == "draft"
    event = Event.objects.get()
    assert event.status == Event.Status.DRAFT
    assert _hooks() == []
    assert api.get(f"/api/v1/events/{event.pk}/").status_code == 404
    for _ in range(2):
        response = api.patch(
            f"/api/v1/events/{event.pk}/", {"status": "confirmed"}, format="json", **auth(raw)
        )
        assert response.status_code == 200
        assert response.json()["status"] == "confirmed"
    assert _hooks() == ["event.published"]


def test_the_web_forms_checks_come_back_under_the_api_names(api, people, raw):
    other_campaign = CampaignFactory(local=True)
    cases = [
        (
            _new(end_date=START.isoformat()),
            {"end_date": ["The event must end after it starts."]},
        ),
        (
            _new(mode="in_person"),
            {"venue_id": ["Choose a venue for an event in person (or add one first)."]},
        ),
        (_new(title=None), {"title": ["This field may not be null."]}),
        (
            {"mode": "online"},
            {
                "title": ["This field is required."],
                "start_date": ["This field is required."],
                "end_date": ["This field is required."],
                "online_url": ["Give the link for an online event."],
            },
        ),
        (_new(capacity="many"), {"capacity": ["A valid integer is required."]}),
        (_new(colour="red"), {"colour": ["Unknown field."]}),
        (_new(kind="rave"), {"kind": ['"rave" is not a valid choice.']}),
        (
            _new(campaign_id=other_campaign.pk),
            {
                "campaign_id": [
                    "Select a valid choice. That choice is not one of the available choices."
                ]
            },
        ),
        (_new(status="cancelled"), {"status": ["A new event is a draft or confirmed."]}),
    ]
    for body, fields in cases:
        response = api.post("/api/v1/events/", body, format="json", **auth(raw))
        assert response.status_code == 400, body
        error = response.json()["osdi:error"]
        assert (error["error_class"], error["fields"]) == ("invalid_input", fields), body
    assert not Event.objects.exists()
    assert _hooks() == []


def test_cancelling_emails_everyone_going_once_and_tells_the_webhook_once(api, people, raw):
    event = EventFactory(group=people.group, capacity=1)
    rsvp_to_event(event=event, user=people.member)
    rsvp_to_event(event=event, user=people.activist)  # on the waitlist
    deliver_outbox()
    mail.outbox.clear()
    url = f"/api/v1/events/{event.pk}/"
    response = api.patch(url, {"status": "cancelled"}, format="json", **auth(raw))
    assert response.status_code == 400
    assert response.json()["osdi:error"]["fields"] == {"cancel_reason": ["This field is required."]}
    body = {"status": "cancelled", "cancel_reason": "The hall flooded."}
    for _ in range(2):
        response = api.patch(url, body, format="json", **auth(raw))
        assert response.status_code == 200
        assert response.json()["status"] == "cancelled"
    deliver_outbox()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [people.member.email, people.activist.email]
    )
    event.refresh_from_db()
    assert (event.status, event.cancel_reason) == (Event.Status.CANCELLED, "The hall flooded.")
    assert _hooks() == ["event.cancelled"]
    response = api.patch(url, {"status": "confirmed"}, format="json", **auth(raw))
    assert response.json()["osdi:error"]["fields"] == {
        "status": ["A cancelled event cannot be published again."]
    }


def test_a_finished_event_is_not_cancelled_and_a_published_one_is_no_draft(api, people, raw):
    past = EventFactory(
        group=people.group,
        starts_at=timezone.now() - timedelta(days=2),
        ends_at=timezone.now() - timedelta(days=1),
    )
    response = api.patch(
        f"/api/v1/events/{past.pk}/",
        {"status": "cancelled", "cancel_reason": "Too late"},
        format="json",
        **auth(raw),
    )
    assert response.json()["osdi:error"]["fields"] == {
        "status": ["This event has finished, so it can't be cancelled."]
    }
    response = api.patch(
        f"/api/v1/events/{past.pk}/", {"status": "draft"}, format="json", **auth(raw)
    )
    assert response.json()["osdi:error"]["fields"] == {
        "status": ["A published event cannot go back to being a draft."]
    }
    past.refresh_from_db()
    assert past.status == Event.Status.PUBLISHED


def test_a_change_of_time_tells_people_going_and_a_new_title_alone_does_not(api, people, raw):
    # Seconds the web form never shows: an unchanged time must stay unchanged.
    starts = START.replace(second=17)
    event = EventFactory(group=people.group, starts_at=starts, ends_at=starts + timedelta(hours=1))
    rsvp_to_event(event=event, user=people.member)
    deliver_outbox()
    mail.outbox.clear()
    url = f"/api/v1/events/{event.pk}/"
    response = api.put(url, {"title": "Bigger vigil", "capacity": 80}, format="json", **auth(raw))
    assert response.status_code == 200, response.content
    event.refresh_from_db()
    assert (event.title, event.capacity, event.starts_at, event.sequence) == (
        "Bigger vigil",
        80,
        starts,
        1,  # the title is a significant change for calendars, not for people going
    )
    deliver_outbox()
    assert mail.outbox == []
    later = starts + timedelta(hours=3)
    body = {"start_date": later.isoformat(), "end_date": (later + timedelta(hours=1)).isoformat()}
    assert api.patch(url, body, format="json", **auth(raw)).status_code == 200
    deliver_outbox()
    assert [m.to for m in mail.outbox] == [[people.member.email]]
    event.refresh_from_db()
    assert event.starts_at == later


def test_a_change_keeps_what_the_api_does_not_show(api, people, raw):
    partnership = PartnershipFactory(group=people.group)
    venue = VenueFactory()
    event = EventFactory(group=people.group, venue=venue)
    event.partners.add(partnership.partner)
    response = api.patch(
        f"/api/v1/events/{event.pk}/",
        {"description": "Bring a candle."},
        format="json",
        **auth(raw),
    )
    assert response.status_code == 200, response.content
    event.refresh_from_db()
    assert (event.description, event.venue) == ("Bring a candle.", venue)
    assert list(event.partners.all()) == [partnership.partner]


def test_a_group_token_writes_only_its_own_groups_events(api, people, raw):
    theirs = EventFactory(group=people.other_group)
    proposal = EventFactory(group=people.group, status=Event.Status.PROPOSED)
    for event in (theirs, proposal):
        response = api.patch(
            f"/api/v1/events/{event.pk}/", {"title": "Mine now"}, format="json", **auth(raw)
        )
        assert response.status_code == 404
        event.refresh_from_db()
        assert event.title != "Mine now"
    response = api.post(
        "/api/v1/events/", _new(group_id=people.other_group.pk), format="json", **auth(raw)
    )
    assert response.json()["osdi:error"]["fields"] == {
        "group_id": ["This token writes its own group's events."]
    }
    response = api.patch(
        f"/api/v1/events/{proposal.pk}/", {"title": "x"}, format="json", **auth(raw)
    )
    assert response.status_code == 404
    assert not Event.objects.filter(title="Vigil for sanctuary").exists()


def test_a_national_token_names_the_group(api, people):
    raw = services.create_token(name="HQ", by=people.staff, scopes=["events:write"])[1]
    response = api.post("/api/v1/events/", _new(), format="json", **auth(raw))
    assert response.json()["osdi:error"]["fields"] == {"group_id": ["Give the hosting group's id."]}
    response = api.post(
        "/api/v1/events/", _new(group_id=people.other_group.pk), format="json", **auth(raw)
    )
    assert response.status_code == 201
    assert Event.objects.get().group == people.other_group


def test_reading_tokens_cannot_write(api, people):
    raw = services.create_token(
        name="CRM", by=people.lead, scopes=["events:read"], group=people.group
    )[1]
    response = api.post("/api/v1/events/", _new(), format="json", **auth(raw))
    assert response.status_code == 403
    assert response.json()["osdi:error"]["description"] == (
        "This token does not have the events:write scope."
    )
    assert api.post("/api/v1/events/", _new(), format="json").status_code == 401
    assert not Event.objects.exists()


def test_the_schema_and_docs_describe_event_writes_and_letters(client):
    schema = client.get("/api/v1/schema/").json()
    paths = schema["paths"]
    assert sorted(paths["/api/v1/events/{id}/"]) == ["get", "patch", "put"]
    assert sorted(paths["/api/v1/events/"]) == ["get", "post"]
    assert list(paths["/api/v1/advocacy_campaigns/"]) == ["get"]
    assert list(paths["/api/v1/advocacy_campaigns/{advocacy_campaign_id}/outreaches/"]) == ["get"]
    write = schema["components"]["schemas"]["EventWrite"]["properties"]
    assert {"title", "start_date", "venue_id", "status", "cancel_reason"} <= set(write)
    docs = client.get("/api/v1/docs/")
    assert b"<code>PATCH /api/v1/events/{id}/</code>" in docs.content
    assert b"<code>GET /api/v1/advocacy_campaigns/{advocacy_campaign_id}/outreaches/</code>" in (
        docs.content
    )


def test_a_group_token_writes_only_while_its_maker_leads_the_group(api, people, raw):
    event = EventFactory(group=people.group)
    people.lead.memberships.filter(group=people.group).update(role="member")
    for call in (
        lambda: api.post("/api/v1/events/", _new(), format="json", **auth(raw)),
        lambda: api.patch(
            f"/api/v1/events/{event.pk}/",
            {"status": "cancelled", "cancel_reason": "Rain"},
            format="json",
            **auth(raw),
        ),
    ):
        response = call()
        assert response.status_code == 403
        assert response.json()["osdi:error"]["description"] == (
            "The person who made this token no longer leads the group; a lead can make a new token."
        )
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED
    assert Event.objects.count() == 1
