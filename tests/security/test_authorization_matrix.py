"""Every URL in the URL configuration, requested as every role.

URLs are discovered from the resolver, so a new view cannot escape: a URL name missing
from ACCESS fails test_every_url_has_an_access_rule. For each URL the table says which
roles may use it; everyone else must be refused (the login page for anonymous visitors,
403 or 404 for others), and no response may show personal data (a member's email, a
partner contact's email) to a role that should not see it."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.world import CONTACT_EMAIL, MEMBER_EMAIL, SUGGESTION, build_world

ROLES = ["anonymous", "activist", "member", "other_lead", "lead", "other_rep", "rep", "staff"]
SIGNED_IN = set(ROLES) - {"anonymous"}
EVERYONE = set(ROLES)
LEAD = {"lead"}
LEAD_REP = {"lead", "rep", "staff"}
# A local campaign is run by its group's leads (and staff); reps run regional ones.
LEAD_STAFF = {"lead", "staff"}
REPS = {"rep", "other_rep", "staff"}
# Who may see each piece of personal or pending data on any page.
MAY_SEE = {
    MEMBER_EMAIL: {"member", "lead"},
    CONTACT_EMAIL: {"lead", "rep", "staff"},
    SUGGESTION: {"activist", "lead", "rep", "staff"},  # the suggester and who decides
}

GET, POST = "GET", "POST"
# name -> (method, roles allowed). POST-only URLs are checked by posting as each role that
# is not allowed (and must be refused); what allowed roles' posts do is tested per app.
ACCESS = {
    "home": (GET, EVERYONE),
    "search": (GET, EVERYONE),
    "privacy": (GET, EVERYONE),
    "robots_txt": (GET, EVERYONE),
    "sitemap": (GET, EVERYONE),
    "healthz": (GET, EVERYONE),
    "my_portal": (GET, SIGNED_IN),
    "profile": (GET, SIGNED_IN),
    "my_data": (GET, SIGNED_IN),
    "my_data_download": (POST, SIGNED_IN),
    "delete_account": (GET, SIGNED_IN),
    "groups:list": (GET, EVERYONE),
    "groups:scope": (GET, REPS),
    "groups:detail": (GET, EVERYONE),
    "groups:join": (GET, SIGNED_IN),
    "groups:leave": (GET, {"member", "lead"}),
    "groups:edit": (GET, LEAD),
    "groups:members": (GET, LEAD),
    "groups:members_csv": (GET, LEAD),
    "groups:promote": (POST, LEAD),
    "groups:remove": (POST, LEAD),
    "groups:step_down": (POST, LEAD),
    "groups:announce": (GET, LEAD),
    "partners:list": (GET, EVERYONE),
    "partners:suggest": (GET, SIGNED_IN),
    "partners:suggestion_queue": (GET, SIGNED_IN),
    "partners:suggestion_detail": (GET, {"lead", "rep", "staff"}),
    "partners:suggestion_accept": (POST, {"lead", "rep", "staff"}),
    "partners:suggestion_decline": (POST, {"lead", "rep", "staff"}),
    "partners:group": (GET, LEAD_REP),
    "partners:partnership_create": (GET, LEAD),
    "partners:partnership_edit": (GET, LEAD),
    "partners:group_suggestions": (GET, LEAD),
    "partners:detail": (GET, EVERYONE),
    "partners:edit": (GET, {"lead", "rep", "staff"}),
    "campaigns:list": (GET, EVERYONE),
    "campaigns:propose": (GET, SIGNED_IN),
    "campaigns:proposals": (GET, SIGNED_IN),
    "campaigns:funding_list": (GET, SIGNED_IN),
    "campaigns:detail": (GET, EVERYONE),
    "campaigns:support": (POST, SIGNED_IN),
    "campaigns:unsupport": (POST, SIGNED_IN),
    "campaigns:add_action": (GET, LEAD_STAFF),
    "campaigns:action": (GET, EVERYONE),
    "campaigns:take": (POST, SIGNED_IN),
    "campaigns:share": (GET, EVERYONE),
    "campaigns:post_update": (GET, LEAD_STAFF),
    "campaigns:record_outcome": (GET, LEAD_STAFF),
    "campaigns:change_status": (POST, LEAD_STAFF),
    "campaigns:approve": (POST, LEAD),
    "campaigns:decline": (POST, LEAD),
    "campaigns:funding_new": (GET, LEAD),
    "campaigns:funding_detail": (GET, {"lead", "rep"}),
    "campaigns:funding_step": (POST, {"rep"}),
    "events:list": (GET, EVERYONE),
    "events:feed": (GET, EVERYONE),
    "events:my_calendar": (GET, SIGNED_IN),
    "events:personal_feed": (GET, EVERYONE),
    "events:group_feed": (GET, EVERYONE),
    "events:create": (GET, LEAD),
    "events:festival_create": (GET, LEAD),
    "events:campaign_feed": (GET, EVERYONE),
    "events:festival": (GET, EVERYONE),
    "events:festival_feed": (GET, EVERYONE),
    "events:festival_copy": (POST, LEAD),
    "events:festival_edit": (GET, LEAD_STAFF),
    "events:festival_publish": (POST, LEAD_STAFF),
    "events:venue_create": (GET, {"lead", "other_lead"}),
    "events:detail": (GET, EVERYONE),
    "events:ics": (GET, EVERYONE),
    "events:rsvp": (POST, SIGNED_IN),
    "events:cancel_rsvp": (POST, SIGNED_IN),
    "events:edit": (GET, LEAD),
    "events:publish": (POST, LEAD),
    "events:cancel": (GET, LEAD),
    "events:attendees": (GET, LEAD),
    "events:attendees_csv": (GET, LEAD),
    "events:check_in": (GET, LEAD),
    "events:check_in_toggle": (POST, LEAD),
    "events:report": (GET, {"lead", "rep", "staff"}),
    # Signed links from emails work without signing in; the token is the permission.
    "notifications:settings": (GET, SIGNED_IN),
    "notifications:unsubscribe": (GET, EVERYONE),
    "notifications:cancel_rsvp": (GET, EVERYONE),
    "review:dashboard": (GET, {"rep", "other_rep", "staff"}),
    "review:trends": (GET, {"rep", "other_rep", "staff"}),
    "review:summary": (GET, {"rep", "other_rep", "staff"}),
    "review:groups_csv": (GET, {"rep", "other_rep", "staff"}),
    "review:group": (GET, {"lead", "rep", "staff"}),
    "review:group_events_csv": (GET, {"lead", "rep", "staff"}),
}
# URLs that answer an allowed GET with a redirect by design.
REDIRECTS = {"campaigns:share"}
# URLs where a role that may not act is sent back to the page with a message.
SENT_BACK = {"groups:leave"}
# Served by other packages and covered by their own rules: allauth's account pages (it
# tests them; we test sign-up, login and limits in tests/portal), Django's admin (staff
# only, checked below), and uploaded media in DEBUG.
FOREIGN = ("account_", "admin:", "None")


def discovered_url_names() -> list[str]:
    names = []

    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern):
                names.append(f"{namespace}:{pattern.name}" if namespace else str(pattern.name))

    walk(get_resolver().url_patterns)
    return sorted(set(names))


def test_every_url_has_an_access_rule():
    ours = [n for n in discovered_url_names() if not n.startswith(FOREIGN)]
    assert [n for n in ours if n not in ACCESS] == []
    assert [n for n in ACCESS if n not in ours] == []


@pytest.fixture
def world(db):
    return build_world()


def url_for(world, name):
    from django.urls import NoReverseMatch

    namespace = name.split(":")[0] if ":" in name else None
    given = world.kwargs.get(name) or world.kwargs.get(namespace, {})
    for size in range(len(given) + 1):
        from itertools import combinations

        for keys in combinations(sorted(given), size):
            try:
                return reverse(name, kwargs={k: given[k] for k in keys})
            except NoReverseMatch:
                continue
    raise AssertionError(f"cannot build a URL for {name}")


def sent_back(name, response) -> bool:
    return name in SENT_BACK and response.status_code == 302


def is_refusal(role, response) -> bool:
    if response.status_code in (403, 404, 405):
        return True
    location = response.get("Location", "")
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
            else:
                assert response.status_code == 302, (url, role)
                assert response["Location"].startswith("/admin/login/")
