"""Issue 16, defect 3: with SITE_URL unset, links follow where `make run` serves (HOST and
PORT), in every process it starts. Each case loads the settings in a fresh interpreter, as
gunicorn and Celery do."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def site_url(**env_vars) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "HOST", "PORT")}
    env.update(DEBUG="1", DJANGO_SETTINGS_MODULE="portal.settings", **env_vars)
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", "from django.conf import settings; print(settings.SITE_URL)"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


@pytest.mark.parametrize(
    ("env_vars", "expected"),
    [
        ({}, "http://127.0.0.1:8000"),
        ({"PORT": "8123"}, "http://127.0.0.1:8123"),
        ({"HOST": "localhost", "PORT": "9000"}, "http://localhost:9000"),
        ({"HOST": "0.0.0.0", "PORT": "9000"}, "http://127.0.0.1:9000"),  # noqa: S104
        ({"PORT": "9000", "SITE_URL": "https://portal.example.org/"}, "https://portal.example.org"),
    ],
)
def test_site_url_follows_host_and_port_unless_set(env_vars, expected):
    assert site_url(**env_vars) == expected
