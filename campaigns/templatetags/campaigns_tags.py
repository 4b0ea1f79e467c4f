from django import template
from django.db.models import Q

from ..models import Campaign, Participation, local_action_count

register = template.Library()


def _active_campaigns(also: Q, **where_group) -> list:
    """Active campaigns run by the groups matching ``where_group`` (LocalGroup lookups),
    or that those groups run locally, or matching ``also`` (one query)."""
    run_here = Q(**{f"group__{lookup}": value for lookup, value in where_group.items()})
    taking_part = Participation.objects.filter(run_here).values("campaign_id")
    return list(
        Campaign.objects.filter(status=Campaign.Status.ACTIVE)
        .filter(also | run_here | Q(pk__in=taking_part))
        .order_by("scope", "title")
    )


@register.simple_tag
def active_campaigns_in_region(region):
    """The region's active campaigns: regional ones, its groups' local ones, and national
    ones its groups run locally."""
    return _active_campaigns(Q(region=region), area__region=region)


@register.simple_tag
def active_campaigns_in_area(area):
    """The area's active campaigns: its groups' own, and those its groups run locally."""
    return _active_campaigns(Q(), area=area)


@register.simple_tag
def campaigns_run_locally(group):
    """The public campaigns the group takes part in, with its local notes (one query)."""
    return list(
        Participation.objects.filter(group=group)
        .exclude(campaign__status__in=[Campaign.Status.PROPOSED, Campaign.Status.REJECTED])
        .select_related("campaign")
        .annotate(local_actions=local_action_count())
        .order_by("campaign__title")
    )
