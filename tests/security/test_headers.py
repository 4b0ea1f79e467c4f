"""Headers: personal data is never stored by a cache, and a page served from the page
cache carries exactly the headers of a freshly built one."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.world import access_rules, build_world, url_for

RULES = access_rules()
PREFERRED_ROLES = ["lead", "member", "staff", "rep", "activist", "other_lead", "other_rep"]
# Headers that differ between any two responses, cached or not.
VOLATILE = {"Date", "X-Page-Cache", "Content-Length"}


def private_no_store(response) -> bool:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"private", "no-store"} <= directives and "public" not in directives


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "role"),
    [
        ("groups:members", "lead"),
        ("groups:members_csv", "lead"),
        ("events:attendees_csv", "lead"),
        ("events:attendees", "lead"),
        ("my_portal", "member"),
        ("review:dashboard", "rep"),
        ("review:group", "rep"),
        ("review:group_events_csv", "rep"),
        ("review:groups_csv", "rep"),
        ("cases:figures_csv", "staff"),
    ],
)
def test_personal_data_responses_are_private_and_not_stored(client, name, role):
    world = build_world()
    client.force_login(getattr(world.people, role))
    response = client.get(url_for(world, name))
    assert response.status_code == 200
    assert private_no_store(response), response.get("Cache-Control")


@pytest.mark.django_db
def test_data_zip_is_private_and_not_stored(client):
    world = build_world()
    client.force_login(world.people.member)
    response = client.post(reverse("my_data_download"))
    assert response["Content-Type"] == "application/zip"
    assert private_no_store(response)


@pytest.mark.django_db
def test_personal_links_are_private_and_not_stored(client):
    world = build_world()
    for name in ("events:personal_feed", "notifications:unsubscribe"):
        response = client.get(url_for(world, name))
        assert response.status_code == 200, name
        assert private_no_store(response), name


@pytest.mark.django_db
def test_every_page_a_signed_in_person_gets_is_private_and_not_stored(client):
    world = build_world()
    pages = sorted(n for n, (method, roles) in RULES.access.items() if method == "GET")
    stored = {}
    for name in pages:
        role = next((r for r in PREFERRED_ROLES if r in RULES.access[name][1]), None)
        if role is None or name.startswith("api:"):
            # The JSON API ignores the session (tokens only, tests/api/test_matrix.py):
            # a signed-in browser gets what a visitor gets, public data.
            continue
        client.force_login(getattr(world.people, role))
        response = client.get(url_for(world, name))
        if not private_no_store(response):
            stored[name] = response.get("Cache-Control")
    assert stored == {}


@pytest.mark.django_db
def test_public_pages_stay_cacheable_for_visitors(client):
    build_world()
    response = client.get(reverse("events:list"))
    assert response.status_code == 200
    assert response.get("Cache-Control") is None


ANONYMOUS_PAGES = sorted(
    name
    for name, (method, roles) in RULES.access.items()
    if method == "GET" and "anonymous" in roles
)


@pytest.mark.django_db
def test_cached_pages_carry_the_same_headers_as_fresh_ones(settings):
    """Every page a visitor can open, twice: cold, then (where cacheable) from the cache."""
    settings.PAGE_CACHE_SECONDS = 60
    world = build_world()
    hits = 0
    differences = {}
    for name in ANONYMOUS_PAGES:
        url = url_for(world, name)
        cold = Client().get(url)  # each a visitor without cookies, as the cache requires
        warm = Client().get(url)
        assert cold.get("X-Page-Cache") != "hit", name
        if warm.get("X-Page-Cache") == "hit":
            hits += 1
        cold_headers = {k: v for k, v in cold.headers.items() if k not in VOLATILE}
        warm_headers = {k: v for k, v in warm.headers.items() if k not in VOLATILE}
        if cold_headers != warm_headers:
            differences[name] = set(cold_headers.items()) ^ set(warm_headers.items())
    assert differences == {}
    assert hits >= 8  # the page cache was really exercised
    home = Client().get(reverse("home"))
    assert home["X-Page-Cache"] == "hit"
    assert home["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in home["Content-Security-Policy"]
    assert home["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert home["X-Content-Type-Options"] == "nosniff"
    assert home["Permissions-Policy"]
