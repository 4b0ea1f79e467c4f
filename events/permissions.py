"""Who may see and do what with events. Views fetch through these helpers."""

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from campaigns.permissions import can_manage
from groups.models import Membership

from .models import CohostInvitation, Event, Festival

PUBLISHED = [Event.Status.PUBLISHED, Event.Status.CANCELLED]


def _group_ids(user, *, leads_only: bool = False):
    memberships = Membership.objects.leads() if leads_only else Membership.objects.current()
    return memberships.filter(user=user).values("group_id")


def visible_events(user, *, leads: bool = True) -> QuerySet[Event]:
    """Published public events for everyone; members-only ones for members of the group;
    drafts and proposals for the group's leads, a festival's draft sessions for the leads of
    every group hosting the festival (they plan the programme together), and a proposal for
    the member who hosts it; everything for staff. Subqueries, so still one query.
    ``leads=False``: the caller knows the user leads no group (portal.mfa has asked), so
    the leads' clauses, which would match nothing, are left out of the query."""
    events = Event.objects.all()
    if not user.is_authenticated:
        return events.public()
    if user.is_staff:
        return events
    seen = (
        Q(status__in=PUBLISHED, visibility=Event.Visibility.PUBLIC)
        | Q(status__in=PUBLISHED, group__in=_group_ids(user))
        | Q(host=user)
    )
    if not leads:
        return events.filter(seen)
    led = _group_ids(user, leads_only=True)
    hosted_festivals = Festival.host_groups.through.objects.filter(localgroup__in=led)
    return events.filter(
        seen
        | Q(group__in=led)
        | Q(status=Event.Status.DRAFT, festival__in=hosted_festivals.values("festival_id"))
    )


def event_for_viewer(
    user, slug: str, queryset: QuerySet[Event] | None = None, *, leads: bool = True
) -> Event:
    """404 for anyone who may not see the event (a members-only event does not exist for
    outsiders); ``leads`` as for visible_events."""
    events = visible_events(user, leads=leads)
    if queryset is not None:
        events = queryset & events
    return get_object_or_404(events, slug=slug)


def event_for_lead(user, slug: str, queryset: QuerySet[Event] | None = None) -> Event:
    """The event if the user leads its hosting group; 404 for anyone else."""
    if not user.is_authenticated:
        raise Http404
    events = queryset if queryset is not None else Event.objects.all()
    return get_object_or_404(events, slug=slug, group__in=_group_ids(user, leads_only=True))


def proposal_for_host(user, slug: str) -> Event:
    """The member's own proposal while it waits or has been sent back to them; 404 for
    anyone else, and once it is published or declined."""
    if not user.is_authenticated:
        raise Http404
    return get_object_or_404(
        Event.objects.select_related("group"),
        slug=slug,
        host=user,
        status__in=[Event.Status.PROPOSED, Event.Status.RETURNED],
    )


def proposal_for_lead(user, slug: str) -> Event:
    """A proposal of a group the user leads; 404 for anyone else."""
    event = event_for_lead(user, slug, Event.objects.select_related("group", "host"))
    if event.status not in (Event.Status.PROPOSED, Event.Status.RETURNED):
        raise Http404
    return event


def groups_for_host(user) -> QuerySet:
    """Groups a verified member may propose events for: those they belong to."""
    return _group_ids(user)


def lead_group_ids(user) -> QuerySet:
    if not user.is_authenticated:
        return Membership.objects.none().values("group_id")
    return _group_ids(user, leads_only=True)


def is_lead_of_event(user, event: Event) -> bool:
    return (
        user.is_authenticated
        and Membership.objects.leads().filter(group_id=event.group_id, user=user).exists()
    )


def leads_any_group(user) -> bool:
    return user.is_authenticated and Membership.objects.leads().filter(user=user).exists()


def visible_festivals(user) -> QuerySet[Festival]:
    festivals = Festival.objects.all()
    if user.is_authenticated and user.is_staff:
        return festivals
    published = Q(status=Festival.Status.PUBLISHED)
    if not user.is_authenticated:
        return festivals.filter(published)
    return festivals.filter(
        published | Q(host_groups__in=_group_ids(user, leads_only=True))
    ).distinct()


def festival_for_lead(user, slug: str) -> Festival:
    if not user.is_authenticated:
        raise Http404
    return get_object_or_404(
        Festival.objects.filter(host_groups__in=_group_ids(user, leads_only=True)).distinct(),
        slug=slug,
    )


def festival_for_editor(user, slug: str) -> Festival:
    """Leads of any host group, and staff, may edit and publish; 404 for anyone else."""
    if user.is_authenticated and user.is_staff:
        return get_object_or_404(Festival, slug=slug)
    return festival_for_lead(user, slug)


def invitation_for_lead(user, pk: int) -> CohostInvitation:
    """A co-hosting invitation to a group the user leads; 404 for anyone else."""
    if not user.is_authenticated:
        raise Http404
    return get_object_or_404(
        CohostInvitation.objects.select_related("event__group", "festival", "group"),
        pk=pk,
        group__in=_group_ids(user, leads_only=True),
    )


def spaces_for_owner(user, event: Event) -> dict:
    """The spaces of other owners the event appears in that this user may take it out of:
    co-hosting groups the user leads, the event's campaign if the user runs it (a local
    campaign's leads, a regional one's reps, staff), and its partners for staff."""
    if not user.is_authenticated:
        return {"groups": [], "campaign": None, "partners": []}
    led = set(_group_ids(user, leads_only=True).values_list("group_id", flat=True))
    return {
        "groups": [g for g in event.cohost_groups.all() if g.pk in led],
        "campaign": event.campaign
        if event.campaign_id and event.group_id not in led and can_manage(user, event.campaign)
        else None,
        "partners": list(event.partners.all()) if user.is_staff else [],
    }


def event_for_space_owner(user, slug: str) -> tuple[Event, dict]:
    """The event and the spaces the user may take it out of; 404 if there are none."""
    if not user.is_authenticated:
        raise Http404
    event = get_object_or_404(Event.objects.select_related("campaign", "group"), slug=slug)
    spaces = spaces_for_owner(user, event)
    if not (spaces["groups"] or spaces["campaign"] or spaces["partners"]):
        raise Http404
    return event, spaces
