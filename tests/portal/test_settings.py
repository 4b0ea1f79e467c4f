import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_python(code: str, **env_overrides: str | None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "SECRET_KEY_FILE"}}
    for key, value in env_overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


SETUP = "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='portal.settings'; django.setup()"


def test_settings_refuse_to_start_without_secret_key_when_debug_is_off():
    result = run_python(SETUP, DEBUG="0", ALLOWED_HOSTS="portal.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY (or SECRET_KEY_FILE) must be set when DEBUG is off." in result.stderr


@pytest.mark.parametrize(
    "key",
    ["x" * 49, "django-insecure-" + "k3y" * 20, "short-secret"],
)
def test_settings_refuse_to_start_with_a_weak_secret_key_when_debug_is_off(key):
    result = run_python(SETUP, DEBUG="0", SECRET_KEY=key, ALLOWED_HOSTS="portal.example.org")
    assert result.returncode != 0
    assert (
        "SECRET_KEY must be at least 50 random characters, not starting with "
        "'django-insecure', when DEBUG is off."
    ) in result.stderr


def test_settings_accept_a_long_secret_key_and_any_key_with_debug_on():
    show = SETUP + "; from django.conf import settings; print(len(settings.SECRET_KEY))"
    long_key = run_python(show, DEBUG="0", SECRET_KEY="k" * 50, ALLOWED_HOSTS="portal.example.org")
    assert (long_key.returncode, long_key.stdout.strip()) == (0, "50"), long_key.stderr
    debug = run_python(show, DEBUG="1", SECRET_KEY="short", DATABASE_URL=None)
    assert (debug.returncode, debug.stdout.strip()) == (0, "5"), debug.stderr


def test_settings_refuse_to_start_without_allowed_hosts_when_debug_is_off():
    result = run_python(SETUP, DEBUG="0", SECRET_KEY="x" * 60, ALLOWED_HOSTS=None)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set when DEBUG is off." in result.stderr


def test_secret_key_file_is_read(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("from-a-file-" + "k" * 50 + "\n")
    result = run_python(
        SETUP + "; from django.conf import settings; print(settings.SECRET_KEY)",
        DEBUG="0",
        SECRET_KEY_FILE=str(secret),
        ALLOWED_HOSTS="portal.example.org",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "from-a-file-" + "k" * 50


def test_check_deploy_is_clean_with_production_settings():
    # The browser tests allow async-unsafe calls in this process; a deployment never does.
    unset = {"SECURE_SSL_REDIRECT", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(
        DEBUG="0",
        SECRET_KEY="a-production-like-secret-key-" + "z" * 40,
        ALLOWED_HOSTS="portal.example.org",
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout


def test_sessions_and_cache_follow_redis_url():
    show = (
        SETUP + "; from django.conf import settings; "
        "print(settings.SESSION_ENGINE, settings.CACHES['default']['BACKEND'])"
    )
    common = {"DEBUG": "1", "DATABASE_URL": None}
    with_redis = run_python(show, REDIS_URL="redis://127.0.0.1:6379/9", **common)
    without = run_python(show, REDIS_URL=None, **common)
    assert with_redis.stdout.split() == [
        "django.contrib.sessions.backends.cached_db",
        "django_redis.cache.RedisCache",
    ]
    assert without.stdout.split() == [
        "django.contrib.sessions.backends.db",
        "django.core.cache.backends.db.DatabaseCache",
    ]


def test_any_variable_can_come_from_a_file_ending_in_a_newline(tmp_path):
    url = tmp_path / "email-url"
    url.write_text("smtp+tls://mailer:s3cret@smtp.example.org:587\n")
    result = run_python(
        SETUP + "; from django.conf import settings;"
        " print(settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_HOST_PASSWORD)",
        DEBUG="1",
        EMAIL_URL_FILE=str(url),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["smtp.example.org", "587", "s3cret"]


def test_settings_refuse_an_outbox_resend_window_shorter_than_a_task():
    result = run_python(SETUP, DEBUG="1", DATABASE_URL=None, OUTBOX_STALE_SECONDS="300")
    assert result.returncode != 0
    assert "OUTBOX_STALE_SECONDS must exceed the task time limit (360 s)." in result.stderr


# What pytest-xdist sets in each of its test processes, and what they pass on.
XDIST = ("PYTEST_XDIST_WORKER", "PYTEST_XDIST_WORKER_COUNT", "PYTEST_XDIST_TESTRUNUID")


def test_each_parallel_test_process_has_a_redis_database_of_its_own():
    show = (
        SETUP + "; from django.conf import settings; "
        "print(settings.REDIS_URL, settings.CELERY_BROKER_URL, "
        "settings.CACHES['default']['LOCATION'])"
    )
    common = {"DEBUG": "1", "REDIS_URL": "redis://127.0.0.1:6379/3"}
    first = run_python(show, PYTEST_XDIST_WORKER="gw0", PYTEST_XDIST_WORKER_COUNT="2", **common)
    second = run_python(show, PYTEST_XDIST_WORKER="gw1", PYTEST_XDIST_WORKER_COUNT="2", **common)
    alone = run_python(show, **dict.fromkeys(XDIST), **common)
    assert first.stdout.split() == ["redis://127.0.0.1:6379/3"] * 3
    assert second.stdout.split() == ["redis://127.0.0.1:6379/4"] * 3
    assert alone.stdout.split() == ["redis://127.0.0.1:6379/3"] * 3


def test_a_parallel_test_process_counts_from_database_0_when_redis_url_names_none():
    from portal.settings import redis_url_for_test_process

    assert redis_url_for_test_process("redis://:pw@cache:6380", "gw1", 2) == (
        "redis://:pw@cache:6380/1"
    )
    assert redis_url_for_test_process("rediss://cache/7?ssl_cert_reqs=none", "gw2", 3) == (
        "rediss://cache/9?ssl_cert_reqs=none"
    )


def test_parallel_tests_refuse_to_go_past_redis_database_15():
    from django.core.exceptions import ImproperlyConfigured

    from portal.settings import redis_url_for_test_process

    message = (
        "2 test processes from REDIS_URL's database 15 would use databases 15-16, but Redis "
        "has 0-15: set REDIS_URL to /14 or lower, or run fewer test processes (TEST_WORKERS)."
    )
    with pytest.raises(ImproperlyConfigured) as error:
        redis_url_for_test_process("redis://127.0.0.1:6379/15", "gw0", 2)
    assert str(error.value) == message
    # pytest says so before it starts the test processes, which would each fail alone.
    result = run_python(
        "import sys, pytest; sys.exit(pytest.main("
        "['-n', '2', '--collect-only', '-q', '-p', 'no:cacheprovider', 'tests/portal']))",
        REDIS_URL="redis://127.0.0.1:6379/15",
        **dict.fromkeys(XDIST),
    )
    assert result.returncode == pytest.ExitCode.USAGE_ERROR
    assert result.stderr.strip() == f"ERROR: {message}"
