"""Every API route with no token and with a token of each scope; every serializer walked
with a minimal-scope token."""

import inspect
import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from api import serializers, services
from api.models import Scope
from tests.api.access import API_ACCESS
from tests.security.roles import GET
from tests.world import MEMBER_EMAIL, build_world, discovered_url_names, url_for

pytestmark = pytest.mark.django_db


def test_every_api_url_is_in_the_api_table():
    ours = [name for name in discovered_url_names() if name.startswith("api:")]
    assert sorted(ours) == sorted(API_ACCESS)


@pytest.fixture
def world(db):
    return build_world()


def _token(world, *scopes, group=None):
    return services.create_token(
        name="matrix", by=world.people.staff, scopes=list(scopes), group=group
    )[1]


def _call(client, method, url, raw, body):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"} if raw else {}
    if method == GET:
        return client.get(url, **headers)
    return client.generic(method, url, json.dumps(body), "application/json", **headers)


def _body(world, name):
    """A valid body for each write: an event for the world's group (a national token names
    it), a change of title, or one of the world's people."""
    if name == "api:event-list":
        start = timezone.now() + timedelta(days=9)
        return {
            "group_id": world.group.pk,
            "title": "Matrix vigil",
            "start_date": start.isoformat(),
            "end_date": (start + timedelta(hours=1)).isoformat(),
            "mode": "online",
            "online_url": "https://meet.example.org/vigil",
        }
    if name == "api:event-detail":
        return {"title": "Peace picnic in the park"}
    return {"person_id": world.people.member.pk}


def test_every_route_with_each_scope_and_none(client, world):
    tokens = {None: None, **{scope: _token(world, scope) for scope in Scope.values}}
    problems = []
    for name, methods in sorted(API_ACCESS.items()):
        url = url_for(world, name)
        body = _body(world, name)
        for method, needed in methods.items():
            for scope, raw in tokens.items():
                response = _call(client, method, url, raw, body)
                if needed is None or scope == needed:
                    wanted = (200,) if method == GET else (200, 201)
                elif raw is None:
                    wanted = (401,)
                else:
                    wanted = (403,)
                if response.status_code not in wanted:
                    problems.append(f"{method} {name} with {scope}: {response.status_code}")
                elif response.status_code >= 400:
                    error = response.json()["osdi:error"]
                    assert error["response_code"] == response.status_code
    assert problems == []


def test_a_signed_in_session_is_no_token(client, world):
    client.force_login(world.people.staff)
    response = client.get(reverse("api:person-list"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response.json()["osdi:error"]["description"] == (
        "This needs an API token: Authorization: Bearer <token>."
    )


def _serializers():
    return [
        cls
        for _name, cls in inspect.getmembers(serializers, inspect.isclass)
        if issubclass(cls, serializers.OsdiSerializer) and cls is not serializers.OsdiSerializer
    ]


def _items(payload):
    if "_embedded" in payload:
        [(_key, found)] = payload["_embedded"].items()
        return found
    return [payload]


def test_every_serializer_with_a_minimal_scope_token(client, world):
    """Each read route as a group token with only the scope it needs: every item has
    exactly its serializer's fields, and no email appears but a contactable member's to a
    people:read token."""
    walked = set()
    for name, methods in sorted(API_ACCESS.items()):
        if name in ("api:root", "api:schema", "api:docs") or GET not in methods:
            continue
        needed = methods[GET]
        raw = _token(world, needed, group=world.group) if needed else None
        response = _call(client, GET, url_for(world, name), raw, None)
        assert response.status_code == 200, name
        serializer = response.renderer_context["view"].get_serializer_class()
        walked.add(serializer)
        for item in _items(response.json()):
            assert list(item) == serializer.Meta.fields, name
        shows_email = MEMBER_EMAIL.encode() in response.content
        assert shows_email == (needed == Scope.PEOPLE_READ), name
    assert walked == set(_serializers())


def test_malformed_path_parameters_with_a_token(client, world):
    """The token-only routes' path parameters get what every session route's get in
    tests/security/test_path_params.py: NUL, overlong, out-of-range and non-UTF-8 values
    are not found (404), never a 500."""
    from tests.security.test_path_params import NASTY, PARAMETER, ROUTES

    raw = _token(world, *Scope.values)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    checked = 0
    for name in sorted(API_ACCESS):
        route = ROUTES[name]
        if GET not in API_ACCESS[name] or not PARAMETER.search(route):
            continue
        for label, nasty in NASTY.items():
            url = "/" + PARAMETER.sub(nasty, route)
            response = client.get(url, **headers)
            assert response.status_code == 404, (name, label, response.status_code)
            checked += 1
    assert checked >= len(NASTY) * 5
