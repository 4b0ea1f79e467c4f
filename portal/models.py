import hashlib
from email.utils import parseaddr

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.mail import EmailMultiAlternatives
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.functional import cached_property

DIGEST_FREQUENCIES = [
    ("weekly", "Weekly (Monday morning)"),
    ("daily", "Daily (every morning)"),
    ("never", "Never"),
]


def short_name(name: str) -> str:
    """What others see of someone who chose to be seen: the first name and the initial of
    the last ("Amira Hassan" -> "Amira H."; "Lewis (demo lead)" -> "Lewis D.")."""
    words = [word.strip("()") for word in (name or "").split()]
    words = [word for word in words if word]
    if not words:
        return ""
    if len(words) == 1:
        return words[0]
    return f"{words[0]} {words[-1][0].upper()}."


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True, email_verified=True)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person with an account. Email is the login; there is no username."""

    email = models.EmailField("email address", max_length=254, unique=True)
    display_name = models.CharField(
        max_length=80, blank=True, help_text="The name other people see. Never your email."
    )
    postcode_district = models.CharField(
        "postcode district",
        max_length=4,
        blank=True,
        help_text="The first half of your postcode, e.g. DE1. Used to find things near you.",
    )
    email_verified = models.BooleanField(default=False)
    is_staff = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    # Notification preferences (portal.notifications). Campaigning digests need consent:
    # the moment it was given is kept, and withdrawing it clears it.
    digest_frequency = models.CharField(
        "campaigning digest", max_length=10, choices=DIGEST_FREQUENCIES, default="weekly"
    )
    campaign_digest_consent_at = models.DateTimeField(null=True, blank=True)
    event_reminders = models.BooleanField(default=True)
    lead_digest = models.BooleanField(default=True)
    rep_digest = models.BooleanField(default=True)
    # Whether others see "Amira H." among the people going to an event or signing a
    # petition. Off until the person ticks it; it is the RSVP and sign forms' starting
    # answer, and turning it off hides them everywhere (portal.services.set_visibility).
    show_to_others = models.BooleanField("Show my first name and initial to others", default=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self):
        return self.public_name

    @property
    def public_name(self) -> str:
        return self.display_name or "An activist"

    @property
    def short_name(self) -> str:
        return short_name(self.display_name) or "An activist"

    @property
    def campaign_digest_consent(self) -> bool:
        return self.campaign_digest_consent_at is not None

    @cached_property
    def rep_roles(self) -> list:
        """The person's regional and area rep roles (the groups app's RegionalRole rows,
        through its reverse relation), read once per request however often asked."""
        return list(self.regional_roles.all())

    @cached_property
    def has_regional_role(self) -> bool:
        """A regional or area rep; asked once per request (the two-factor check, which runs
        on every signed-in request, answers it in its own query: portal.mfa)."""
        return bool(self.rep_roles)

    @cached_property
    def leads_a_group(self) -> bool:
        """Leads at least one group (through the groups app's reverse relation: the core
        does not import the apps)."""
        return self.memberships.filter(role="lead", left_at__isnull=True).exists()

    def get_full_name(self):
        return self.public_name

    def get_short_name(self):
        return self.public_name


class EmailChoice(models.Model):
    """Someone's choice about one of the email lists apps register
    (portal.notifications.register_list), kept only once it differs from the default."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="email_choices")
    list_name = models.CharField(max_length=40)
    subscribed = models.BooleanField()
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint("user", "list_name", name="one_email_choice_per_list")
        ]
        indexes = [models.Index(fields=["list_name", "user"], name="email_choice_list_idx")]

    def __str__(self):
        return f"{self.user_id} {'on' if self.subscribed else 'off'} {self.list_name}"


class OutboxMessage(models.Model):
    """One email, written in the same transaction as the change that caused it.

    The dedupe key makes queueing idempotent; the status column is the claim that makes
    sending idempotent (see portal.services.deliver_outbox_message).
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    dedupe_key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=40, db_index=True)
    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="outbox_messages"
    )
    to = models.EmailField(max_length=254)
    subject = models.CharField(max_length=255)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    # [{"filename": ..., "content": <text>, "mimetype": ...}]; text only (e.g. .ics).
    attachments = models.JSONField(default=list, blank=True)
    # The bulk send that queued it, if any: its batch delivers it (portal.bulk).
    bulk_batch = models.ForeignKey(
        "BulkBatch", null=True, blank=True, on_delete=models.SET_NULL, related_name="messages"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due_idx")]

    def __str__(self):
        return f"{self.kind} to {self.to}: {self.subject}"

    @property
    def message_id(self) -> str:
        """The same for every attempt at this message: derived from its dedupe key, so if a
        worker dies after the SMTP server took a copy and the message goes again, mail
        providers and clients fold the two copies into one."""
        digest = hashlib.sha256(self.dedupe_key.encode()).hexdigest()[:40]
        domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
        return f"<{digest}@{domain}>"

    def as_email(self, connection=None) -> EmailMultiAlternatives:
        message = EmailMultiAlternatives(
            subject=self.subject,
            body=self.body_text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[self.to],
            headers={"Message-ID": self.message_id, **(self.headers or {})},
            connection=connection,
        )
        if self.body_html:
            message.attach_alternative(self.body_html, "text/html")
        for attachment in self.attachments:
            message.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
        return message


class BulkRun(models.Model):
    """One bulk send: one kind (a digest list, a case's follow-up...) for one key (a period,
    an update), made once: the unique (kind, key) makes starting it again a no-op. Its
    recipients are split into batches when it is planned (portal.bulk)."""

    kind = models.CharField(max_length=40)
    key = models.CharField(max_length=100, help_text="2027-W09, case-update-12, ...")
    since = models.DateTimeField(null=True, blank=True, help_text="News since this moment.")
    params = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    planned_at = models.DateTimeField(null=True, blank=True)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint("kind", "key", name="one_bulk_run_per_key")]
        indexes = [models.Index(fields=["planned_at"], name="bulk_run_unplanned_idx")]

    def __str__(self):
        return f"{self.kind} {self.key}"


class BulkBatch(models.Model):
    """Up to DIGEST_BATCH_SIZE recipients of a run. Built (outbox rows inserted) in one
    transaction holding the row lock, so a killed worker leaves it pending, never half done."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        QUEUED = "queued", "Queued in the outbox"
        DONE = "done", "Delivered"

    run = models.ForeignKey(BulkRun, on_delete=models.CASCADE, related_name="batches")
    number = models.PositiveIntegerField()
    # Ids of what the run's kind sends to: users for digests, other rows for other kinds.
    recipient_ids = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    # Claim for delivery: of two workers given the batch, one sends; a claim older than
    # DIGEST_REDISPATCH_SECONDS belonged to a worker that died.
    claimed_at = models.DateTimeField(null=True, blank=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    queued = models.PositiveIntegerField(default=0, help_text="Messages queued.")

    class Meta:
        verbose_name_plural = "bulk batches"
        ordering = ["run", "number"]
        constraints = [models.UniqueConstraint("run", "number", name="one_batch_number_per_run")]
        indexes = [models.Index(fields=["status", "dispatched_at"], name="bulk_batch_due_idx")]

    def __str__(self):
        return f"{self.run} batch {self.number}"


class GuestContact(models.Model):
    """Someone who acted without an account (guests app), known by their email address
    once they confirmed an action by clicking the link we sent there. Campaign actions
    and RSVPs point at a user or at a guest contact; signing up (or confirming the address
    on an account) claims the contact and everything it did."""

    email = models.EmailField(max_length=254)
    name = models.CharField(max_length=80)
    # Kept only when the person ticked a consent box (GuestConsent) and gave a postcode.
    outcode = models.CharField(max_length=4, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    claimed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="guest_contacts"
    )
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(Lower("email"), name="guest_email_ci_unique")]

    def __str__(self):
        return self.name

    @property
    def public_name(self) -> str:
        return self.name or "A supporter"

    @property
    def short_name(self) -> str:
        return short_name(self.name) or "A supporter"


class GuestConsent(models.Model):
    """One tick of a consent box by a guest, with the words they agreed to and when."""

    contact = models.ForeignKey(GuestContact, on_delete=models.CASCADE, related_name="consents")
    # What it is about: "campaign:<slug>" or "group:<slug>".
    about = models.CharField(max_length=250)
    wording = models.CharField(max_length=500)
    given_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["given_at", "pk"]

    def __str__(self):
        return f"{self.contact_id}: {self.about}"
