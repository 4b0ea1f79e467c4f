import os
import shutil

import pytest
from django.conf import settings

IN_CI = os.environ.get("CI") == "true"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def pytest_configure(config):
    # Tests render pages without running collectstatic first; the hashed-manifest
    # storage of production would refuse to name files it has not collected.
    # Factories set real passwords; the production hasher costs ~0.3 s per user.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    _check_redis_databases_for_test_processes(config)
    # In CI a missing service is a failure, never a skip.
    if IN_CI:
        missing = []
        if not settings.IS_POSTGRES:
            missing.append("PostgreSQL (DATABASE_URL)")
        if not settings.REDIS_URL:
            missing.append("Redis (REDIS_URL)")
        if not shutil.which("chromium"):
            missing.append("Debian's chromium")
        if missing:
            raise pytest.UsageError("CI needs " + ", ".join(missing))


def _check_redis_databases_for_test_processes(config):
    """Before pytest-xdist starts its test processes, that each can have a Redis database
    (portal.settings.redis_url_for_test_process), rather than each failing on its own."""
    from django.core.exceptions import ImproperlyConfigured

    from portal.settings import redis_url_for_test_process

    count = getattr(config.option, "numprocesses", None)
    if not settings.REDIS_URL or not count or os.environ.get("PYTEST_XDIST_WORKER"):
        return
    try:
        redis_url_for_test_process(settings.REDIS_URL, f"gw{count - 1}", count)
    except ImproperlyConfigured as error:
        raise pytest.UsageError(str(error)) from None


def pytest_collection_modifyitems(config, items):
    _skip_browser_tests_without_chromium(items)
    needs = []
    if not settings.IS_POSTGRES:
        needs.append(("postgres", "needs PostgreSQL: set DATABASE_URL=postgres://..."))
    if not settings.REDIS_URL:
        needs.append(("redis", "needs Redis: set REDIS_URL=redis://..."))
    for marker, reason in needs:
        skip = pytest.mark.skip(reason=reason)
        for item in items:
            if marker in item.keywords:
                item.add_marker(skip)


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate-limit counters and cached fragments must not leak between tests."""
    from django.core.cache import cache

    yield
    try:
        cache.clear()
    except Exception:  # the database cache table goes with a rolled-back test database
        if settings.REDIS_URL:
            raise


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploads, and the pictures seed_demo draws, go to the test's own folder, not var/."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def people(db):
    from tests.people import make_people

    return make_people()


@pytest.fixture
def admin_user(db):
    """pytest-django's admin_user (behind admin_client), with two-factor sign-in set up as
    staff must have it (portal.mfa)."""
    from tests.factories import UserFactory

    return UserFactory(email="admin@example.com", is_staff=True, is_superuser=True)


@pytest.fixture
def verified_user(db):
    from tests.factories import UserFactory

    return UserFactory()


def _skip_browser_tests_without_chromium(items):
    if os.path.exists(CHROMIUM):
        return
    skip = pytest.mark.skip(reason="needs Debian's chromium (apt-get install chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # between page loads are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    # bypass_csp only so that axe-core can be injected; the pages' own CSP is tested elsewhere.
    context = browser.new_context(base_url=live_server.url, bypass_csp=True)
    page = context.new_page()
    yield page
    context.close()
