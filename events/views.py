from datetime import timedelta
from functools import cache
from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, prefetch_related_objects
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from campaigns.models import Campaign
from cases.models import Case, OfflineTally
from groups import coverage
from groups.geography import region_outlines
from groups.models import LocalGroup, Membership
from groups.permissions import group_for_lead
from portal import fragments, maps
from portal.csvexport import csv_response
from portal.nearby import attach_distances, order_by_distance
from portal.permissions import verified_required
from portal.ratelimit import ratelimit

from . import services
from .forms import (
    CancelEventForm,
    EventFilterForm,
    EventForm,
    FestivalFilterForm,
    FestivalForm,
    ProposalDecisionForm,
    ReportForm,
    RSVPForm,
    VenueForm,
    WalkInForm,
    day_bounds,
)
from .ical import calendar_bytes
from .models import (
    RSVP,
    CalendarFeedToken,
    CohostInvitation,
    Event,
    EventReport,
    Festival,
    WalkIn,
)
from .permissions import (
    event_for_lead,
    event_for_viewer,
    festival_for_editor,
    festival_for_lead,
    is_lead_of_event,
    lead_group_ids,
    leads_any_group,
    spaces_for_owner,
    visible_events,
    visible_festivals,
)
from .slots import EVENT_RSVP

PAGE_SIZE = 20
FEED_LIMIT = 1000
FEED_PAST_DAYS = 90
ACTIVE = [RSVP.Status.CONFIRMED, RSVP.Status.WAITLISTED]
CARD_RELATED = ("venue", "group", "festival")


def _hosted_by(group) -> Q:
    cohosted = Event.cohost_groups.through.objects.filter(localgroup=group).values("event_id")
    return Q(group=group) | Q(pk__in=cohosted)


def event_list(request):
    form = EventFilterForm(request.GET or None)
    data = {}
    if form.is_bound:
        form.is_valid()  # errors are shown; the fields that are valid still filter
        data = form.cleaned_data
    now = timezone.now()
    events = visible_events(request.user).select_related(*CARD_RELATED)
    past = data.get("when") == "past"
    events = (
        # Ended implies started: saying so bounds the scan of the past-events index by time.
        events.filter(ends_at__lt=now, starts_at__lt=now).order_by("-starts_at", "-pk")
        if past
        else events.upcoming(now)
    )
    if day := data.get("date_from"):
        events = events.filter(ends_at__gte=day_bounds(day)[0])
    if day := data.get("date_to"):
        events = events.filter(starts_at__lt=day_bounds(day)[1])
    if kind := data.get("kind"):
        events = events.filter(kind=kind)
    if mode := data.get("mode"):
        events = events.filter(mode__in=[mode, Event.Mode.HYBRID])
    if area := data.get("area"):
        events = events.filter(group__area=area)
    if group := data.get("group"):
        events = events.filter(_hosted_by(group))
    if campaign := data.get("campaign"):
        events = events.filter(campaign=campaign)
    if festival := data.get("festival"):
        events = events.filter(festival=festival)
    near = data.get("postcode")
    if near:
        events = order_by_distance(events, lat=near[1], lon=near[2], prefix="venue__")
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    if near:
        attach_distances(page.object_list, lat=near[1], lon=near[2], attr="venue")
    # Nothing near that postcode: offer to host one (for the person's own groups).
    host_groups = []
    if near and not page.object_list and request.user.is_authenticated:
        host_groups = list(
            LocalGroup.objects.active().filter(
                pk__in=Membership.objects.current().filter(user=request.user).values("group_id")
            )
        )
    # Group, campaign and festival filters come from links on those pages; they are not
    # offered as selects, which would list every group in the country on every visit.
    narrowed = []
    for name in ("group", "campaign", "festival"):
        if data.get(name):
            rest = request.GET.copy()
            rest.pop(name, None)
            rest.pop("page", None)
            narrowed.append((form.fields[name].label or name, data[name], rest.urlencode()))
    return render(
        request,
        "events/list.html",
        {
            "form": form,
            "page": page,
            "past": past,
            "near": near[0] if near else None,
            "narrowed": narrowed,
            "host_groups": host_groups,
        },
    )


GOING_SHOWN = 12


def going(event: Event) -> dict:
    """ "N people are going": the count, and the newest of those who chose to be seen
    (first name and initial), in one query whatever the number of people."""
    shown = list(
        RSVP.objects.filter(event=event, status=RSVP.Status.CONFIRMED, show_name=True)
        .select_related("user", "guest")
        .only("user", "guest", "user__display_name", "guest__name")
        .order_by("-created_at", "-pk")[:GOING_SHOWN]
    )
    names = [(r.user or r.guest).short_name for r in shown if r.user or r.guest]
    return {
        "count": event.confirmed_count,
        "names": names,
        "others": event.confirmed_count - len(names),
    }


def event_detail(request, slug):
    if fragments.plain_member(request):
        response = _plain_member_detail(request, slug)
        if response is not None:
            return response
    event = event_for_viewer(
        request.user,
        slug,
        Event.objects.select_related(
            "venue", "group__area__region", "festival", "campaign", "host"
        ).prefetch_related(*_detail_prefetches()),
    )
    rsvp = None
    if request.user.is_authenticated:
        rsvp = (
            RSVP.objects.filter(event=event, user=request.user)
            .exclude(status=RSVP.Status.CANCELLED)
            .first()
        )
    is_lead = is_lead_of_event(request.user, event)
    now = timezone.now()
    waitlist_position = _waitlist_position(event, rsvp)
    return render(
        request,
        "events/detail.html",
        {
            "event": event,
            "going": going(event),
            "rsvp": rsvp,
            "is_lead": is_lead,
            "is_host": request.user.is_authenticated and event.host_id == request.user.pk,
            "decision_form": ProposalDecisionForm(),
            "show_online_link": is_lead or (rsvp is not None and rsvp.status == "confirmed"),
            "can_rsvp": event.status == Event.Status.PUBLISHED and event.ends_at > now,
            "has_started": event.starts_at <= now,
            "rsvp_sections": EVENT_RSVP.templates,
            "has_finished": event.ends_at <= now,
            "waitlist_position": waitlist_position,
            # The hosts see who is invited and who declined; nobody else sees invitations.
            "invitations": list(
                event.cohost_invitations.exclude(
                    status__in=[CohostInvitation.Status.ACCEPTED, CohostInvitation.Status.WITHDRAWN]
                ).select_related("group")
            )
            if is_lead
            else [],
            "spaces": spaces_for_owner(request.user, event),
            "map_svg": _event_map(event),
        },
    )


NO_SPACES = {"groups": [], "campaign": None, "partners": []}


def _detail_prefetches() -> list:
    """What the page's details show of an event's relations (a new Prefetch each time)."""
    return [
        "partners",
        "cohost_groups",
        "modules",
        Prefetch(
            "cases",
            queryset=Case.objects.published().only("slug", "public_name"),
            to_attr="published_cases",
        ),
    ]


def _details_related(event: Event) -> None:
    prefetch_related_objects(
        [event], "group__area__region", "festival", "campaign", "host", *_detail_prefetches()
    )


def _waitlist_position(event: Event, rsvp) -> int | None:
    """The person's place in the event's waitlist (1 is next), None if not waiting."""
    if rsvp is None or rsvp.status != RSVP.Status.WAITLISTED or not rsvp.waitlisted_at:
        return None
    return (
        RSVP.objects.filter(
            event=event, status=RSVP.Status.WAITLISTED, waitlisted_at__lt=rsvp.waitlisted_at
        ).count()
        + 1
    )


def _plain_member_detail(request, slug):
    """The page for a member who neither leads a group nor holds a role: what every such
    member sees (the heading, the details and map, who is going) comes from
    portal.fragments; only their own RSVP and the box around it are rendered here. None
    for the event's host, who gets the whole page."""
    user = request.user
    event = event_for_viewer(
        user, slug, Event.objects.select_related("venue", "group"), leads=False
    )
    if event.host_id == user.pk:
        return None
    rsvp = RSVP.objects.filter(event=event, user=user).exclude(status=RSVP.Status.CANCELLED).first()
    if rsvp is not None:
        rsvp.event = event
    now = timezone.now()
    has_finished = event.ends_at <= now
    waitlist_position = _waitlist_position(event, rsvp)

    @cache  # the heading and the details, rebuilt together after an edit
    def details() -> dict:
        _details_related(event)
        return {
            "event": event,
            "is_lead": False,
            "is_host": False,
            "invitations": [],
            "spaces": NO_SPACES,
            "map_svg": _event_map(event),
        }

    scope = f"event:{event.slug}"
    parts = fragments.shared_parts(
        request,
        [scope],
        {
            "heading": (f"{scope}:heading", "events/_detail_heading.html", details),
            "about": (f"{scope}:about", "events/_detail_about.html", details),
            # Who is going changes with every RSVP, which leaves the event's version alone:
            # kept per number of people going, so that the count is always the current one.
            "going": (
                f"{scope}:going:{event.confirmed_count}:{int(has_finished)}",
                "events/_going.html",
                lambda: {"event": event, "going": going(event), "has_finished": has_finished},
            ),
        },
    )
    return render(
        request,
        "events/detail.html",
        {
            "event": event,
            "parts": parts,
            "rsvp": rsvp,
            "is_lead": False,
            "is_host": False,
            "show_online_link": rsvp is not None and rsvp.status == RSVP.Status.CONFIRMED,
            "can_rsvp": event.status == Event.Status.PUBLISHED and event.ends_at > now,
            "has_started": event.starts_at <= now,
            "rsvp_sections": EVENT_RSVP.templates,
            "has_finished": has_finished,
            "waitlist_position": waitlist_position,
        },
    )


def _event_map(event: Event) -> str:
    """The venue on a map of the hosting group's region; none for an online event."""
    venue = event.venue
    if event.mode == Event.Mode.ONLINE or venue is None:
        return ""
    place = maps.place_of(venue.latitude, venue.longitude, venue.postcode_district, venue.name)
    if place is None:
        return ""
    return maps.render(
        title=f"Map: {venue.name}, {venue.town}",
        places=[place],
        regions=region_outlines(event.group.area.region, [place]),
        numbered=False,
    )


@verified_required
@require_POST
@ratelimit("rsvps")
def rsvp(request, slug):
    event = event_for_viewer(request.user, slug)
    form = RSVPForm(request.POST)
    form.is_valid()  # one tick box: missing or anything else is "no"
    try:
        result = services.rsvp_to_event(
            event=event, user=request.user, show_name=form.cleaned_data.get("show_name", False)
        )
    except services.RSVPError as exc:
        messages.error(request, str(exc))
        return redirect(event)
    if result.status == RSVP.Status.CONFIRMED:
        messages.success(request, "You're coming! We've emailed you the details.")
    else:
        messages.info(
            request,
            "The event is full, so you're on the waitlist. If a place frees up, it's yours "
            "in turn and we'll email you.",
        )
    return redirect(event)


@verified_required
@require_POST
@ratelimit("rsvps")
def cancel_rsvp(request, slug):
    event = event_for_viewer(request.user, slug)
    if services.cancel_rsvp(event=event, user=request.user):
        messages.success(request, "You're no longer down for this event.")
    else:
        messages.info(request, "You didn't have a place or a waitlist spot for this event.")
    return redirect(event)


def event_ics(request, slug):
    event = event_for_viewer(request.user, slug, Event.objects.select_related("venue"))
    show_link = is_lead_of_event(request.user, event) or (
        request.user.is_authenticated
        and RSVP.objects.filter(
            event=event, user=request.user, status=RSVP.Status.CONFIRMED
        ).exists()
    )
    content = calendar_bytes(
        [event], name=event.title, online_link_for={event.pk} if show_link else set()
    )
    return _ics_response(content, filename=f"{event.slug}.ics")


def _ics_response(content: bytes, *, filename: str | None = None) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _feed(events, *, name: str, online_link_for=frozenset()) -> HttpResponse:
    since = timezone.now() - timedelta(days=FEED_PAST_DAYS)
    events = events.filter(ends_at__gte=since).select_related("venue").order_by("starts_at")
    return _ics_response(
        calendar_bytes(events[:FEED_LIMIT], name=name, online_link_for=online_link_for)
    )


def public_feed(request):
    return _feed(Event.objects.public(), name="People Power events")


def group_feed(request, slug):
    group = get_object_or_404(LocalGroup.objects.active(), slug=slug)
    return _feed(Event.objects.public().filter(_hosted_by(group)), name=f"{group.name} events")


def campaign_feed(request, slug):
    campaign = get_object_or_404(Campaign.objects.public(), slug=slug)
    return _feed(Event.objects.public().filter(campaign=campaign), name=f"{campaign.title} events")


def festival_feed(request, slug):
    festival = get_object_or_404(
        Festival.objects.filter(status=Festival.Status.PUBLISHED), slug=slug
    )
    return _feed(Event.objects.public().filter(festival=festival), name=festival.name)


def personal_feed(request, token):
    feed = get_object_or_404(CalendarFeedToken.objects.select_related("user"), token=token)
    rsvps = RSVP.objects.filter(user=feed.user, status__in=ACTIVE)
    confirmed = set(rsvps.filter(status=RSVP.Status.CONFIRMED).values_list("event_id", flat=True))
    events = Event.objects.published().filter(pk__in=rsvps.values("event_id"))
    return _feed(events, name="My People Power events", online_link_for=confirmed)


@login_required
@require_http_methods(["GET", "POST"])
def my_calendar(request):
    if request.method == "POST":
        services.reset_feed_token(user=request.user)
        messages.success(request, "Your calendar link is new. The old one has stopped working.")
        return redirect("events:my_calendar")
    token = CalendarFeedToken.objects.filter(user=request.user).first()
    url = (
        request.build_absolute_uri(reverse("events:personal_feed", args=[token.token]))
        if token
        else None
    )
    return render(request, "events/my_calendar.html", {"feed_url": url})


def festival_detail(request, slug):
    festival = get_object_or_404(
        visible_festivals(request.user).prefetch_related("host_groups", "partners"), slug=slug
    )
    form = FestivalFilterForm(request.GET or None, festival=festival)
    sessions = visible_events(request.user).filter(festival=festival).select_related(*CARD_RELATED)
    if form.is_bound:
        form.is_valid()
        if kind := form.cleaned_data.get("kind"):
            sessions = sessions.filter(kind=kind)
        if venue := form.cleaned_data.get("venue"):
            sessions = sessions.filter(venue=venue)
    sessions = list(sessions.order_by("starts_at", "pk"))
    days = [
        (day, list(items))
        for day, items in groupby(sessions, key=lambda e: timezone.localdate(e.starts_at))
    ]
    led = set(lead_group_ids(request.user).values_list("group_id", flat=True))
    lead_hosts = [group for group in festival.host_groups.all() if group.pk in led]
    return render(
        request,
        "events/festival.html",
        {
            "festival": festival,
            "form": form,
            "days": days,
            "lead_hosts": lead_hosts,
            "can_edit": bool(lead_hosts) or request.user.is_staff,
            # The hosts see who is invited and who declined; nobody else sees invitations.
            "invitations": list(
                festival.cohost_invitations.filter(
                    status__in=[CohostInvitation.Status.PENDING, CohostInvitation.Status.DECLINED]
                ).select_related("group")
            )
            if lead_hosts or request.user.is_staff
            else [],
        },
    )


def _festival_form(request, festival: Festival | None, *, fixed_hosts) -> FestivalForm:
    return FestivalForm(
        request.POST or None, request.FILES or None, instance=festival, fixed_hosts=fixed_hosts
    )


def _festival_data(form: FestivalForm, by) -> dict:
    chosen = list(form.cleaned_data["cohost_groups"])
    fixed = form.fixed_hosts
    return {
        "data": _model_data(form, related=("partners", "cohost_groups")),
        # Staff editing a festival none of whose groups they lead choose its hosts.
        "host_groups": fixed if fixed else chosen,
        "cohost_groups": chosen if fixed else None,
        "by": by,
        "partners": form.cleaned_data["partners"],
    }


@verified_required
@require_http_methods(["GET", "POST"])
def festival_create(request, group_slug):
    group = group_for_lead(request.user, group_slug)
    form = _festival_form(request, None, fixed_hosts=[group])
    if request.method == "POST" and form.is_valid():
        festival = services.create_festival(**_festival_data(form, request.user))
        messages.success(
            request, "Saved as a draft. Add its sessions, then publish it when it's ready."
        )
        return redirect(festival)
    return render(request, "events/festival_form.html", {"form": form, "group": group})


@verified_required
@require_http_methods(["GET", "POST"])
def festival_edit(request, slug):
    festival = festival_for_editor(request.user, slug)
    fixed_hosts = list(festival.host_groups.filter(pk__in=lead_group_ids(request.user)))
    form = _festival_form(request, festival, fixed_hosts=fixed_hosts)
    if request.method == "POST" and form.is_valid():
        services.update_festival(festival=festival, **_festival_data(form, request.user))
        messages.success(request, "Changes saved.")
        return redirect(festival)
    return render(request, "events/festival_form.html", {"form": form, "festival": festival})


@verified_required
@require_POST
def festival_publish(request, slug):
    festival = festival_for_editor(request.user, slug)
    status = request.POST.get("status", "")
    if status not in Festival.Status.values:
        return HttpResponseBadRequest("Say whether to publish the festival or make it a draft.")
    if not services.set_festival_status(festival=festival, status=status):
        messages.info(request, f"The festival was already {Festival.Status(status).label.lower()}.")
    elif status == Festival.Status.PUBLISHED:
        messages.success(
            request,
            "Published: the festival page is public. Sessions still in draft stay hidden until "
            "you publish each one.",
        )
    else:
        messages.success(request, "Back to draft: only the hosting groups' leads can see it.")
    return redirect(festival)


@verified_required
@require_POST
def festival_copy(request, slug):
    festival = festival_for_lead(request.user, slug)
    copy = services.copy_festival(festival=festival, by=request.user)
    messages.success(
        request,
        f"{copy.name} is ready as a draft, with its sessions as drafts. Check the dates, then "
        "publish.",
    )
    return redirect(copy)


def _typed(form: EventForm) -> dict:
    """What was typed into a bound event form, as the initial values of a fresh one (files
    cannot be kept: browsers never refill a file input)."""
    values = {
        name: field.widget.value_from_datadict(form.data, {}, form.add_prefix(name))
        for name, field in form.fields.items()
    }
    return {name: value for name, value in values.items() if value not in (None, "")}


def _event_form_page(request, form: EventForm, *, group, event: Event | None, make_form):
    """The event form page. "Add this venue" is a submit button inside the event form
    (htmx posts it in place): it saves the venue and shows the form again with everything
    typed kept and the new venue chosen, so nothing is lost with or without JavaScript."""
    venue_form, venue_added = VenueForm(prefix="venue"), None
    if request.method == "POST" and "add_venue" in request.POST:
        if not leads_any_group(request.user):
            raise PermissionDenied
        venue_form = VenueForm(request.POST, prefix="venue")
        typed = _typed(form)
        if venue_form.is_valid():
            venue_added = services.create_venue(data=venue_form.venue_data())
            typed["venue"] = str(venue_added.pk)
            venue_form = VenueForm(prefix="venue")
        form = make_form(typed)
    return render(
        request,
        "events/form.html",
        {
            "form": form,
            "group": group,
            "event": event,
            "venue_form": venue_form if leads_any_group(request.user) else None,
            "venue_added": venue_added,
        },
    )


@verified_required
@require_http_methods(["GET", "POST"])
def event_create(request, group_slug):
    group = group_for_lead(request.user, group_slug)
    # "Add a session" on a festival page preselects the festival.
    initial = {"festival": request.GET.get("festival")}
    form = EventForm(request.POST or None, request.FILES or None, group=group, initial=initial)
    if request.method == "POST" and "add_venue" not in request.POST and form.is_valid():
        event = services.create_event(group=group, by=request.user, **event_form_data(form))
        messages.success(request, "Saved as a draft. Publish it when it's ready.")
        return redirect(event)
    return _event_form_page(
        request,
        form,
        group=group,
        event=None,
        make_form=lambda typed: EventForm(group=group, initial=typed),
    )


def _model_data(form, *, related: tuple[str, ...]) -> dict:
    """The form's own fields for a service, less the many-to-many ones it sets itself."""
    data = {name: value for name, value in form.cleaned_data.items() if name not in related}
    if data.get("image") is None:
        data.pop("image", None)
    elif data.get("image") is False:  # "clear" ticked
        data["image"] = ""
    return data


def event_form_data(form: EventForm) -> dict:
    return {
        "data": _model_data(form, related=("partners", "cohost_groups", "modules", "cases")),
        "partners": form.cleaned_data["partners"],
        "cohost_groups": form.cleaned_data["cohost_groups"],
        "modules": form.cleaned_data["modules"],
        "cases": form.cleaned_data["cases"],
    }


@verified_required
@require_http_methods(["GET", "POST"])
def event_edit(request, slug):
    event = event_for_lead(request.user, slug, Event.objects.select_related("group"))
    form = EventForm(request.POST or None, request.FILES or None, instance=event, group=event.group)
    if request.method == "POST" and "add_venue" not in request.POST and form.is_valid():
        services.update_event(event=event, by=request.user, **event_form_data(form))
        messages.success(request, "Changes saved.")
        return redirect(event)
    return _event_form_page(
        request,
        form,
        group=event.group,
        event=event,
        make_form=lambda typed: EventForm(instance=event, group=event.group, initial=typed),
    )


@verified_required
@require_POST
def event_publish(request, slug):
    event = event_for_lead(request.user, slug)
    if services.publish_event(event=event):
        messages.success(request, "Published: the event is now listed.")
    else:
        messages.info(request, "Only a draft can be published.")
    return redirect(event)


@verified_required
@require_http_methods(["GET", "POST"])
def event_cancel(request, slug):
    event = event_for_lead(request.user, slug)
    if event.status == Event.Status.CANCELLED:
        messages.info(request, "This event is already cancelled.")
        return redirect(event)
    if event.ends_at <= timezone.now():
        # Cancelling would email everyone who came about an event that has happened.
        messages.info(request, "This event has finished, so it can't be cancelled.")
        return redirect(event)
    form = CancelEventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        told = services.cancel_event(event=event, reason=form.cleaned_data["reason"])
        messages.success(request, f"Cancelled. We're emailing {told} people who had RSVPed.")
        return redirect(event)
    return render(request, "events/cancel.html", {"form": form, "event": event})


def _attendees(event: Event):
    rsvps = list(
        RSVP.objects.filter(event=event, status__in=ACTIVE)
        .select_related("user", "guest")
        .order_by("waitlisted_at", "created_at", "pk")
    )
    confirmed = [r for r in rsvps if r.status == RSVP.Status.CONFIRMED]
    waitlist = [r for r in rsvps if r.status == RSVP.Status.WAITLISTED]
    return confirmed, waitlist


@verified_required
def attendees(request, slug):
    event = event_for_lead(request.user, slug)
    confirmed, waitlist = _attendees(event)
    return render(
        request,
        "events/attendees.html",
        {"event": event, "confirmed": confirmed, "waitlist": waitlist},
    )


@verified_required
def attendees_csv(request, slug):
    event = event_for_lead(request.user, slug)
    confirmed, waitlist = _attendees(event)

    def rows():
        for number, rsvp in enumerate(confirmed + waitlist, start=1):
            person = rsvp.person
            yield [
                number,
                person.public_name if person else "(deleted account)",
                person.email if person else "",
                rsvp.get_status_display(),
                timezone.localtime(rsvp.created_at).strftime("%Y-%m-%d %H:%M"),
                "yes" if rsvp.checked_in_at else "no",
            ]

    return csv_response(
        f"{event.slug}-attendees.csv",
        ["#", "Name", "Email", "Status", "RSVPed (UK time)", "Came"],
        rows(),
    )


@verified_required
def check_in(request, slug):
    event = event_for_lead(request.user, slug)
    return _check_in_page(request, event, WalkInForm())


def _check_in_page(request, event: Event, walk_in_form: WalkInForm, *, status: int = 200):
    confirmed, _waitlist = _attendees(event)
    confirmed.sort(key=lambda r: r.person.public_name.lower() if r.person else "")
    walk_ins = list(event.walk_ins.all())
    came = sum(1 for r in confirmed if r.checked_in_at) + len(walk_ins)
    return render(
        request,
        "events/check_in.html",
        {
            "event": event,
            "confirmed": confirmed,
            "walk_ins": walk_ins,
            "came": came,
            "walk_in_form": walk_in_form,
        },
        status=status,
    )


def _checked_in_rsvp(request, slug, rsvp_id, *, came: bool):
    event = event_for_lead(request.user, slug)
    rsvp = get_object_or_404(
        RSVP.objects.select_related("user", "guest"),
        pk=rsvp_id,
        event=event,
        status=RSVP.Status.CONFIRMED,
    )
    rsvp, changed, learning = services.set_check_in(rsvp=rsvp, came=came)
    name = rsvp.person.public_name if rsvp.person else "Deleted account"
    if not changed:
        messages.info(request, f"{name} was already {'checked in' if came else 'not checked in'}.")
    else:
        note = {
            "recorded": " The training is in their learning record.",
            "asked": " We've asked them whether to keep a learning record.",
        }.get(learning, "")
        messages.success(request, f"{name}: {'came' if came else 'check-in undone'}.{note}")
    return redirect(f"{reverse('events:check_in', args=[event.slug])}#rsvp-{rsvp.pk}")


# The URL keeps its old name (check_in_toggle) for links already out there; a second tap
# no longer checks the person out again: undoing is its own action (check_in_undo).
@verified_required
@require_POST
def check_in_person(request, slug, rsvp_id):
    return _checked_in_rsvp(request, slug, rsvp_id, came=True)


@verified_required
@require_POST
def check_in_undo(request, slug, rsvp_id):
    return _checked_in_rsvp(request, slug, rsvp_id, came=False)


@verified_required
@require_POST
def walk_in_add(request, slug):
    event = event_for_lead(request.user, slug)
    form = WalkInForm(request.POST)
    if not form.is_valid():
        return _check_in_page(request, event, form, status=400)
    walk_in = services.add_walk_in(event=event, by=request.user, **form.cleaned_data)
    messages.success(request, f"{walk_in.name} walked in: counted as came.")
    return redirect(f"{reverse('events:check_in', args=[event.slug])}#walk-ins")


@verified_required
@require_POST
def walk_in_remove(request, slug, walk_in_id):
    event = event_for_lead(request.user, slug)
    walk_in = get_object_or_404(WalkIn, pk=walk_in_id, event=event)
    services.remove_walk_in(walk_in=walk_in)
    messages.success(request, f"{walk_in.name} is no longer counted.")
    return redirect(f"{reverse('events:check_in', args=[event.slug])}#walk-ins")


@verified_required
@require_http_methods(["GET", "POST"])
def report(request, slug):
    event = get_object_or_404(Event.objects.select_related("group"), slug=slug)
    is_lead = is_lead_of_event(request.user, event)
    if not (is_lead or coverage.covers_group(request.user, event.group, roles=coverage.REVIEWERS)):
        raise Http404
    existing = EventReport.objects.filter(event=event).prefetch_related("partners_involved").first()
    tallies = list(
        OfflineTally.objects.filter(source_key=services.tally_key(event)).select_related("case")
    )
    context = {"event": event, "report": existing, "tallies": tallies}
    if not is_lead:
        if request.method == "POST":
            raise PermissionDenied
        return render(request, "events/report.html", context)
    if event.starts_at > timezone.now():
        messages.info(request, "You can file the report once the event has started.")
        return redirect(event)
    initial = {}
    if existing is None:
        initial = {"attendance": services.attendance(event)}
    form = ReportForm(
        request.POST or None,
        instance=existing,
        initial=initial,
        event=event,
        tallies={t.case_id: (t.letters, t.cards) for t in tallies},
    )
    if request.method == "POST" and form.is_valid():
        came = form.cleaned_data.get("came")
        services.file_report(
            event=event,
            by=request.user,
            data=form.report_fields(),
            partners=form.cleaned_data["partners_involved"],
            came=None if came is None else {rsvp.pk for rsvp in came},
            case_tallies=form.case_tallies(),
        )
        messages.success(request, "Thank you: the report is filed for the region to see.")
        return redirect(event)
    return render(request, "events/report.html", {**context, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def venue_create(request):
    if not leads_any_group(request.user):
        raise PermissionDenied
    form = VenueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        venue = services.create_venue(data=form.venue_data())
        messages.success(request, f"{venue} is saved: choose it for your events.")
        next_url = request.GET.get("next", "")
        if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
            return redirect(next_url)
        return redirect("events:list")
    return render(request, "events/venue_form.html", {"form": form})
