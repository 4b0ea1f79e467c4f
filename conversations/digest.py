"""New posts for the digests (front.digests): for each person of a batch, the threads
they follow that had posts by others in the period, when they take this place's news in
the digest (the default). Who may read is checked as for every notification
(services.followers)."""

from collections import defaultdict
from datetime import datetime

from django.db.models import Count, Q

from .models import PLACE_FIELDS, Follow, Post, Thread
from .services import followers


def new_posts_for(user_ids: list[int], *, since: datetime, now: datetime) -> dict[int, list]:
    """{user id: [thread with .new_posts]} for the threads with visible posts in the
    period. Queries grow with the threads active in the period, not with the batch."""
    wanted = set(user_ids)
    window = Q(posts__created_at__gt=since, posts__created_at__lte=now, posts__hidden_at=None)
    threads = list(
        Thread.objects.filter(window)
        .annotate(new_posts=Count("posts", filter=window))
        .select_related(*PLACE_FIELDS)
        .order_by("-last_post_at", "-pk")
    )
    authors = defaultdict(set)
    for thread_id, author_id in Post.objects.filter(
        thread__in=threads, created_at__gt=since, created_at__lte=now, hidden_at=None
    ).values_list("thread_id", "author_id"):
        authors[thread_id].add(author_id)
    found = defaultdict(list)
    for thread in threads:
        for user_id, delivery in followers(thread).items():
            if user_id not in wanted or delivery != Follow.Delivery.DIGEST:
                continue
            if authors[thread.pk] <= {user_id}:
                continue  # only their own posts
            found[user_id].append(thread)
    return found
