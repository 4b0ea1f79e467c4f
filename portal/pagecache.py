"""Whole-page cache for anonymous visitors of public pages, in the shared cache (Redis).

Correctness over cleverness: every key carries a site-wide version number, and any
successful POST (every edit in the portal and the admin is one) bumps it, so an edit shows
at once; PAGE_CACHE_SECONDS bounds how stale the time-dependent parts ("upcoming") get.
Only requests without a session or messages cookie are served from or stored in the
cache, and only responses that set no cookie are stored, so no one's session, CSRF token
or message is ever shared."""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.urls import Resolver404, resolve

VERSION_KEY = "pagecache:version"
CACHEABLE = {
    "home",
    "groups:list",
    "groups:detail",
    "partners:list",
    "partners:detail",
    "campaigns:list",
    "campaigns:detail",
    "events:list",
    "events:detail",
    "events:festival",
}
# Apps add the cookies that personalise a page (guests: "remember me on this device").
PRIVATE_COOKIES = {settings.SESSION_COOKIE_NAME, "messages"}
# POSTs that change nothing a cached page shows, and that are frequent: signing in and
# out (only last_login and the session change), downloading one's data (reads only) and
# asking for a password reset email. Every other successful POST makes the caches stale.
POSTS_THAT_KEEP_THE_CACHE = {
    "account_login",
    "account_logout",
    "account_reset_password",
    "my_data_download",
}


def bump() -> None:
    """Make every cached page stale (called after each successful POST, and by seeds)."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 1, timeout=None)


def _key(request) -> str:
    version = cache.get(VERSION_KEY) or 0
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    # "h": entries hold the view's headers (older ones held only the content type).
    return f"pagecache:h:{version}:{path}"


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = settings.PAGE_CACHE_SECONDS
        if request.method == "POST":
            response = self.get_response(request)
            match = getattr(request, "resolver_match", None)
            keeps = match is not None and match.view_name in POSTS_THAT_KEEP_THE_CACHE
            if response.status_code < 400 and not keeps:
                bump()
            return response
        if not seconds or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        if PRIVATE_COOKIES & set(request.COOKIES) or request.user.is_authenticated:
            return self.get_response(request)
        match = getattr(request, "resolver_match", None) or _resolve(request)
        if match is None or match.view_name not in CACHEABLE:
            return self.get_response(request)
        key = _key(request)
        hit = cache.get(key)
        if hit is not None:
            content, headers = hit
            response = HttpResponse(content, headers=headers)
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if response.status_code == 200 and not response.cookies and not response.streaming:
            # The view's own headers (Content-Type, Cache-Control, Vary...) are replayed on
            # a hit; those of the middleware around this one are added to hits and misses
            # alike, as this middleware sits inside all of them.
            cache.set(key, (response.content, dict(response.headers)), timeout=seconds)
            response["X-Page-Cache"] = "miss"
        return response


def _resolve(request):
    try:
        return resolve(request.path_info)
    except Resolver404:
        return None
