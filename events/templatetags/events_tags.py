"""Upcoming events for other apps' pages (groups, partners, campaigns, curriculum
modules), and members' proposals for a group's leads: one query each.

{% load events_tags %}{% upcoming_events_for_group group %}
"""

from django import template
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from ..calendar_links import calendar_links
from ..models import Event, Festival
from ..permissions import visible_events

register = template.Library()
LIMIT = 5


def _block(context, events, *, filter_param: str, slug: str, feed_url: str | None) -> dict:
    request = context.get("request")
    events = events & visible_events(getattr(request, "user", None) or AnonymousUser())
    items = list(
        events.upcoming(timezone.now())
        .select_related("venue", "group")
        .order_by("starts_at")[: LIMIT + 1]
    )
    return {
        "events": items[:LIMIT],
        "more": len(items) > LIMIT,
        "more_query": f"{filter_param}={slug}" if filter_param else "",
        "feed_url": feed_url,
    }


@register.inclusion_tag("events/_upcoming_events.html", takes_context=True)
def upcoming_events_for_group(context, group):
    cohosted = Event.cohost_groups.through.objects.filter(localgroup=group).values("event_id")
    events = Event.objects.filter(Q(group=group) | Q(pk__in=cohosted))
    return _block(
        context,
        events,
        filter_param="group",
        slug=group.slug,
        feed_url=reverse("events:group_feed", args=[group.slug]),
    )


@register.inclusion_tag("events/_upcoming_events.html", takes_context=True)
def upcoming_events_for_campaign(context, campaign):

    return _block(
        context,
        Event.objects.filter(campaign=campaign),
        filter_param="campaign",
        slug=campaign.slug,
        feed_url=reverse("events:campaign_feed", args=[campaign.slug]),
    )


@register.inclusion_tag("events/_upcoming_events.html", takes_context=True)
def upcoming_events_for_region(context, region):
    return _block(
        context,
        Event.objects.filter(group__area__region=region),
        filter_param="",
        slug="",
        feed_url=None,
    )


@register.inclusion_tag("events/_upcoming_events.html", takes_context=True)
def upcoming_events_for_area(context, area):
    """Hosted by the area's groups, as the region page counts its events."""
    return _block(
        context, Event.objects.filter(group__area=area), filter_param="", slug="", feed_url=None
    )


@register.inclusion_tag("events/_upcoming_events.html", takes_context=True)
def upcoming_events_for_case(context, case):
    return _block(
        context, Event.objects.filter(cases=case), filter_param="", slug="", feed_url=None
    )


@register.inclusion_tag("events/_upcoming_events.html", takes_context=True)
def upcoming_events_for_partner(context, partner):
    return _block(
        context, Event.objects.filter(partners=partner), filter_param="", slug="", feed_url=None
    )


@register.inclusion_tag("events/_upcoming_events.html", takes_context=True)
def upcoming_events_for_module(context, module):
    return _block(
        context, Event.objects.filter(modules=module), filter_param="", slug="", feed_url=None
    )


@register.inclusion_tag("events/_group_proposals.html")
def event_proposals_for_group(group):
    """Members' proposals waiting for the group's leads (the group page shows it to them)."""
    return {
        "group": group,
        "proposals": list(
            Event.objects.filter(
                group=group, status__in=[Event.Status.PROPOSED, Event.Status.RETURNED]
            )
            .select_related("host")
            .order_by("starts_at", "pk")
        ),
    }


@register.inclusion_tag("events/_group_festivals.html")
def festivals_for_group(group):
    """The published festivals the group hosts that have not ended, featured at the top of
    its page: one query."""
    return {
        "festivals": list(
            Festival.objects.filter(
                host_groups=group,
                status=Festival.Status.PUBLISHED,
                ends_on__gte=timezone.localdate(),
            ).order_by("starts_on", "pk")[:3]
        )
    }


@register.inclusion_tag("events/_group_drafts.html")
def event_drafts_for_group(group):
    """The group's unpublished drafts, still to come, for its leads (the group page)."""
    return {
        "drafts": list(
            Event.objects.filter(group=group, status=Event.Status.DRAFT)
            .upcoming(timezone.now())
            .select_related("venue", "festival")
            .order_by("starts_at", "pk")
        )
    }


@register.simple_tag
def add_to_calendar_links(event):
    return calendar_links(event)


@register.filter
def uk_zone(value) -> str:
    """GMT or BST for an aware datetime. Django's "T" format leaves the zone out in the
    repeated hour when the clocks go back, which is exactly when it matters."""
    if not value:
        return ""
    return timezone.localtime(value).tzname() or ""
