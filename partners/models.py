from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


class PartnerKind(models.Model):
    """City of Sanctuary, refugee and asylum support, faith, ...; staff can add kinds."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class PartnerQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def matching(self, *, query: str = "", kind=None, area=None):
        """The directory's search and filters."""
        partners = self
        if query:
            partners = partners.filter(
                Q(name__icontains=query)
                | Q(town__icontains=query)
                | Q(description__icontains=query)
            )
        if kind is not None:
            partners = partners.filter(kind=kind)
        if area is not None:
            partners = partners.filter(areas=area)
        return partners

    def with_group_count(self):
        """active_group_count: groups working with the partner (active partnerships)."""
        return self.annotate(
            active_group_count=models.Count(
                "partnerships",
                filter=Q(partnerships__status="active", partnerships__group__is_active=True),
                distinct=True,
            )
        )


class Partner(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.ForeignKey(PartnerKind, on_delete=models.PROTECT, related_name="partners")
    description = models.TextField(blank=True, help_text="Markdown.")
    website = models.URLField(blank=True)
    contact_email = models.EmailField(blank=True, help_text="The organisation's public address.")
    contact_phone = models.CharField(max_length=40, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode_district = models.CharField(max_length=4, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    areas = models.ManyToManyField("groups.Area", blank=True, related_name="partners")
    logo = models.ImageField(upload_to="partners/logos/", blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = PartnerQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["is_active", "name"], name="partner_active_name_idx"),
            models.Index(fields=["latitude", "longitude"], name="partner_coords_idx"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("partners:detail", args=[self.slug])

    def page_scopes(self) -> list[str]:
        """The cached pages that show this partner's name, logo or details
        (portal.pagecache.touch): its own, the partners listing and API, and the pages of
        its groups (partnerships), events and festivals. Three queries."""
        scopes = {f"partner:{self.slug}", "list:partners"}
        related = (
            ("group", self.partnerships.values_list("group__slug", flat=True)),
            ("event", self.events.values_list("slug", flat=True)),
            ("festival", self.festivals.values_list("slug", flat=True)),
        )
        for kind, slugs in related:
            scopes.update(f"{kind}:{slug}" for slug in slugs)
        return sorted(scopes)


class Partnership(models.Model):
    """A group working with a partner. Contact details and notes are private to the
    group's leads and the reps covering the group."""

    class Status(models.TextChoices):
        PROSPECT = "prospect", "Prospect"
        ACTIVE = "active", "Active"
        DORMANT = "dormant", "Dormant"
        ENDED = "ended", "Ended"

    group = models.ForeignKey(
        "groups.LocalGroup", on_delete=models.CASCADE, related_name="partnerships"
    )
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="partnerships")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROSPECT)
    since = models.DateField(null=True, blank=True)
    activities = models.TextField("what we do together", blank=True)
    contact_name = models.CharField(max_length=120, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)
    private_notes = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint("group", "partner", name="one_partnership_per_pair")]
        indexes = [models.Index(fields=["partner", "status"], name="partnership_partner_idx")]

    def __str__(self):
        return f"{self.group} + {self.partner} ({self.status})"


class PartnershipChange(models.Model):
    """Who changed a partnership, when, and what (field: [old, new])."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="changes")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)
    changes = models.JSONField(default=dict)

    class Meta:
        ordering = ["-changed_at"]


class PartnerSuggestion(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a decision"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"

    suggested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="partner_suggestions",
    )
    area = models.ForeignKey("groups.Area", on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(
        "groups.LocalGroup", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(max_length=200)
    kind = models.ForeignKey(PartnerKind, null=True, blank=True, on_delete=models.SET_NULL)
    website = models.URLField(blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode_district = models.CharField(max_length=4, blank=True)
    reason = models.TextField("why they would be a good partner")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(blank=True)
    partner = models.ForeignKey(
        Partner, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["area", "status"], name="suggestion_area_status_idx")]

    def __str__(self):
        return self.name
