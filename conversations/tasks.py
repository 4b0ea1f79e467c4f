from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from . import services

# Beat's welcome tick looks back this far, so a tick missed by a restart still welcomes.
WELCOME_LOOKBACK = timedelta(days=2)


@shared_task(name="conversations.notify_post")
def notify_post(post_id: int) -> int:
    """After a post is committed: the immediate emails of those who asked for them."""
    return services.send_immediate_notifications(post_id=post_id)


@shared_task(name="conversations.welcome_tick")
def welcome_tick() -> int:
    """Beat: a welcome thread for each new member of a group (once each)."""
    return services.welcome_new_members(since=timezone.now() - WELCOME_LOOKBACK)
