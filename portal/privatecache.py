"""Per-person page cache for the heavy signed-in pages (My portal, the review dashboard),
in the shared cache (Redis).

The view checks who may see the page first, on every request; only then is the page
served from the cache. A cached page belongs to one person: its key carries their user
id, and it is stored with the versions of the site and of its scope: "private" (My
portal), which every write that the services describe bumps (portal.pagecache.touch), or
"review", which all of them bump but those that change only counts, so an edit anywhere
shows on the next load. ``seconds`` bounds how stale the time-dependent parts get.

Forms in a cached page still carry the current request's CSRF token: the page is
rendered with a placeholder in place of the token, and the placeholder is replaced by a
fresh token for this request each time the page is served. A request with a message
waiting ("Your RSVP is saved.") is rendered afresh, since the message is part of the page
and is shown once."""

import hashlib

from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.crypto import salted_hmac

from . import pagecache


def csrf_placeholder() -> str:
    """The same in every process that shares SECRET_KEY (a page rendered by one gunicorn
    worker is served by the others), and unknowable without it: someone who could write
    the placeholder into a page (an announcement, say) could have the viewer's token
    substituted into a link of their choosing."""
    return "csrf-" + salted_hmac("portal.privatecache.csrf", "placeholder").hexdigest()[:40]


def cached_private_page(
    request,
    *,
    name: str,
    vary: str,
    seconds: int,
    template: str,
    context,
    scope: str = pagecache.PRIVATE,
):
    """``template`` rendered for ``request.user`` with the dict that ``context()`` returns
    (a callable, so a hit skips building it), from the cache when it is there. ``vary`` is
    everything else the page depends on (query string, period...); ``scope`` the version
    that the writes it shows bump (pagecache.PRIVATE or pagecache.REVIEW)."""
    if not seconds or len(messages.get_messages(request)):
        return render(request, template, context())
    digest = hashlib.sha256(f"{request.get_full_path()}|{vary}".encode()).hexdigest()[:32]
    key = f"private:{name}:{request.user.pk}:{digest}"
    # One round trip for both. A page is stored with the version read before it was
    # built, so a POST that lands while it is being built makes it stale at once.
    scopes = [pagecache.version_key(pagecache.SITE), pagecache.version_key(scope)]
    found = cache.get_many([*scopes, key])
    version = tuple(found.get(scope) or 0 for scope in scopes)
    stored = found.get(key)
    placeholder = csrf_placeholder()
    if stored is not None and stored[0] == version:
        html = stored[1]
    else:
        html = render_to_string(template, {**context(), "csrf_token": placeholder}, request)
        cache.set(key, (version, str(html)), timeout=seconds)
    return HttpResponse(html.replace(placeholder, get_token(request)))
