"""Actions taken without an account, waiting for the click in the confirmation email.

A PendingAction holds what the person typed until they confirm. Confirming records the
real action through the owning app's service (campaigns, events) for a GuestContact (or
for the account that owns the address) and empties the row; the expiry purge deletes it,
confirmed or not, so that nothing typed into a never-confirmed form stays."""

from datetime import timedelta

from django.db import models
from django.db.models import Q
from django.utils import timezone

# How long a confirmation link works (issue 17: 7 days; an RSVP's ends at the event's start).
CONFIRM_DAYS = 7


class PendingAction(models.Model):
    class Kind(models.TextChoices):
        SIGN = "sign", "Sign"
        PLEDGE = "pledge", "Pledge"
        WRITE = "write", "Write to the decision-maker"
        RSVP = "rsvp", "RSVP"
        SUPPORT = "support", "Support the campaign"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    action = models.ForeignKey(
        "campaigns.Action", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    event = models.ForeignKey(
        "events.Event", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(max_length=80)
    email = models.EmailField(max_length=254, db_index=True)
    outcode = models.CharField(max_length=4, blank=True)
    show_name = models.BooleanField(default=False)
    # The consent box as ticked: what it was about and the words shown next to it.
    consent_about = models.CharField(max_length=250, blank=True)
    consent_wording = models.CharField(max_length=500, blank=True)
    letter_subject = models.CharField(max_length=200, blank=True)
    letter_body = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind__in=["sign", "pledge", "write"], action__isnull=False)
                    | Q(kind="rsvp", event__isnull=False)
                    | Q(kind="support", campaign__isnull=False)
                ),
                name="pending_action_has_target",
            )
        ]

    def __str__(self):
        return f"{self.kind} by {self.email}"

    @staticmethod
    def expiry(now, event=None):
        expires = now + timedelta(days=CONFIRM_DAYS)
        if event is not None and event.starts_at < expires:
            expires = event.starts_at
        return expires

    @property
    def target(self):
        return self.action or self.event or self.campaign

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()
