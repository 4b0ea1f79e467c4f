import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from portal.images import picture_alt_field


class Venue(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    address = models.CharField(max_length=300)
    town = models.CharField(max_length=100)
    postcode_district = models.CharField(max_length=4, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    step_free = models.BooleanField("step-free access", default=False)
    hearing_loop = models.BooleanField(default=False)
    accessible_toilet = models.BooleanField(default=False)
    quiet_room = models.BooleanField(default=False)
    access_notes = models.TextField("accessibility notes", blank=True)
    capacity = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["town", "name"]

    def __str__(self):
        return f"{self.name}, {self.town}"


class Festival(models.Model):
    """e.g. Derby Peace Week 2027: many sessions (events) across venues."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    starts_on = models.DateField()
    ends_on = models.DateField()
    description = models.TextField(blank=True, help_text="Markdown.")
    image = models.ImageField(upload_to="festivals/", blank=True)
    image_alt = picture_alt_field()
    image_card = models.ImageField(upload_to="festivals/cards/", blank=True, editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    host_groups = models.ManyToManyField("groups.LocalGroup", related_name="festivals")
    partners = models.ManyToManyField("partners.Partner", blank=True, related_name="festivals")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="festival_ends_after_start"
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("events:festival", args=[self.slug])

    def page_scopes(self) -> list[str]:
        """The cached pages that show this festival (portal.pagecache.touch): its own, the
        festival feed of the API, the events listing's festivals, its host groups' and
        partners' pages, and its sessions' pages ("Part of ..."). Three queries."""
        scopes = {f"festival:{self.slug}", "list:festivals", "list:events"}
        scopes.update(f"group:{slug}" for slug in self.host_groups.values_list("slug", flat=True))
        scopes.update(f"partner:{slug}" for slug in self.partners.values_list("slug", flat=True))
        scopes.update(f"event:{slug}" for slug in self.sessions.values_list("slug", flat=True))
        return sorted(scopes)


# A session, a stall or a day of action; a week of them is a Festival of many events.
MAX_EVENT_LENGTH = timedelta(days=31)


class EventQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status__in=[Event.Status.PUBLISHED, Event.Status.CANCELLED])

    def public(self):
        return self.published().filter(visibility=Event.Visibility.PUBLIC)

    def upcoming(self, now=None):
        # The lower bound on starts_at is implied by MAX_EVENT_LENGTH; it lets the listing
        # index bound the scan by time, so old events are never read.
        now = now or timezone.now()
        return self.filter(ends_at__gte=now, starts_at__gte=now - MAX_EVENT_LENGTH)


class Event(models.Model):
    class Kind(models.TextChoices):
        WORKSHOP = "workshop", "Workshop"
        TALK = "talk", "Talk"
        FILM = "film", "Film"
        PERFORMANCE = "performance", "Performance"
        SPORT = "sport", "Sport"
        STALL = "stall", "Stall"
        VIGIL = "vigil", "Vigil"
        MEETING = "meeting", "Meeting"
        TRAINING = "training", "Training"
        SOCIAL = "social", "Social"
        COMMUNITY = "community", "Community event (run by others)"
        OTHER = "other", "Other"

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        ONLINE = "online", "Online"
        HYBRID = "hybrid", "In person and online"

    class Visibility(models.TextChoices):
        PUBLIC = "public", "Public"
        MEMBERS = "members", "Members of the group only"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        CANCELLED = "cancelled", "Cancelled"
        # A member's proposal, waiting for the group's leads; sent back to the member with
        # a comment; or declined. None of these is ever listed publicly.
        PROPOSED = "proposed", "Proposed, waiting for a lead"
        RETURNED = "returned", "Sent back to the host"
        DECLINED = "declined", "Declined"

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.MEETING)
    description = models.TextField(blank=True, help_text="Markdown.")
    image = models.ImageField(upload_to="events/", blank=True)
    image_alt = picture_alt_field()
    image_card = models.ImageField(upload_to="events/cards/", blank=True, editable=False)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.IN_PERSON)
    venue = models.ForeignKey(
        Venue, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    online_url = models.URLField(blank=True, help_text="Shown only to people who RSVPed.")
    capacity = models.PositiveIntegerField(null=True, blank=True)
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    cancel_reason = models.TextField(blank=True)
    group = models.ForeignKey("groups.LocalGroup", on_delete=models.PROTECT, related_name="events")
    cohost_groups = models.ManyToManyField(
        "groups.LocalGroup", blank=True, related_name="cohosted_events"
    )
    partners = models.ManyToManyField("partners.Partner", blank=True, related_name="events")
    tell_partners = models.BooleanField(
        "email the partners",
        default=False,
        help_text="Once the event is published, each partner is told once, at the contact "
        "address of your partnership (or the partner's public address).",
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    festival = models.ForeignKey(
        Festival, null=True, blank=True, on_delete=models.SET_NULL, related_name="sessions"
    )
    # Individuals at Risk cases the event writes for (e.g. a Write for Rights evening); its
    # report records the letters and cards written on paper for each.
    cases = models.ManyToManyField("cases.Case", blank=True, related_name="events")
    organiser_name = models.CharField(max_length=200, blank=True)
    organiser_url = models.URLField(blank=True)
    modules = models.ManyToManyField(
        "resources.Module",
        blank=True,
        related_name="events",
        help_text="For a training event: the curriculum modules it covers.",
    )
    # A member-hosted event: the member who proposed it and hosts it for the group.
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hosted_events",
    )
    review_note = models.TextField(
        blank=True,
        default="",
        help_text="A lead's comment when sending a proposal back or declining it.",
    )
    # iCalendar identity: the UID never changes; SEQUENCE goes up with every
    # significant change so calendar programs replace their copy.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    confirmed_count = models.PositiveIntegerField(default=0)
    waitlist_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="event_ends_after_start"
            )
        ]
        indexes = [
            models.Index(fields=["status", "visibility", "starts_at"], name="event_listing_idx"),
            # "Upcoming" is ends_at >= now: the listing's count and page, and home.
            models.Index(fields=["ends_at"], name="event_ends_idx"),
            models.Index(fields=["group", "starts_at"], name="event_group_time_idx"),
            models.Index(fields=["festival", "starts_at"], name="event_festival_time_idx"),
            models.Index(fields=["campaign", "starts_at"], name="event_campaign_time_idx"),
            # Members' proposals waiting for a group's leads (My portal, the group page): a
            # handful of rows, found by group without reading the group's other events.
            models.Index(
                fields=["group", "starts_at"],
                condition=Q(status__in=["proposed", "returned"]),
                name="event_proposal_idx",
            ),
            # Past public events, newest first (/events/?when=past): read backwards in order
            # and stopped after a page, instead of sorting every event ever held (42 ms
            # nationally, now 0.2 ms); ends_at is included so the page count reads only this
            # index (20 ms, now 7 ms).
            models.Index(
                fields=["starts_at", "id"],
                include=["ends_at"],
                condition=Q(visibility="public", status__in=["published", "cancelled"]),
                name="event_public_time_idx",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:detail", args=[self.slug])

    def page_scopes(self) -> list[str]:
        """The cached pages that show this event (portal.pagecache.touch): its own, its
        festival's programme, its groups' and campaign's and partners' pages, the
        listings (and the festivals index, which counts a festival's sessions) and the
        home page's upcoming events. Two queries."""
        group, festival, campaign = (
            Event.objects.filter(pk=self.pk)
            .values_list("group__slug", "festival__slug", "campaign__slug")
            .get()
        )
        others = Event.objects.filter(pk=self.pk).values_list(
            "cohost_groups__slug", "partners__slug"
        )
        scopes = {f"event:{self.slug}", f"group:{group}", "list:events", "home"}
        scopes.update((f"festival:{festival}", f"campaign:{campaign}"))
        if festival:  # the festivals index counts its published sessions
            scopes.add("list:festivals")
        for cohost, partner in others:
            scopes.update((f"group:{cohost}", f"partner:{partner}"))
        # A missing festival, campaign, co-host or partner comes back as None.
        return sorted(s for s in scopes if not s.endswith(":None"))

    def rsvp_state(self) -> tuple[bool, bool]:
        """What an RSVP can change in the cached pages' markup, as opposed to their live
        counters: whether the event is full ("Join the waitlist", the "Full" badge) and
        whether anyone waits (the page's "N on the waitlist" clause)."""
        return self.is_full, self.waitlist_count > 0

    def rsvp_scopes(self, *, was: tuple[bool, bool]) -> list[str]:
        """What an RSVP or a cancellation makes stale, given ``rsvp_state()`` before it.
        The numbers on the event's page ("12 coming", places taken, the waitlist) are live
        counters (events.apps), so nothing is made stale while only they change. When the
        event has just become full or has room again, its page (the button says "Join the
        waitlist") and the listings that show its card, whose "Full" badge is all they show
        of its RSVPs (the events list and its festival's programme; the home, group,
        campaign and partner pages show nothing of them); when its waitlist has just
        started or emptied, its page only."""
        full, waiting = self.rsvp_state()
        scopes = []
        if (full, waiting) != was:
            scopes.append(f"event:{self.slug}")
        if full != was[0]:
            scopes.append("list:events")
            if self.festival_id:
                festival = Festival.objects.values_list("slug", flat=True).get(pk=self.festival_id)
                scopes.append(f"festival:{festival}")
        return scopes

    def clean(self):
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at - self.starts_at > MAX_EVENT_LENGTH:
            raise ValidationError(
                {"ends_at": "An event can last at most 31 days; make a festival of sessions."}
            )

    @property
    def is_proposal(self) -> bool:
        return self.status in (self.Status.PROPOSED, self.Status.RETURNED, self.Status.DECLINED)

    @property
    def is_full(self) -> bool:
        return self.capacity is not None and self.confirmed_count >= self.capacity


# --- rules about events that other apps read (one definition each) ----------------------

# A published event asks its hosts for a report once it has ended; the report is overdue
# once the event started more than REPORT_GRACE ago. Events that started more than
# REPORT_WINDOW ago no longer ask.
REPORT_GRACE = timedelta(days=7)
REPORT_WINDOW = timedelta(days=365)
# A quiet group has held no event in QUIET_WINDOW and has none coming up.
QUIET_WINDOW = timedelta(days=90)


def awaiting_report_q(now) -> Q:
    """Events whose report the hosts should file now (for Event querysets)."""
    return Q(
        status=Event.Status.PUBLISHED,
        ends_at__lt=now,
        starts_at__gte=now - REPORT_WINDOW,
        report__isnull=True,
    )


def report_overdue_q(now) -> Q:
    """Events whose report is overdue (for Event querysets and aggregate filters)."""
    return awaiting_report_q(now) & Q(starts_at__lt=now - REPORT_GRACE)


def is_quiet(*, last_event_at, has_upcoming: bool, now) -> bool:
    """A group whose last held event started longer than QUIET_WINDOW ago (or that never
    held one), with nothing coming up."""
    return not has_upcoming and (last_event_at is None or last_event_at < now - QUIET_WINDOW)


class CohostInvitation(models.Model):
    """A host's invitation to another group to co-host an event or a festival. The other
    group shows as a co-host (Event.cohost_groups, Festival.host_groups) only once one of
    its leads accepts; until then the hosts see "invited" and nothing shows on the other
    group's side."""

    class Status(models.TextChoices):
        PENDING = "pending", "Invited"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    event = models.ForeignKey(
        Event, null=True, blank=True, on_delete=models.CASCADE, related_name="cohost_invitations"
    )
    festival = models.ForeignKey(
        Festival,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="cohost_invitations",
    )
    group = models.ForeignKey(
        "groups.LocalGroup", on_delete=models.CASCADE, related_name="cohost_invitations"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint("event", "group", name="one_cohost_invitation_per_group"),
            models.UniqueConstraint("festival", "group", name="one_festival_invitation_per_group"),
            models.CheckConstraint(
                condition=Q(event__isnull=False, festival__isnull=True)
                | Q(event__isnull=True, festival__isnull=False),
                name="invitation_to_event_or_festival",
            ),
        ]
        indexes = [
            models.Index(
                fields=["group", "created_at"],
                condition=Q(status="pending"),
                name="cohost_invitation_pending_idx",
            )
        ]

    def __str__(self):
        return f"{self.group} invited to co-host {self.subject} ({self.status})"

    @property
    def subject(self):
        """The event or festival the group is invited to co-host."""
        return self.event if self.event_id else self.festival


class RSVP(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", "Coming"
        WAITLISTED = "waitlisted", "On the waitlist"
        CANCELLED = "cancelled", "Cancelled"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="rsvps")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="rsvps",
    )
    # Or someone without an account who confirmed by email (guests app).
    guest = models.ForeignKey(
        "portal.GuestContact",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="rsvps",
    )
    status = models.CharField(max_length=10, choices=Status.choices)
    created_at = models.DateTimeField(default=timezone.now)
    # First come, first served: the waitlist is ordered by when people joined it.
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    # The person chose to be seen among "who's going" (first name and initial).
    show_name = models.BooleanField(default=False)

    class Meta:
        verbose_name = "RSVP"
        verbose_name_plural = "RSVPs"
        constraints = [
            models.UniqueConstraint(
                "event", "user", condition=Q(user__isnull=False), name="one_rsvp_per_person"
            ),
            models.UniqueConstraint(
                "event", "guest", condition=Q(guest__isnull=False), name="one_rsvp_per_guest"
            ),
        ]
        indexes = [
            models.Index(fields=["event", "status", "waitlisted_at"], name="rsvp_event_status_idx"),
            models.Index(fields=["user", "status"], name="rsvp_user_status_idx"),
        ]

    def __str__(self):
        return f"{self.person} for {self.event}: {self.status}"

    @property
    def person(self):
        """The user or the guest contact whose place this is."""
        return self.user if self.user_id else self.guest

    @property
    def email(self) -> str:
        person = self.person
        return person.email if person else ""


class WalkIn(models.Model):
    """Someone who came without a place, added at the door by a lead: counted in the
    event's attendance with the people checked in. The email address is optional and
    seen only by the group's leads."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="walk_ins")
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.name} (walked in) at {self.event}"


def walk_in_count(event_ref: str = "pk"):
    """The number of walk-ins of the event in the outer query (a subquery, not a join,
    so that it multiplies no other count)."""
    return Coalesce(
        Subquery(
            WalkIn.objects.filter(event=OuterRef(event_ref))
            .order_by()
            .values("event")
            .annotate(n=Count("pk"))
            .values("n")
        ),
        0,
    )


class EventReport(models.Model):
    """The post-event report leads file and reps review."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="report")
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    filed_at = models.DateTimeField(default=timezone.now)
    attendance = models.PositiveIntegerField("people who came")
    new_contacts = models.PositiveIntegerField("new contacts made", default=0)
    partners_involved = models.ManyToManyField("partners.Partner", blank=True, related_name="+")
    what_worked = models.TextField(blank=True)
    what_to_change = models.TextField(blank=True)

    def __str__(self):
        return f"Report on {self.event}"


class CalendarFeedToken(models.Model):
    """The secret in the URL of someone's personal calendar feed (their RSVPs). A calendar
    program cannot sign in, so the token is the credential; resetting it cuts off every
    copy of the old URL."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed_token"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Calendar feed of {self.user}"


class ReminderSchedule(models.Model):
    """When an event's reminder is due. Beat's reminder tick creates these for events
    starting soon, recomputes them when the event moves, and sends the due ones; the row's
    status is the claim, so a tick that runs twice sends nothing twice."""

    class Kind(models.TextChoices):
        DAY_BEFORE = "day_before", "The day before"
        SAME_DAY = "same_day", "On the day"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        SKIPPED = "skipped", "Skipped (time already past, or event cancelled)"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="reminder_schedules")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    due_at = models.DateTimeField()
    # The start time the due time was computed from: a different one means the event moved.
    starts_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    recipients = models.PositiveIntegerField(default=0)
    processed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        # The table it had when it lived in the core, kept so that moving it copied nothing.
        db_table = "portal_reminderschedule"
        ordering = ["due_at", "pk"]
        constraints = [models.UniqueConstraint("event", "kind", name="one_reminder_per_kind")]
        indexes = [models.Index(fields=["status", "due_at"], name="reminder_due_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} reminder for {self.event_id} at {self.due_at}"
