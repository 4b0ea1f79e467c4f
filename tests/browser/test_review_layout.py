"""Issue 16, defect 9: the review table fits 1280 px; the printable summary prints on one
A4 sheet (Chromium's print to PDF, pages counted with pypdf), even with more flagged
groups than it lists; deciding in the queue keeps the rep on /review/ with the result in
place (htmx), or brings them back to it without JavaScript."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from partners.models import PartnerSuggestion
from tests.groups.factories import LocalGroupFactory, MembershipFactory
from tests.world import SUGGESTION, build_world

from .test_pages import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_summary_prints_on_one_a4_sheet(page, live_server):
    world = build_world()
    area = world.people.lead.memberships.get().group.area
    for n in range(25):  # quiet groups: each has the "no event" flag
        MembershipFactory(group=LocalGroupFactory(area=area, name=f"Quiet group {n}"), lead=True)
    sign_in(page, live_server, world.people.rep)
    page.goto(reverse("review:summary"))
    assert "more groups with health flags" in page.content()
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    # A4 landscape, in points
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)


def test_accepting_a_suggestion_in_the_queue_stays_on_review(page, live_server):
    world = build_world()
    sign_in(page, live_server, world.people.rep)
    page.goto(reverse("review:dashboard"))
    page.evaluate("window.notReloaded = true")
    item = page.locator(".review-queue-item", has_text=SUGGESTION)
    item.locator("select[name=kind]").select_option(index=1)
    item.get_by_role("button", name=f"Accept {SUGGESTION}").click()
    result = page.locator(".review-queue .messages")
    result.wait_for()
    assert f"{SUGGESTION} is now in the directory" in result.inner_text()
    assert page.url == live_server.url + reverse("review:dashboard")
    assert page.evaluate("window.notReloaded") is True  # htmx swapped the row in place
    assert PartnerSuggestion.objects.get(name=SUGGESTION).status == "accepted"


def _queue_count(page) -> str:
    return page.locator("#queue-count").inner_text().strip()


def test_deciding_in_the_queue_updates_what_needs_you_in_place(page, live_server):
    world = build_world()
    sign_in(page, live_server, world.people.rep)
    page.goto(reverse("review:dashboard"))
    page.evaluate("window.notReloaded = true")
    before = int(_queue_count(page))
    item = page.locator(".review-queue-item", has_text=SUGGESTION)
    item.locator("input[name=reason]").fill("Not active here")
    item.get_by_role("button", name=f"Decline {SUGGESTION}").click()
    page.locator(".review-queue .messages").wait_for()
    assert _queue_count(page) == str(before - 1)
    assert page.locator("#queue-count").count() == 1
    assert page.evaluate("window.notReloaded") is True


def test_without_javascript_the_queue_sends_the_rep_back_to_review(browser, live_server):
    world = build_world()
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server, world.people.rep)
    page.goto(reverse("review:dashboard"))
    before = int(_queue_count(page))
    item = page.locator(".review-queue-item", has_text=SUGGESTION)
    item.locator("input[name=reason]").fill("Not active here")
    item.get_by_role("button", name=f"Decline {SUGGESTION}").click()
    page.wait_for_load_state()
    assert page.url == live_server.url + reverse("review:dashboard")
    assert f"{SUGGESTION} declined" in page.locator(".messages").inner_text()
    assert _queue_count(page) == str(before - 1)
    context.close()


def test_every_column_of_the_review_table_is_readable_at_1280_px(page, live_server):
    world = build_world()
    area = world.people.lead.memberships.get().group.area
    MembershipFactory(group=LocalGroupFactory(area=area, name="University of Derby students"))
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server, world.people.rep)
    page.goto(reverse("review:dashboard"))
    table, box = page.evaluate(
        "(() => { const t = document.querySelector('.review-table');"
        " return [t.scrollWidth, t.parentElement.clientWidth]; })()"
    )
    assert table <= box
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    # On a phone the table scrolls in its own box; the page itself does not widen.
    page.set_viewport_size({"width": 375, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
