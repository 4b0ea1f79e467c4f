"""Issue 16, defect 12: every page type loads with a clean browser console: no error, no
failed request (such as a missing /favicon.ico) and no Content-Security-Policy report,
with the pages' real policy enforced (no bypass_csp here, unlike the axe walk)."""

import pytest
from django.test import Client

from tests.world import build_world, url_for

from .test_pages import CASES, NOT_HTML, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Collects the CSP reports the page raises, from before its first script runs.
WATCH_CSP = """
window.__cspReports = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspReports.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`
    + ` at ${e.sourceFile || ''}:${e.lineNumber || ''}`);
});
"""


@pytest.fixture
def strict_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    yield page
    context.close()


def test_every_page_type_has_a_clean_console(strict_page, live_server):
    page = strict_page
    world = build_world()
    problems, errors = [], []
    page.on(
        "console",
        lambda message: (
            errors.append(f"console {message.type}: {message.text}")
            if message.type in ("error", "warning")
            and "Content Security Policy" in message.text
            or message.type == "error"
            else None
        ),
    )
    page.on("pageerror", lambda exc: errors.append(f"script error: {exc}"))
    page.on(
        "response",
        lambda response: (
            errors.append(f"{response.status} for {response.url}")
            if response.status >= 400 and response.request.resource_type != "document"
            else None
        ),
    )
    signed_in_as = "anonymous"
    for role, name in CASES:
        user = getattr(world.people, role)
        if role != signed_in_as:
            page.context.clear_cookies()
            if user is not None:
                sign_in(page, live_server, user)
            signed_in_as = role
        url = url_for(world, name)
        client = Client()
        if user is not None:
            client.force_login(user)
        if not client.get(url)["Content-Type"].startswith("text/html"):
            assert client.get(url)["Content-Type"].startswith(NOT_HTML)
            continue
        errors.clear()
        response = page.goto(url)
        page.wait_for_load_state("load")
        reports = page.evaluate("window.__cspReports")
        if response.status != 200:
            problems.append(f"{name} as {role}: {response.status}")
        problems += [f"{name} as {role}: {e}" for e in errors]
        problems += [f"{name} as {role}: CSP report: {r}" for r in reports]
    assert problems == []
