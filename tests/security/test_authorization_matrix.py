"""Every URL in the URL configuration, requested as every role.

URLs are discovered from the resolver, so a new view cannot escape: a URL name missing
from ACCESS fails test_every_url_has_an_access_rule. For each URL the table says which
roles may use it; everyone else must be refused (the login page for anonymous visitors,
403 or 404 for others), and no response may show personal data (a member's email, a
partner contact's email) to a role that should not see it."""

import pytest
from django.urls import reverse

from tests.security.roles import GET, UNENROLLED
from tests.world import access_rules, build_world, discovered_url_names, url_for

RULES = access_rules()
ACCESS, MAY_SEE = RULES.access, RULES.may_see
REDIRECTS, SENT_BACK, FOREIGN = RULES.redirects, RULES.sent_back, RULES.foreign
ROLES = RULES.roles


def test_every_url_has_an_access_rule():
    ours = [n for n in discovered_url_names() if not n.startswith(FOREIGN)]
    assert [n for n in ours if n not in ACCESS] == []
    assert [n for n in ACCESS if n not in ours] == []


@pytest.fixture
def world(db):
    return build_world()


def sent_back(name, response) -> bool:
    return name in SENT_BACK and response.status_code == 302


def is_refusal(role, response) -> bool:
    if response.status_code in (403, 404, 405):
        return True
    location = response.get("Location", "")
    if role == UNENROLLED:
        # Sent to set up two-factor sign-in before anything else (portal.mfa).
        return response.status_code == 302 and location == reverse("mfa_activate_totp")
    return role == "anonymous" and response.status_code == 302 and "/accounts/login/" in location


@pytest.mark.django_db
def test_every_url_as_every_role(client, world):
    problems = []
    for name, (method, allowed) in sorted(ACCESS.items()):
        url = url_for(world, name)
        for role in ROLES:
            client.logout()
            user = getattr(world.people, role)
            if user is not None:
                client.force_login(user)
            if method == GET:
                response = client.get(url)
                if role in allowed:
                    expected = (302,) if name in REDIRECTS else (200,)
                    if response.status_code not in expected:
                        problems.append(f"{name} as {role}: {response.status_code}, wanted 200")
                elif not (is_refusal(role, response) or sent_back(name, response)):
                    problems.append(f"{name} as {role}: {response.status_code}, wanted refusal")
            else:
                if client.get(url).status_code not in (302, 403, 404, 405):
                    problems.append(f"{name} as {role}: GET of a POST-only URL was not refused")
                if role not in allowed:
                    response = client.post(url, {})
                    if not is_refusal(role, response):
                        problems.append(
                            f"{name} as {role}: POST {response.status_code} not refused"
                        )
            body = b"".join(response.streaming_content) if response.streaming else response.content
            for secret, may_see in MAY_SEE.items():
                if secret.encode() in body and role not in may_see:
                    problems.append(f"{name} as {role}: shows {secret}")
    assert problems == []


@pytest.mark.django_db
def test_admin_is_for_staff_only(client, world):
    for role in ROLES:
        client.logout()
        user = getattr(world.people, role)
        if user is not None:
            client.force_login(user)
        for url in ["/admin/", "/admin/portal/user/", "/admin/partners/partnership/"]:
            response = client.get(url)
            if role == "staff":
                assert response.status_code == 200, (url, role)
            elif role == UNENROLLED:
                assert response.status_code == 302, (url, role)
                assert response["Location"] == reverse("mfa_activate_totp")
            else:
                assert response.status_code == 302, (url, role)
                assert response["Location"].startswith("/admin/login/")
