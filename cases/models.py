"""Individuals at Risk: cases, urgent actions and their targets, appeal letters, solidarity
messages, adoptions by groups, offline tallies, updates and the people who acted.

The no-publish rule: a case whose real name must not be published has a pseudonym, and
``public_name`` (a column the database computes from the two) is the only name any page,
feed, email or export reads. ``real_name`` is read in the Django admin alone."""

import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case as SqlCase
from django.db.models import F, Q, When
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify


def mentions(name: str, *texts: str) -> bool:
    """Whether any of the texts carries the full name (any case, any spacing)."""
    wanted = " ".join(name.lower().split())
    return bool(wanted) and any(wanted in " ".join((text or "").lower().split()) for text in texts)


def _photo_path(_instance, filename: str) -> str:
    # A random name: the uploaded file's own name may well be the person's real name.
    return f"cases/{uuid.uuid4().hex}{Path(filename).suffix.lower()[:5]}"


# Case slugs that would be shadowed by the app's own pages under /cases/.
RESERVED_SLUGS = {"feed", "moderation"}


class Theme(models.Model):
    """Death penalty, Freedom of expression, Human rights defenders...; staff edit these."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class CaseQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def good_news(self, *, since):
        """Published cases released or improved since then, newest first."""
        return self.published().filter(
            status__in=[Case.Status.RELEASED, Case.Status.IMPROVED], status_changed_at__gte=since
        )


class Case(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        IMPROVED = "improved", "Improved"
        RELEASED = "released", "Released"
        CLOSED = "closed", "Closed"
        PAUSED = "paused", "Action paused for the person's safety"

    slug = models.SlugField(
        max_length=200, unique=True, help_text="Never the real name of a person it must hide."
    )
    real_name = models.CharField(max_length=200, help_text="Seen only by staff, here in the admin.")
    hide_real_name = models.BooleanField(
        "do not publish the real name",
        default=False,
        help_text="Pages, feeds, emails and exports then use the pseudonym only.",
    )
    pseudonym = models.CharField(max_length=200, blank=True)
    public_name = models.GeneratedField(
        expression=SqlCase(When(hide_real_name=True, then=F("pseudonym")), default=F("real_name")),
        output_field=models.CharField(max_length=200),
        db_persist=True,
    )
    country = models.CharField(max_length=100)
    headline = models.CharField(
        max_length=300, help_text="One sentence for lists and link previews."
    )
    story = models.TextField(help_text="Markdown.")
    risk = models.TextField("what they are at risk of", help_text="Markdown.")
    photo = models.ImageField(upload_to=_photo_path, blank=True)
    photo_consent = models.BooleanField(
        "consent to show the photo", default=False, help_text="The photo is shown only when on."
    )
    photo_consent_note = models.CharField(
        "how consent was given", max_length=300, blank=True, help_text="Who agreed, when, how."
    )
    photo_alt = models.CharField("photo description (alt text)", max_length=300, blank=True)
    themes = models.ManyToManyField(Theme, blank=True, related_name="cases")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    status_changed_at = models.DateTimeField(default=timezone.now)
    is_published = models.BooleanField(default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    # Kept by cases.services in the transaction that adds what they count.
    letters_online = models.PositiveIntegerField(default=0)
    letters_offline = models.PositiveIntegerField(default=0)
    cards_offline = models.PositiveIntegerField(default=0)
    messages_approved = models.PositiveIntegerField(default=0)
    people_count = models.PositiveIntegerField("people who acted", default=0)
    groups_count = models.PositiveIntegerField("groups adopting", default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hide_real_name=False) | ~Q(pseudonym=""),
                name="hidden_name_has_pseudonym",
            )
        ]
        indexes = [
            models.Index(fields=["is_published", "status"], name="case_published_status_idx"),
            models.Index(fields=["status", "status_changed_at"], name="case_status_changed_idx"),
        ]

    def __str__(self):
        return self.public_name if self.pk else (self.pseudonym or "New case")

    def get_absolute_url(self):
        return reverse("cases:detail", args=[self.slug])

    def page_scopes(self) -> list[str]:
        """The cached pages that show this case's name, status or headline
        (portal.pagecache.touch): the home page's good news, the pages of the groups that
        adopted it and of the events that write for it. Two queries."""
        scopes = {"home"}
        groups = self.adoptions.values_list("group__slug", flat=True)
        scopes.update(f"group:{slug}" for slug in groups)
        scopes.update(f"event:{slug}" for slug in self.events.values_list("slug", flat=True))
        return sorted(scopes)

    def clean(self):
        super().clean()
        errors = {}
        if self.slug in RESERVED_SLUGS:
            errors["slug"] = "This address is taken by a page of the site; choose another."
        if self.hide_real_name:
            errors.update(self._real_name_errors())
        if errors:
            raise ValidationError(errors)

    def _real_name_errors(self) -> dict[str, str]:
        errors = {}
        if not self.pseudonym.strip():
            errors["pseudonym"] = "A case whose real name is hidden needs a pseudonym."
        elif mentions(self.real_name, self.pseudonym):
            errors["pseudonym"] = "The pseudonym must not contain the real name."
        real_slug = slugify(self.real_name)
        if real_slug and real_slug in (self.slug or ""):
            errors["slug"] = "The address must not contain the real name."
        for name in ("headline", "story", "risk", "photo_alt"):
            if mentions(self.real_name, getattr(self, name)):
                errors[name] = "This text names the person: use the pseudonym."
        return errors

    @property
    def actions_hidden(self) -> bool:
        """Paused for the person's safety: no action, target or address is shown."""
        return self.status == self.Status.PAUSED

    @property
    def is_open(self) -> bool:
        """Taking letters and messages (a released or closed case stays readable)."""
        return self.status in (self.Status.ACTIVE, self.Status.IMPROVED)

    @property
    def shown_photo(self):
        return self.photo if self.photo and self.photo_consent else None

    @property
    def letters_total(self) -> int:
        return self.letters_online + self.letters_offline

    @property
    def solidarity_total(self) -> int:
        return self.messages_approved + self.cards_offline


def _refuse_real_name(obj, *fields: str) -> None:
    """A model's clean(): its texts must not name a case's person whose name is hidden.
    The case is the one in memory (an admin inline's parent, with the flag as edited)."""
    try:
        case = obj.case
    except Case.DoesNotExist:
        return
    if not case.hide_real_name:
        return
    errors = {
        name: "This text names the person: use the pseudonym."
        for name in fields
        if mentions(case.real_name, getattr(obj, name))
    }
    if errors:
        raise ValidationError(errors)


class UrgentAction(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="urgent_actions")
    reference = models.CharField(max_length=40, unique=True, help_text="e.g. UA 123/26")
    title = models.CharField(max_length=200, help_text="e.g. Release the student now")
    issued_on = models.DateField(default=timezone.localdate)
    deadline = models.DateField(help_text="After this day the action closes itself.")
    recommended_actions = models.TextField(help_text="Markdown.")
    letter_template = models.TextField(
        help_text="The suggested letter, after the target's salutation and before the sign-off."
    )
    letter_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gte=F("issued_on")), name="deadline_after_issue"
            )
        ]
        indexes = [models.Index(fields=["deadline"], name="urgent_action_deadline_idx")]

    def __str__(self):
        return f"{self.reference}: {self.title}"

    def get_absolute_url(self):
        return reverse("cases:action", args=[self.case.slug, self.pk])

    def clean(self):
        super().clean()
        if self.issued_on and self.deadline and self.deadline < self.issued_on:
            raise ValidationError({"deadline": "The deadline cannot be before the issue date."})
        _refuse_real_name(self, "title", "recommended_actions", "letter_template")

    def is_past_deadline(self, today=None) -> bool:
        return (today or timezone.localdate()) > self.deadline

    def is_open(self, today=None) -> bool:
        return self.case.is_open and not self.is_past_deadline(today)


class Target(models.Model):
    """An authority to write to, as the urgent action names them."""

    urgent_action = models.ForeignKey(
        UrgentAction, on_delete=models.CASCADE, related_name="targets"
    )
    name = models.CharField("authority name", max_length=200)
    title = models.CharField(max_length=200, blank=True, help_text="e.g. Minister of Justice")
    salutation = models.CharField(max_length=100, help_text="e.g. Dear Minister")
    address = models.TextField("postal address")
    email = models.EmailField(blank=True, help_text="Only an address the authority publishes.")
    language = models.CharField(
        "write in", max_length=100, default="English", help_text="e.g. Arabic, English or French"
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return f"{self.title}, {self.name}" if self.title else self.name


class CaseParticipant(models.Model):
    """Someone who acted on a case (a letter, a solidarity message): the follow-ups go to
    them. A person with an account, or a guest known by an email address they confirmed."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="case_participations",
    )
    guest_email = models.EmailField(blank=True)
    guest_name = models.CharField(max_length=100, blank=True)
    guest_confirmed_at = models.DateTimeField(null=True, blank=True)
    first_acted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                "case", "user", condition=Q(user__isnull=False), name="one_participant_per_user"
            ),
            models.UniqueConstraint(
                "case",
                Lower("guest_email"),
                condition=Q(user__isnull=True),
                name="one_participant_per_guest",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(guest_email=""),
                name="participant_is_someone",
            ),
        ]

    def __str__(self):
        return f"Participant {self.pk} in case {self.case_id}"


class AppealLetter(models.Model):
    """One person's letter to one target. It counts once, when emailed or when its writer
    says they posted it. The text is kept only while a printed letter waits to be posted."""

    class Method(models.TextChoices):
        EMAIL = "email", "By email"
        POST = "post", "By post"

    class Status(models.TextChoices):
        PRINTED = "printed", "Printed, not posted yet"
        SENT = "sent", "Sent by email"
        POSTED = "posted", "Posted"

    urgent_action = models.ForeignKey(
        UrgentAction, on_delete=models.CASCADE, related_name="letters"
    )
    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="letters")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appeal_letters",
    )
    guest_email = models.EmailField(blank=True)
    guest_name = models.CharField(max_length=100, blank=True)
    method = models.CharField(max_length=5, choices=Method.choices)
    status = models.CharField(max_length=10, choices=Status.choices)
    body = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    counted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                "target", "user", condition=Q(user__isnull=False), name="one_letter_per_target"
            ),
            models.UniqueConstraint(
                "target",
                Lower("guest_email"),
                condition=Q(user__isnull=True) & ~Q(guest_email=""),
                name="one_guest_letter_per_target",
            ),
        ]
        indexes = [
            # Per-group figures and deadline reminders: counted letters by writer and time.
            models.Index(fields=["user", "counted_at"], name="letter_user_counted_idx"),
            models.Index(fields=["urgent_action", "counted_at"], name="letter_action_counted_idx"),
        ]

    def __str__(self):
        return f"Letter {self.pk} to {self.target}"

    @property
    def counts(self) -> bool:
        return self.status in (self.Status.SENT, self.Status.POSTED)


class SolidarityBatch(models.Model):
    """Approved messages compiled for printing and delivery by staff."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="solidarity_batches")
    number = models.PositiveIntegerField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "solidarity batches"
        ordering = ["-number"]
        constraints = [models.UniqueConstraint("case", "number", name="one_batch_number_per_case")]

    def __str__(self):
        return f"Batch {self.number} for case {self.case_id}"


class SolidarityMessage(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for moderation"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Not passed on"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="solidarity_messages")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="solidarity_messages",
    )
    guest_email = models.EmailField(blank=True)
    first_name = models.CharField(max_length=60)
    surname = models.CharField(max_length=80, blank=True)
    show_surname = models.BooleanField(default=False)
    place = models.CharField(max_length=100, blank=True)
    body = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    # The moderation log: who decided, when and why (a decision is final).
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    batch = models.ForeignKey(
        SolidarityBatch,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="messages",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                "case", "user", condition=Q(user__isnull=False), name="one_message_per_user"
            )
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="message_status_idx")]

    def __str__(self):
        return f"Message {self.pk} for case {self.case_id}"

    @property
    def signature(self) -> str:
        """How the card is signed: a first name, the surname only if the writer chose."""
        name = self.first_name
        if self.show_surname and self.surname:
            name = f"{name} {self.surname}"
        return f"{name}, {self.place}" if self.place else name


class CaseModerator(models.Model):
    """Trained to moderate solidarity messages; staff give and take the role in the admin."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="case_moderator"
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=200, blank=True, help_text="e.g. trained on 3 May")

    def __str__(self):
        return f"Moderator {self.user}"


class CaseAdoption(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="adoptions")
    group = models.ForeignKey(
        "groups.LocalGroup", on_delete=models.CASCADE, related_name="case_adoptions"
    )
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    adopted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["adopted_at"]
        constraints = [models.UniqueConstraint("case", "group", name="adopt_case_once")]

    def __str__(self):
        return f"{self.group} adopts case {self.case_id}"


class OfflineTally(models.Model):
    """Letters and solidarity cards written on paper for a case, counted by a group (at an
    event, from its post-event report). ``source_key`` names where the figure came from, so
    filing the same report again replaces it instead of adding it twice."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="offline_tallies")
    group = models.ForeignKey(
        "groups.LocalGroup", on_delete=models.CASCADE, related_name="case_tallies"
    )
    urgent_action = models.ForeignKey(
        UrgentAction,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="offline_tallies",
        help_text="The action open when the letters were written, if any.",
    )
    source_key = models.CharField(max_length=100, help_text="e.g. event:42")
    label = models.CharField(max_length=200)
    written_on = models.DateField(help_text="The day they were written (the event's day).")
    letters = models.PositiveIntegerField(default=0)
    cards = models.PositiveIntegerField(default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "offline tallies"
        ordering = ["-recorded_at"]
        constraints = [models.UniqueConstraint("case", "source_key", name="one_tally_per_source")]
        indexes = [models.Index(fields=["group", "written_on"], name="tally_group_day_idx")]

    def __str__(self):
        return f"{self.label}: {self.letters} letters, {self.cards} cards"


class CaseUpdate(models.Model):
    """A follow-up or outcome staff publish; everyone who acted is emailed it once."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="updates")
    title = models.CharField(max_length=200, help_text="e.g. Follow-up 1: trial postponed")
    body = models.TextField(help_text="Markdown.")
    new_status = models.CharField(
        max_length=10,
        choices=Case.Status.choices,
        blank=True,
        help_text="The case's status from now on, if this update changes it.",
    )
    notify = models.BooleanField(default=True, help_text="Email everyone who acted.")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-published_at", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return f"{self.case.get_absolute_url()}#update-{self.pk}"

    def clean(self):
        super().clean()
        _refuse_real_name(self, "title", "body")


class DeadlineReminder(models.Model):
    """The claim for one group's reminder before one urgent action's deadline: the row is
    written before the email is queued, so a tick that runs twice decides once."""

    urgent_action = models.ForeignKey(
        UrgentAction, on_delete=models.CASCADE, related_name="deadline_reminders"
    )
    group = models.ForeignKey("groups.LocalGroup", on_delete=models.CASCADE, related_name="+")
    sent = models.BooleanField(help_text="False: the group had already written enough.")
    letters_now = models.PositiveIntegerField()
    letters_last_time = models.PositiveIntegerField()
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint("urgent_action", "group", name="one_reminder_per_group")
        ]

    def __str__(self):
        return f"Deadline reminder for {self.group} on {self.urgent_action}"
