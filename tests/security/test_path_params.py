"""Malformed path parameters: whatever arrives in a URL converter (a NUL byte, an overlong
value, bytes that are not UTF-8), the answer is a 4xx, never a 500.

The URLs are discovered: every named URL with a parameter in the access tables
(tests/world.py:access_rules) is requested, as a role that may use it, once per parameter
with that parameter replaced by each nasty value and the others kept valid."""

import re
from urllib.parse import quote

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from tests.world import access_rules, build_world, url_for

# Percent-encoded, as they arrive on the wire.
NASTY = {
    "nul": "%00",
    "inner nul": "a%00b",
    "overlong text": "a" * 3000,
    "overlong number": "9" * 30,
    "past bigint": "9223372036854775808",
    "not utf-8": "%FF%FE",
    "truncated utf-8": "%E2%82",
}
PREFERRED_ROLES = ["lead", "member", "staff", "rep", "activist", "other_lead", "other_rep"]
PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def routes() -> dict[str, str]:
    """Every named URL's full route ("events/feeds/<str:token>.ics"), by URL name."""
    found = {}

    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            route = getattr(pattern.pattern, "_route", None)
            if route is None:  # a regex pattern (none of ours has parameters)
                continue
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + route, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                found[name] = prefix + route

    walk(get_resolver().url_patterns, "", None)
    return found


RULES = access_rules()
ROUTES = routes()
NAMES = sorted(
    name for name, route in ROUTES.items() if name in RULES.access and PARAMETER.search(route)
)


# Django's admin and allauth's own pages are theirs (the admin is fuzzed below through
# its one parameter-taking view per model, reached as staff).
THEIRS = ("admin:", "account_", "socialaccount_", "mfa_")
# A share link that is not ours still lands the visitor on the campaign (uncounted): a
# link mangled by a chat app should not turn away someone who came to help.
LANDS_ON = {"campaigns:share": lambda world: world.campaign.get_absolute_url()}


def test_every_url_with_a_parameter_is_fuzzed():
    """A URL with a parameter but no access rule would escape this file silently."""
    ours = {name for name, route in ROUTES.items() if PARAMETER.search(route)}
    # Token-only API routes ignore the session: tests/api/test_matrix.py fuzzes their
    # parameters with a token (test_malformed_path_parameters_with_a_token).
    ours = {name for name in ours if not name.startswith(THEIRS + RULES.foreign)}
    assert ours - set(RULES.access) == set()


def role_for(name: str) -> str | None:
    allowed = RULES.access[name][1]
    return next((role for role in PREFERRED_ROLES if role in allowed), None)


@pytest.mark.django_db
@pytest.mark.parametrize("name", NAMES)
def test_malformed_path_parameter_is_not_found(client, name):
    world = build_world()
    role = role_for(name)
    if role:
        client.force_login(getattr(world.people, role))
    valid = resolve(url_for(world, name)).kwargs
    route = ROUTES[name]
    method = RULES.access[name][0]
    for parameter in (match["name"] for match in PARAMETER.finditer(route)):
        for label, nasty in NASTY.items():

            def fill(match, parameter=parameter, nasty=nasty):
                if match["name"] == parameter:
                    return nasty
                return quote(str(valid[match["name"]]))

            url = "/" + PARAMETER.sub(fill, route)
            response = client.post(url) if method == "POST" else client.get(url)
            if name in LANDS_ON and response.status_code == 302:
                assert response["Location"] == LANDS_ON[name](world), (parameter, label)
            else:
                assert 400 <= response.status_code < 500, (url[:120], response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize("label", ["nul", "inner nul", "not utf-8"])
def test_malformed_admin_object_id_is_not_a_500(admin_client, label):
    event = build_world().event
    response = admin_client.get(f"/admin/events/event/{NASTY[label]}/change/")
    assert response.status_code in (302, 404)  # the admin sends an unknown id home
    response = admin_client.get(f"/admin/events/event/{event.pk}/change/")
    assert response.status_code == 200


@pytest.mark.django_db
def test_nul_in_query_string_is_a_bad_request(client):
    assert client.get("/events/?q=a%00b").status_code == 400
    assert client.get("/events/?a%00=b").status_code == 400
    assert client.get("/events/?q=ab").status_code == 200
