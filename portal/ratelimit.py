"""Abuse limits for our own actions (RSVPs, campaign actions, proposals, suggestions,
letters, unsubscribes), counted by django-ratelimit in the shared cache so that every web
process enforces one limit. Answered with 429, a readable page and Retry-After.

Signing up, signing in and password resets are limited by allauth (settings.py,
ACCOUNT_RATE_LIMITS). Both take the client's address from ``client_ip``, which trusts
X-Forwarded-For only as far as TRUSTED_PROXIES says: behind the README's TLS proxy,
REMOTE_ADDR is the proxy's address for everyone, so limits keyed on it would be one
bucket for the whole site.
"""

import ipaddress
from functools import wraps

from django.conf import settings
from django.shortcuts import render
from django_ratelimit.core import get_usage

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
    return getattr(settings, "RATE_LIMITS", {}).get(scope, LIMITS[scope])


def client_ip(request) -> str:
    """The address of the person, not of our proxy: with TRUSTED_PROXIES = n, the n-th
    address from the right of X-Forwarded-For (each trusted proxy appends the address it
    was connected from; anything further left was written by the client and is not to be
    trusted). Without trusted proxies, or without the header, REMOTE_ADDR."""
    trusted = settings.TRUSTED_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    candidate = request.META.get("REMOTE_ADDR", "")
    if trusted and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            candidate = hops[-trusted] if len(hops) >= trusted else hops[0]
    try:
        return str(ipaddress.ip_address(candidate.strip("[]")))
    except ValueError:
        # Not an address (a misconfigured proxy): one shared bucket, but never an error.
        return "0.0.0.0"  # noqa: S104  # nosec B104


def count(request, scope: str, key: str, *, increment: bool = True) -> dict:
    """Count one use of ``scope`` by ``key`` (or just look, with increment=False).
    Returns django-ratelimit's usage: should_limit, count, limit, time_left (seconds)."""
    return get_usage(
        request,
        group=f"portal.{scope}",
        key=lambda _group, _request: key,
        rate=rate_for(scope),
        increment=increment,
    )


def who(request, per: str = "user") -> str:
    """The key for a person: their account when signed in (and per="user"), else their
    address."""
    if per == "user" and request.user.is_authenticated:
        return f"u{request.user.pk}"
    return f"ip{client_ip(request)}"


def too_many(request, retry_after: int | None = None):
    seconds = max(int(retry_after or 60), 1)
    response = render(request, "429.html", {"retry_minutes": -(-seconds // 60)}, status=429)
    response["Retry-After"] = str(seconds)
    return response


def ratelimit(scope: str, *, per: str = "user"):
    """Limit a view per signed-in user (or per address for anonymous requests) at the rate
    for scope. Only POSTs count: a GET that shows a form is never refused."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method == "POST":
                usage = count(request, scope, who(request, per))
                if usage["should_limit"]:
                    return too_many(request, usage["time_left"])
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
