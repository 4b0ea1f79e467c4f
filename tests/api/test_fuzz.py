"""Bad input to the API: malformed JSON, wrong types, huge bodies, unknown fields, odd
query strings. Each gets a 4xx with an OSDI error body, never a 500."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api import serializers, services
from tests.api.access import API_ACCESS
from tests.security.roles import GET
from tests.world import build_world, url_for

FUZZ = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
pytestmark = pytest.mark.django_db

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=30)
    | st.sampled_from([2**64, -1, 0, "1", "1e308", "\x00", "' OR 1=1 --"]),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=3)
    ),
    max_leaves=8,
)
EVENT_FIELDS = sorted(serializers.EventWriteSerializer().fields)
event_values = json_values | st.sampled_from(
    ["2030-02-30T10:00", "2030-03-31T01:30", "9999-12-31T23:59:59Z", "online", "members", "draft"]
)
bodies = st.one_of(
    json_values.map(json.dumps),
    st.dictionaries(
        st.sampled_from(["person_id", "show_name", "unknown", "email"]), json_values, max_size=3
    ).map(json.dumps),
    st.dictionaries(st.sampled_from([*EVENT_FIELDS, "unknown"]), event_values, max_size=5).map(
        json.dumps
    ),
    st.sampled_from(["", "{", "[", '{"person_id": }', "null", "\ufeff{}", "{'a': 1}", "nan"]),
    st.binary(max_size=40).map(lambda b: b.decode("latin-1")),
)


@pytest.fixture
def world(db):
    return build_world()


def _is_osdi_4xx(response) -> bool:
    if not 400 <= response.status_code < 500:
        return False
    error = response.json()["osdi:error"]
    return error["response_code"] == response.status_code and error["description"]


WRITES = sorted(
    (name, method)
    for name, methods in API_ACCESS.items()
    for method in methods
    if method != GET and methods[method] is not None
)


@pytest.mark.parametrize(("name", "method"), WRITES)
def test_write_bodies_never_answer_500(client, world, name, method):
    raw = services.create_token(
        name="fuzz", by=world.people.staff, scopes=[API_ACCESS[name][method]]
    )[1]
    url = url_for(world, name)
    allowed = set(EVENT_FIELDS) if name.startswith("api:event-") else {"person_id", "show_name"}

    @FUZZ
    @given(bodies)
    def check(body):
        response = client.generic(
            method, url, body, "application/json", HTTP_AUTHORIZATION=f"Bearer {raw}"
        )
        if response.status_code in (200, 201):
            # Only a well-formed body of the route's own fields may succeed.
            assert set(json.loads(body)) <= allowed
        else:
            assert _is_osdi_4xx(response), (body, response.status_code, response.content)

    check()


def test_unknown_fields_wrong_types_and_other_media_types_are_refused(client, world):
    raw = services.create_token(name="fuzz", by=world.people.staff, scopes=["attendances:write"])[1]
    url = url_for(world, "api:attendance-list")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    too_big = "Ensure this value is less than or equal to 9223372036854775807."
    cases = [
        (
            {"person_id": world.people.member.pk, "email": "x@example.org"},
            {"email": ["Unknown field."]},
        ),
        ({"person_id": "abc"}, {"person_id": ["A valid integer is required."]}),
        ({"person_id": 2**70}, {"person_id": [too_big]}),
        ([1, 2], {"non_field_errors": ["Invalid data. Expected a dictionary, but got list."]}),
    ]
    for body, fields in cases:
        response = client.post(
            url, data=json.dumps(body), content_type="application/json", **headers
        )
        assert response.status_code == 400
        assert response.json()["osdi:error"]["fields"] == fields
    response = client.post(url, data="person_id=1", content_type="text/plain", **headers)
    assert response.status_code == 415
    assert response.json()["osdi:error"]["error_class"] == "unsupported_media_type"
    response = client.post(url, data="{bad", content_type="application/json", **headers)
    assert response.status_code == 400
    assert response.json()["osdi:error"]["description"].startswith("JSON parse error")


@pytest.mark.parametrize(("name", "method"), WRITES)
def test_huge_bodies_are_refused_unread(client, world, settings, name, method):
    settings.API_MAX_BODY_BYTES = 1000
    raw = services.create_token(
        name="fuzz", by=world.people.staff, scopes=[API_ACCESS[name][method]]
    )[1]
    body = json.dumps({"person_id": world.people.member.pk, "pad": "x" * 5000})
    response = client.generic(
        method,
        url_for(world, name),
        body,
        "application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 413
    assert response.json()["osdi:error"]["description"] == (
        "A request body may be at most 1000 bytes."
    )


query_values = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "modified_date gt '2027-01-01'",
            "modified_date gt '9999-99-99'",
            "created_date eq ''",
            "-1",
            "99999999999999999999",
            "%",
            "cD0xMjM=",
            "not-base64!",
        ]
    ),
)


@pytest.mark.parametrize(
    "name", sorted(n for n, methods in API_ACCESS.items() if methods.get(GET) is not None)
)
def test_odd_query_strings_on_token_routes_never_answer_500(client, world, name):
    raw = services.create_token(name="fuzz", by=world.people.staff, scopes=[API_ACCESS[name][GET]])[
        1
    ]
    url = url_for(world, name)

    @FUZZ
    @given(
        st.dictionaries(
            st.sampled_from(["filter", "cursor", "per_page", "group", "campaign", "x"]),
            query_values,
            max_size=4,
        )
    )
    def check(query):
        response = client.get(
            url,
            {k: v.replace("\x00", "") for k, v in query.items()},
            HTTP_AUTHORIZATION=f"Bearer {raw}",
        )
        assert response.status_code == 200 or _is_osdi_4xx(response), (query, response.content)

    check()


@pytest.mark.parametrize("url", ["/api/v1/events/", "/api/v1/groups/", "/api/v1/petitions/"])
def test_odd_query_strings_on_public_lists_never_answer_500(client, world, url):
    @FUZZ
    @given(
        st.dictionaries(
            st.sampled_from(["filter", "cursor", "per_page", "group", "festival", "campaign"]),
            query_values,
            max_size=4,
        )
    )
    def check(query):
        response = client.get(url, {k: v.replace("\x00", "") for k, v in query.items()})
        assert response.status_code == 200 or _is_osdi_4xx(response), (query, response.content)

    check()
