"""New posts for the digests (front.digests): for each person of a batch, the threads
they follow that had posts by others in the period, when they take this place's news in
the digest (the default). Who follows and who may read is decided as for every
notification (services.followers_of), for the whole batch at once."""

from collections import defaultdict
from datetime import datetime

from django.db.models import Count, Q

from portal.models import User

from .models import PLACE_FIELDS, Follow, Post, Thread
from .services import followers_of


def new_posts_for(users: list[User], *, since: datetime, now: datetime) -> dict[int, list]:
    """{user id: [thread with .new_posts]} for the threads with visible posts in the
    period. A fixed number of queries whatever the numbers of people, threads and places
    (one when nothing was posted)."""
    window = Q(posts__created_at__gt=since, posts__created_at__lte=now, posts__hidden_at=None)
    threads = list(
        Thread.objects.filter(window)
        .annotate(new_posts=Count("posts", filter=window))
        .select_related(*PLACE_FIELDS)
        .order_by("-last_post_at", "-pk")
    )
    if not threads:
        return {}
    authors = defaultdict(set)
    for thread_id, author_id in Post.objects.filter(
        thread__in=threads, created_at__gt=since, created_at__lte=now, hidden_at=None
    ).values_list("thread_id", "author_id"):
        authors[thread_id].add(author_id)
    told = followers_of(threads, among=users)
    found = defaultdict(list)
    for thread in threads:
        for user_id, delivery in told.get(thread.pk, {}).items():
            if delivery != Follow.Delivery.DIGEST:
                continue
            if authors[thread.pk] <= {user_id}:
                continue  # only their own posts
            found[user_id].append(thread)
    return found
