from django import template

register = template.Library()


@register.simple_tag
def region_team(region):
    """The region's team roles and holders, in order (one query)."""
    return list(region.team_roles.select_related("holder"))
