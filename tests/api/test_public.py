"""Public reads: no token, OSDI shapes, cursor pages, date filters, a constant query count."""

from datetime import timedelta

import pytest
from django.utils import timezone

from events.models import Event
from events.services import rsvp_to_event
from tests.campaigns.factories import ActionFactory, CampaignFactory
from tests.events.factories import EventFactory, FestivalFactory
from tests.factories import UserFactory
from tests.groups.factories import LocalGroupFactory
from tests.partners.factories import PartnerFactory

pytestmark = pytest.mark.django_db


def items(response, name):
    assert response.status_code == 200, response.content
    return response.json()["_embedded"][name]


def test_event_list_has_osdi_fields_and_attendance_counts(api):
    event = EventFactory(title="Vigil", capacity=40)
    rsvp_to_event(event=event, user=UserFactory())
    EventFactory(visibility=Event.Visibility.MEMBERS)
    EventFactory(status=Event.Status.DRAFT)
    [item] = items(api.get("/api/v1/events/"), "osdi:events")
    assert item["identifiers"] == [f"people_power:event:{event.pk}"]
    assert item["origin_system"] == "People Power"
    assert item["title"] == "Vigil"
    assert item["status"] == "confirmed"
    assert item["capacity"] == 40
    assert item["total_accepted"] == 1
    assert item["total_waitlisted"] == 0
    assert item["location"]["venue"] == event.venue.name
    assert item["location"]["postal_code"] == "DE1"
    assert item["location"]["location"] == {"latitude": 52.9225, "longitude": -1.4746}
    assert item["start_date"] == event.starts_at.isoformat().replace("+00:00", "Z")
    assert item["_links"]["self"]["href"] == f"http://testserver/api/v1/events/{event.pk}/"
    assert item["_links"]["osdi:attendances"]["href"].endswith(
        f"/api/v1/events/{event.pk}/attendances/"
    )


def test_cancelled_event_says_cancelled(api):
    event = EventFactory(status=Event.Status.CANCELLED)
    assert api.get(f"/api/v1/events/{event.pk}/").json()["status"] == "cancelled"


def test_members_only_and_draft_events_are_not_found_without_a_token(api):
    hidden = EventFactory(visibility=Event.Visibility.MEMBERS)
    draft = EventFactory(status=Event.Status.DRAFT)
    for event in (hidden, draft):
        response = api.get(f"/api/v1/events/{event.pk}/")
        assert response.status_code == 404
        assert response.json()["osdi:error"]["error_class"] == "not_found"


@pytest.mark.parametrize(
    ("url", "name", "make"),
    [
        ("/api/v1/events/", "osdi:events", lambda: EventFactory()),
        ("/api/v1/groups/", "osdi:groups", lambda: LocalGroupFactory()),
        ("/api/v1/festivals/", "osdi:festivals", lambda: FestivalFactory()),
        ("/api/v1/campaigns/", "osdi:campaigns", lambda: CampaignFactory()),
        ("/api/v1/partners/", "osdi:partners", lambda: PartnerFactory()),
        ("/api/v1/petitions/", "osdi:petitions", lambda: ActionFactory(kind="sign")),
    ],
)
def test_public_lists_cost_the_same_queries_at_one_and_three_items(
    api, django_assert_num_queries, url, name, make
):
    make()
    with django_assert_num_queries(1):
        assert len(items(api.get(url), name)) == 1
    make()
    make()
    with django_assert_num_queries(1):
        assert len(items(api.get(url), name)) == 3


def test_cursor_pages_are_stable_under_inserts(api):
    first = [EventFactory() for _ in range(3)]
    page = api.get("/api/v1/events/?per_page=2").json()
    assert [e["title"] for e in page["_embedded"]["osdi:events"]] == [e.title for e in first[:2]]
    # An event inserted between two page requests is neither repeated nor shifts the rest.
    late = EventFactory()
    page2 = api.get(page["_links"]["next"]["href"]).json()
    assert [e["title"] for e in page2["_embedded"]["osdi:events"]] == [first[2].title, late.title]
    assert "next" not in page2["_links"]
    assert "previous" in page2["_links"]


def test_modified_date_filter_returns_what_changed_since(api):
    now = timezone.now()
    EventFactory(title="Old", updated_at=now - timedelta(days=3))
    EventFactory(title="New", updated_at=now)
    since = (now - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    found = items(
        api.get("/api/v1/events/", {"filter": f"modified_date gt '{since}'"}), "osdi:events"
    )
    assert [e["title"] for e in found] == ["New"]
    day = (now - timedelta(days=3)).date().isoformat()
    found = items(
        api.get("/api/v1/events/", {"filter": f"modified_date eq '{day}'"}), "osdi:events"
    )
    assert [e["title"] for e in found] == ["Old"]


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("modified_date gt 2027", "Use the form: modified_date gt '2027-01-31T12:00:00Z'."),
        ("modified_date gt '2027-02-30'", "“2027-02-30” is not an ISO 8601 date or time."),
        ("title eq 'x'", "This list filters on created_date, modified_date only."),
    ],
)
def test_bad_filters_get_an_osdi_error(api, expression, message):
    response = api.get("/api/v1/events/", {"filter": expression})
    assert response.status_code == 400
    assert response.json() == {
        "osdi:error": {
            "response_code": 400,
            "error_class": "invalid_input",
            "description": "Some fields are not valid.",
            "fields": {"filter": [message]},
        }
    }


def test_groups_have_no_modified_date_filter(api):
    response = api.get("/api/v1/groups/", {"filter": "modified_date gt '2027-01-01'"})
    assert response.status_code == 400
    assert response.json()["osdi:error"]["fields"] == {
        "filter": ["This list filters on created_date only."]
    }


def test_root_links_every_collection(api):
    links = api.get("/api/v1/").json()["_links"]
    assert links["osdi:events"]["href"] == "http://testserver/api/v1/events/"
    assert links["schema"]["href"] == "http://testserver/api/v1/schema/"


def test_schema_and_docs_are_served(client):
    schema = client.get("/api/v1/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/events/{event_id}/attendances/" in schema.content
    assert schema["Content-Type"] == "application/json"
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    assert b"<code>GET /api/v1/events/</code>" in docs.content
    assert b"<code>POST /api/v1/events/{event_id}/attendances/</code>" in docs.content


def test_public_reads_are_limited_per_address(api, settings):
    settings.RATE_LIMITS = {"api_public_reads": "3/m"}
    for _ in range(3):
        assert api.get("/api/v1/groups/").status_code == 200
    response = api.get("/api/v1/groups/")
    assert response.status_code == 429
    assert response.json()["osdi:error"]["error_class"] == "rate_limited"
    assert int(response["Retry-After"]) > 0
    # Another address has its own allowance.
    assert api.get("/api/v1/groups/", REMOTE_ADDR="10.1.2.3").status_code == 200
