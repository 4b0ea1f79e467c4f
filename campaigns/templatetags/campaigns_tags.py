from django import template

from ..models import Campaign, Participation

register = template.Library()


@register.simple_tag
def campaigns_run_locally(group):
    """The public campaigns the group takes part in, with its local notes (one query)."""
    return list(
        Participation.objects.filter(group=group)
        .exclude(campaign__status__in=[Campaign.Status.PROPOSED, Campaign.Status.REJECTED])
        .select_related("campaign")
        .order_by("campaign__title")
    )
