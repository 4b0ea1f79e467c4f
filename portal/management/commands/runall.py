import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.demo import DEMO_ACCOUNTS


def web_command(host: str, port: str) -> list[str]:
    """gunicorn as deployed. Its keep-alive outlasts the proxy's idle timeout: were gunicorn
    to close an idle connection first, a request the proxy sent on it at that moment would
    be lost (the proxy does not retry a POST)."""
    return [
        str(Path(sys.executable).parent / "gunicorn"),
        "portal.wsgi:application",
        f"--bind={host}:{port}",
        f"--workers={os.environ.get('WEB_CONCURRENCY', '2')}",
        "--threads=4",
        f"--keep-alive={settings.WEB_KEEPALIVE_SECONDS}",
    ]


class Command(BaseCommand):
    help = "Run the web server, a Celery worker and Celery beat together until Ctrl-C."

    def handle(self, *args, **options):
        host = os.environ.get("HOST", "127.0.0.1")
        port = os.environ.get("PORT", "8000")
        bin_dir = Path(sys.executable).parent
        Path(settings.CELERY_BEAT_SCHEDULE_FILENAME).parent.mkdir(parents=True, exist_ok=True)
        commands = {
            "web": [*web_command(host, port), "--access-logfile=-"],
            "worker": [
                str(bin_dir / "celery"),
                "--app=portal",
                "worker",
                "--loglevel=INFO",
                f"--concurrency={os.environ.get('WORKER_CONCURRENCY', '2')}",
                f"--queues={settings.CELERY_TASK_DEFAULT_QUEUE}",
            ],
            "beat": [
                str(bin_dir / "celery"),
                "--app=portal",
                "beat",
                "--loglevel=INFO",
                f"--schedule={settings.CELERY_BEAT_SCHEDULE_FILENAME}",
            ],
        }
        processes = {name: subprocess.Popen(cmd) for name, cmd in commands.items()}  # noqa: S603
        stopping = False

        def stop(*_):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            self._wait_until_up(f"http://{host}:{port}/healthz", processes)
            self._banner(host, port)
            while not stopping:
                for name, process in processes.items():
                    if process.poll() is not None:
                        raise CommandError(f"{name} stopped with exit code {process.returncode}")
                time.sleep(0.5)
        finally:
            self.stdout.write("Stopping web, worker and beat...")
            for process in processes.values():
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)
            deadline = time.monotonic() + 20
            for process in processes.values():
                try:
                    process.wait(timeout=max(deadline - time.monotonic(), 0.1))
                except subprocess.TimeoutExpired:
                    process.kill()
            self.stdout.write("Stopped.")

    def _wait_until_up(self, url, processes):
        # urlopen below only ever gets this http://host:port URL (bandit B310).
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if processes["web"].poll() is not None:
                raise CommandError("The web server did not start; see the log above.")
            try:
                with urllib.request.urlopen(url, timeout=2):  # noqa: S310  # nosec B310
                    return
            except OSError:
                time.sleep(0.5)
        raise CommandError(f"{url} did not answer within 90 seconds.")

    def _banner(self, host, port):
        password = os.environ.get("DEMO_PASSWORD", "people-power-demo")
        mail_to = "EMAIL_URL" if settings.EMAIL_URL else settings.EMAIL_FILE_PATH
        lines = [
            "",
            f"People Power is running at http://{host}:{port}/",
            f"Demo logins (password: {password}):",
            *(f"  {role:<9} {email}" for role, (email, _n, _d) in DEMO_ACCOUNTS.items()),
            f"Emails the portal sends go to: {mail_to}",
            "Press Ctrl-C to stop web, worker and beat.",
            "",
        ]
        self.stdout.write(self.style.SUCCESS("\n".join(lines)))
