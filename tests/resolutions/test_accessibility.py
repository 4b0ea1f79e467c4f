"""axe-core on every resolutions page (each as every role that acts on it, so its forms
are shown), on drafts, passed resolutions with progress, a resolution with its discussion
and My portal, and after supporting. tests/browser/test_pages.py walks them too, as
one role each, with every other page of the portal."""

import pytest
from django.test import Client
from django.urls import reverse

from resolutions import services
from resolutions.models import Resolution
from tests.browser.helpers import axe_violations
from tests.resolutions.access import ACCESS
from tests.world import build_world, url_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, user):
    page.context.clear_cookies()
    if user is None:
        return
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


def test_resolutions_pages_have_no_serious_accessibility_violations(page, live_server):
    world = build_world()
    people = world.people
    passed = world.kwargs["resolutions:progress"]["pk"]
    discussed = world.kwargs["conversations:resolution"]["pk"]
    services.post_progress(
        resolution=Resolution.objects.get(pk=passed),
        by=people.rep,
        responsible="The regional team",
        dated=world.event.starts_at.date(),
        status="in_progress",
        percent=40,
        note="Going **well**.",
    )
    visits = [
        (role, url_for(world, name))
        for name, (method, allowed) in sorted(ACCESS.items())
        if method == "GET"
        for role in sorted(allowed & {"anonymous", "member", "lead", "rep", "staff"})
    ]
    visits += [
        ("lead", reverse("resolutions:detail", args=[world.resolution_draft.pk])),
        ("other_lead", reverse("resolutions:detail", args=[world.resolution.pk])),
        ("rep", reverse("resolutions:detail", args=[passed])),
        ("member", reverse("my_portal")),
        # A resolution whose discussion has a post (tests/conversations/access.py): on the
        # resolution page, and the discussion's own page.
        ("member", reverse("resolutions:detail", args=[discussed])),
        ("member", reverse("conversations:resolution", args=[discussed])),
    ]
    problems = []
    for role, url in visits:
        sign_in(page, live_server, getattr(people, role))
        response = page.goto(live_server.url + url)
        if response.status != 200:
            problems.append(f"{url} as {role}: {response.status}")
            continue
        problems += [f"{url} as {role}: {v}" for v in axe_violations(page)]
    # Supporting through the form, then the page with the withdraw button.
    sign_in(page, live_server, people.member)
    page.goto(live_server.url + reverse("resolutions:detail", args=[world.resolution.pk]))
    page.fill("#id_comment", "Twice")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    page.goto(live_server.url + reverse("resolutions:detail", args=[world.resolution.pk]))
    assert "You support this resolution" in page.content()
    problems += [f"after supporting: {v}" for v in axe_violations(page)]
    assert problems == []


def test_agenda_pack_prints_one_resolution_a_page_without_the_site_around_it(page, live_server):
    world = build_world()
    conference = world.kwargs["resolutions"]["slug"]
    page.goto(live_server.url + reverse("resolutions:agenda_pack", args=[conference]))
    page.emulate_media(media="print")
    hidden = page.evaluate(
        "() => ['.site-header', '.site-footer', '.no-print'].map("
        "s => document.querySelector(s) && getComputedStyle(document.querySelector(s)).display)"
    )
    assert hidden == ["none", "none", "none"]
    breaks = page.eval_on_selector_all(
        ".agenda-item", "items => items.map(i => getComputedStyle(i).breakBefore)"
    )
    assert breaks == ["page", "page"]
