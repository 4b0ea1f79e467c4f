from django import template
from django.db.models import Q

from ..models import Campaign, Participation, local_action_count

register = template.Library()


@register.simple_tag
def active_campaigns_in_region(region):
    """The region's active campaigns: regional ones, its groups' local ones, and national
    ones its groups run locally (one query)."""
    return list(
        Campaign.objects.filter(status=Campaign.Status.ACTIVE)
        .filter(
            Q(region=region)
            | Q(group__area__region=region)
            | Q(
                pk__in=Participation.objects.filter(group__area__region=region).values(
                    "campaign_id"
                )
            )
        )
        .order_by("scope", "title")
    )


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
