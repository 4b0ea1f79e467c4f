"""Run by bench/run.py once per database (DATABASE_URL in the environment): picks the pages
to load (the heaviest real objects: the biggest group, the most-RSVPed upcoming event...),
signs in a group lead and a regional rep through Django's SessionStore, and counts each
page's SQL queries with Django's test Client. Prints one JSON document on stdout."""

import json
import os
import statistics
import sys
import time
from importlib import import_module
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.crypto import get_random_string  # noqa: E402

from campaigns.models import Campaign  # noqa: E402
from events.models import RSVP, Event, Festival  # noqa: E402
from groups.models import LocalGroup, Membership, RegionalRole  # noqa: E402
from portal import mfa, pagecache  # noqa: E402
from portal.models import User  # noqa: E402

settings.ROOT_URLCONF = "bench.urls"

NEAR_POSTCODE = "DE1"


def session_for(user) -> str:
    """A signed-in session for a real user, as the login view would leave it. Reps and
    staff must have two-factor sign-in (portal.mfa): one who has none on this bench
    database is given an authenticator, and the session is marked as having proved it, as
    signing in with the code would."""
    state = mfa.two_factor_state(user)
    if state["required"] and state["since"] is None:
        TOTP.activate(user, generate_totp_secret())
    engine = import_module(settings.SESSION_ENGINE)
    session = engine.SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[mfa.SESSION_KEY] = timezone.now().isoformat()
    session.create()
    return session.session_key


def pages_and_users():

    notes = []
    group = (
        LocalGroup.objects.active()
        .select_related("area__region")
        .order_by("-member_count", "pk")
        .first()
    )
    if group is None:
        raise SystemExit("The database has no groups: seed it first (seed_scale or seed_demo).")
    event = (
        Event.objects.public()
        .filter(status=Event.Status.PUBLISHED)
        .upcoming()
        .order_by("-confirmed_count", "pk")
        .first()
    )
    festival = (
        Festival.objects.filter(status=Festival.Status.PUBLISHED)
        .annotate(n=Count("sessions"))
        .order_by("-starts_on", "-n")
        .first()
    )
    campaign = Campaign.objects.public().order_by("-supporter_count", "pk").first()
    lead = Membership.objects.leads().filter(group=group).select_related("user").first()
    rep = (
        RegionalRole.objects.filter(region=group.area.region).select_related("user").first()
        or RegionalRole.objects.filter(region__isnull=False).select_related("user").first()
    )
    pages = [
        ("home", "/", None),
        ("events", "/events/", None),
        # The same events as JSON (issue 23): the API's public list, first page, no token.
        ("api events", "/api/v1/events/", None),
        ("events filtered", f"/events/?kind=meeting&area={group.area.slug}", None),
        (f"events near {NEAR_POSTCODE}", f"/events/?postcode={NEAR_POSTCODE}", None),
    ]
    if event:
        pages.append(("event page", event.get_absolute_url(), None))
    else:
        notes.append("no upcoming public event: event page skipped")
    if festival:
        pages.append(("festival programme", festival.get_absolute_url(), None))
    else:
        notes.append("no published festival: festival page skipped")
    pages += [("groups", "/groups/", None), ("group page", group.get_absolute_url(), None)]
    pages.append(("campaigns", "/campaigns/", None))
    if campaign:
        pages.append(("campaign page", campaign.get_absolute_url(), None))
    pages.append(("partners", "/partners/", None))
    users = {}
    if lead:
        users["lead"] = lead.user
        pages.append(("my portal (lead)", "/me/", "lead"))
    else:
        notes.append("no group lead: my portal skipped")
    if rep:
        users["rep"] = rep.user
        pages.append(("review (rep)", "/review/", "rep"))
    else:
        notes.append("no regional rep: review skipped")
    pages.append(("bare", "/bench/bare/", None))
    return pages, users, notes


def count_queries(path: str, session_key: str | None) -> tuple[int, int, int, float]:
    """(status, queries on a cold cache, queries once warm, ms right after an edit). The
    last is the median of three requests, each made after bumping the cache version as
    any POST does: what a visitor pays when the cached page or figures are stale."""

    client = Client()
    if session_key:
        client.cookies[settings.SESSION_COOKIE_NAME] = session_key
    counts, status = [], 0
    for _ in range(2):
        with CaptureQueriesContext(connection) as context:
            response = client.get(path)
        status = response.status_code
        counts.append(len(context.captured_queries))
    timings = []
    for _ in range(3):
        pagecache.bump_everything()
        started = time.perf_counter()
        client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
    return status, counts[0], counts[1], statistics.median(timings)


def main():

    pages, users, notes = pages_and_users()
    sessions = {role: session_for(user) for role, user in users.items()}
    results = []
    for name, path, role in pages:
        status, cold, warm, cold_ms = count_queries(path, sessions.get(role))
        results.append(
            {
                "name": name,
                "path": path,
                "role": role,
                "status": status,
                "queries_cold": cold,
                "queries": warm,
                "cold_ms": round(cold_ms, 1),
            }
        )
    now = timezone.now()
    sizes = {
        "users": User.objects.count(),
        "groups": LocalGroup.objects.count(),
        "memberships": Membership.objects.count(),
        "events": Event.objects.count(),
        "upcoming events": Event.objects.filter(ends_at__gte=now).count(),
        "rsvps": RSVP.objects.count(),
    }
    json.dump(
        {
            "pages": results,
            "sessions": sessions,
            "cookie": settings.SESSION_COOKIE_NAME,
            "csrf_cookie": settings.CSRF_COOKIE_NAME,
            "csrf_secret": get_random_string(CSRF_SECRET_LENGTH, CSRF_ALLOWED_CHARS),
            "sizes": sizes,
            "notes": notes,
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
