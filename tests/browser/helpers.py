"""Helpers for the browser tests. The browser and page fixtures live in tests/conftest.py
so that every test in the suite shares one Playwright session."""

from pathlib import Path

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def login(page, email, password="correct horse battery"):
    """Signs in through the form, and with a code from the authenticator app when the
    person has two-factor sign-in (reps and staff made by the factories do)."""
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.click("form[action='/accounts/login/'] button[type=submit]")
    page.wait_for_load_state()
    if page.url.endswith("/accounts/2fa/authenticate/"):
        from allauth.mfa.models import Authenticator

        from tests.factories import totp_code

        secret = Authenticator.objects.get(user__email=email, type="totp").data["secret"]
        page.fill("input[name=code]", totp_code(secret))
        page.click("main button[type=submit]")
        page.wait_for_load_state()


def axe_violations(page, *, impacts=("serious", "critical")) -> list[str]:
    page.add_script_tag(path=str(AXE))
    results = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))"
        ".violations.map(v => ({id: v.id, impact: v.impact,"
        " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))",
        WCAG_TAGS,
    )
    return [f"{v['id']} ({v['impact']}): {v['nodes']}" for v in results if v["impact"] in impacts]
