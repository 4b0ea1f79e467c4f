"""Resources for other apps' pages (campaigns): one query each.

{% load resources_tags %}{% resources_for_campaign campaign %}
"""

from django import template
from django.urls import reverse

from ..models import Resource

register = template.Library()
LIMIT = 6


@register.inclusion_tag("resources/_related_resources.html")
def resources_for_campaign(campaign):
    items = list(
        Resource.objects.published()
        .filter(campaigns=campaign)
        .order_by("-updated_at", "-pk")[: LIMIT + 1]
    )
    return {
        "resources": items[:LIMIT],
        "more_url": f"{reverse('resources:list')}?campaign={campaign.slug}"
        if len(items) > LIMIT
        else None,
    }
