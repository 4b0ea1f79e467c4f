from datetime import date, datetime, time, timedelta

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone

from campaigns.models import Campaign, campaigns_run_by
from cases.models import Case
from groups.models import Area, LocalGroup
from partners.models import Partner, Partnership
from portal.fields import (
    BoundedModelChoiceField,
    BoundedModelMultipleChoiceField,
    postcode_or_error,
)
from portal.forms import SHOW_TO_OTHERS_LABEL
from portal.images import ALT_HELP, PictureFormMixin
from resources.models import Module

from .models import (
    MAX_EVENT_LENGTH,
    RSVP,
    CohostInvitation,
    Event,
    EventReport,
    Festival,
    Venue,
)

EARLIEST_YEAR = 2000
MAX_YEARS_AHEAD = 2
# Counted in days with both ends included; a month, as for a single event (MAX_EVENT_LENGTH).
MAX_FESTIVAL_DAYS = 31


# Far-off dates in a filter mean nothing and would overflow date arithmetic.
FILTER_EARLIEST = date(2000, 1, 1)
FILTER_LATEST = date(2100, 12, 31)


class EventFilterForm(forms.Form):
    """The listing's filters. Each is optional; an invalid one is reported and ignored,
    the valid ones still apply."""

    WHEN_CHOICES = [("upcoming", "Upcoming"), ("past", "Past")]
    MODE_CHOICES = [("", "In person or online"), ("in_person", "In person"), ("online", "Online")]

    when = forms.ChoiceField(choices=WHEN_CHOICES, required=False)
    date_from = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    kind = forms.ChoiceField(choices=[("", "Any kind"), *Event.Kind.choices], required=False)
    mode = forms.ChoiceField(label="How", choices=MODE_CHOICES, required=False)
    area = forms.ModelChoiceField(
        queryset=Area.objects.all(), to_field_name="slug", required=False, empty_label="Any area"
    )
    group = forms.ModelChoiceField(
        queryset=LocalGroup.objects.active(),
        to_field_name="slug",
        required=False,
        empty_label="Any group",
        widget=forms.HiddenInput,
    )
    campaign = forms.ModelChoiceField(
        queryset=Campaign.objects.public(),
        to_field_name="slug",
        required=False,
        empty_label="Any campaign",
        widget=forms.HiddenInput,
    )
    festival = forms.ModelChoiceField(
        queryset=Festival.objects.filter(status=Festival.Status.PUBLISHED),
        to_field_name="slug",
        required=False,
        empty_label="Any festival",
        widget=forms.HiddenInput,
    )
    postcode = forms.CharField(
        label="Near postcode",
        required=False,
        max_length=16,
        help_text="A full postcode or its first half, e.g. DE1.",
    )

    def clean_postcode(self):
        return postcode_or_error(self.cleaned_data["postcode"])

    def _clean_filter_date(self, name):
        day = self.cleaned_data.get(name)
        if day is not None and not (FILTER_EARLIEST <= day <= FILTER_LATEST):
            raise forms.ValidationError(
                f"Choose a date between {FILTER_EARLIEST:%Y} and {FILTER_LATEST:%Y}."
            )
        return day

    def clean_date_from(self):
        return self._clean_filter_date("date_from")

    def clean_date_to(self):
        return self._clean_filter_date("date_to")

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The end of the date range must be after its start.")
        return data


class FestivalFilterForm(forms.Form):
    kind = forms.ChoiceField(choices=[("", "Any kind"), *Event.Kind.choices], required=False)
    venue = BoundedModelChoiceField(
        queryset=Venue.objects.none(), to_field_name="slug", required=False, empty_label="Any venue"
    )

    def __init__(self, *args, festival: Festival, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["venue"].queryset = Venue.objects.filter(
            pk__in=festival.sessions.values("venue_id")
        )


def _check_day(day: date | None, field: str, form: forms.Form, *, what: str = "Events") -> None:
    if day is None:
        return
    if day.year < EARLIEST_YEAR:
        form.add_error(field, f"Dates before {EARLIEST_YEAR} are not accepted.")
    elif day > timezone.localdate() + timedelta(days=365 * MAX_YEARS_AHEAD + 1):
        form.add_error(field, f"{what} can be planned at most {MAX_YEARS_AHEAD} years ahead.")


def _check_date(value: datetime | None, field: str, form: forms.Form) -> None:
    if value is not None:
        _check_day(timezone.localtime(value).date(), field, form)


class EventForm(PictureFormMixin, forms.ModelForm):
    picture_name_stem = "event"
    """A lead's create and edit form. Times are typed in UK time (Europe/London); a time
    that doesn't exist or happens twice when the clocks change is refused by Django with
    a message, rather than guessed."""

    starts_at = forms.DateTimeField(
        label="Starts (UK time)", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ends_at = forms.DateTimeField(
        label="Ends (UK time)", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    online_url = forms.URLField(
        label="Online link",
        required=False,
        assume_scheme="https",
        help_text="Shown only to people with a confirmed place, and to the group's leads.",
    )
    organiser_url = forms.URLField(
        label="Organiser's website", required=False, assume_scheme="https"
    )
    capacity = forms.IntegerField(
        required=False, min_value=1, help_text="Leave empty for no limit. Beyond it: a waitlist."
    )

    class Meta:
        model = Event
        fields = [
            "title",
            "kind",
            "description",
            "image",
            "image_alt",
            "starts_at",
            "ends_at",
            "mode",
            "venue",
            "online_url",
            "capacity",
            "visibility",
            "campaign",
            "festival",
            "partners",
            "tell_partners",
            "cohost_groups",
            "cases",
            "organiser_name",
            "organiser_url",
            "modules",
        ]
        labels = {
            "image": "Picture",
            "cohost_groups": "Co-hosting groups",
            "partners": "Co-hosting partners",
            "modules": "Curriculum modules",
            "cases": "Individuals at Risk cases",
        }
        field_classes = {
            "venue": BoundedModelChoiceField,
            "campaign": BoundedModelChoiceField,
            "festival": BoundedModelChoiceField,
            "partners": BoundedModelMultipleChoiceField,
            "cohost_groups": BoundedModelMultipleChoiceField,
            "modules": BoundedModelMultipleChoiceField,
            "cases": BoundedModelMultipleChoiceField,
        }
        widgets = {"modules": forms.CheckboxSelectMultiple}
        help_texts = {
            "image_alt": ALT_HELP,
            "organiser_name": "For a community event run by someone else.",
            "description": "Markdown.",
            "cases": (
                "For a letter-writing evening such as Write for Rights: the report then "
                "asks how many letters and cards were written for each."
            ),
        }

    def __init__(self, *args, group: LocalGroup, **kwargs):
        typed = kwargs.get("initial") or {}
        super().__init__(*args, **kwargs)
        self.group = group
        self.fields["venue"].queryset = Venue.objects.all()
        self.fields["venue"].empty_label = "Choose a venue (none for an online event)"
        # Only into the group's own spaces: campaigns it runs (its own or one it takes part
        # in) and partners it has an active partnership with. Other groups are invited
        # (events.services.invite_cohosts) and show as co-hosts only once they accept.
        editing = self.instance.pk is not None
        campaigns = campaigns_run_by(group)
        if editing and self.instance.campaign_id:
            campaigns = Campaign.objects.filter(
                Q(pk__in=campaigns.values("pk")) | Q(pk=self.instance.campaign_id)
            )
        self.fields["campaign"].queryset = campaigns
        self.fields["campaign"].empty_label = "Not part of a campaign"
        self.fields[
            "campaign"
        ].help_text = (
            "A campaign your group runs: its own, or one it has joined on the campaign's page."
        )
        self.fields["festival"].queryset = Festival.objects.filter(host_groups=group)
        self.fields["festival"].empty_label = "Not part of a festival"
        self.fields["partners"].queryset = _offered(
            Partner.objects.active().filter(
                partnerships__group=group, partnerships__status=Partnership.Status.ACTIVE
            ),
            self.instance.partners.all() if editing else None,
        )
        self.fields["partners"].help_text = "Partners your group has an active partnership with."
        # The co-hosts, and the groups still invited (kept on save; untick to withdraw).
        invited = (
            LocalGroup.objects.filter(
                Q(pk__in=self.instance.cohost_groups.values("pk"))
                | Q(
                    pk__in=self.instance.cohost_invitations.filter(
                        status=CohostInvitation.Status.PENDING
                    ).values("group_id")
                )
            ).values("pk")
            if editing
            else None
        )
        self.fields["cohost_groups"].queryset = (
            LocalGroup.objects.active().exclude(pk=group.pk)
            if invited is None
            else LocalGroup.objects.filter(Q(is_active=True) | Q(pk__in=invited)).exclude(
                pk=group.pk
            )
        )
        self.fields["cohost_groups"].help_text = (
            "Each group is invited: its leads are emailed and it shows as a co-host once one "
            "of them accepts."
        )
        if editing:
            self.initial["cohost_groups"] = list(invited.values_list("pk", flat=True))
        self.fields["cases"].queryset = _offered(
            Case.objects.published().filter(status__in=[Case.Status.ACTIVE, Case.Status.IMPROVED]),
            self.instance.cases.all() if self.instance.pk else None,
        ).order_by("public_name")
        self.fields["partners"].required = False
        self.fields["cohost_groups"].required = False
        self.fields["modules"].queryset = Module.objects.filter(is_active=True)
        self.fields["modules"].required = False
        self.fields["modules"].help_text = (
            "For a training: people checked in complete these modules (if they keep a "
            "learning record)."
        )
        self.fields["cases"].required = False
        if self.instance.pk and self.instance.starts_at:
            for name in ("starts_at", "ends_at"):
                if name in typed:  # shown again after adding a venue: keep what was typed
                    continue
                local = timezone.localtime(getattr(self.instance, name))
                self.initial[name] = local.strftime("%Y-%m-%dT%H:%M")

    def clean_online_url(self):
        url = self.cleaned_data["online_url"]
        if url and not url.lower().startswith(("http://", "https://")):
            raise forms.ValidationError("The online link must start with http:// or https://.")
        return url

    def clean_capacity(self):
        capacity = self.cleaned_data["capacity"]
        confirmed = self.instance.confirmed_count if self.instance.pk else 0
        if capacity is not None and capacity < confirmed:
            raise forms.ValidationError(
                f"{confirmed} people already have a place; the capacity can't be lower."
            )
        return capacity

    def clean(self):
        data = super().clean()
        start, end = data.get("starts_at"), data.get("ends_at")
        _check_date(start, "starts_at", self)
        _check_date(end, "ends_at", self)
        if start and end and end <= start:
            self.add_error("ends_at", "The event must end after it starts.")
        elif start and end and end - start > MAX_EVENT_LENGTH:
            self.add_error(
                "ends_at", "An event can last at most 31 days; make a festival of sessions."
            )
        mode = data.get("mode")
        if mode in (Event.Mode.IN_PERSON, Event.Mode.HYBRID) and not data.get("venue"):
            self.add_error("venue", "Choose a venue for an event in person (or add one first).")
        if mode in (Event.Mode.ONLINE, Event.Mode.HYBRID) and not data.get("online_url"):
            self.add_error("online_url", "Give the link for an online event.")
        if data.get("kind") == Event.Kind.COMMUNITY and not data.get("organiser_name"):
            self.add_error("organiser_name", "Who runs this community event?")
        if data.get("modules") and data.get("kind") != Event.Kind.TRAINING:
            self.add_error("modules", "Only a training event covers curriculum modules.")
        return data


def _offered(choices: QuerySet, current: QuerySet | None) -> QuerySet:
    """The active choices, plus whatever the object already has (an edit must not
    silently drop a partner or group that has since become inactive)."""
    if current is None:
        return choices
    return choices.model.objects.filter(
        Q(pk__in=choices.values("pk")) | Q(pk__in=current.values("pk"))
    )


class FestivalForm(PictureFormMixin, forms.ModelForm):
    picture_name_stem = "festival"
    """A lead's create and edit form for a festival. The groups in `fixed_hosts` (the
    group creating it, or the groups the editor leads) always host and are not offered:
    a lead cannot lock their own group out by mistake."""

    starts_on = forms.DateField(label="First day", widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label="Last day", widget=forms.DateInput(attrs={"type": "date"}))
    cohost_groups = BoundedModelMultipleChoiceField(
        label="Co-hosting groups", queryset=LocalGroup.objects.none(), required=False
    )

    class Meta:
        model = Festival
        fields = ["name", "starts_on", "ends_on", "description", "image", "image_alt", "partners"]
        labels = {"image": "Picture", "partners": "Co-hosting partners"}
        field_classes = {"partners": BoundedModelMultipleChoiceField}
        help_texts = {"description": "Markdown.", "image_alt": ALT_HELP}

    def __init__(self, *args, fixed_hosts: list[LocalGroup], **kwargs):
        super().__init__(*args, **kwargs)
        self.fixed_hosts = fixed_hosts
        editing = self.instance.pk is not None
        self.fields["partners"].queryset = _offered(
            Partner.objects.active(), self.instance.partners.all() if editing else None
        )
        self.fields["partners"].required = False
        hosts = (
            LocalGroup.objects.filter(
                Q(pk__in=self.instance.host_groups.values("pk"))
                | Q(
                    pk__in=self.instance.cohost_invitations.filter(
                        status=CohostInvitation.Status.PENDING
                    ).values("group_id")
                )
            )
            if editing
            else None
        )
        self.fields["cohost_groups"].queryset = _offered(
            LocalGroup.objects.active(), hosts
        ).exclude(pk__in=[g.pk for g in fixed_hosts])
        if fixed_hosts:
            names = ", ".join(g.name for g in fixed_hosts)
            self.fields["cohost_groups"].help_text = (
                f"{names} always hosts. Other groups are invited: they host once one of "
                "their leads accepts."
            )
        else:  # staff editing a festival none of whose groups they lead
            self.fields["cohost_groups"].label = "Host groups"
            self.fields["cohost_groups"].required = True
        if editing:
            self.initial["cohost_groups"] = list(
                hosts.exclude(pk__in=[g.pk for g in fixed_hosts]).values_list("pk", flat=True)
            )

    def clean(self):
        data = super().clean()
        start, end = data.get("starts_on"), data.get("ends_on")
        _check_day(start, "starts_on", self, what="Festivals")
        _check_day(end, "ends_on", self, what="Festivals")
        if start and end and end < start:
            self.add_error("ends_on", "The last day must be on or after the first day.")
        elif start and end and (end - start).days + 1 > MAX_FESTIVAL_DAYS:
            self.add_error(
                "ends_on",
                f"A festival can last at most {MAX_FESTIVAL_DAYS} days; this one would last "
                f"{(end - start).days + 1}.",
            )
        return data


class CancelEventForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text="Sent to everyone who RSVPed and shown on the event page.",
    )


class ReportForm(forms.ModelForm):
    class Meta:
        model = EventReport
        fields = [
            "attendance",
            "new_contacts",
            "partners_involved",
            "what_worked",
            "what_to_change",
        ]
        field_classes = {"partners_involved": BoundedModelMultipleChoiceField}
        widgets = {
            "what_worked": forms.Textarea(attrs={"rows": 3}),
            "what_to_change": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, event: Event, tallies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partners_involved"].queryset = Partner.objects.active()
        self.fields["partners_involved"].required = False
        # A training linked to curriculum modules: who came, by name, so that each
        # person's learning record follows (the number alone cannot say who).
        if event.modules.exists():
            confirmed = RSVP.objects.filter(event=event, status=RSVP.Status.CONFIRMED)
            self.fields["came"] = AttendeesField(
                queryset=confirmed.select_related("user", "guest").order_by(
                    "user__display_name", "pk"
                ),
                required=False,
                label="Who came",
                help_text="Ticked people complete the event's curriculum modules.",
                widget=forms.CheckboxSelectMultiple,
            )
            self.initial.setdefault(
                "came",
                list(confirmed.filter(checked_in_at__isnull=False).values_list("pk", flat=True)),
            )
        # For each case the event wrote for: the letters and cards written on paper there
        # (``tallies``: {case id: (letters, cards)} as last filed).
        self.cases = list(event.cases.order_by("public_name"))
        tallies = tallies or {}
        for case in self.cases:
            letters, cards = tallies.get(case.pk, (0, 0))
            self.fields[f"letters_{case.pk}"] = forms.IntegerField(
                label=f"Letters written for {case.public_name}",
                min_value=0,
                max_value=100000,
                initial=letters,
            )
            self.fields[f"cards_{case.pk}"] = forms.IntegerField(
                label=f"Solidarity cards written for {case.public_name}",
                min_value=0,
                max_value=100000,
                initial=cards,
            )

    def case_tallies(self) -> dict:
        """{case: (letters, cards)} from the cleaned form."""
        data = self.cleaned_data
        return {case: (data[f"letters_{case.pk}"], data[f"cards_{case.pk}"]) for case in self.cases}

    def report_fields(self) -> dict:
        """The report's own fields, for events.services.file_report."""
        return {
            name: self.cleaned_data[name]
            for name in self._meta.fields
            if name != "partners_involved"
        }


class AttendeesField(BoundedModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.person.public_name if obj.person else "(deleted account)"


class ProposalDecisionForm(forms.Form):
    note = forms.CharField(
        label="Comment for the host",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed to send it back or decline it.",
    )


class VenueForm(forms.ModelForm):
    postcode = forms.CharField(
        label="Postcode",
        max_length=16,
        help_text="A full postcode or its first half; it places the venue on the map.",
    )

    class Meta:
        model = Venue
        fields = [
            "name",
            "address",
            "town",
            "postcode",
            "step_free",
            "hearing_loop",
            "accessible_toilet",
            "quiet_room",
            "access_notes",
            "capacity",
        ]

    def clean_postcode(self):
        return postcode_or_error(self.cleaned_data["postcode"])

    def venue_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "postcode"}
        outcode, lat, lon = self.cleaned_data["postcode"]
        return {**data, "postcode_district": outcode, "latitude": lat, "longitude": lon}


class RemoveFromSpaceForm(forms.Form):
    """What an owner takes an event out of (see events.permissions.spaces_for_owner)."""

    space = forms.ChoiceField(
        choices=[("group", "A group"), ("campaign", "A campaign"), ("partner", "A partner")]
    )
    group = BoundedModelChoiceField(queryset=None, required=False)
    partner = BoundedModelChoiceField(queryset=None, required=False)

    def __init__(self, *args, spaces: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.spaces = spaces
        self.fields["group"].queryset = LocalGroup.objects.filter(
            pk__in=[g.pk for g in spaces["groups"]]
        )
        self.fields["partner"].queryset = Partner.objects.filter(
            pk__in=[p.pk for p in spaces["partners"]]
        )

    def clean(self):
        data = super().clean()
        space = data.get("space")
        if space == "group" and not data.get("group"):
            raise forms.ValidationError("Choose a group you lead.")
        if space == "partner" and not data.get("partner"):
            raise forms.ValidationError("Choose a partner.")
        if space == "campaign" and self.spaces["campaign"] is None:
            raise forms.ValidationError("You do not run this event's campaign.")
        return data


def day_bounds(day) -> tuple[datetime, datetime]:
    """The UTC instants a UK calendar day runs between (23 or 25 hours at clock changes)."""
    start = timezone.make_aware(datetime.combine(day, time.min))
    end = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
    return start, end


class WalkInForm(forms.Form):
    name = forms.CharField(max_length=200, label="Name")
    email = forms.EmailField(
        required=False,
        label="Email (optional)",
        help_text="Only if they would like to hear about the next event.",
    )


class RSVPForm(forms.Form):
    show_name = forms.BooleanField(label=SHOW_TO_OTHERS_LABEL, required=False)
