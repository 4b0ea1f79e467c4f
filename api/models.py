"""API tokens. A token is shown once, when it is made; only its SHA-256 is stored (the
secret is 32 random bytes, so a slow hash would add nothing but latency per request)."""

import hashlib
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class Scope(models.TextChoices):
    EVENTS_READ = "events:read", "Read events (members-only events too)"
    EVENTS_WRITE = "events:write", "Write events (create, change, publish and cancel them)"
    PEOPLE_READ = "people:read", "Read people"
    ATTENDANCES_READ = "attendances:read", "Read attendances (RSVPs)"
    ATTENDANCES_WRITE = "attendances:write", "Write attendances (RSVP people)"
    SIGNATURES_READ = "signatures:read", "Read signatures"
    SIGNATURES_WRITE = "signatures:write", "Write signatures (sign petitions for people)"
    OUTREACHES_READ = "outreaches:read", "Read outreaches (letters sent to decision-makers)"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, now=None):
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


class ApiToken(models.Model):
    """A key for another tool (a CRM, a partner's site, a spreadsheet script). With a group
    it reaches that group's data only; without one (staff only) the whole movement's."""

    name = models.CharField(max_length=100, help_text="What uses it, e.g. “Derby CRM sync”.")
    # The first characters of the token, shown in lists so people can tell tokens apart.
    prefix = models.CharField(max_length=16, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    group = models.ForeignKey(
        "groups.LocalGroup",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        help_text="Empty: the whole movement's data (staff only).",
    )
    scopes = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "API token"

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes

    @property
    def is_usable(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class WebhookEvent(models.TextChoices):
    EVENT_PUBLISHED = "event.published"
    EVENT_CANCELLED = "event.cancelled"
    ATTENDANCE_CREATED = "attendance.created"
    ATTENDANCE_CANCELLED = "attendance.cancelled"
    SIGNATURE_CREATED = "signature.created"
    PERSON_JOINED_GROUP = "person.joined_group"
    PERSON_ERASED = "person.erased"


class WebhookSubscription(models.Model):
    """A URL told about what happens: in one group (a lead's), or everywhere (staff's)."""

    url = models.URLField(max_length=500, help_text="https://… on the public internet.")
    group = models.ForeignKey(
        "groups.LocalGroup",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="webhooks",
        help_text="Empty: what happens anywhere (staff only).",
    )
    events = models.JSONField(default=list)
    # Shared with the receiver, who checks each delivery's signature with it; it has to be
    # kept readable to sign, so it is shown to the owner, never in a list.
    secret = models.CharField(max_length=64, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    is_active = models.BooleanField(default=True)
    # Failed attempts in a row; reset by any success. At WEBHOOK_DISABLE_AFTER it is disabled.
    failures_in_a_row = models.PositiveIntegerField(default=0)
    disabled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.url


class WebhookDelivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(max_length=40, choices=WebhookEvent.choices)
    body = models.TextField(help_text="The exact JSON sent (and signed).")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    replay_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "webhook deliveries"
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status__in=["pending", "sending"]),
                name="webhook_due_idx",
            )
        ]

    def __str__(self):
        return f"{self.event} to {self.subscription.url}"


class Embed(models.Model):
    """An event's RSVP form or a petition's sign form, for a partner's website to frame at
    /embed/<uid>/; only the listed origins may frame it."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event = models.ForeignKey(
        "events.Event", null=True, blank=True, on_delete=models.CASCADE, related_name="embeds"
    )
    action = models.ForeignKey(
        "campaigns.Action", null=True, blank=True, on_delete=models.CASCADE, related_name="embeds"
    )
    # Origins (scheme://host[:port]) allowed to frame it, one per line.
    origins = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(event__isnull=True) ^ models.Q(action__isnull=True),
                name="embed_has_one_target",
            )
        ]

    def __str__(self):
        return f"Embed of {self.event or self.action}"

    @property
    def origin_list(self) -> list[str]:
        return self.origins.split()
