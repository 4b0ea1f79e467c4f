"""Unread threads: a thread is unread when something was posted after the reader's read
marker (or, with no marker, since they joined the site). Counted in one query for the
header, My portal and the conversations index.

Resolutions' discussions count only for the people who follow them: every signed-in
member may read an AGM resolution's, and a hundred of them unread in everyone's header
would drown the conversations people belong to."""

from django.core.cache import cache
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery

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
    if not user.is_authenticated:
        return 0
    count = with_read_at(readable_threads(user), user).filter(_unread_q(user)).count()
    remember_unread(user, count)
    return count


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
    remember_unread(user, sum(counts.values()))
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


# The header shows the count last computed for the person (by My portal and the
# conversations pages), from the cache: no page pays a query for it. Any new post makes
# every cached count stale (the version is in the key).
_VERSION_KEY = "conversations:unread-version"
HEADER_SECONDS = 600


def _header_key(user_id: int) -> str:
    return f"conversations:unread:{user_id}:{cache.get(_VERSION_KEY) or 0}"


def remember_unread(user, count: int) -> None:
    cache.set(_header_key(user.pk), count, HEADER_SECONDS)


def remembered_unread(user) -> int | None:
    return cache.get(_header_key(user.pk)) if user.is_authenticated else None


def forget_unread() -> None:
    """A new post: every remembered count may be wrong now."""
    try:
        cache.incr(_VERSION_KEY)
    except ValueError:
        cache.set(_VERSION_KEY, 1, timeout=None)


def forget_unread_of(user) -> None:
    cache.delete(_header_key(user.pk))
