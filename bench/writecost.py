"""What the mixed benchmark's writes cost, counted rather than timed (issue 22), so that it
can be compared between runs on a busy shared machine: for each kind of POST that
bench/writer.py makes, as a signed-in browser makes it (GET the page, then POST its form),
it prints which key pages the write made stale (X-Page-Cache: miss, or for the review a
rebuild) and the SQL queries each then cost, the POST's own queries, and Python function
calls (cProfile) for the POST and for one cached hit of each page, with the hit's Redis
round trips.

    DATABASE_URL=... REDIS_URL=... .venv/bin/python bench/writecost.py   # make bench-writecost

It writes to the database it is given (a few RSVPs and signatures, by real users): use a
benchmark database. DEBUG must be off (the page cache is off in DEBUG)."""

import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
# As bench/run.py runs the server: DEBUG off, plain HTTP, a fresh cache key prefix.
os.environ.update(
    DEBUG="0",
    SECRET_KEY="bench-only-secret-key-" + "x" * 40,
    ALLOWED_HOSTS="testserver",
    SECURE_SSL_REDIRECT="0",
    CACHE_KEY_PREFIX=f"bench-writecost-{int(time.time())}",
    LOG_LEVEL="WARNING",
    STATIC_ROOT=str(Path(__file__).resolve().parent.parent / "var" / "bench-static"),
)

import django  # noqa: E402

django.setup()

import redis.connection  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.discover import pages_and_users, session_for  # noqa: E402
from campaigns.models import Action  # noqa: E402
from events.models import Event  # noqa: E402
from portal.models import User  # noqa: E402

PAGES = ("home", "events", "event page", "festival programme", "group page", "campaign page")


class RedisTrips:
    """Counts commands and pipelines sent to Redis (one send each: a round trip)."""

    count = 0
    _send = redis.connection.Connection.send_packed_command

    @classmethod
    def install(cls):
        def send(connection, command, check_health=True):
            cls.count += 1
            return cls._send(connection, command, check_health)

        redis.connection.Connection.send_packed_command = send


def measured(client: Client, method: str, path: str, data=None):
    """(response, queries, Python function calls, Redis round trips) of one request."""
    profile = cProfile.Profile()
    trips = RedisTrips.count
    with CaptureQueriesContext(connection) as queries:
        profile.enable()
        response = getattr(client, method)(path, data or {})
        profile.disable()
    calls = pstats.Stats(profile).total_calls
    return response, len(queries), calls, RedisTrips.count - trips


def browser(session_key: str) -> Client:
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = session_key
    return client


def main():
    if not settings.PAGE_CACHE_SECONDS:
        raise SystemExit("The page cache is off (DEBUG on?): run with DEBUG unset.")
    call_command("collectstatic", interactive=False, verbosity=0)
    RedisTrips.install()
    pages, users, _notes = pages_and_users()
    paths = {name: path for name, path, _role in pages if name in PAGES}
    review = browser(session_for(users["rep"])) if "rep" in users else None
    event = Event.objects.get(slug=paths["event page"].strip("/").split("/")[-1])
    campaign_slug = paths["campaign page"].strip("/").split("/")[-1]
    action = (
        Action.objects.filter(kind=Action.Kind.SIGN, campaign__slug=campaign_slug)
        .order_by("-count", "pk")
        .first()
    )
    people = iter(
        User.objects.filter(is_active=True, email_verified=True, is_staff=False)
        .exclude(rsvps__event=event)
        .exclude(actions_taken__action=action)
        .order_by("pk")[:10]
    )
    rsvper = next(people)
    writes = [
        ("RSVP", rsvper, paths["event page"], f"/events/{event.slug}/rsvp/", {}),
        ("cancel RSVP", rsvper, paths["event page"], f"/events/{event.slug}/rsvp/cancel/", {}),
    ]
    if action is not None:
        page = f"/campaigns/{campaign_slug}/actions/{action.pk}/"
        writes += [
            ("signature", next(people), page, page + "take/", {}),
            ("named signature", next(people), page, page + "take/", {"show_name": "on"}),
        ]

    print(f"event: {event.slug} (capacity {event.capacity}); campaign: {campaign_slug}")
    print("\n## One cached hit per page (anonymous; the review signed in as its rep)\n")
    print("| page | queries | Redis round trips | Python calls |\n|---|---|---|---|")
    anonymous = Client()
    for name, path in paths.items():
        anonymous.get(path)
        anonymous.get(path)
        _r, queries, calls, trips = measured(anonymous, "get", path)
        print(f"| {name} | {queries} | {trips} | {calls:,} |")
    if review is not None:
        review.get("/review/")
        _r, queries, calls, trips = measured(review, "get", "/review/")
        print(f"| review (rep) | {queries} | {trips} | {calls:,} |")
        review_hit_queries = queries

    print("\n## After one write: what each page costs on its next load\n")
    header = " | ".join(list(paths) + ["review (rep)"] * (review is not None))
    print(f"| write | POST: status, queries, Python calls | {header} |")
    print("|---|---|" + "---|" * (len(paths) + (review is not None)))
    for label, person, page, action_path, data in writes:
        for path in paths.values():
            anonymous.get(path)
        if review is not None:
            review.get("/review/")
        writer = browser(session_for(person))
        writer.get(page)
        response, queries, calls, _trips = measured(writer, "post", action_path, data)
        cells = []
        for path in paths.values():
            got, page_queries, _c, _t = measured(anonymous, "get", path)
            cells.append(f"{got['X-Page-Cache']} ({page_queries} q)")
        if review is not None:
            _got, page_queries, _c, _t = measured(review, "get", "/review/")
            state = "rebuilt" if page_queries > review_hit_queries else "hit"
            cells.append(f"{state} ({page_queries} q)")
        print(
            f"| {label} | {response.status_code}, {queries}, {calls:,} | "
            + " | ".join(cells)
            + " |"
        )


if __name__ == "__main__":
    main()
