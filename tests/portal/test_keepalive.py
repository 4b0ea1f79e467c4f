"""gunicorn, as `make run` and the README start it, keeps an idle connection open longer
than a proxy's idle timeout, so the proxy (not gunicorn) closes idle connections and no
request is sent on a connection gunicorn is closing."""

import http.client
import os
import socket
import subprocess
import time
from pathlib import Path

from django.conf import settings

from portal.management.commands.runall import web_command

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_keep_alive_outlasts_a_proxys_idle_timeout():
    assert settings.WEB_KEEPALIVE_SECONDS > 60  # nginx's and most load balancers' idle timeout
    assert f"--keep-alive={settings.WEB_KEEPALIVE_SECONDS}" in web_command("127.0.0.1", "1")


def test_gunicorn_keeps_an_idle_connection_open(tmp_path):
    port = free_port()
    env = {**os.environ, "WEB_CONCURRENCY": "1", "WEB_KEEPALIVE_SECONDS": "75"}
    log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen(  # noqa: S603
        web_command("127.0.0.1", str(port)), cwd=ROOT, env=env, stdout=log, stderr=log
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                connection.request("GET", "/robots.txt")
                break
            except OSError:
                assert time.monotonic() < deadline, (tmp_path / "gunicorn.log").read_text()
                time.sleep(0.5)
        first = connection.getresponse()
        first.read()
        assert first.status == 200
        socket_used = connection.sock
        time.sleep(4)  # twice gunicorn's default keep-alive (2 s)
        connection.request("GET", "/robots.txt")
        second = connection.getresponse()
        second.read()
        assert second.status == 200
        assert connection.sock is socket_used  # the same connection, still open
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
