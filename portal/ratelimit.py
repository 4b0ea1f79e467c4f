"""Abuse limits for our own actions (RSVPs, campaign actions, proposals, suggestions,
letters, unsubscribes), counted in the shared cache so every web process enforces one
limit. Answered with 429 and a readable page."""

import hashlib
import time
from functools import wraps

from django.core.cache import cache
from django.shortcuts import render

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}

# Defaults per kind of action; settings.RATE_LIMITS may override any of them.
LIMITS = {
    "rsvps": "30/h",
    "actions": "60/h",
    "letters_from_user": "10/d",
    "letters_to_target": "300/d",
    "proposals": "5/h",
    "suggestions": "5/h",
    "support": "60/h",
    "unsubscribe": "30/h",
    "delete_account": "5/h",
}


def rate_for(scope: str) -> str:
    from django.conf import settings

    return getattr(settings, "RATE_LIMITS", {}).get(scope, LIMITS[scope])


def parse_rate(rate: str) -> tuple[int, int]:
    """'10/m' -> (10, 60); '5/10m' -> (5, 600)."""
    count, period = rate.split("/")
    multiplier = int(period[:-1] or 1)
    return int(count), multiplier * UNITS[period[-1]]


def hit(key: str, rate: str) -> bool:
    """Count one hit on key; False once the limit for the current window is passed."""
    limit, window = parse_rate(rate)
    bucket = int(time.time() // window)
    cache_key = f"rl:{hashlib.sha256(key.encode()).hexdigest()[:32]}:{window}:{bucket}"
    # add() then incr() is atomic on Redis; two processes cannot both see "first".
    cache.add(cache_key, 0, timeout=window + 5)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=window + 5)
        count = 1
    return count <= limit


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def too_many(request):
    return render(request, "429.html", status=429)


def ratelimit(scope: str, *, per: str = "user"):
    """Limit a view per signed-in user (or per IP for anonymous requests) at the rate
    for scope. Only POSTs count: a GET that shows a form is never refused."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method == "POST":
                who = (
                    f"u{request.user.pk}"
                    if per == "user" and request.user.is_authenticated
                    else f"ip{client_ip(request)}"
                )
                if not hit(f"{scope}:{who}", rate_for(scope)):
                    return too_many(request)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
