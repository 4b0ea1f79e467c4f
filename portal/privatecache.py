"""Per-person page cache for the heavy signed-in pages (My portal, the review dashboard),
in the shared cache (Redis).

The view checks who may see the page first, on every request; only then is the page
served from the cache. A cached page belongs to one person: its key carries their user
id, and it is stored with the versions of the site and of the scopes it depends on.
The review dashboard depends on "review", which every write that the services describe
bumps (portal.pagecache.touch) but those that change only counts. My portal follows the
person: ``depends(context)`` names the scopes of what the page shows them (their own
``person:<id>``, which every write by them bumps, their groups' ``group:<slug>``...;
front.views), so a write elsewhere leaves it cached. ``seconds`` bounds how stale the
time-dependent parts get.

A hit is one round trip: each process remembers the scopes a page depended on when it
last saw it, and reads their versions with the page. A page is stored with the versions
read before it was built, except for the scopes it did not depend on before (the person
just joined a group, or a process's first build of it), which are read as it is stored.

Forms in a cached page still carry the current request's CSRF token: the page is
rendered with a placeholder in place of the token, and the placeholder is replaced by a
fresh token for this request each time the page is served. A request with a message
waiting ("Your RSVP is saved.") is rendered afresh, since the message is part of the page
and is shown once."""

import hashlib
from collections.abc import Callable, Iterable

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


# Page key -> the scopes it depended on when this process last built or served it.
_known_scopes: dict[str, tuple[str, ...]] = {}
_KNOWN_SCOPES_MAX = 10_000


def _remember(key: str, scopes: tuple[str, ...]) -> None:
    if _known_scopes.get(key) != scopes:
        if len(_known_scopes) >= _KNOWN_SCOPES_MAX:
            _known_scopes.clear()
        _known_scopes[key] = scopes


def _versions(scopes: Iterable[str], found: dict) -> tuple:
    return tuple(found.get(pagecache.version_key(s)) or 0 for s in scopes)


def cached_private_page(
    request,
    *,
    name: str,
    vary: str,
    seconds: int,
    template: str,
    context,
    scope: str = pagecache.REVIEW,
    depends: Callable[[dict], Iterable[str]] | None = None,
):
    """``template`` rendered for ``request.user`` with the dict that ``context()`` returns
    (a callable, so a hit skips building it), from the cache when it is there. ``vary`` is
    everything else the page depends on (query string, period...). The page depends on
    the site's version and on ``scope`` (pagecache.REVIEW) or, when ``depends`` is given,
    on the scopes it returns for the built context (``person:<id>`` always added)."""
    if not seconds or len(messages.get_messages(request)):
        return render(request, template, context())
    digest = hashlib.sha256(f"{request.get_full_path()}|{vary}".encode()).hexdigest()[:32]
    key = f"private:s:{name}:{request.user.pk}:{digest}"
    base = (pagecache.SITE, pagecache.person(request.user.pk) if depends else scope)
    known = _known_scopes.get(key, base)
    # One round trip for the page and the versions of what it depended on last time.
    asked = {pagecache.version_key(s) for s in known}
    found = cache.get_many([key, *asked])
    stored = found.get(key)
    placeholder = csrf_placeholder()
    if stored is not None:
        scopes, versions, html = stored
        if scopes != known:  # another process built it: read the versions it needs
            more = {pagecache.version_key(s) for s in scopes} - asked
            if more:
                found.update(cache.get_many(list(more)))
            asked |= more
        _remember(key, scopes)
        if versions == _versions(scopes, found):
            return HttpResponse(html.replace(placeholder, get_token(request)))
    values = context()
    html = str(render_to_string(template, {**values, "csrf_token": placeholder}, request))
    scopes = base
    if depends is not None:
        scopes = tuple(sorted(set(base) | set(depends(values))))
    # A version missing from the cache was read as 0 all the same: only the scopes not asked
    # for before the build are read now.
    unread = [pagecache.version_key(s) for s in scopes if pagecache.version_key(s) not in asked]
    if unread:
        found.update(cache.get_many(unread))
    cache.set(key, (scopes, _versions(scopes, found), html), timeout=seconds)
    _remember(key, scopes)
    return HttpResponse(html.replace(placeholder, get_token(request)))
