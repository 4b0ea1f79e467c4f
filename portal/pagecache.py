"""Whole-page cache for anonymous visitors of public pages, in the shared cache (Redis).

Each cached page depends on a few named versions ("scopes"): the site's, and the ones
PAGE_SCOPES lists for its URL (``event:<slug>`` for an event's page, ``list:events`` for
the events listing...). A page is served from the cache only while every one of them is
what it was when the page was rendered. The services that write say what they changed
with ``touch(...)`` (after the commit, so no one caches the old rows under the new
version), so a write makes stale only the pages that show it; docs/performance.md has
the table of which write touches which scope.

Every POST that writes also bumps the version of the person who sent it
(``person:<id>``), on which their own My portal depends (portal.privatecache).

A POST that writes to the database but touches nothing (a write nobody has described
yet, or the Django admin, which goes around the services) bumps the site's version,
which makes every page stale: correctness first for the writes not in the table. A POST
that writes nothing (a form that fails validation, a refused RSVP) changes nothing.

Counters that change every second (signatures, supporters) are not baked into a cached
page: the ``live`` template tag leaves a marker that is replaced, each time the page is
served, by a value kept in the cache for LIVE_COUNTER_SECONDS (read again from the
database by the counter's loader when it has expired), so a signature never rebuilds a
page and a count is at most that many seconds old.

A page made stale is rebuilt by one request; the others that arrive meanwhile get the
previous copy (marked "X-Page-Cache: stale"), for at most PAGE_REBUILD_SECONDS (5 s) should
that request die, in practice for the 8-40 ms a rebuild takes, instead of all rebuilding the
same page at once after every write.

Other apps register responses that are not pages (``register_cacheable``: the API's
public reads, api/cache.py) with their scopes, their own key (None: never cached for this
request, e.g. it carries a token) and a check run before a cached copy is served (the
API's per-address limit); a JSON body's counters are stored as bare numbers.

Only requests without a session or messages cookie are served from or stored in the
cache, and only responses that set no cookie are stored, so no one's session, CSRF token
or message is ever shared. PAGE_CACHE_SECONDS bounds how stale the time-dependent parts
("upcoming") get."""

import contextvars
import hashlib
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils.crypto import salted_hmac

SITE = "site"
# My portal (portal.privatecache) follows the person (front.views.my_portal_scopes): their
# own version, bumped by every POST of theirs that writes, and those of what it shows
# them. The My portal of someone who leads a group, reviews or moderates shows a little
# of everything in their patch (to-do lists, queues), so it depends on this scope too,
# which every described write bumps.
PRIVATE = "private"
# The review dashboard's scope: every described write bumps it except those that change
# only counts (RSVPs, actions taken, supports), which the dashboard shows only in its
# figures, kept for REVIEW_CACHE_SECONDS whatever is written (review.figures.kept).
REVIEW = "review"
PAGE_SCOPES: dict[str, tuple[str, ...]] = {
    "home": ("home",),
    "groups:list": ("list:groups",),
    "groups:detail": ("group:{slug}",),
    "partners:list": ("list:partners",),
    "partners:detail": ("partner:{slug}",),
    "campaigns:list": ("list:campaigns",),
    "campaigns:detail": ("campaign:{slug}",),
    "events:list": ("list:events",),
    "events:detail": ("event:{slug}",),
    "events:festival": ("festival:{slug}",),
    "events:festival_list": ("list:festivals",),
}


@dataclass(frozen=True)
class Cacheable:
    """How responses of one URL name other than the pages above are cached: the API's
    public reads, registered from the api app (which portal may not import).

    ``key(request)``: what the entry is keyed on (for the API: host, path, the sorted
    query string and the negotiated format), or None when this request must neither be
    served from nor stored in the cache (it carries a token). ``admit(request)``: run
    before a hit is served, a response to send instead (the API's per-address limit,
    which the view counts on a miss) or None."""

    scopes: tuple[str, ...]
    key: Callable[[HttpRequest], str | None]
    admit: Callable[[HttpRequest], HttpResponse | None]


_REGISTERED: dict[str, Cacheable] = {}


def register_cacheable(view_name: str, cacheable: Cacheable) -> None:
    """Called from an app's AppConfig.ready."""
    _REGISTERED[view_name] = cacheable


# Apps add the cookies that personalise a page (guests: "remember me on this device").
PRIVATE_COOKIES = {settings.SESSION_COOKIE_NAME, "messages"}
# POSTs that change nothing a cached page shows, and that are frequent: signing in and
# out (only last_login and the session change), downloading one's data (reads only),
# asking for a password reset email, and the account's own sign-in details (signing up,
# confirming or changing an email address, passwords, reauthentication, two-factor),
# which no public page shows (the person's own My portal still follows their version).
POSTS_THAT_KEEP_THE_CACHE = {
    "account_login",
    "account_logout",
    "account_reset_password",
    "account_signup",
    "account_confirm_email",
    "account_confirm_login_code",
    "account_email",
    "account_change_password",
    "account_set_password",
    "account_reset_password_from_key",
    "account_reauthenticate",
    "mfa_activate_totp",
    "mfa_authenticate",
    "mfa_deactivate_totp",
    "mfa_generate_recovery_codes",
    "mfa_reauthenticate",
    "my_data_download",
}
# Tables a request may write without changing anything a page shows.
UNSHOWN_TABLES = ("django_session",)


def person(user_id) -> str:
    """The scope of what My portal shows one person of their own (their RSVPs, actions,
    proposals...): bumped by every POST of theirs that writes, and by the services that
    write something of theirs for them (a waitlist place given, a proposal decided)."""
    return f"person:{user_id}"


def version_key(scope: str) -> str:
    return f"pv:{scope}"


# --- writing: what the services call -------------------------------------------------

# The scopes touched during the current request (None outside a request), so that the
# middleware knows whether a write was described.
_touched: contextvars.ContextVar[set[str] | None] = contextvars.ContextVar(
    "pagecache_touched", default=None
)


def _bump(scopes: Iterable[str]) -> None:
    for scope in scopes:
        try:
            cache.incr(version_key(scope))
        except ValueError:
            cache.set(version_key(scope), 1, timeout=None)


def touch(*scopes: str, review: bool = True, private: bool = True) -> None:
    """Make stale, once the current transaction commits, every cached page that depends
    on one of ``scopes`` (e.g. ``"event:derby-vigil"``, ``"list:events"``,
    ``person(id)``), unless ``private`` is False (a write only its own person sees: a
    setting, a token) the My portal of the people who lead, review or moderate and,
    unless ``review`` is False (a write that changes only counts, or only one person's
    own things), every review dashboard. Empty slugs (an object without a page) are
    skipped. ``touch(private=False, review=False)`` describes a write that no cached page
    shows (it keeps the middleware from bumping the site's version)."""
    chosen = {s for s in scopes if s and not s.endswith(":")}
    if private:
        chosen.add(PRIVATE)
    if review:
        chosen.add(REVIEW)
    touched = _touched.get()
    if touched is not None:
        touched.update(chosen or {""})
    transaction.on_commit(lambda: _bump(sorted(chosen)))


def bump_everything() -> None:
    """Make every cached page stale (seeds and data loads, which go around the services).
    Without Redis the cache is a database table that ``make run`` creates; a seed run on
    a fresh database (``migrate`` then ``seed_scale``) creates it here."""
    if any(c["BACKEND"].endswith("DatabaseCache") for c in settings.CACHES.values()):
        call_command("createcachetable", verbosity=0)
    _bump([SITE, PRIVATE])


# --- live counters -------------------------------------------------------------------

_COUNTERS: dict[str, Callable[[list[int]], dict[int, int]]] = {}


def register_counter(name: str, loader: Callable[[list[int]], dict[int, int]]) -> None:
    """``loader(ids)`` returns the current value of the counter ``name`` for those ids,
    in one query. Called from an app's AppConfig.ready."""
    _COUNTERS[name] = loader


def _marker_prefix() -> str:
    # Unknowable without SECRET_KEY, so text that someone writes into a page (a campaign
    # summary, say) cannot pose as a counter.
    return "live-" + salted_hmac("portal.pagecache.live", "marker").hexdigest()[:16]


def counted(value: int, noun: str = "") -> str:
    """ "1 signature", "2 signatures"; the bare number without a noun; "#" for the number
    with thousands separators ("1,240", for text beside a progress bar)."""
    if not noun:
        return str(value)
    if noun == "#":
        return f"{value:,}"
    return f"{value} {noun}{'' if value == 1 else 's'}"


def live_marker(name: str, pk: int, value: int, noun: str = "") -> str:
    return f"{_marker_prefix()}:{name}:{pk}:{value}:{noun};"


def _live_pattern() -> re.Pattern:
    return re.compile(re.escape(_marker_prefix()) + r":(\w+):(\d+):(-?\d+):(#|\w*);")


def is_live(request) -> bool:
    """Whether counters in this response should be markers (a page for the cache)."""
    return getattr(request, "_pagecache_live", False)


def _counter_keys(html: str) -> dict[str, tuple[str, int]]:
    return {f"live:{name}:{pk}": (name, int(pk)) for name, pk, *_ in _live_pattern().findall(html)}


def fill_counters(html: str, read: dict | None = None) -> str:
    """Replace each counter marker with the counter's value: from the cache when it was
    read in the last LIVE_COUNTER_SECONDS (``read`` holds those the caller has already
    fetched with the page, None for one that had expired), else from its loader (one
    query per counter name), else the value the page was rendered with."""
    keys = _counter_keys(html)
    if not keys:
        return html
    read = read or {}
    unread = [k for k in keys if k not in read]
    found = {**read, **(cache.get_many(unread) if unread else {})}
    values = {keys[k]: v for k, v in found.items() if k in keys and v is not None}
    missing: dict[str, list[int]] = {}
    for name, pk in set(keys.values()) - set(values):
        if name in _COUNTERS:
            missing.setdefault(name, []).append(pk)
    fresh = {}
    for name, ids in missing.items():
        for pk, value in _COUNTERS[name](sorted(ids)).items():
            values[(name, pk)] = fresh[f"live:{name}:{pk}"] = value
    if fresh and settings.LIVE_COUNTER_SECONDS:
        cache.set_many(fresh, timeout=settings.LIVE_COUNTER_SECONDS)

    def value_of(match: re.Match) -> str:
        return counted(values.get((match[1], int(match[2])), int(match[3])), match[4])

    return _live_pattern().sub(value_of, html)


# --- reading: the middleware ---------------------------------------------------------


def page_scopes(match) -> list[str]:
    scopes = PAGE_SCOPES.get(match.view_name) or _REGISTERED[match.view_name].scopes
    return [SITE] + [s.format(**match.kwargs) for s in scopes]


def entry_key(full_path: str) -> str:
    path = hashlib.sha256(full_path.encode()).hexdigest()[:32]
    # "s": entries hold the view's headers, the counters' keys and the time they were built.
    return f"pagecache:s:{path}"


def rebuild_lock_key(full_path: str) -> str:
    """Held by the one request that rebuilds the stale page at ``full_path``."""
    return f"{entry_key(full_path)}:rebuilding"


class _WriteWatcher:
    """Notes whether the request's SQL changes a table that pages may show."""

    def __init__(self):
        self.wrote = False

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        # After it ran: an INSERT refused by a unique index (a second signature) wrote
        # nothing.
        if not self.wrote:
            head = sql.lstrip()[:6].upper()
            if head in ("INSERT", "UPDATE", "DELETE") and not any(
                t in sql[:120] for t in UNSHOWN_TABLES
            ):
                self.wrote = True
        return result


# Page key -> its counters' keys, per process, so that a hit is one round trip. Bounded:
# the cacheable URLs are few, but a query string makes each one many.
_known_counters: dict[str, tuple[str, ...]] = {}
_KNOWN_COUNTERS_MAX = 10_000


def _remember_counters(key: str, counters: tuple[str, ...]) -> None:
    if _known_counters.get(key) != counters:
        if len(_known_counters) >= _KNOWN_COUNTERS_MAX:
            _known_counters.clear()
        _known_counters[key] = counters


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST":
            return self._post(request)
        seconds = settings.PAGE_CACHE_SECONDS
        if not seconds or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        if PRIVATE_COOKIES & set(request.COOKIES) or request.user.is_authenticated:
            return self.get_response(request)
        match = getattr(request, "resolver_match", None) or _resolve(request)
        if match is None:
            return self.get_response(request)
        registered = _REGISTERED.get(match.view_name)
        if registered is not None:
            full_path = registered.key(request)
        else:
            full_path = request.get_full_path() if match.view_name in PAGE_SCOPES else None
        if full_path is None:
            return self.get_response(request)
        key, lock = entry_key(full_path), rebuild_lock_key(full_path)
        scopes = page_scopes(match)
        version_keys = [version_key(s) for s in scopes]
        # The counters' keys are stored with the page, and this process remembers them from
        # the last time it served it: one round trip then brings the page, the versions it
        # depends on and its counters' values. A page is stored with the versions read
        # before it was built, so a write that commits while it is being built makes it
        # stale at once.
        counters = _known_counters.get(key, ())
        found = cache.get_many([key, *version_keys, *counters])
        versions = tuple(found.get(k) or 0 for k in version_keys)
        stored = found.get(key)
        if stored is not None:
            _remember_counters(key, stored[3])
            # None: asked for, and expired.
            read = {k: found.get(k) for k in stored[3] if k in counters}
            if stored[0] == versions and time.time() - stored[4] < seconds:
                return self._serve(stored, read, "hit", request, registered)
            # Stale (a write, or PAGE_CACHE_SECONDS passed). One reader rebuilds it; the
            # others, arriving while it does, get the previous copy rather than each
            # rebuilding the same page at once (a herd of eight national page builds after
            # every bump). The lock expires after PAGE_REBUILD_SECONDS, the most a page can
            # be served stale after a write; the rebuild itself takes 8-40 ms.
            rebuild_seconds = settings.PAGE_REBUILD_SECONDS
            if rebuild_seconds and not cache.add(lock, 1, timeout=rebuild_seconds):
                return self._serve(stored, read, "stale", request, registered)
        try:
            return self._build(request, key, versions, seconds)
        finally:
            if stored is not None and settings.PAGE_REBUILD_SECONDS:
                cache.delete(lock)

    @staticmethod
    def _serve(stored, read: dict, state: str, request, registered) -> HttpResponse:
        # What the view would have checked first (the API's per-address limit) still
        # applies to a response it does not build.
        if registered is not None and (refused := registered.admit(request)) is not None:
            return refused
        response = HttpResponse(fill_counters(stored[1], read), headers=stored[2])
        response["X-Page-Cache"] = state
        return response

    def _build(self, request, key: str, versions: tuple, seconds: int):
        request._pagecache_live = True
        built_at = time.time()
        response = self.get_response(request)
        if response.status_code == 200 and not response.cookies and not response.streaming:
            # The view's own headers (Content-Type, Cache-Control, Vary...) are replayed on
            # a hit; those of the middleware around this one are added to hits and misses
            # alike, as this middleware sits inside all of them.
            html = _bare_json_counters(response, response.content.decode(response.charset))
            counters = tuple(_counter_keys(html))
            # Kept past PAGE_CACHE_SECONDS by PAGE_REBUILD_SECONDS, to be served while its
            # replacement is built.
            entry = (versions, html, dict(response.headers), counters, built_at)
            cache.set(key, entry, timeout=seconds + settings.PAGE_REBUILD_SECONDS)
            _remember_counters(key, counters)
            response.content = fill_counters(html)
            response["X-Page-Cache"] = "miss"
            return response
        # Not to be cached (gone, private now, sets a cookie): neither is its previous copy
        # to be served while someone rebuilds it.
        cache.delete(key)
        if not response.streaming:
            response.content = fill_counters(response.content.decode(response.charset))
        return response

    def _post(self, request):
        watcher, token = _WriteWatcher(), _touched.set(set())
        try:
            with connection.execute_wrapper(watcher):
                response = self.get_response(request)
            described = bool(_touched.get())
        finally:
            _touched.reset(token)
        match = getattr(request, "resolver_match", None)
        keeps = match is not None and match.view_name in POSTS_THAT_KEEP_THE_CACHE
        if watcher.wrote and not described and not keeps:
            _bump([SITE, PRIVATE])
        elif watcher.wrote and request.user.is_authenticated:
            # Their own My portal shows what they did (an RSVP, a signature, a support).
            _bump([person(request.user.pk)])
        return response


def _bare_json_counters(response, body: str) -> str:
    """A JSON serializer writes a counter's marker as a string (``"total": "live-…;"``);
    stored bare, it is filled with a number, so the body stays valid JSON."""
    if not response.get("Content-Type", "").startswith("application/json"):
        return body
    return re.sub(f'"({_live_pattern().pattern})"', r"\1", body)


def _resolve(request):
    try:
        return resolve(request.path_info)
    except Resolver404:
        return None
