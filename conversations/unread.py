"""Unread threads: a thread is unread when something was posted after the reader's read
marker (or, with no marker, since they joined the site). Counted in one query for the
header, My portal and the conversations index.

Resolutions' discussions count only for the people who follow them: every signed-in
member may read an AGM resolution's, and a hundred of them unread in everyone's header
would drown the conversations people belong to."""

from django.core.cache import cache
from django.db.models import CharField, Count, F, OuterRef, Q, QuerySet, Subquery, Value

from groups.models import Membership
from resolutions.models import Resolution

from .models import PLACE_FIELDS, Follow, Post, ReadMarker, Thread
from .permissions import KIND_MODELS, Place, readable_ids, readable_threads


def followed_resolutions(user) -> QuerySet:
    """Ids of the resolutions whose discussion this person follows (a subquery): by
    default those they propose, support, lead a proposing or co-sponsoring group of, or
    posted in (services.followers says the same per thread), or chose to follow; minus
    those they muted."""
    led = Membership.objects.leads().filter(user=user).values("group_id")
    rows = Follow.objects.filter(user=user)
    muted = rows.filter(mode=Follow.Mode.MUTE)
    chosen = rows.filter(mode=Follow.Mode.FOLLOW)
    return (
        Resolution.objects.filter(
            Q(proposer=user)
            | Q(group__in=led)
            | Q(pk__in=Resolution.objects.filter(cosponsors__group__in=led).values("pk"))
            | Q(pk__in=Resolution.objects.filter(supports__user=user).values("pk"))
            | Q(threads__in=Post.objects.filter(author=user).values("thread_id"))
            | Q(pk__in=chosen.values("resolution_id"))
            | Q(threads__in=chosen.values("thread_id"))
        )
        .exclude(pk__in=muted.filter(resolution__isnull=False).values("resolution_id"))
        .exclude(threads__in=muted.filter(thread__isnull=False).values("thread_id"))
        .values("pk")
    )


def with_read_at(threads: QuerySet, user) -> QuerySet:
    """Annotate read_at (None if never read) and is_unread."""
    marker = ReadMarker.objects.filter(user=user, thread=OuterRef("pk")).values("read_at")[:1]
    return threads.annotate(read_at=Subquery(marker))


def _unread_q(user) -> Q:
    return (
        Q(read_at__isnull=True, last_post_at__gt=user.date_joined)
        | Q(last_post_at__gt=F("read_at"))
    ) & (Q(resolution__isnull=True) | Q(resolution__in=followed_resolutions(user)))


def unread_count(user) -> int:
    return with_read_at(readable_threads(user), user).filter(_unread_q(user)).count()


def places_with_unread(user) -> list[tuple[Place, int]]:
    """Every place the person may read, each with its unread count: one query per kind of
    place and one for the counts."""
    counts = {
        (kind, pk): n
        for row in with_read_at(readable_threads(user), user)
        .filter(_unread_q(user))
        .values(*(f"{field}_id" for field in PLACE_FIELDS))
        .annotate(n=Count("pk"))
        .order_by()
        for kind, pk, n in [_place_key(row)]
    }
    places = []
    ids = readable_ids(user) if not user.is_staff else None
    for kind, model in KIND_MODELS.items():
        objects = model.objects.all() if ids is None else model.objects.filter(pk__in=ids[kind])
        if ids is None:
            # Staff read everything, but list only the places that have threads.
            objects = objects.filter(pk__in=Thread.objects.values(f"{kind}_id"))
        if kind == "resolution":
            objects = objects.filter(pk__in=followed_resolutions(user))
        for obj in objects.order_by("pk"):
            places.append((Place(kind, obj), counts.get((kind, obj.pk), 0)))
    return places


def _place_key(row: dict) -> tuple[str, int, int]:
    for field in PLACE_FIELDS:
        if row[f"{field}_id"]:
            return field, row[f"{field}_id"], row["n"]
    raise ValueError(row)


# The header's count is kept in the cache for each person with the versions it was counted
# at: one per place the person may read, bumped by a new or deleted post there (staff, who
# read every place, have one for all places), and one of their own, bumped when they read a
# thread. A page whose kept versions are all current shows the kept count (two cache reads,
# no query); otherwise it counts again (three queries: the person's rep roles, the places
# they read, the count; a fourth when resolutions' discussions are among the unread, to ask
# which of those the person follows). So the count is right straight after a post or a
# read, and a post in a place the person cannot read costs them nothing. The versions are
# read before counting: a post committed while counting leaves them stale, and the next page
# counts.
# Joining or leaving a place is seen when the count is next made (at the latest after
# HEADER_SECONDS, or at the next sign-in).
HEADER_SECONDS = 600
ALL_PLACES = "conversations:unread-v:all"


def _place_version_key(kind: str, pk: int) -> str:
    return f"conversations:unread-v:{kind}:{pk}"


def _person_version_key(user_id: int) -> str:
    return f"conversations:unread-v:person:{user_id}"


def _entry_key(user_id: int) -> str:
    return f"conversations:unread:{user_id}"


def _readable_places(user) -> list[tuple[str, int]]:
    """Every place the person may read, as (kind, id): one query (readable_ids' rules)."""
    ids = readable_ids(user)
    parts = [
        KIND_MODELS[kind]
        .objects.filter(pk__in=ids[kind])
        .annotate(unread_kind=Value(kind, output_field=CharField()))
        .values_list("unread_kind", "pk")
        .order_by()
        for kind in PLACE_FIELDS
    ]
    return list(parts[0].union(*parts[1:], all=True))


def _count_in(user, places: list[tuple[str, int]]) -> int:
    """unread_count, for a non-staff person whose readable places are known: the same
    answer from a query built on the places' ids rather than on readable_ids' subqueries,
    which take far longer for Django to build than for PostgreSQL to run (a person's first
    page after HEADER_SECONDS paid about 20 ms of CPU for it). Resolutions' threads count
    only when followed, asked of just the resolutions that have unread threads (none: no
    query)."""
    by_kind: dict[str, list[int]] = {}
    for kind, pk in places:
        by_kind.setdefault(kind, []).append(pk)
    if not by_kind:
        return 0
    where = Q(pk__in=[])
    for kind, pks in by_kind.items():
        where |= Q(**{f"{kind}_id__in": pks})
    unread = Q(read_at__isnull=True, last_post_at__gt=user.date_joined) | Q(
        last_post_at__gt=F("read_at")
    )
    rows = (
        with_read_at(Thread.objects.filter(where), user)
        .filter(unread)
        .values("resolution_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    per_resolution = {row["resolution_id"]: row["n"] for row in rows}
    count = per_resolution.pop(None, 0)
    if per_resolution:
        followed = followed_resolutions(user).filter(pk__in=list(per_resolution))
        count += sum(per_resolution[pk] for pk in followed.values_list("pk", flat=True))
    return count


def header_unread(user) -> int | None:
    """The header's unread count, current (see above). Asked once per request: the answer
    is kept on the request's user for the page's other headers (the phone menu's)."""
    if not user.is_authenticated:
        return None
    kept = getattr(user, "_header_unread", None)
    if kept is not None:
        return kept
    user._header_unread = count = _header_unread(user)
    return count


def _header_unread(user) -> int:
    entry = cache.get(_entry_key(user.pk))
    if entry is not None:
        current = cache.get_many(list(entry["versions"]))
        if all(current.get(key, 0) == v for key, v in entry["versions"].items()):
            return entry["count"]
    # The versions are read before counting: a post committed meanwhile leaves them stale.
    if user.is_staff:
        keys = [_person_version_key(user.pk), ALL_PLACES]
        versions = _versions(keys)
        count = unread_count(user)
    else:
        places = _readable_places(user)
        keys = [_person_version_key(user.pk)] + [_place_version_key(k, pk) for k, pk in places]
        versions = _versions(keys)
        count = _count_in(user, places)
    cache.set(_entry_key(user.pk), {"count": count, "versions": versions}, HEADER_SECONDS)
    return count


def _versions(keys: list[str]) -> dict[str, int]:
    found = cache.get_many(keys)
    return {key: found.get(key, 0) for key in keys}


def count_on_sign_in(sender, request, user, **kwargs) -> None:
    header_unread(user)


def _bump(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=None)


def forget_unread(thread) -> None:
    """A new or deleted post in the thread: the counts of those who read its place."""
    kind = thread.place_kind
    _bump(_place_version_key(kind, getattr(thread, f"{kind}_id")))
    _bump(ALL_PLACES)


def forget_unread_of(user) -> None:
    """The person read a thread: their kept count is wrong now."""
    _bump(_person_version_key(user.pk))
