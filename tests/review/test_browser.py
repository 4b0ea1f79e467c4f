"""axe-core (WCAG 2.2 A/AA) on the review pages, as a rep and as a lead, and the layout at
320 px. Charts are inline SVG: they must not need a network or a script."""

import pytest
from django.urls import reverse

from tests.browser.helpers import axe_violations, login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

PERIOD = "?period=custom&from=2025-01-01&to=2025-06-30"


@pytest.mark.parametrize(
    "url",
    [
        "review:dashboard",
        "review:trends",
        "review:summary",
    ],
)
def test_region_page_has_no_serious_accessibility_violations(page, world, url):
    login(page, world.rep.email)

    response = page.goto(reverse(url) + PERIOD)

    assert response.status == 200
    assert axe_violations(page) == []


def test_group_page_has_no_serious_accessibility_violations_for_its_lead(page, world):
    login(page, world.lead.email)

    response = page.goto(reverse("review:group", args=["derby"]) + PERIOD)

    assert response.status == 200
    assert axe_violations(page) == []


def test_dashboard_fits_a_320_pixel_screen(page, world):
    login(page, world.rep.email)
    page.set_viewport_size({"width": 320, "height": 640})

    page.goto(reverse("review:dashboard") + PERIOD)

    # The wide table scrolls inside its own box; the page itself does not.
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
