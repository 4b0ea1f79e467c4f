from urllib.parse import quote

from django.conf import settings
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from portal.images import picture_alt_field


class Topic(models.Model):
    """Refugees and asylum, Business and human rights, ...; staff edit these."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class CampaignQuerySet(models.QuerySet):
    def public(self):
        """What anyone may browse: not proposals or rejected ones."""
        return self.exclude(status__in=[Campaign.Status.PROPOSED, Campaign.Status.REJECTED])

    def in_region(self, region):
        """Regional campaigns of the region and local ones of its groups."""
        return self.filter(Q(region=region) | Q(group__area__region=region))


class Campaign(models.Model):
    class Scope(models.TextChoices):
        NATIONAL = "national", "National"
        REGIONAL = "regional", "Regional"
        LOCAL = "local", "Local"

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        ACTIVE = "active", "Active"
        PAUSED = "paused", "Paused"
        WON = "won", "Won"
        CLOSED = "closed", "Closed"
        REJECTED = "rejected", "Rejected"

    class TargetKind(models.TextChoices):
        MP = "mp", "MP"
        COUNCIL = "council", "Council"
        COMPANY = "company", "Company"
        GOVERNMENT = "government", "Government"
        OTHER = "other", "Other"

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    summary = models.CharField(max_length=300)
    body = models.TextField(blank=True, help_text="Markdown.")
    image = models.ImageField(upload_to="campaigns/", blank=True)
    image_alt = picture_alt_field()
    image_card = models.ImageField(upload_to="campaigns/cards/", blank=True, editable=False)
    topics = models.ManyToManyField(Topic, blank=True, related_name="campaigns")
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.LOCAL)
    region = models.ForeignKey(
        "groups.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="campaigns"
    )
    group = models.ForeignKey(
        "groups.LocalGroup",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="campaigns",
        help_text="The owning group of a local campaign.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    target_name = models.CharField("decision-maker", max_length=200)
    target_kind = models.CharField(max_length=12, choices=TargetKind.choices)
    target_email = models.EmailField(
        blank=True, help_text="The decision-maker's published address, for letters."
    )
    goal = models.CharField(max_length=300, help_text="The goal in one sentence.")
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    partners = models.ManyToManyField("partners.Partner", blank=True, related_name="campaigns")
    is_featured = models.BooleanField(default=False, help_text="Shown on the home page.")
    supporter_count = models.PositiveIntegerField(default=0)
    # A proposal is a campaign in PROPOSED status; these record who asked and the decision.
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposed_campaigns",
    )
    proposal_reason = models.TextField("why", blank=True)
    first_action = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(scope="regional") | Q(region__isnull=False),
                name="regional_campaign_has_region",
            ),
            models.CheckConstraint(
                condition=~Q(scope="local") | Q(group__isnull=False),
                name="local_campaign_has_group",
            ),
        ]
        indexes = [models.Index(fields=["status", "scope"], name="campaign_status_scope_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("campaigns:detail", args=[self.slug])

    def page_scopes(self) -> list[str]:
        """The cached pages that show this campaign's status, title or actions
        (portal.pagecache.touch): its own, the campaigns listing and API, the home page
        (featured campaigns, online actions), its group's page and those of the groups
        running it locally. One or two queries."""
        scopes = {f"campaign:{self.slug}", "list:campaigns", "home"}
        groups = self.participations.values_list("group__slug", flat=True)
        scopes.update(f"group:{slug}" for slug in groups)
        if self.group_id:
            scopes.add(f"group:{self.group.slug}")
        return sorted(scopes)

    @property
    def is_public(self) -> bool:
        return self.status not in (self.Status.PROPOSED, self.Status.REJECTED)

    @property
    def is_open(self) -> bool:
        """Only an active campaign takes actions and supporters."""
        return self.status == self.Status.ACTIVE


class CampaignSupporter(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="supporters")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="campaign_supports",
    )
    # Or someone without an account who confirmed by email (guests app).
    guest = models.ForeignKey(
        "portal.GuestContact",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="campaign_supports",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint("campaign", "user", name="one_support_per_user"),
            models.UniqueConstraint(
                "campaign", "guest", condition=Q(guest__isnull=False), name="one_support_per_guest"
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | Q(guest__isnull=False),
                name="supporter_is_someone",
            ),
        ]


class Participation(models.Model):
    """A group running a national or regional campaign locally ("Derby is running Lift the
    Ban"): its leads may then link their events to the campaign, and the campaign page and
    the group page show it with the group's local note."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="participations")
    group = models.ForeignKey(
        "groups.LocalGroup", on_delete=models.CASCADE, related_name="campaign_participations"
    )
    note = models.CharField(
        "local note",
        max_length=300,
        blank=True,
        help_text="What the group does for the campaign locally, in a sentence.",
    )
    joined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["joined_at", "pk"]
        constraints = [
            models.UniqueConstraint("campaign", "group", name="one_participation_per_group")
        ]

    def __str__(self):
        return f"{self.group} runs {self.campaign}"


def local_action_count():
    """For Participation querysets: the campaign's actions taken by the group's current
    members (a subquery, so the list stays one query)."""
    taken = (
        ActionTaken.objects.filter(
            action__campaign=OuterRef("campaign"),
            user__memberships__group=OuterRef("group"),
            user__memberships__left_at__isnull=True,
        )
        .order_by()
        .values("action__campaign")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(taken), Value(0))


def campaigns_run_by(group) -> models.QuerySet:
    """The campaigns a group runs: its own local ones and those it takes part in. Only
    these may carry the group's events (one definition, read by events' forms)."""
    return Campaign.objects.public().filter(
        Q(scope=Campaign.Scope.LOCAL, group=group)
        | Q(pk__in=Participation.objects.filter(group=group).values("campaign_id"))
    )


class Action(models.Model):
    class Kind(models.TextChoices):
        SIGN = "sign", "Sign"
        WRITE = "write", "Write to the decision-maker"
        PLEDGE = "pledge", "Pledge"
        SHARE = "share", "Share"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    title = models.CharField(max_length=200)
    instructions = models.TextField(blank=True, help_text="Markdown.")
    statement = models.TextField(
        blank=True, help_text="What signers sign, what pledgers promise, or the suggested letter."
    )
    goal_count = models.PositiveIntegerField(null=True, blank=True)
    deadline = models.DateField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    # Maintained with F() in the same transaction as the ActionTaken row it counts.
    count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("campaigns:action", args=[self.campaign.slug, self.pk])

    def suggested_letter(self) -> dict:
        """The letter a writer starts from (they edit it): subject and body."""
        campaign = self.campaign
        return {
            "subject": f"{campaign.title}: {campaign.goal}"[:200],
            "body": f"Dear {campaign.target_name},\n\n{self.statement.strip()}\n\nYours sincerely,",
        }

    def mailto(self, letter: dict) -> str:
        """A link that opens the letter in the writer's own mail program."""
        return (
            f"mailto:{quote(self.campaign.target_email)}"
            f"?subject={quote(letter['subject'])}&body={quote(letter['body'])}"
        )

    def is_open(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.campaign.is_open and (self.deadline is None or self.deadline >= today)


class ActionTaken(models.Model):
    """One person taking one action (once). Letters keep no content here."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="taken")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions_taken",
    )
    # Or someone without an account who confirmed by email (guests app). Erasing them
    # keeps the row, as for an account: the count says it happened.
    guest = models.ForeignKey(
        "portal.GuestContact",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions_taken",
    )
    show_name = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "actions taken"
        constraints = [
            models.UniqueConstraint(
                "action", "user", condition=Q(user__isnull=False), name="take_action_once"
            ),
            models.UniqueConstraint(
                "action", "guest", condition=Q(guest__isnull=False), name="guest_takes_once"
            ),
        ]
        indexes = [
            models.Index(fields=["action", "created_at"], name="taken_action_time_idx"),
            # The review's "actions by members" figure looks rows up by person and period.
            models.Index(fields=["user", "created_at"], name="taken_user_time_idx"),
            # A campaign page's "recent signers": newest named signatures of a petition.
            models.Index(
                fields=["action", "-created_at"],
                name="taken_shown_recent_idx",
                condition=Q(show_name=True),
            ),
        ]


class ShareArrival(models.Model):
    """Someone arrived through a supporter's share link; counted once per visitor."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="share_arrivals")
    sharer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    visitor_key = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint("action", "visitor_key", name="one_arrival_per_visitor")
        ]


class CampaignUpdateQuerySet(models.QuerySet):
    def for_supporter(self, user, *, since):
        """Updates for a supporter's digest: campaigns they support, posted since then."""
        return (
            self.filter(campaign__supporters__user=user, created_at__gte=since)
            .select_related("campaign")
            .order_by("-created_at")
        )


class CampaignUpdate(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(max_length=200)
    body = models.TextField(help_text="Markdown.")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = CampaignUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.title


class Outcome(models.Model):
    """The outcomes log: what changed, so that impact is visible."""

    class Kind(models.TextChoices):
        WIN = "win", "Win"
        RESPONSE = "response", "Response from the target"
        SETBACK = "setback", "Setback"
        OTHER = "other", "Other"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="outcomes")
    date = models.DateField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    summary = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"{self.date}: {self.get_kind_display()}"


class FundingRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for the region"
        QUESTION = "question", "Question asked"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="funding_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    amount = models.DecimalField("amount (GBP)", max_digits=9, decimal_places=2)
    purpose = models.TextField()
    needed_by = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    approved_amount = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status"], name="funding_status_idx")]

    def __str__(self):
        return f"£{self.amount} for {self.campaign}"

    def get_absolute_url(self):
        return reverse("campaigns:funding_detail", args=[self.campaign.slug, self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.QUESTION)


class FundingRequestEntry(models.Model):
    """The history of a funding request: asked, questioned, answered, decided."""

    class Kind(models.TextChoices):
        ASKED = "asked", "Asked"
        QUESTION = "question", "Question from the region"
        ANSWER = "answer", "Answer"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"

    request = models.ForeignKey(FundingRequest, on_delete=models.CASCADE, related_name="history")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "funding request entries"
        ordering = ["created_at", "pk"]
