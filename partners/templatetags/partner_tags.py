from django import template

from partners.models import Partnership

register = template.Library()


@register.inclusion_tag("partners/_group_partners.html")
def group_partners(group):
    """The public face of a group's partnerships: only that an active one exists."""
    partnerships = (
        Partnership.objects.filter(
            group=group, status=Partnership.Status.ACTIVE, partner__is_active=True
        )
        .select_related("partner__kind")
        .order_by("partner__name")
    )
    return {"partners": [p.partner for p in partnerships]}
