"""axe-core (WCAG 2.2 A/AA) on every page type, as the role that uses it."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory

from .helpers import axe_violations, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLIC_PAGES = ["home", "search", "privacy", "account_login", "account_signup"]


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_page_has_no_serious_accessibility_violations(page, name):
    response = page.goto(reverse(name) + ("?q=refugee" if name == "search" else ""))
    assert response.status == 200
    assert axe_violations(page) == []


def test_my_portal_has_no_serious_accessibility_violations(page):
    UserFactory(email="a11y@example.org")
    login(page, "a11y@example.org")
    assert page.url.endswith(reverse("my_portal"))
    assert axe_violations(page) == []


def test_skip_link_is_first_in_tab_order_and_moves_focus_to_main(page):
    page.goto(reverse("home"))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_layout_fits_a_320_pixel_screen(page):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(reverse("home"))
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 320
