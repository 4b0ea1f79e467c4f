"""Unread threads: a thread is unread when something was posted after the reader's read
marker (or, with no marker, since they joined the site). Counted in one query for the
header, My portal and the conversations index."""

from django.core.cache import cache
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery

from .models import PLACE_FIELDS, ReadMarker, Thread
from .permissions import KIND_MODELS, Place, readable_ids, readable_threads


def with_read_at(threads: QuerySet, user) -> QuerySet:
    """Annotate read_at (None if never read) and is_unread."""
    marker = ReadMarker.objects.filter(user=user, thread=OuterRef("pk")).values("read_at")[:1]
    return threads.annotate(read_at=Subquery(marker))


def _unread_q(user) -> Q:
    return Q(read_at__isnull=True, last_post_at__gt=user.date_joined) | Q(
        last_post_at__gt=F("read_at")
    )


def _count(user) -> int:
    return with_read_at(readable_threads(user), user).filter(_unread_q(user)).count()


def places_with_unread(user) -> list[tuple[Place, int]]:
    """Every place the person may read, each with its unread count: one query per kind of
    place and one for the counts."""
    key = header_key(user.pk)
    counts = {
        (kind, pk): n
        for row in with_read_at(readable_threads(user), user)
        .filter(_unread_q(user))
        .values(*(f"{field}_id" for field in PLACE_FIELDS))
        .annotate(n=Count("pk"))
        .order_by()
        for kind, pk, n in [_place_key(row)]
    }
    remember_unread(key, sum(counts.values()))
    places = []
    ids = readable_ids(user) if not user.is_staff else None
    for kind, model in KIND_MODELS.items():
        objects = model.objects.all() if ids is None else model.objects.filter(pk__in=ids[kind])
        if ids is None:
            # Staff read everything, but list only the places that have threads.
            objects = objects.filter(pk__in=Thread.objects.values(f"{kind}_id"))
        for obj in objects.order_by("pk"):
            places.append((Place(kind, obj), counts.get((kind, obj.pk), 0)))
    return places


def _place_key(row: dict) -> tuple[str, int, int]:
    for field in PLACE_FIELDS:
        if row[f"{field}_id"]:
            return field, row[f"{field}_id"], row["n"]
    raise ValueError(row)


# The header's count is kept in the cache under a key made of two versions: one bumped by
# every new or deleted post (any thread may have become unread, or read again), one by the
# person reading a thread. A page finding no count under the current key counts once (two
# queries: the person's rep roles and the count) and keeps it, so the header is right
# straight after a post or a read and costs no query otherwise. The versions are read
# before counting: a post committed while counting bumps the version, so a count that
# missed it is kept under a key nobody asks for again.
_VERSION_KEY = "conversations:unread-version"
HEADER_SECONDS = 600


def _person_version_key(user_id: int) -> str:
    return f"conversations:unread-version:{user_id}"


def header_key(user_id: int) -> str:
    person = _person_version_key(user_id)
    versions = cache.get_many([_VERSION_KEY, person])
    return (
        f"conversations:unread:{user_id}:{versions.get(_VERSION_KEY) or 0}:"
        f"{versions.get(person) or 0}"
    )


def header_unread(user) -> int | None:
    """The header's unread count: right now, from the cache when nothing changed since
    it was counted, else counted (and kept) here."""
    if not user.is_authenticated:
        return None
    key = header_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = _count(user)
        remember_unread(key, count)
    return count


def count_on_sign_in(sender, request, user, **kwargs) -> None:
    header_unread(user)


def remember_unread(key: str, count: int) -> None:
    """Keep a count worked out elsewhere (My portal), under the key read before counting."""
    cache.set(key, count, HEADER_SECONDS)


def _bump(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=None)


def forget_unread() -> None:
    """A new or deleted post: every kept count may be wrong now."""
    _bump(_VERSION_KEY)


def forget_unread_of(user) -> None:
    """The person read a thread: their kept count is wrong now."""
    _bump(_person_version_key(user.pk))
