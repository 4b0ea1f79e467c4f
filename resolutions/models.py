"""Resolutions: decision meetings (the national AGM, regional conferences), the resolutions
members draft for them, the groups that co-sponsor and the members who support them, the
organisers' agenda decisions, results, and the progress of what passed.

The rule of a meeting, stated on every page (``Meeting.rule``) and enforced by
services.py: a resolution reaches the meeting's agenda queue when it has
``groups_needed`` groups (its proposing group and the co-sponsors) and ``members_needed``
supporting members (for a regional conference, members of a group in its region) before
the submission deadline. The two counts are columns kept under the resolution's row lock,
so the threshold is crossed once, whatever the number of people supporting at once."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from groups.models import LocalGroup, Region


class Meeting(models.Model):
    class Kind(models.TextChoices):
        AGM = "agm", "AGM"
        REGIONAL = "regional", "Regional conference"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=150, unique=True)
    region = models.ForeignKey(
        Region,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
        help_text="A regional conference's region; empty for the AGM.",
    )
    held_on = models.DateField("date of the meeting")
    submission_deadline = models.DateTimeField(
        help_text="Resolutions must reach both thresholds before this moment."
    )
    groups_needed = models.PositiveSmallIntegerField(
        default=2, help_text="Groups: the proposing group and its co-sponsors."
    )
    members_needed = models.PositiveIntegerField(default=50, help_text="Supporting members.")
    venue = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="agm", region__isnull=True)
                | Q(kind="regional", region__isnull=False),
                name="meeting_region_matches_kind",
                violation_error_message="The AGM has no region; a regional conference needs its "
                "region.",
            ),
            models.CheckConstraint(
                condition=Q(groups_needed__gte=1),
                name="meeting_groups_gte_1",
                violation_error_message="A resolution needs at least its proposing group.",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("resolutions:meeting", args=[self.slug])

    @property
    def is_agm(self) -> bool:
        return self.kind == self.Kind.AGM

    def is_open(self, now=None) -> bool:
        return (now or timezone.now()) < self.submission_deadline

    @property
    def rule(self) -> str:
        """The rule in one sentence, as every page states it."""
        deadline = timezone.localtime(self.submission_deadline)
        groups = f"{self.groups_needed} group{'s' if self.groups_needed != 1 else ''}"
        members = f"{self.members_needed} member{'s' if self.members_needed != 1 else ''}"
        if not self.is_agm:
            members += f" of groups in the {self.region.name} region"
        return (
            f"A resolution for the {self.name} needs {groups} (its proposing group and "
            f"co-sponsors) and {members} supporting it by {deadline:%-d %B %Y, %H:%M} "
            "to go to the organisers for the agenda."
        )


class ResolutionQuerySet(models.QuerySet):
    def public(self):
        return self.exclude(status=Resolution.Status.DRAFT)


class Resolution(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        OPEN = "open", "Open for support"
        SUBMITTED = "submitted", "Submitted to the organisers"
        ACCEPTED = "accepted", "On the agenda"
        COMPOSITED = "composited", "Composited"
        OUT_OF_ORDER = "out_of_order", "Ruled out of order"
        CLOSED = "closed", "Closed: fell short"

    class Result(models.TextChoices):
        PASSED = "passed", "Passed"
        FAILED = "failed", "Failed"
        WITHDRAWN = "withdrawn", "Withdrawn"
        REMITTED = "remitted", "Remitted"

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="resolutions")
    title = models.CharField(max_length=200)
    notes = models.TextField("this meeting notes", help_text="Markdown.")
    believes = models.TextField("this meeting believes", help_text="Markdown.")
    resolves = models.TextField("this meeting resolves", help_text="Markdown.")
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="proposed_resolutions",
    )
    group = models.ForeignKey(
        LocalGroup, on_delete=models.PROTECT, related_name="proposed_resolutions"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    # Kept under the resolution's row lock by services (the proposing group counts as one).
    group_count = models.PositiveIntegerField(default=1)
    support_count = models.PositiveIntegerField(default=0)
    endorsed_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    composited_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="composited"
    )
    agenda_position = models.PositiveSmallIntegerField(null=True, blank=True)
    result = models.CharField(max_length=10, choices=Result.choices, blank=True)
    votes_for = models.PositiveIntegerField(null=True, blank=True)
    votes_against = models.PositiveIntegerField(null=True, blank=True)
    abstentions = models.PositiveIntegerField(null=True, blank=True)
    result_at = models.DateTimeField(null=True, blank=True)
    responsible = models.CharField(
        max_length=200, blank=True, help_text="Who is responsible for carrying it out."
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = ResolutionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["meeting", "status"], name="resolution_meeting_status")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("resolutions:detail", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def thresholds_met(self) -> bool:
        return (
            self.group_count >= self.meeting.groups_needed
            and self.support_count >= self.meeting.members_needed
        )

    @property
    def on_agenda(self) -> bool:
        return self.status == self.Status.ACCEPTED

    @property
    def discussion_closed_because(self) -> str:
        """Why its discussion takes no more posts, or "" while it does: once the resolution
        has its outcome (an agenda decision, closing short at the deadline, or its result at
        the meeting) there is nothing left for the discussion to shape."""
        if self.result:
            verb = {
                self.Result.PASSED: "was passed",
                self.Result.FAILED: "failed",
                self.Result.WITHDRAWN: "was withdrawn",
                self.Result.REMITTED: "was remitted",
            }[self.result]
            when = self.result_at
        elif self.status == self.Status.CLOSED:
            verb = "closed short of the support it needed"
            when = self.meeting.submission_deadline
        else:
            verb = {
                self.Status.ACCEPTED: "was accepted onto the agenda",
                self.Status.COMPOSITED: "was composited with another resolution",
                self.Status.OUT_OF_ORDER: "was ruled out of order",
            }.get(self.status)
            when = self.decided_at
        if verb is None:
            return ""
        day = date_format(timezone.localtime(when), "j F Y") if when else ""
        return f"This resolution {verb}{' on ' + day if day else ''}; the discussion is closed."


class CoSponsor(models.Model):
    resolution = models.ForeignKey(Resolution, on_delete=models.CASCADE, related_name="cosponsors")
    group = models.ForeignKey(
        LocalGroup, on_delete=models.CASCADE, related_name="cosponsored_resolutions"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                "resolution", "group", name="one_resolution_cosponsor_per_group"
            )
        ]

    def __str__(self):
        return f"{self.group} co-sponsors {self.resolution}"


class Support(models.Model):
    resolution = models.ForeignKey(Resolution, on_delete=models.CASCADE, related_name="supports")
    # Empty once the supporter erased their account after the deadline: the figures stand.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="resolution_supports",
    )
    comment = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint("resolution", "user", name="one_resolution_support_per_user")
        ]

    def __str__(self):
        return f"{self.user} supports {self.resolution}"


class ProgressUpdate(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"

    resolution = models.ForeignKey(
        Resolution, on_delete=models.CASCADE, related_name="progress_updates"
    )
    dated = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices)
    percent = models.PositiveSmallIntegerField()
    note = models.TextField(help_text="Markdown.")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-dated", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(percent__lte=100), name="progress_percent_lte_100")
        ]

    def __str__(self):
        return f"{self.resolution}: {self.percent}% on {self.dated}"


class LogEntry(models.Model):
    """Every change of a resolution's state: what, who and when."""

    resolution = models.ForeignKey(Resolution, on_delete=models.CASCADE, related_name="log")
    action = models.CharField(max_length=40)
    detail = models.CharField(max_length=500, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"
