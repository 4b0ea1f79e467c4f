"""Run by bench/run.py in mixed mode (DATABASE_URL, REDIS_URL and CACHE_KEY_PREFIX as the
server's): signed-in people RSVP (and cancel, to RSVP again) to the most-attended upcoming
events and sign the most-signed open petitions at --rate POSTs a second, each as a browser
does it: GET the page (a full signed-in render), read the form's CSRF token, POST. Runs
until SIGTERM, then prints one JSON line: POSTs made, their answers (302 is success), and
how many it skipped because MAX_IN_FLIGHT were still waiting for the server.

People come from a pool (--people) large enough that no one hits their hourly RSVP or
action limit during a run."""

import json
import os
import random
import re
import signal
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

from bench.discover import session_for  # noqa: E402
from campaigns.models import Action  # noqa: E402
from events.models import Event  # noqa: E402
from portal.models import User  # noqa: E402

MAX_IN_FLIGHT = 32
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 302 after a POST is the answer we count; we do not follow it


class Person:
    """One signed-in browser: its session cookie, and the CSRF cookie once it has one."""

    def __init__(self, base: str, session_key: str):
        self.opener = urllib.request.build_opener(NoRedirect)
        self.base = base
        self.cookies = {settings.SESSION_COOKIE_NAME: session_key}
        self.going: set[str] = set()
        self.lock = threading.Lock()

    def _open(self, path: str, data: bytes | None = None, referer: str = "") -> tuple[int, str]:
        request = urllib.request.Request(self.base + path, data=data)  # noqa: S310 # nosec B310
        request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if referer:
            request.add_header("Referer", self.base + referer)
        try:
            response = self.opener.open(request, timeout=30)  # noqa: S310 # nosec B310
        except urllib.error.HTTPError as exc:
            response = exc
        with response:
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                if name == settings.CSRF_COOKIE_NAME:
                    self.cookies[name] = rest.split(";", 1)[0]
            return response.status, response.read().decode(errors="replace")

    def get_then_post(self, page: str, action: str, data: dict) -> int:
        status, html = self._open(page)
        match = TOKEN.search(html)
        if status != 200 or not match:
            return status
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": match.group(1), **data}).encode()
        return self._open(action, body, referer=page)[0]


def targets():
    events = list(
        Event.objects.public()
        .filter(status=Event.Status.PUBLISHED, capacity__isnull=True)
        .upcoming()
        .order_by("-confirmed_count", "pk")
        .values_list("slug", flat=True)[:10]
    )
    actions = [
        (a.campaign.slug, a.pk)
        for a in Action.objects.filter(kind=Action.Kind.SIGN, campaign__status="active")
        .select_related("campaign")
        .order_by("-count", "pk")[:10]
        if a.is_open()
    ]
    return events, actions


def main():
    base, rate, people = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
    events, actions = targets()
    users = User.objects.filter(is_active=True, email_verified=True, is_staff=False).order_by("?")[
        :people
    ]
    crowd = [Person(base, session_for(u)) for u in users]
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    tally: dict[str, int] = {}
    tally_lock = threading.Lock()
    rng = random.Random(7)  # noqa: S311 # nosec B311: which page to load, not a secret

    def one(person: Person, n: int) -> None:
        try:
            if n % 2 and events:
                slug = rng.choice(events)
                with person.lock:
                    cancel = slug in person.going
                    action = f"/events/{slug}/rsvp/" + ("cancel/" if cancel else "")
                    status = person.get_then_post(f"/events/{slug}/", action, {})
                    if status == 302:
                        person.going.symmetric_difference_update({slug})
            elif actions:
                slug, pk = rng.choice(actions)
                page = f"/campaigns/{slug}/actions/{pk}/"
                status = person.get_then_post(
                    page, page + "take/", {"show_name": "on"} if n % 3 == 0 else {}
                )
            else:
                status = 0
        except Exception as exc:  # a timeout or a refused connection is a failed write
            status = type(exc).__name__
        with tally_lock:
            tally[str(status)] = tally.get(str(status), 0) + 1

    print(json.dumps({"ready": len(crowd)}), flush=True)
    started = time.monotonic()
    n = behind = 0
    in_flight = threading.Semaphore(MAX_IN_FLIGHT)

    def run_one(person: Person, n: int) -> None:
        try:
            one(person, n)
        finally:
            in_flight.release()

    pool = ThreadPoolExecutor(max_workers=MAX_IN_FLIGHT)
    while not stop.is_set() and rate > 0:
        # An open loop: when the server cannot keep up, the POSTs it could not take are
        # counted, not queued without end.
        if in_flight.acquire(blocking=False):
            pool.submit(run_one, crowd[n % len(crowd)], n)
        else:
            behind += 1
        n += 1
        delay = started + n / rate - time.monotonic()
        if delay > 0:
            stop.wait(delay)
    elapsed = time.monotonic() - started
    pool.shutdown(wait=True, cancel_futures=True)
    summary = {"posts": n - behind, "seconds": elapsed, "statuses": tally, "behind": behind}
    print(json.dumps(summary), flush=True)


if __name__ == "__main__":
    main()
