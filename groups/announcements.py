"""A lead's announcement, emailed to the group's members when the lead asks for it: once
each, through the core's bulk send (portal.bulk), to current members on the
``group_announcements`` list (on by default, one click to leave it). The author is not
sent their own words. Rendered once per batch; only the greeting and the unsubscribe link
differ between people, put in by string replacement (as cases.followups does)."""

from datetime import datetime

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse

from portal import bulk, notifications
from portal.markdown import render_markdown
from portal.models import BulkRun, OutboxMessage, User
from portal.services import render_email

from .models import Announcement, Membership

KIND = "groups_announcement"
ANNOUNCEMENTS = notifications.EmailList(
    name="group_announcements",
    label="announcements from your groups' leads",
    choice="Email me the announcements of the groups I belong to",
    help_text="When a lead chooses to email an announcement to the group's members.",
    applies_to=lambda user: user.memberships.filter(left_at__isnull=True).exists(),
)
# Stand-ins for what differs per person: words that no template, escaping or Markdown
# changes.


def register() -> None:
    """Called once from GroupsConfig.ready."""
    notifications.register_list(ANNOUNCEMENTS)
    bulk.register(bulk.BulkKind(name=KIND, recipients=recipients, build=build_messages))


def start_announcement_email(*, announcement: Announcement) -> None:
    """Inside the transaction that posts the announcement; planned after commit. The key
    makes a second start a no-op."""
    bulk.start_bulk_send(
        kind=KIND,
        key=f"announcement-{announcement.pk}",
        params={"announcement_id": announcement.pk},
    )


def recipients(run: BulkRun) -> QuerySet:
    announcement = Announcement.objects.get(pk=run.params["announcement_id"])
    return (
        Membership.objects.current()
        .filter(group_id=announcement.group_id, user__is_active=True, user__email_verified=True)
        .exclude(user_id=announcement.author_id)
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )


def build_messages(run: BulkRun, user_ids: list[int], now: datetime) -> list[OutboxMessage]:
    """One batch as unsaved outbox rows, in a fixed number of queries whatever its size."""
    announcement = Announcement.objects.select_related("group", "author").get(
        pk=run.params["announcement_id"]
    )
    group = announcement.group
    subscribed = notifications.subscribed_user_ids(ANNOUNCEMENTS.name, user_ids)
    # Someone who left the group since the send started is not written to.
    members = set(
        Membership.objects.current()
        .filter(group=group, user_id__in=subscribed)
        .values_list("user_id", flat=True)
    )
    users = User.objects.filter(pk__in=members, is_active=True, email_verified=True).only(
        "pk", "email", "display_name"
    )
    subject, text, html = render_email(
        "groups_announcement",
        {
            "announcement": announcement,
            "group": group,
            "body_html": render_markdown(announcement.body),
            "name": bulk.NAME,
            "unsubscribe_url": bulk.UNSUBSCRIBE,
            "settings_url": settings.SITE_URL + reverse("notifications:settings"),
        },
    )
    url_of = notifications.unsubscribe_url_maker(ANNOUNCEMENTS.name)
    messages = []
    for user in users:
        messages.append(
            bulk.personal_message(
                key=f"groups-announcement:{announcement.pk}:{user.pk}",
                kind=KIND,
                user=user,
                unsubscribe_url=url_of(user.pk),
                rendered=(subject, text, html),
                now=now,
            )
        )
    return messages
