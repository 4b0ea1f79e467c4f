"""What conversations hold about a person, for the data download and erasure
(front.account_data). A person's posts are theirs to download. Erasing them keeps the
conversations readable: their posts and threads stay, signed "a former member" (the
author is removed); their read markers, follows, mutes and reports go."""

from django.db import transaction

from portal.models import User

from .models import Follow, PlaceMute, Post, ReadMarker, Report, Thread


def personal_data(user: User) -> dict[str, list[dict]]:
    """Two queries."""
    return {
        "conversation_posts": [
            {
                "thread": post.thread.title,
                "body": post.body,
                "created_at": post.created_at,
                "edited_at": post.edited_at,
                "hidden_by_a_moderator": post.hidden_at is not None,
            }
            for post in Post.objects.filter(author=user)
            .select_related("thread")
            .order_by("created_at", "pk")
        ],
        "conversation_reports": [
            {"post": report.post_id, "reason": report.reason, "created_at": report.created_at}
            for report in Report.objects.filter(reported_by=user).order_by("created_at")
        ],
    }


@transaction.atomic
def erase(user: User) -> None:
    Post.objects.filter(author=user).update(author=None)
    Thread.objects.filter(author=user).update(author=None)
    Thread.objects.filter(welcome_for=user).update(welcome_for=None)
    Report.objects.filter(reported_by=user).delete()
    ReadMarker.objects.filter(user=user).delete()
    Follow.objects.filter(user=user).delete()
    PlaceMute.objects.filter(user=user).delete()
