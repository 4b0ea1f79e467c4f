"""A small world with a person in every role, shared by the authorization matrix, the
fuzz tests and the browser tests.

Apps added later extend it without editing this file: ``tests/<app>/access.py`` may define
``extend_world(world) -> dict`` (URL kwargs to add, keyed by URL name or namespace, as
``world.kwargs`` below) and ``ACCESS`` / ``MAY_SEE`` (read by the authorization matrix)."""

import importlib
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

from django.utils import timezone

from campaigns import services as campaign_services
from campaigns.models import Action, Campaign, FundingRequest
from events import links
from events import services as event_services
from events.models import RSVP, Event, EventReport, Festival, Venue
from groups.models import Announcement
from partners.models import Partner, PartnerKind, Partnership, PartnerSuggestion
from portal import notifications
from tests.factories import UserFactory
from tests.groups.factories import (
    AreaFactory,
    LocalGroupFactory,
    MembershipFactory,
    RegionalRoleFactory,
)

MEMBER_EMAIL = "member.sentinel@example.org"
CONTACT_EMAIL = "contact.sentinel@partner.example.org"
SUGGESTION = "Derby Refugee Hub"


def build_world() -> SimpleNamespace:
    """One region's worth of everything, with people in every role."""
    now = timezone.now()
    group = LocalGroupFactory(name="Derby", slug="derby")
    other_group = LocalGroupFactory(area=AreaFactory(), slug="leicester", name="Leicester")
    lead = MembershipFactory(group=group, lead=True).user
    member_ship = MembershipFactory(group=group, user__email=MEMBER_EMAIL)
    member = member_ship.user
    people = SimpleNamespace(
        anonymous=None,
        activist=UserFactory(),
        member=member,
        other_lead=MembershipFactory(group=other_group, lead=True).user,
        lead=lead,
        other_rep=RegionalRoleFactory(region=other_group.area.region).user,
        rep=RegionalRoleFactory(region=group.area.region).user,
        staff=UserFactory(is_staff=True, is_superuser=True),
        # A rep of the same region who has not set up two-factor sign-in (portal.mfa).
        rep_no_2fa=RegionalRoleFactory(region=group.area.region, two_factor=False).user,
    )
    kind = PartnerKind.objects.create(name="Faith", slug="faith")
    partner = Partner.objects.create(name="Derby Multi-Faith Centre", slug="dmfc", kind=kind)
    partner.areas.add(group.area)
    partnership = Partnership.objects.create(
        group=group,
        partner=partner,
        status=Partnership.Status.ACTIVE,
        contact_name="Pat Contact",
        contact_email=CONTACT_EMAIL,
    )
    suggestion = PartnerSuggestion.objects.create(
        suggested_by=people.activist, area=group.area, name=SUGGESTION, reason="Good"
    )
    campaign = Campaign.objects.create(
        title="Council of Sanctuary",
        slug="council-of-sanctuary",
        summary="Make Derby a council of sanctuary",
        scope=Campaign.Scope.LOCAL,
        group=group,
        status=Campaign.Status.ACTIVE,
        target_name="Derby City Council",
        target_kind=Campaign.TargetKind.COUNCIL,
        goal="A council motion",
    )
    Campaign.objects.create(
        title="Safe passage",
        slug="safe-passage",
        summary="Proposed",
        scope=Campaign.Scope.LOCAL,
        group=group,
        status=Campaign.Status.PROPOSED,
        proposed_by=member,
        target_name="MP",
        target_kind=Campaign.TargetKind.MP,
        goal="A letter",
    )
    action = Action.objects.create(campaign=campaign, kind=Action.Kind.SHARE, title="Share")
    funding = FundingRequest.objects.create(
        campaign=campaign,
        requested_by=lead,
        amount=100,
        purpose="Leaflets",
        needed_by=timezone.localdate() + timedelta(days=30),
    )
    venue = Venue.objects.create(name="Hall", slug="hall", address="1 Road", town="Derby")
    festival = Festival.objects.create(
        name="Derby Peace Week",
        slug="peace-week",
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + timedelta(days=7),
        status=Festival.Status.PUBLISHED,
    )
    festival.host_groups.add(group)
    event = Event.objects.create(
        title="Peace picnic",
        slug="peace-picnic",
        group=group,
        venue=venue,
        festival=festival,
        campaign=campaign,
        starts_at=now + timedelta(days=2),
        ends_at=now + timedelta(days=2, hours=2),
        status=Event.Status.PUBLISHED,
    )
    event.partners.add(partner)
    event_services.rsvp_to_event(event=event, user=member)
    past = Event.objects.create(
        title="Past vigil",
        slug="past-vigil",
        group=group,
        starts_at=now - timedelta(days=3),
        ends_at=now - timedelta(days=3) + timedelta(hours=1),
        status=Event.Status.PUBLISHED,
    )
    EventReport.objects.create(event=past, filed_by=lead, attendance=12)
    Announcement.objects.create(group=group, author=lead, title="Hello", body="Members only")
    kwargs = {
        "groups": {"slug": group.slug, "membership_id": member_ship.pk},
        "partners": {"slug": partner.slug, "group_slug": group.slug, "pk": suggestion.pk},
        "partners:partnership_edit": {"group_slug": group.slug, "pk": partnership.pk},
        "campaigns": {
            "slug": campaign.slug,
            "action_id": action.pk,
            "pk": funding.pk,
            "step": "approve",
            "token": campaign_services.share_token(action=action, user=member),
        },
        "campaigns:approve": {"slug": "safe-passage"},
        "campaigns:decline": {"slug": "safe-passage"},
        "events": {
            "slug": event.slug,
            "group_slug": group.slug,
            "rsvp_id": RSVP.objects.get(user=member).pk,
            "token": event_services.feed_token_for(user=member).token,
        },
        "events:group_feed": {"slug": group.slug},
        "events:campaign_feed": {"slug": campaign.slug},
        "events:festival": {"slug": festival.slug},
        "events:festival_feed": {"slug": festival.slug},
        "events:festival_copy": {"slug": festival.slug},
        "events:festival_edit": {"slug": festival.slug},
        "events:festival_publish": {"slug": festival.slug},
        "events:report": {"slug": past.slug},
        "notifications": {
            "token": notifications.unsubscribe_token(member, "activist"),
        },
        "notifications:cancel_rsvp": {
            "token": links.cancel_rsvp_token(event_id=event.pk, user_id=member.pk),
        },
        "review": {"slug": group.slug},
    }
    world = SimpleNamespace(
        people=people,
        kwargs=kwargs,
        group=group,
        other_group=other_group,
        member_ship=member_ship,
        partner=partner,
        partnership=partnership,
        campaign=campaign,
        action=action,
        venue=venue,
        festival=festival,
        event=event,
        past=past,
    )
    for module in access_modules():
        extend = getattr(module, "extend_world", None)
        if extend is not None:
            kwargs.update(extend(world))
    return world


def access_modules() -> list:
    """Every tests/<app>/access.py, in name order."""
    here = Path(__file__).parent
    return [
        importlib.import_module(f"tests.{path.parent.name}.access")
        for path in sorted(here.glob("*/access.py"))
    ]


def access_rules() -> SimpleNamespace:
    """The merged access tables of every tests/<app>/access.py (the core apps' table is
    tests/security/access.py): what the authorization matrix, the fuzz tests and the
    accessibility checks walk."""
    from tests.security.roles import ROLES

    rules = SimpleNamespace(
        roles=ROLES, access={}, may_see={}, redirects=set(), sent_back=set(), foreign=()
    )
    for module in access_modules():
        rules.access.update(getattr(module, "ACCESS", {}))
        rules.may_see.update(getattr(module, "MAY_SEE", {}))
        rules.redirects |= getattr(module, "REDIRECTS", set())
        rules.sent_back |= getattr(module, "SENT_BACK", set())
        rules.foreign += tuple(getattr(module, "FOREIGN", ()))
    return rules


def discovered_url_names() -> list[str]:
    """Every named URL in the URL configuration, with its namespace."""
    from django.urls import URLPattern, URLResolver, get_resolver

    names = []

    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern):
                names.append(f"{namespace}:{pattern.name}" if namespace else str(pattern.name))

    walk(get_resolver().url_patterns)
    return sorted(set(names))


def url_for(world, name: str) -> str:
    """The URL named ``name`` for the objects of this world (world.kwargs)."""
    from itertools import combinations

    from django.urls import NoReverseMatch, reverse

    namespace = name.split(":")[0] if ":" in name else None
    given = world.kwargs.get(name) or world.kwargs.get(namespace, {})
    for size in range(len(given) + 1):
        for keys in combinations(sorted(given), size):
            try:
                return reverse(name, kwargs={k: given[k] for k in keys})
            except NoReverseMatch:
                continue
    raise AssertionError(f"cannot build a URL for {name}")
