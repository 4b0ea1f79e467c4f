"""Per-person fragment cache for the heavy signed-in pages (My portal, the review
dashboard), in the shared cache (Redis).

The view checks who may see the page first, on every request; only the page's body, the
part that costs queries and rendering, comes from the cache. A fragment belongs to one
person: its key carries their user id, and the site-wide version that every successful
POST bumps (portal.pagecache), so an edit anywhere shows on the next load, as on the
anonymous page cache. ``seconds`` bounds how stale the time-dependent parts get.

Forms in a cached body still carry the current request's CSRF token: the body is rendered
with a placeholder in place of the token, and the placeholder is replaced by a fresh token
for this request each time the body is served."""

import hashlib

from django.core.cache import cache
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.crypto import salted_hmac
from django.utils.safestring import SafeString, mark_safe

from . import pagecache


def csrf_placeholder() -> str:
    """The same in every process that shares SECRET_KEY (a body rendered by one gunicorn
    worker is served by the others), and unknowable without it: someone who could write
    the placeholder into a page (an announcement, say) could have the viewer's token
    substituted into a link of their choosing."""
    return "csrf-" + salted_hmac("portal.fragments.csrf", "placeholder").hexdigest()[:40]


def cached_fragment(request, *, name: str, vary: str, seconds: int, template: str, context):
    """The body ``template`` rendered for ``request.user`` with the dict ``context()``
    returns (a callable, so a hit skips building it), from the cache when it is there.
    ``vary`` is everything else the body depends on (query string, period...)."""
    if not seconds:
        return render_to_string(template, context(), request)
    digest = hashlib.sha256(vary.encode()).hexdigest()[:32]
    key = f"fragment:{name}:{request.user.pk}:{digest}"
    # One round trip for both. A body is stored with the version read before it was
    # built, so a POST that lands while it is being built makes it stale at once.
    found = cache.get_many([pagecache.VERSION_KEY, key])
    version = found.get(pagecache.VERSION_KEY) or 0
    stored = found.get(key)
    if stored is not None and stored[0] == version:
        html = stored[1]
    else:
        html = render_to_string(template, {**context(), "csrf_token": csrf_placeholder()}, request)
        cache.set(key, (version, str(html)), timeout=seconds)
    return with_token(request, html)


def with_token(request, html: str) -> SafeString:
    # The body was rendered by our own templates (auto-escaped); only the token changes.
    return mark_safe(html.replace(csrf_placeholder(), get_token(request)))  # noqa: S308
