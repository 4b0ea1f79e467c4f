"""Public reads come from the anonymous page cache (api/cache.py): an edit shows at once,
an unrelated write leaves them cached, a token never gets a cached body, counts are live
counters and every hit still counts towards the per-address limit."""

import pytest
from django.core.cache import cache

from campaigns import services as campaign_services
from events import services as event_services
from events.models import Event
from groups import services as group_services
from tests.campaigns.factories import ActionFactory, CampaignFactory
from tests.events.factories import EventFactory
from tests.factories import UserFactory

from .conftest import auth

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def cached(settings):
    settings.PAGE_CACHE_SECONDS = 60


def event_item(api, url, **extra):
    response = api.get(url, **extra)
    assert response.status_code == 200, response.content
    body = response.json()
    return response.get("X-Page-Cache"), body["_embedded"]["osdi:events"][0] if (
        "_embedded" in body
    ) else body


def test_a_public_read_is_cached_and_a_hit_costs_no_queries(
    api, settings, django_assert_num_queries
):
    event = EventFactory(title="Vigil")
    for url in ("/api/v1/events/", f"/api/v1/events/{event.pk}/"):
        state, first = event_item(api, url)
        assert state == "miss"
        # Without Redis the cache is a database table: its reads are the only queries.
        with django_assert_num_queries(0 if settings.REDIS_URL else 3):
            state, again = event_item(api, url)
        assert (state, again) == ("hit", first)
        assert again["title"] == "Vigil"


def test_the_query_string_is_normalised_and_the_host_kept(api):
    event = EventFactory()
    url = f"/api/v1/events/?group={event.group_id}&per_page=5"
    assert api.get(url)["X-Page-Cache"] == "miss"
    assert api.get(f"/api/v1/events/?per_page=5&group={event.group_id}")["X-Page-Cache"] == "hit"
    # The links are absolute: another host is another entry.
    other = api.get(url, HTTP_HOST="testserver2")
    assert other.get("X-Page-Cache") in ("miss", None)


def test_an_event_edit_shows_at_once_in_the_list_and_the_detail(
    api, django_capture_on_commit_callbacks
):
    event = EventFactory(title="Vigil")
    list_url, detail_url = "/api/v1/events/", f"/api/v1/events/{event.pk}/"
    event_item(api, list_url), event_item(api, detail_url)
    with django_capture_on_commit_callbacks(execute=True):
        event_services.cancel_event(event=event, reason="Storm warning")
    for url in (list_url, detail_url):
        state, item = event_item(api, url)
        assert (state, item["status"]) == ("miss", "cancelled")


def test_a_group_rename_shows_at_once_on_its_events(api, django_capture_on_commit_callbacks):
    event = EventFactory()
    event_item(api, "/api/v1/events/")
    with django_capture_on_commit_callbacks(execute=True):
        group_services.update_group_profile(group=event.group, fields={"name": "Derby North"})
    state, item = event_item(api, "/api/v1/events/")
    assert (state, item["group"]["name"]) == ("miss", "Derby North")


def test_an_unrelated_write_leaves_the_api_cache_alone(api, django_capture_on_commit_callbacks):
    EventFactory()
    action = ActionFactory(campaign=CampaignFactory())
    event_item(api, "/api/v1/events/")
    with django_capture_on_commit_callbacks(execute=True):
        campaign_services.post_update(
            campaign=action.campaign, author=UserFactory(), title="News", body="Met the MP"
        )
        campaign_services.take_action(action=action, user=UserFactory(), show_name=True)
    assert event_item(api, "/api/v1/events/")[0] == "hit"


def test_an_rsvp_shows_in_the_counts_without_a_rebuild(api, django_capture_on_commit_callbacks):
    event = EventFactory(capacity=40)
    for url in ("/api/v1/events/", f"/api/v1/events/{event.pk}/"):
        assert event_item(api, url)[1]["total_accepted"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        event_services.rsvp_to_event(event=event, user=UserFactory())
    # The count is a live counter: kept LIVE_COUNTER_SECONDS, then read again.
    cache.delete(f"live:event_confirmed:{event.pk}")
    for url in ("/api/v1/events/", f"/api/v1/events/{event.pk}/"):
        state, item = event_item(api, url)
        assert (state, item["total_accepted"], item["total_waitlisted"]) == ("hit", 1, 0)


def test_token_requests_never_get_a_cached_public_body(api, make_token):
    public = EventFactory()
    members = EventFactory(group=public.group, visibility=Event.Visibility.MEMBERS)
    event_item(api, "/api/v1/events/")
    assert event_item(api, "/api/v1/events/")[0] == "hit"
    response = api.get("/api/v1/events/", **auth(make_token("events:read")))
    assert response.status_code == 200
    assert "X-Page-Cache" not in response
    ids = [e["identifiers"][0] for e in response.json()["_embedded"]["osdi:events"]]
    assert ids == [f"people_power:event:{public.pk}", f"people_power:event:{members.pk}"]
    # A bad token is refused, not answered from the cache.
    refused = api.get("/api/v1/events/", HTTP_AUTHORIZATION="Bearer nonsense")
    assert refused.status_code == 401
    assert api.get("/api/v1/events/", HTTP_OSDI_API_TOKEN="nonsense").status_code == 401


def test_people_and_errors_are_never_cached(api):
    assert api.get("/api/v1/events/999999/").status_code == 404
    again = api.get("/api/v1/events/999999/")
    assert again.status_code == 404 and "X-Page-Cache" not in again
    for _ in range(2):
        response = api.get("/api/v1/events/?filter=nonsense")
        assert response.status_code == 400 and "X-Page-Cache" not in response
        people = api.get("/api/v1/people/")
        assert people.status_code == 401 and "X-Page-Cache" not in people


def test_hits_still_count_towards_the_per_address_limit(api, settings):
    settings.RATE_LIMITS = {"api_public_reads": "3/m"}
    EventFactory()
    states = [api.get("/api/v1/events/")["X-Page-Cache"] for _ in range(3)]
    assert states == ["miss", "hit", "hit"]
    response = api.get("/api/v1/events/")
    assert response.status_code == 429
    assert response.json()["osdi:error"]["error_class"] == "rate_limited"
    assert int(response["Retry-After"]) > 0
    assert api.get("/api/v1/events/", REMOTE_ADDR="10.1.2.3")["X-Page-Cache"] == "hit"


def test_a_group_edit_and_a_signature_show_through_the_other_collections(
    api, django_capture_on_commit_callbacks
):
    group = EventFactory().group
    action = ActionFactory(campaign=CampaignFactory())
    group_url, petitions_url = f"/api/v1/groups/{group.pk}/", "/api/v1/petitions/"
    assert api.get(group_url)["X-Page-Cache"] == "miss"
    assert api.get(petitions_url).json()["_embedded"]["osdi:petitions"][0]["total_signatures"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        group_services.update_group_profile(group=group, fields={"meeting_note": "Tuesdays"})
        campaign_services.take_action(action=action, user=UserFactory())
    edited = api.get(group_url)
    assert (edited["X-Page-Cache"], edited.json()["meeting_note"]) == ("miss", "Tuesdays")
    # The signature rebuilt nothing; its count is a live counter (5 s), a number in the JSON.
    cache.delete(f"live:action:{action.pk}")
    petitions = api.get(petitions_url)
    assert petitions["X-Page-Cache"] == "hit"
    assert petitions.json()["_embedded"]["osdi:petitions"][0]["total_signatures"] == 1
