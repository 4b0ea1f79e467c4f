"""Conversations: threads and replies attached to one place (a group, a region, a
campaign, a festival or a resolution), read markers, follows and mutes, reports and
moderation. A resolution's place holds one thread, its discussion, opened when the
resolution is endorsed (services.open_resolution_discussion).

Who may read and write each place is conversations.permissions; nothing here decides it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

# A post can be edited by its author for this long after it was written.
EDIT_WINDOW_SECONDS = 15 * 60

PLACE_FIELDS = ("group", "region", "campaign", "festival", "resolution")


def _one_place(prefix: str = "") -> Q:
    """Exactly one of the place columns is set."""
    q = Q()
    for field in PLACE_FIELDS:
        only = Q(**{f"{field}__isnull": False}) & Q(
            *(Q(**{f"{other}__isnull": True}) for other in PLACE_FIELDS if other != field)
        )
        q |= only
    return q


class Thread(models.Model):
    group = models.ForeignKey(
        "groups.LocalGroup", null=True, blank=True, on_delete=models.CASCADE, related_name="threads"
    )
    region = models.ForeignKey(
        "groups.Region", null=True, blank=True, on_delete=models.CASCADE, related_name="threads"
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="threads",
    )
    festival = models.ForeignKey(
        "events.Festival", null=True, blank=True, on_delete=models.CASCADE, related_name="threads"
    )
    resolution = models.ForeignKey(
        "resolutions.Resolution",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="threads",
    )
    title = models.CharField(max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A group's welcome thread for one new member: at most one each.
    welcome_for = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="welcome_threads",
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_post_at = models.DateTimeField(default=timezone.now)
    post_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-last_post_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=_one_place(), name="thread_has_one_place"),
            models.UniqueConstraint(
                "group",
                "welcome_for",
                condition=Q(welcome_for__isnull=False),
                name="one_welcome_thread_per_member",
            ),
            # One discussion per resolution.
            models.UniqueConstraint(
                "resolution",
                condition=Q(resolution__isnull=False),
                name="one_thread_per_resolution",
            ),
        ]
        indexes = [
            models.Index(fields=["group", "-last_post_at"], name="thread_group_idx"),
            models.Index(fields=["region", "-last_post_at"], name="thread_region_idx"),
            models.Index(fields=["campaign", "-last_post_at"], name="thread_campaign_idx"),
            models.Index(fields=["festival", "-last_post_at"], name="thread_festival_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        if self.resolution_id:
            return reverse("conversations:resolution", args=[self.resolution_id])
        return reverse("conversations:thread", args=[self.pk])

    @property
    def place_kind(self) -> str:
        return next(field for field in PLACE_FIELDS if getattr(self, f"{field}_id"))

    @property
    def place(self):
        return getattr(self, self.place_kind)

    @property
    def place_name(self) -> str:
        place = self.place
        return place.title if self.place_kind in ("campaign", "resolution") else place.name


class Post(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(help_text="Markdown.")
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["thread", "created_at"], name="post_thread_time_idx"),
        ]
        # The full-text index for conversations.views.search is made on PostgreSQL only,
        # by migration 0002 (SQLite has no GIN indexes).

    def __str__(self):
        return f"Post {self.pk} in {self.thread_id}"

    def get_absolute_url(self):
        return f"{self.thread.get_absolute_url()}#post-{self.pk}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    def editable_until(self):
        return self.created_at + timezone.timedelta(seconds=EDIT_WINDOW_SECONDS)


class ReadMarker(models.Model):
    """Up to when one person has read one thread: newer posts are unread."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="read_markers"
    )
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="read_markers")
    read_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint("user", "thread", name="one_read_marker")]


class Follow(models.Model):
    """A person's choice for a thread or a whole place: follow (notified of new posts) or
    mute (never notified). Without a row for the thread, the place's row decides; without
    either, a person follows the threads they wrote or replied in and the places they
    lead. How the notifications come (digest or immediate) is chosen per place."""

    class Mode(models.TextChoices):
        FOLLOW = "follow", "Follow"
        MUTE = "mute", "Mute"

    class Delivery(models.TextChoices):
        DIGEST = "digest", "In my digest"
        IMMEDIATE = "immediate", "By email straight away"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conversation_follows"
    )
    thread = models.ForeignKey(
        Thread, null=True, blank=True, on_delete=models.CASCADE, related_name="follows"
    )
    group = models.ForeignKey(
        "groups.LocalGroup", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    region = models.ForeignKey(
        "groups.Region", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    festival = models.ForeignKey(
        "events.Festival", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    resolution = models.ForeignKey(
        "resolutions.Resolution", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.FOLLOW)
    delivery = models.CharField(max_length=10, choices=Delivery.choices, default=Delivery.DIGEST)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                "user", "thread", condition=Q(thread__isnull=False), name="one_thread_follow"
            ),
            *(
                models.UniqueConstraint(
                    "user",
                    field,
                    condition=Q(**{f"{field}__isnull": False}),
                    name=f"one_{field}_follow",
                )
                for field in PLACE_FIELDS
            ),
        ]


class Report(models.Model):
    """Someone's report of a post, with their reason, until a moderator deals with it."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports")
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                "post",
                "reported_by",
                condition=Q(resolved_at__isnull=True),
                name="one_open_report_per_person",
            )
        ]
        indexes = [
            models.Index(
                fields=["created_at"], condition=Q(resolved_at__isnull=True), name="report_open_idx"
            )
        ]


class PlaceMute(models.Model):
    """A person a place's moderators stopped from posting there, with the reason."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(
        "groups.LocalGroup", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    region = models.ForeignKey(
        "groups.Region", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    festival = models.ForeignKey(
        "events.Festival", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    resolution = models.ForeignKey(
        "resolutions.Resolution", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    muted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.CheckConstraint(condition=_one_place(), name="mute_has_one_place")]
