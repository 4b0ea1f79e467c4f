"""Campaign materials, examples of action, and the Community Organising curriculum.

A resource has files; a file has versions (an upload never replaces the one before, so
links to an old version keep working). People subscribe to a resource or to a kind of
resource and are emailed when something new is published. Modules of the curriculum
point to resources; training events (events app) point to modules; completions are kept
only for people who agreed to keep a learning record."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

LANGUAGES = [
    ("en", "English"),
    ("cy", "Welsh"),
    ("ar", "Arabic"),
    ("fa", "Persian (Farsi)"),
    ("ku", "Kurdish"),
    ("pa", "Punjabi"),
    ("pl", "Polish"),
    ("ro", "Romanian"),
    ("so", "Somali"),
    ("ti", "Tigrinya"),
    ("uk", "Ukrainian"),
    ("ur", "Urdu"),
]


class ResourceQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Resource.Status.PUBLISHED)


class Resource(models.Model):
    class Kind(models.TextChoices):
        LEAFLET = "leaflet", "Leaflet"
        POSTER = "poster", "Poster"
        SLOGANS = "slogans", "Slogan set"
        GUIDE = "guide", "Guide"
        BRIEFING = "briefing", "Briefing"
        LETTER = "letter", "Template letter"
        PRESS_RELEASE = "press_release", "Press release"
        EXAMPLE = "example", "Example of action"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for review"
        PUBLISHED = "published", "Published"
        DECLINED = "declined", "Declined"

    class Licence(models.TextChoices):
        MOVEMENT = "movement", "Free for our groups to use and adapt"
        CC_BY = "cc-by-4.0", "Creative Commons Attribution 4.0 (CC BY 4.0)"
        CC_BY_SA = "cc-by-sa-4.0", "Creative Commons Attribution-ShareAlike 4.0 (CC BY-SA 4.0)"
        CC_BY_NC = "cc-by-nc-4.0", "Creative Commons Attribution-NonCommercial 4.0 (CC BY-NC 4.0)"
        CC0 = "cc0", "No rights reserved (CC0)"

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    summary = models.CharField(max_length=300)
    body = models.TextField(blank=True, help_text="Markdown.")
    slogans = models.TextField(
        blank=True, help_text="For a slogan set: one slogan per line, printed on posters."
    )
    language = models.CharField(max_length=5, choices=LANGUAGES, default="en")
    licence = models.CharField(max_length=20, choices=Licence.choices, default=Licence.MOVEMENT)
    topics = models.ManyToManyField("campaigns.Topic", blank=True, related_name="resources")
    campaigns = models.ManyToManyField("campaigns.Campaign", blank=True, related_name="resources")
    group = models.ForeignKey(
        "groups.LocalGroup",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resources",
        help_text="The group whose action an example describes, or whose lead submitted it.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="submitted_resources",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    # "Updated on": the last new file version or edit after publication.
    updated_at = models.DateTimeField(default=timezone.now)
    # Counted with F() on every download; who downloaded is never stored.
    download_count = models.PositiveIntegerField(default=0)

    objects = ResourceQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "-updated_at"], name="resource_listing_idx"),
            models.Index(fields=["status", "kind"], name="resource_status_kind_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("resources:detail", args=[self.slug])

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def slogan_list(self) -> list[str]:
        return [line.strip() for line in self.slogans.splitlines() if line.strip()]

    @property
    def was_updated(self) -> bool:
        """Updated after it was first published (worth saying on the page)."""
        return bool(self.published_at and self.updated_at > self.published_at)


class ResourceFile(models.Model):
    """One downloadable thing of a resource ("A5 leaflet, print-ready"); its content is in
    its versions, newest first."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="files")
    title = models.CharField(max_length=120)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.title


class FileVersion(models.Model):
    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        PNG = "png", "PNG image"
        JPEG = "jpeg", "JPEG image"
        DOCX = "docx", "Word document (DOCX)"
        ODT = "odt", "OpenDocument text (ODT)"

    file = models.ForeignKey(ResourceFile, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    upload = models.FileField(upload_to="resources/files/%Y/%m/", max_length=200)
    format = models.CharField(max_length=5, choices=Format.choices)
    size = models.PositiveBigIntegerField()
    preview = models.ImageField(upload_to="resources/previews/%Y/%m/", blank=True, max_length=200)
    note = models.CharField("what changed", max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    download_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint("file", "number", name="one_version_number")]

    def __str__(self):
        return f"{self.file} v{self.number}"

    def get_absolute_url(self):
        return reverse("resources:download", args=[self.file.resource.slug, self.pk])

    @property
    def filename(self) -> str:
        return self.upload.name.rsplit("/", 1)[-1]


class Subscription(models.Model):
    """Tell me when this resource, or any resource of this kind, has something new."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="resource_subscriptions"
    )
    resource = models.ForeignKey(
        Resource, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    kind = models.CharField(max_length=20, choices=Resource.Kind.choices, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(resource__isnull=False) & Q(kind=""))
                | (Q(resource__isnull=True) & ~Q(kind="")),
                name="subscription_to_resource_or_kind",
            ),
            models.UniqueConstraint(
                "user", "resource", condition=Q(resource__isnull=False), name="one_sub_per_resource"
            ),
            models.UniqueConstraint("user", "kind", condition=~Q(kind=""), name="one_sub_per_kind"),
        ]

    def __str__(self):
        return f"{self.user} to {self.resource or self.get_kind_display()}"


# --- the curriculum ---------------------------------------------------------------------


class Module(models.Model):
    """A module of the Community Organising curriculum, e.g. "Power mapping"."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    summary = models.CharField(max_length=300)
    aims = models.TextField("learning aims", help_text="Markdown: what people can do after it.")
    resources = models.ManyToManyField(Resource, blank=True, related_name="modules")
    self_study = models.BooleanField(
        default=False, help_text="Can be done alone from its resources and marked done."
    )
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("resources:module", args=[self.slug])


class LearningRecordChoice(models.Model):
    """Whether a person keeps a learning record. No row, or keep_record None, means not
    decided: they are asked at their first completion and nothing is stored until they
    agree."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learning_choice"
    )
    keep_record = models.BooleanField(null=True, blank=True)
    visible_to_region = models.BooleanField(
        "let my region's team see my name",
        default=False,
        help_text="Reps of the region see who has done which module, to find trainers "
        "and team members. Otherwise they see only numbers.",
    )
    asked_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Learning record of {self.user}: {self.keep_record}"


class Completion(models.Model):
    class How(models.TextChoices):
        EVENT = "event", "At a training event"
        SELF_STUDY = "self_study", "Self-study"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learning_completions"
    )
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="completions")
    how = models.CharField(max_length=10, choices=How.choices)
    # The events app's Event, by id: events sits above resources, so no foreign key (which
    # would make this app's migrations depend on it). Kept so that undoing a check-in
    # undoes the completion it recorded.
    event_id = models.BigIntegerField(null=True, blank=True)
    completed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-completed_at"]
        constraints = [models.UniqueConstraint("user", "module", name="complete_module_once")]
        indexes = [models.Index(fields=["module", "user"], name="completion_module_idx")]

    def __str__(self):
        return f"{self.user} completed {self.module}"
