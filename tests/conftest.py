import os
import shutil

import pytest
from django.conf import settings

IN_CI = os.environ.get("CI") == "true"


def pytest_configure(config):
    # Tests render pages without running collectstatic first; the hashed-manifest
    # storage of production would refuse to name files it has not collected.
    # Factories set real passwords; the production hasher costs ~0.3 s per user.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
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


def pytest_collection_modifyitems(config, items):
    if settings.IS_POSTGRES:
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://...")
    for item in items:
        if "postgres" in item.keywords:
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


@pytest.fixture
def verified_user(db):
    from tests.factories import UserFactory

    return UserFactory()
