"""Every write to conversations: threads, replies, edits, read markers, follows, reports,
moderation, welcome threads, resolutions' discussions, and the notifications of new
posts."""

from collections import defaultdict
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from groups.models import LocalGroup, Membership
from portal import notifications, pagecache
from portal.models import User
from portal.services import queue_email, render_email
from resolutions.models import CoSponsor, Resolution, Support

from .models import (
    EDIT_WINDOW_SECONDS,
    PLACE_FIELDS,
    Follow,
    PlaceMute,
    Post,
    ReadMarker,
    Report,
    Thread,
)
from .permissions import Place, place_of, readable_pairs
from .unread import forget_unread, forget_unread_of

EMAIL_LIST = "conversations"
# The version of every thread's posts, on which My portal's unread list depends.
THREADS = "conversations"


class ConversationError(Exception):
    """Something a person asked that cannot be done; str() is shown to them."""


class DiscussionClosed(ConversationError):
    """A resolution's discussion after the resolution's outcome: read-only."""


def _check_may_post(place: Place, user: User) -> None:
    if PlaceMute.objects.filter(user=user, **place.filter).exists():
        raise ConversationError("A moderator has stopped you posting here.")


def _check_open(thread: Thread) -> None:
    """A resolution's discussion closes with its outcome; read afresh, not from the page."""
    if thread.resolution_id is None:
        return
    resolution = Resolution.objects.select_related("meeting").get(pk=thread.resolution_id)
    if why := resolution.discussion_closed_because:
        raise DiscussionClosed(why)


@transaction.atomic
def start_thread(*, place: Place, by: User, title: str, body: str) -> Thread:
    if place.kind == "resolution":
        raise ConversationError("A resolution has one discussion: reply in it.")
    _check_may_post(place, by)
    now = timezone.now()
    thread = Thread.objects.create(
        **place.filter, title=title, author=by, created_at=now, last_post_at=now, post_count=1
    )
    post = Post.objects.create(thread=thread, author=by, body=body, created_at=now)
    _mark_read(thread, by, now)
    notify_followers(post=post)
    _touch()
    return thread


@transaction.atomic
def reply(*, thread: Thread, by: User, body: str) -> Post:
    _check_open(thread)
    _check_may_post(place_of(thread), by)
    now = timezone.now()
    post = Post.objects.create(thread=thread, author=by, body=body, created_at=now)
    Thread.objects.filter(pk=thread.pk).update(last_post_at=now, post_count=F("post_count") + 1)
    _mark_read(thread, by, now)
    notify_followers(post=post)
    _touch()
    return post


@transaction.atomic
def edit_post(*, post: Post, by: User, body: str) -> Post:
    now = timezone.now()
    if post.author_id != by.pk:
        raise ConversationError("Only its author can edit a post.")
    if (now - post.created_at).total_seconds() > EDIT_WINDOW_SECONDS:
        raise ConversationError("A post can be edited for 15 minutes after it was written.")
    _check_open(post.thread)
    post.body, post.edited_at = body, now
    post.save(update_fields=["body", "edited_at"])
    _touch()
    return post


@transaction.atomic
def delete_post(*, post: Post, by: User) -> bool:
    """The author deletes their post; deleting a thread's only post deletes the thread.
    Returns True if the whole thread went."""
    if post.author_id != by.pk:
        raise ConversationError("Only its author can delete a post.")
    thread = Thread.objects.select_for_update().get(pk=post.thread_id)
    post.delete()
    _touch()
    remaining = thread.posts.order_by("-created_at").first()
    # The thread's last post may now be older than someone's read marker, or gone.
    transaction.on_commit(lambda: forget_unread(thread))
    if remaining is None and thread.resolution_id is None:
        thread.delete()
        return True
    # A resolution's discussion stays, empty, for as long as the resolution.
    Thread.objects.filter(pk=thread.pk).update(
        post_count=F("post_count") - 1,
        last_post_at=remaining.created_at if remaining else thread.created_at,
    )
    return False


def _touch() -> None:
    """Conversations show on no cached public page (the place link is for signed-in
    readers); the My portal of everyone who reads a place lists its unread threads, and
    leads' theirs and reps' review their reports."""
    pagecache.touch(THREADS)


def _mark_read(thread: Thread, user: User, when: datetime) -> None:
    ReadMarker.objects.update_or_create(user=user, thread=thread, defaults={"read_at": when})
    transaction.on_commit(lambda: forget_unread_of(user))
    # Often on a GET (reading the thread): the reader's own unread list in My portal.
    pagecache.touch(pagecache.person(user.pk), private=False, review=False)


@transaction.atomic
def mark_read(*, thread: Thread, user: User) -> None:
    _mark_read(thread, user, timezone.now())


@transaction.atomic
def set_follow(
    *,
    user: User,
    mode: str,
    thread: Thread | None = None,
    place: Place | None = None,
    delivery: str = Follow.Delivery.DIGEST,
) -> None:
    """Follow or mute a thread or a whole place ("" to go back to the default). For a
    place, also how notifications come: in the digest or straight away."""
    where = {"thread": thread} if thread is not None else place.filter
    pagecache.touch(pagecache.person(user.pk), private=False, review=False)
    if not mode:
        Follow.objects.filter(user=user, **where).delete()
        return
    Follow.objects.update_or_create(
        user=user, **where, defaults={"mode": mode, "delivery": delivery}
    )


# --- resolutions' discussions ---------------------------------------------------------


def open_resolution_discussion(name: str, **data) -> None:
    """portal.hooks receiver: a resolution endorsed (made public) gets its discussion, in
    the endorsement's transaction."""
    if name == "resolution.endorsed":
        open_discussion(resolution=data["resolution"])


@transaction.atomic
def open_discussion(*, resolution: Resolution) -> Thread:
    """The resolution's one thread (the unique constraint makes a repeat harmless)."""
    when = resolution.endorsed_at or timezone.now()
    thread, _created = Thread.objects.get_or_create(
        resolution=resolution,
        defaults={"title": resolution.title, "created_at": when, "last_post_at": when},
    )
    _touch()
    return thread


def _resolution_followers(resolution_ids, *, among=None) -> set[tuple[int, int]]:
    """(resolution id, user id) for everyone who follows these resolutions' discussions
    unless they mute them: the proposer, the leads of the proposing and co-sponsoring
    groups, and the supporters (they chose to be involved); of everyone or only of the
    user ids ``among``. Four queries whatever the numbers."""

    def of_them(queryset, field="user_id"):
        return queryset if among is None else queryset.filter(**{f"{field}__in": list(among)})

    among = None if among is None else set(among)
    pairs = set()
    groups = defaultdict(set)  # group id -> resolution ids
    for pk, group_id, proposer_id in Resolution.objects.filter(pk__in=resolution_ids).values_list(
        "pk", "group_id", "proposer_id"
    ):
        groups[group_id].add(pk)
        if proposer_id and (among is None or proposer_id in among):
            pairs.add((pk, proposer_id))
    for resolution_id, group_id in CoSponsor.objects.filter(
        resolution_id__in=resolution_ids
    ).values_list("resolution_id", "group_id"):
        groups[group_id].add(resolution_id)
    for group_id, user_id in of_them(
        Membership.objects.leads().filter(group_id__in=list(groups))
    ).values_list("group_id", "user_id"):
        pairs.update((resolution_id, user_id) for resolution_id in groups[group_id])
    pairs.update(
        of_them(
            Support.objects.filter(resolution_id__in=resolution_ids, user__isnull=False)
        ).values_list("resolution_id", "user_id")
    )
    return pairs


# --- notifications --------------------------------------------------------------------


def followers(thread: Thread, *, exclude: int | None = None) -> dict[int, str]:
    """Who is told of new posts in the thread, and how: {user id: "digest" | "immediate"}."""
    wanted = followers_of([thread]).get(thread.pk, {})
    wanted.pop(exclude, None)
    return wanted


def followers_of(
    threads: list[Thread], *, among: list[User] | None = None
) -> dict[int, dict[int, str]]:
    """{thread id: {user id: "digest" | "immediate"}}: who is told of new posts in each
    thread and how, of everyone or only of the people ``among``. A thread row decides,
    then a place row; by default people follow the threads they wrote or replied in, and
    the places they lead (for a resolution, see _resolution_followers). Only people who
    may still read the place are told. At most a dozen queries, whatever the numbers of
    threads, posts and people."""
    if not threads:
        return {}
    places = {t.pk: place_of(t) for t in threads}
    threads_at = defaultdict(list)  # (kind, place id) -> thread ids
    for thread_id, place in places.items():
        threads_at[(place.kind, place.obj.pk)].append(thread_id)
    ids = None if among is None else [u.pk for u in among]

    def of_them(queryset, field="user_id"):
        return queryset if ids is None else queryset.filter(**{f"{field}__in": ids})

    at_places = Q(thread_id__in=list(places))
    for kind, pk in threads_at:
        at_places |= Q(**{f"{kind}_id": pk})
    thread_rows, place_rows = {}, {}
    for user_id, thread_id, mode, delivery, *place_ids in of_them(
        Follow.objects.filter(at_places)
    ).values_list("user_id", "thread_id", "mode", "delivery", *(f"{f}_id" for f in PLACE_FIELDS)):
        if thread_id:
            thread_rows[(user_id, thread_id)] = mode
        else:
            kind, pk = next((k, pk) for k, pk in zip(PLACE_FIELDS, place_ids, strict=True) if pk)
            place_rows[(user_id, kind, pk)] = (mode, delivery)
    candidates = defaultdict(set)  # thread id -> user ids
    for thread_id, author_id in (
        of_them(Post.objects.filter(thread_id__in=list(places), author__isnull=False), "author_id")
        .values_list("thread_id", "author_id")
        .distinct()
    ):
        candidates[thread_id].add(author_id)
    resolutions = [pk for kind, pk in threads_at if kind == "resolution"]
    if resolutions:
        for resolution_id, user_id in _resolution_followers(resolutions, among=ids):
            for thread_id in threads_at[("resolution", resolution_id)]:
                candidates[thread_id].add(user_id)
    led = [pk for kind, pk in threads_at if kind == "group"]
    if led:
        for group_id, user_id in of_them(
            Membership.objects.leads().filter(group_id__in=led)
        ).values_list("group_id", "user_id"):
            for thread_id in threads_at[("group", group_id)]:
                candidates[thread_id].add(user_id)
    for user_id, thread_id in thread_rows:
        candidates[thread_id].add(user_id)
    for user_id, kind, pk in place_rows:
        for thread_id in threads_at[(kind, pk)]:
            candidates[thread_id].add(user_id)
    wanted = {}  # (user id, thread id) -> delivery
    for thread_id, user_ids in candidates.items():
        place = places[thread_id]
        for user_id in user_ids:
            place_row = place_rows.get((user_id, place.kind, place.obj.pk))
            mode = thread_rows.get((user_id, thread_id)) or (
                place_row[0] if place_row else Follow.Mode.FOLLOW
            )
            if mode != Follow.Mode.MUTE:
                wanted[(user_id, thread_id)] = place_row[1] if place_row else Follow.Delivery.DIGEST
    if among is None:
        among = User.objects.filter(pk__in={u for u, _ in wanted}).only("is_active", "is_staff")
    people = {u.pk: u for u in among}
    readable = readable_pairs(
        (people[user_id], places[thread_id]) for user_id, thread_id in wanted if user_id in people
    )
    told = defaultdict(dict)
    for (user_id, thread_id), delivery in wanted.items():
        place = places[thread_id]
        if (user_id, place.kind, place.obj.pk) in readable:
            told[thread_id][user_id] = delivery
    return told


def notify_followers(*, post: Post) -> None:
    """Queue the immediate emails of a new post after commit; the digest picks up the
    others (front.digests)."""
    from . import tasks

    thread = post.thread
    transaction.on_commit(lambda: forget_unread(thread))
    tasks.notify_post.delay_on_commit(post.pk)


def send_immediate_notifications(*, post_id: int) -> int:
    """Email the followers who chose immediate emails for the place, each once (the
    outbox's dedupe key), unless they left the conversations email list. Returns how many
    were queued."""
    post = (
        Post.objects.select_related("thread", "author")
        .filter(pk=post_id, hidden_at__isnull=True)
        .first()
    )
    if post is None:
        return 0
    thread = post.thread
    immediate = [
        uid
        for uid, how in followers(thread, exclude=post.author_id).items()
        if how == Follow.Delivery.IMMEDIATE
    ]
    subscribed = notifications.subscribed_user_ids(EMAIL_LIST, immediate)
    queued = 0
    place = place_of(thread)
    for user in User.objects.filter(pk__in=subscribed):
        subject, text, html = render_email(
            "conversations_new_post",
            {
                "post": post,
                "thread": thread,
                "place": place,
                "user": user,
                "unsubscribe_url": notifications.unsubscribe_url(user, EMAIL_LIST),
            },
        )
        _message, created = queue_email(
            key=f"conversations:post:{post.pk}:{user.pk}",
            to=user.email,
            subject=subject,
            text=text,
            html=html,
            kind="conversations_new_post",
            user=user,
            headers=notifications.unsubscribe_headers(user, EMAIL_LIST),
        )
        queued += created
    return queued


# --- moderation ------------------------------------------------------------------------


@transaction.atomic
def report_post(*, post: Post, by: User, reason: str) -> bool:
    """False if this person already has an open report on the post."""
    try:
        with transaction.atomic():
            Report.objects.create(post=post, reported_by=by, reason=reason)
    except IntegrityError:
        return False
    _touch()
    return True


@transaction.atomic
def hide_post(*, post: Post, by: User, reason: str) -> None:
    now = timezone.now()
    Post.objects.filter(pk=post.pk).update(hidden_at=now, hidden_by=by, hidden_reason=reason)
    post.hidden_at, post.hidden_by, post.hidden_reason = now, by, reason
    Report.objects.filter(post=post, resolved_at__isnull=True).update(
        resolved_at=now, resolved_by=by
    )
    _touch()


@transaction.atomic
def restore_post(*, post: Post, by: User, reason: str) -> None:
    """Shown again; the reason for restoring is kept in place of the hiding one."""
    now = timezone.now()
    Post.objects.filter(pk=post.pk).update(
        hidden_at=None, hidden_by=by, hidden_reason=f"Restored: {reason}"
    )
    post.hidden_at, post.hidden_by, post.hidden_reason = None, by, f"Restored: {reason}"
    Report.objects.filter(post=post, resolved_at__isnull=True).update(
        resolved_at=now, resolved_by=by
    )
    _touch()


@transaction.atomic
def mute_in_place(*, place: Place, user: User, by: User, reason: str) -> bool:
    if PlaceMute.objects.filter(user=user, **place.filter).exists():
        return False
    PlaceMute.objects.create(user=user, muted_by=by, reason=reason, **place.filter)
    _touch()
    return True


# --- welcome threads -------------------------------------------------------------------


def welcome_new_members(*, since: datetime) -> int:
    """A welcome thread in the group for each member who joined since ``since`` and has
    none yet (beat polls this; the unique constraint makes a repeat harmless)."""
    created = 0
    joined = (
        Membership.objects.current().filter(joined_at__gte=since).select_related("group", "user")
    )
    done = set(
        Thread.objects.filter(welcome_for__isnull=False, created_at__gte=since).values_list(
            "group_id", "welcome_for_id"
        )
    )
    for membership in joined:
        if (membership.group_id, membership.user_id) in done:
            continue
        created += welcome_member(group=membership.group, user=membership.user)
    return created


@transaction.atomic
def welcome_member(*, group: LocalGroup, user: User) -> bool:
    name = user.public_name
    now = timezone.now()
    try:
        with transaction.atomic():
            thread = Thread.objects.create(
                group=group,
                title=f"Welcome, {name}!",
                welcome_for=user,
                created_at=now,
                last_post_at=now,
                post_count=1,
            )
    except IntegrityError:
        return False
    # Greeted by one of the group's leads, who follows the thread (they lead the place).
    lead = Membership.objects.leads().filter(group=group).order_by("joined_at", "pk").first()
    Thread.objects.filter(pk=thread.pk).update(author=lead.user if lead else None)
    Post.objects.create(
        thread=thread,
        author=lead.user if lead else None,
        body=(
            f"Welcome to {group.name}, {name}! Say hello here: tell us what brought you "
            "and what you'd like to do. Everyone in the group can read and reply."
        ),
        created_at=now,
    )
    # The new member follows their welcome thread, so replies reach them.
    Follow.objects.get_or_create(user=user, thread=thread)
    _touch()
    return True
