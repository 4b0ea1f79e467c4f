"""Cases on other apps' pages: a group's adopted cases (one query).

{% load cases_tags %}{% adopted_cases group %}
"""

from django import template

from ..models import Case

register = template.Library()


@register.inclusion_tag("cases/_adopted_cases.html", takes_context=True)
def adopted_cases(context, group):
    cases = list(
        Case.objects.published()
        .filter(adoptions__group=group)
        .only("slug", "public_name", "country", "status", "headline")
        .order_by("public_name")
    )
    return {"cases": cases, "group": group, "is_lead": context.get("is_lead", False)}
