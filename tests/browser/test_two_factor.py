"""Two-factor sign-in in a real browser: a rep without it is sent to set it up, enrols
with a code worked out from the secret on the page, and signs in again with a recovery
code; every page on the way passes axe-core."""

import pytest
from django.urls import reverse

from tests.factories import recovery_codes, totp_code
from tests.groups.factories import RegionalRoleFactory

from .helpers import axe_violations, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_rep_enrols_and_signs_in_with_a_recovery_code(page):
    rep = RegionalRoleFactory(user__email="new.rep@example.org", two_factor=False).user
    login(page, rep.email)
    # allauth asks for the password once more before two-factor settings change.
    assert "/accounts/reauthenticate/" in page.url
    assert "needs two-factor sign-in" in page.content()
    assert axe_violations(page) == []
    page.fill("input[name=password]", "correct horse battery")
    page.click("main button[type=submit]")
    page.wait_for_load_state()

    assert page.url.endswith(reverse("mfa_activate_totp"))
    assert axe_violations(page) == []
    secret = page.input_value("#authenticator_secret")
    page.fill("input[name=code]", totp_code(secret))
    page.click("main button[type=submit]")
    page.wait_for_load_state()

    assert page.url.endswith(reverse("mfa_view_recovery_codes"))
    assert axe_violations(page) == []
    page.goto(reverse("review:dashboard"))
    assert page.url.endswith(reverse("review:dashboard"))

    page.click("header button:has-text('Sign out')")
    page.wait_for_load_state()
    page.goto(reverse("account_login"))
    page.fill("input[name=login]", rep.email)
    page.fill("input[name=password]", "correct horse battery")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert page.url.endswith(reverse("mfa_authenticate"))
    assert axe_violations(page) == []
    page.fill("input[name=code]", recovery_codes(rep)[0])
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert page.url.endswith(reverse("my_portal"))
