"""axe-core on every page type as the role that uses it, and the join and RSVP flows by
keyboard alone."""

import pytest
from django.test import Client
from django.urls import reverse

from events.models import RSVP
from groups.models import Membership
from tests.factories import UserFactory
from tests.world import access_rules, build_world, url_for

from .helpers import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every GET page of the access tables (tests/world.py:access_rules), as one role that may
# use it: anonymous visitors where the page is public, else the first of these roles. A
# new URL is checked as soon as it has an access rule.
RULES = access_rules()
PREFERRED_ROLES = ["anonymous", "lead", "member", "rep", "staff", "activist", "other_lead"]
NOT_HTML = ("text/calendar", "text/csv", "application/zip", "text/plain", "application/xml",
            "application/json", "application/pdf", "application/rss+xml")  # fmt: skip


def _role_for(allowed) -> str:
    return next(role for role in PREFERRED_ROLES if role in allowed)


CASES = sorted(
    (_role_for(allowed), name)
    for name, (method, allowed) in RULES.access.items()
    if method == "GET" and name not in RULES.redirects
)


def sign_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


def test_every_page_has_no_serious_accessibility_violations(page, live_server):
    """One world and one browser for every page (building the world per page made this the
    slowest part of the suite); the failures name the page and the role."""
    world = build_world()
    problems = []
    signed_in_as = "anonymous"
    for role, name in CASES:
        user = getattr(world.people, role)
        if role != signed_in_as:
            page.context.clear_cookies()
            if user is not None:
                sign_in(page, live_server, user)
            signed_in_as = role
        url = url_for(world, name)
        # Files (CSV, calendars, ZIP, feeds) are not pages: the test client says which is
        # which.
        client = Client()
        if user is not None:
            client.force_login(user)
        content_type = client.get(url)["Content-Type"]
        if not content_type.startswith("text/html"):
            if not content_type.startswith(NOT_HTML):
                problems.append(f"{name} as {role}: unexpected {content_type}")
            continue
        response = page.goto(url)
        if response.status != 200:
            problems.append(f"{name} as {role}: {response.status}")
            continue
        problems += [f"{name} as {role}: {v}" for v in axe_violations(page)]
    assert problems == []


def tab_to(page, selector, limit=80):
    """Press Tab until the element matching selector has focus."""
    target = page.locator(selector).first
    target.wait_for()
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"{selector} never got focus by Tab")


def test_join_a_group_by_keyboard_alone(page, live_server):
    build_world()
    newcomer = UserFactory(display_name="Keyboard User")
    sign_in(page, live_server, newcomer)
    join_url = reverse("groups:join", kwargs={"slug": "derby"})
    page.goto(reverse("groups:detail", kwargs={"slug": "derby"}))
    tab_to(page, f"main a[href='{join_url}']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(join_url)
    tab_to(page, "main form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert Membership.objects.current().filter(user=newcomer, group__slug="derby").count() == 1


def test_rsvp_to_an_event_by_keyboard_alone(page, live_server):
    build_world()
    newcomer = UserFactory(display_name="Keyboard User")
    sign_in(page, live_server, newcomer)
    page.goto(reverse("events:detail", kwargs={"slug": "peace-picnic"}))
    tab_to(page, f"form[action='{reverse('events:rsvp', kwargs={'slug': 'peace-picnic'})}'] button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert RSVP.objects.get(user=newcomer).status == RSVP.Status.CONFIRMED
