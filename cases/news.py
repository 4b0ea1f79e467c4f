"""Good news for the home page and the digests (wired in by front/): cases released or
improved lately. One query."""

from datetime import datetime, timedelta

from django.utils import timezone

from .models import Case

GOOD_NEWS_DAYS = 90
GOOD_NEWS_SHOWN = 3


def good_news(*, since: datetime | None = None, limit: int = GOOD_NEWS_SHOWN) -> list[Case]:
    since = since or timezone.now() - timedelta(days=GOOD_NEWS_DAYS)
    return list(
        Case.objects.good_news(since=since)
        .only("slug", "public_name", "country", "status", "headline", "status_changed_at")
        .order_by("-status_changed_at", "-pk")[:limit]
    )
