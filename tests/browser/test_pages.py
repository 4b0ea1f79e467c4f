"""axe-core on every page type as the role that uses it, and the join and RSVP flows by
keyboard alone."""

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse

from events.models import RSVP
from groups.models import Membership
from tests.factories import UserFactory
from tests.world import build_world

from .helpers import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = {
    None: [
        ("groups:list", {}),
        ("groups:detail", {"slug": "derby"}),
        ("partners:list", {}),
        ("partners:detail", {"slug": "dmfc"}),
        ("campaigns:list", {}),
        ("campaigns:detail", {"slug": "council-of-sanctuary"}),
        ("events:list", {}),
        ("events:detail", {"slug": "peace-picnic"}),
        ("events:festival", {"slug": "peace-week"}),
    ],
    "member": [
        ("my_portal", {}),
        ("events:detail", {"slug": "peace-picnic"}),
        ("notifications:settings", {}),
        ("my_data", {}),
        ("campaigns:propose", {}),
        ("partners:suggest", {}),
    ],
    "lead": [
        ("my_portal", {}),
        ("groups:edit", {"slug": "derby"}),
        ("groups:members", {"slug": "derby"}),
        ("groups:announce", {"slug": "derby"}),
        ("events:create", {"group_slug": "derby"}),
        ("events:festival_create", {"group_slug": "derby"}),
        ("events:festival_edit", {"slug": "peace-week"}),
        ("events:festival", {"slug": "peace-week"}),
        ("events:edit", {"slug": "peace-picnic"}),
        ("events:attendees", {"slug": "peace-picnic"}),
        ("events:check_in", {"slug": "peace-picnic"}),
        ("events:report", {"slug": "past-vigil"}),
        ("partners:group", {"group_slug": "derby"}),
        ("partners:partnership_create", {"group_slug": "derby"}),
        ("partners:group_suggestions", {"group_slug": "derby"}),
        ("campaigns:funding_new", {"slug": "council-of-sanctuary"}),
        ("campaigns:post_update", {"slug": "council-of-sanctuary"}),
    ],
    "rep": [
        ("review:dashboard", {}),
        ("review:group", {"slug": "derby"}),
        ("groups:scope", {}),
        ("partners:suggestion_queue", {}),
        ("campaigns:funding_list", {}),
    ],
}
CASES = [(role, name, kwargs) for role, pages in PAGES.items() for name, kwargs in pages]


def sign_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


@pytest.mark.parametrize(("role", "name", "kwargs"), CASES, ids=[f"{r}-{n}" for r, n, _ in CASES])
def test_page_has_no_serious_accessibility_violations(page, live_server, role, name, kwargs):
    world = build_world()
    if role:
        sign_in(page, live_server, getattr(world.people, role))
    try:
        url = reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        pytest.fail(f"{name} is not in the URL configuration")
    response = page.goto(url)
    assert response.status == 200
    assert axe_violations(page) == []


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
