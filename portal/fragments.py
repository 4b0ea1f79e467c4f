"""Shared parts of a page for signed-in people, kept as rendered HTML in the shared cache.

A signed-in person's page cannot come whole from the anonymous page cache
(portal.pagecache): it carries their header, messages, CSRF token and their own state (their
RSVP, their signature). Most of it is the same for every ordinary member, though: an
event's details, its description, its map, who is going. A view renders those parts once,
stores them here, and renders only the person's own parts on each request.

A part depends on the same versions ("scopes") as the public page that shows it, so a write
that makes the public page stale makes the part stale too, and on PAGE_CACHE_SECONDS, which
bounds how stale the time-dependent parts get; all are read in one round trip with the
parts themselves and their counters. Counters are left as the page cache's live markers and
filled each time a part is served, so an RSVP or a signature rebuilds nothing.

Only a "plain member" is served cached parts: signed in, not staff, holding no regional
role and leading no group, as the two-factor check (portal.mfa) has already found out on
this request. Leads, reps and staff see controls in the middle of these parts and get the
whole page rendered. The view checks that the person may see the page before it asks for
the parts. Parts are rendered without the request's context processors, so no one's name,
session or CSRF token can be stored in one."""

import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe

from . import pagecache


def plain_member(request) -> bool:
    """Signed in, and neither staff, nor a rep, nor a lead of any group (answered by the
    two-factor check's query, so no query here); False when caching is off."""
    user = request.user
    state = getattr(request, "two_factor", None)
    return bool(
        settings.PAGE_CACHE_SECONDS
        and user.is_authenticated
        and not user.is_staff
        and state is not None
        and not state["is_lead"]
        and getattr(user, "has_regional_role", True) is False
    )


def part_key(name: str) -> str:
    return f"fragment:{name}"


# A part's key -> its counters' keys, per process, so that a hit is one round trip.
_known_counters: dict[str, tuple[str, ...]] = {}
_KNOWN_COUNTERS_MAX = 10_000


def _render(request, template: str, context: dict) -> str:
    # Rendered without the request as an argument, the template runs no context processor:
    # no ``user``, CSRF token or messages. The request is in the context for the live tag's
    # markers only; a part's template must not use it otherwise.
    was = pagecache.is_live(request)
    request._pagecache_live = True
    try:
        return get_template(template).render({**context, "request": request})
    finally:
        request._pagecache_live = was


def shared_parts(
    request,
    scopes: list[str],
    parts: dict[str, tuple[str, str, Callable[[], dict]]],
) -> dict[str, SafeString]:
    """The rendered parts, by name. ``parts``: name -> (cache key, template, context); the
    key says what the part depends on besides ``scopes`` and the site's version (the
    event's slug, a count); ``context()`` is called only if the part has to be rendered."""
    seconds = settings.PAGE_CACHE_SECONDS
    version_keys = [pagecache.version_key(s) for s in [pagecache.SITE, *scopes]]
    keys = {name: part_key(key) for name, (key, *_) in parts.items()}
    counters = tuple(c for key in keys.values() for c in _known_counters.get(key, ()))
    found = cache.get_many([*keys.values(), *version_keys, *counters])
    # Read before rendering: a write that commits meanwhile makes the new part stale at once.
    versions = tuple(found.get(k) or 0 for k in version_keys)
    now = time.time()
    texts, fresh = {}, {}
    for name, key in keys.items():
        stored = found.get(key)
        if stored is None or stored[0] != versions or now - stored[3] >= seconds:
            _, template, context = parts[name]
            text = _render(request, template, context())
            stored = (versions, text, tuple(pagecache._counter_keys(text)), now)
            fresh[key] = stored
        if _known_counters.get(key) != stored[2]:
            if len(_known_counters) >= _KNOWN_COUNTERS_MAX:
                _known_counters.clear()
            _known_counters[key] = stored[2]
        texts[name] = stored[1]
    if fresh:
        cache.set_many(fresh, timeout=seconds)
    read = {k: found.get(k) for k in counters}
    return {
        # Rendered (and escaped) by the template engine; a counter is a number.
        name: mark_safe(pagecache.fill_counters(text, read))  # noqa: S308
        for name, text in texts.items()
    }
