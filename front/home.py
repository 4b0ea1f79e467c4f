"""What the home page shows; each function costs a fixed number of queries."""

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from campaigns.models import Action, Campaign
from events.models import Event
from groups.models import Area
from portal.geo import PostcodeError, lookup_outcode
from portal.nearby import attach_distances, order_by_distance

EVENTS_SHOWN = 6
CAMPAIGNS_SHOWN = 3
ACTIONS_SHOWN = 4


def open_actions_filter(prefix: str = "") -> Q:
    today = timezone.localdate()
    return Q(**{f"{prefix}campaign__status": Campaign.Status.ACTIVE}) & (
        Q(**{f"{prefix}deadline__isnull": True}) | Q(**{f"{prefix}deadline__gte": today})
    )


def upcoming_public_events(*, postcode: str = "") -> tuple[list, str, str]:
    """Upcoming public events, nearest first when a postcode is given.
    Returns (events, outcode, error)."""
    events = (
        Event.objects.public()
        .filter(status=Event.Status.PUBLISHED)
        .upcoming()
        .select_related("venue", "group")
    )
    if postcode:
        try:
            outcode, lat, lon = lookup_outcode(postcode)
        except PostcodeError as exc:
            return list(events.order_by("starts_at")[:EVENTS_SHOWN]), "", str(exc)
        # Online events have no place; near a postcode means events with a venue.
        nearby = order_by_distance(events, lat=lat, lon=lon, radius_km=50, prefix="venue__")
        nearby = nearby.order_by("starts_at")[:EVENTS_SHOWN]
        return attach_distances(nearby, lat=lat, lon=lon, attr="venue"), outcode, ""
    return list(events.order_by("starts_at")[:EVENTS_SHOWN]), "", ""


def featured_campaigns() -> list[Campaign]:
    open_actions = Action.objects.filter(open_actions_filter()).order_by("position", "pk")
    return list(
        Campaign.objects.filter(is_featured=True, status=Campaign.Status.ACTIVE)
        .prefetch_related(Prefetch("actions", queryset=open_actions, to_attr="open_actions"))
        .order_by("-updated_at")[:CAMPAIGNS_SHOWN]
    )


def online_actions() -> list[Action]:
    """Actions anyone can take from home: signing, writing and sharing."""
    return list(
        Action.objects.filter(open_actions_filter())
        .filter(kind__in=[Action.Kind.SIGN, Action.Kind.WRITE, Action.Kind.SHARE])
        .select_related("campaign")
        .order_by("-campaign__is_featured", "deadline", "-count")[:ACTIONS_SHOWN]
    )


def groups_per_area() -> list[Area]:
    return list(
        Area.objects.select_related("region")
        .annotate(group_total=Count("groups", filter=Q(groups__is_active=True)))
        .filter(group_total__gt=0)
        .order_by("region__name", "name")
    )
