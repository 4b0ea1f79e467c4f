from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from portal import maps
from portal.images import picture_alt_field


def validate_boundary_codes(value: str) -> None:
    try:
        maps.parse_codes(value)
    except ValueError as exc:
        raise ValidationError(str(exc)) from None


class Region(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    # Which shipped outlines (portal/data/regions.geojson) the region's map draws.
    boundary_codes = models.CharField(
        "map outline",
        max_length=200,
        blank=True,
        validators=[validate_boundary_codes],
        help_text="ONS codes of the English regions or nations the region covers, separated by "
        "spaces: E12000004 East Midlands, E12000005 West Midlands (both for the Midlands), "
        "E12000001 North East, E12000002 North West, E12000003 Yorkshire and The Humber, "
        "E12000006 East of England, E12000007 London, E12000008 South East, E12000009 South "
        "West, W92000004 Wales, S92000003 Scotland, N92000002 Northern Ireland. Blank: the "
        "outlines its groups stand in.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("regions:detail", args=[self.slug])

    @property
    def outline_codes(self) -> tuple[str, ...]:
        """The codes named, without any a later boundary file no longer ships."""
        codes = self.boundary_codes.replace(",", " ").upper().split()
        return tuple(c for c in dict.fromkeys(codes) if c in maps.boundaries())


# The region's own pages under /regions/<slug>/ (groups/region_urls.py).
RESERVED_AREA_SLUGS = frozenset({"contact", "team"})


class Area(models.Model):
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="areas")
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        ordering = ["region__name", "name"]
        constraints = [models.UniqueConstraint("region", "name", name="area_name_per_region")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("regions:area", args=[self.region.slug, self.slug])

    def clean(self):
        # The area page is /regions/<region>/<area>/, beside the region's own sub-pages.
        if self.slug in RESERVED_AREA_SLUGS:
            raise ValidationError({"slug": f"“{self.slug}” is taken by a page of the region."})


class LocalGroupQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class LocalGroup(models.Model):
    class Kind(models.TextChoices):
        LOCAL = "local", "Local group"
        STUDENT = "student", "Student group"
        YOUTH = "youth", "Youth group"
        NETWORK = "network", "Network"

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="groups")
    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=150, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.LOCAL)
    description = models.TextField(blank=True, help_text="Markdown.")
    image = models.ImageField(upload_to="groups/", blank=True)
    image_alt = picture_alt_field()
    image_card = models.ImageField(upload_to="groups/cards/", blank=True, editable=False)
    town = models.CharField(max_length=100)
    postcode_district = models.CharField(max_length=4, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    meeting_note = models.CharField(
        max_length=200, blank=True, help_text='e.g. "Second Tuesday, 7pm, Friends Meeting House"'
    )
    contact_email = models.EmailField(
        blank=True, help_text="A role address (e.g. derby@...), not a person's own address."
    )
    founded = models.DateField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    # Maintained by groups.services on join/leave, so directory pages need no COUNT.
    member_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    objects = LocalGroupQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["is_active", "name"], name="group_active_name_idx"),
            models.Index(fields=["latitude", "longitude"], name="group_coords_idx"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("groups:detail", args=[self.slug])


class MembershipQuerySet(models.QuerySet):
    def current(self):
        return self.filter(left_at__isnull=True)

    def leads(self):
        return self.current().filter(role=Membership.Role.LEAD)


class Membership(models.Model):
    """One person in one group. Leaving keeps the row (left_at) so that reps and lead
    digests can see departures; rejoining clears it."""

    class Role(models.TextChoices):
        MEMBER = "member", "Member"
        LEAD = "lead", "Lead"

    group = models.ForeignKey(LocalGroup, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    # Set by a lead: this member's event proposals are published without waiting.
    trusted_host = models.BooleanField(default=False)
    joined_at = models.DateTimeField(default=timezone.now)
    left_at = models.DateTimeField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint("group", "user", name="one_membership_per_group")]
        indexes = [
            models.Index(fields=["group", "role"], name="membership_group_role_idx"),
            models.Index(fields=["user", "left_at"], name="membership_user_idx"),
            models.Index(fields=["group", "joined_at"], name="membership_joined_idx"),
        ]

    def __str__(self):
        return f"{self.user} in {self.group} ({self.role})"

    @property
    def is_current(self) -> bool:
        return self.left_at is None


class RegionalRole(models.Model):
    """A regional or area rep, assigned by staff in the admin."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="regional_roles"
    )
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.CASCADE, related_name="reps"
    )
    area = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.CASCADE, related_name="reps"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(region__isnull=False) & Q(area__isnull=True))
                | (Q(region__isnull=True) & Q(area__isnull=False)),
                name="rep_has_region_or_area",
            )
        ]

    def __str__(self):
        return f"{self.user} for {self.area or self.region}"


class Announcement(models.Model):
    group = models.ForeignKey(LocalGroup, on_delete=models.CASCADE, related_name="announcements")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(max_length=150)
    body = models.TextField(help_text="Markdown.")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.title


class TeamRole(models.Model):
    """A role in a region's team (regional rep, campaigns coordinator, trainer, media,
    refugee-network link...) and who holds it. Named by staff and the region's reps; shown
    on the region page without any address: people write through the contact form."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="team_roles")
    title = models.CharField(max_length=100)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="team_roles",
    )
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint("region", "title", name="one_team_role_title_per_region")
        ]

    def __str__(self):
        return f"{self.title}, {self.region}"
