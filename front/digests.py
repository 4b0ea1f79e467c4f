"""Digests for activists, group leads and reps: My portal by email, once a day or a week.

The digest tick (every 15 minutes) starts one bulk send per list and period once it is
DIGEST_LOCAL_HOUR in London (the unique (kind, key) makes a second tick a no-op); the
core's bulk machinery (portal.bulk) plans, builds and delivers it exactly once. This
module says who gets each digest and what is in it: each batch is built with a fixed
number of queries (bulk fetches per batch, grouped in Python).
"""

import logging
from collections import defaultdict
from datetime import datetime, timedelta
from itertools import chain, islice, takewhile
from types import SimpleNamespace

from django.conf import settings
from django.db import models
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from campaigns.models import (
    Action,
    ActionTaken,
    Campaign,
    CampaignSupporter,
    CampaignUpdate,
    FundingRequest,
)
from cases import news as case_news
from cases.models import Case
from conversations import digest as conversation_digest
from events.models import Event, awaiting_report_q, is_quiet
from groups import coverage
from groups.models import LocalGroup, Membership, RegionalRole, TeamRole
from partners.models import PartnerSuggestion
from portal import bulk, geo, notifications
from portal.dates import LONDON
from portal.models import BulkRun, OutboxMessage, User
from resolutions import news as resolution_news
from resolutions.models import Resolution

log = logging.getLogger(__name__)


class Kind(models.TextChoices):
    """The digest lists, as bulk-send kinds (BulkRun.kind)."""

    ACTIVIST_DAILY = "activist_daily", "Activists (daily)"
    ACTIVIST_WEEKLY = "activist_weekly", "Activists (weekly)"
    LEAD = "lead", "Group leads (weekly)"
    REP = "rep", "Reps (weekly)"


LIST_OF_KIND = {
    Kind.ACTIVIST_DAILY: notifications.ACTIVIST,
    Kind.ACTIVIST_WEEKLY: notifications.ACTIVIST,
    Kind.LEAD: notifications.LEAD,
    Kind.REP: notifications.REP,
}
MAX_ITEMS = 8


# --- planning -------------------------------------------------------------------------


def period_of(kind: str, day) -> str:
    if kind == Kind.ACTIVIST_DAILY:
        return day.isoformat()
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def runs_due(now: datetime) -> list[tuple[str, str, datetime]]:
    """(kind, period, since) of the runs that should exist at this moment."""
    local = now.astimezone(LONDON)
    if not settings.DIGEST_LOCAL_HOUR <= local.hour < settings.DIGEST_LATEST_LOCAL_HOUR:
        return []
    start = local.replace(hour=settings.DIGEST_LOCAL_HOUR, minute=0, second=0, microsecond=0)
    # Wall-clock arithmetic in London, so "since" is 07:00 a day or a week ago across DST.
    day_ago = datetime.combine(start.date() - timedelta(days=1), start.time(), tzinfo=LONDON)
    week_ago = datetime.combine(start.date() - timedelta(days=7), start.time(), tzinfo=LONDON)
    runs = [(Kind.ACTIVIST_DAILY, period_of(Kind.ACTIVIST_DAILY, local.date()), day_ago)]
    if local.weekday() == settings.DIGEST_WEEKDAY:
        for kind in (Kind.ACTIVIST_WEEKLY, Kind.LEAD, Kind.REP):
            runs.append((kind, period_of(kind, local.date()), week_ago))
    return runs


def recipients(kind: str) -> QuerySet[User]:
    """Everyone who should get this digest now (checked again when each batch is built)."""
    users = User.objects.filter(is_active=True, email_verified=True)
    if kind in (Kind.ACTIVIST_DAILY, Kind.ACTIVIST_WEEKLY):
        frequency = "daily" if kind == Kind.ACTIVIST_DAILY else "weekly"
        return users.filter(campaign_digest_consent_at__isnull=False, digest_frequency=frequency)
    if kind == Kind.LEAD:
        leads = Membership.objects.leads().filter(user=OuterRef("pk"))
        return users.filter(Exists(leads), lead_digest=True)
    roles = RegionalRole.objects.filter(user=OuterRef("pk"))
    return users.filter(Exists(roles), rep_digest=True)


def plan_run(*, kind: str, period: str, since: datetime, now: datetime | None = None) -> BulkRun:
    """Create the run for this list and period and its batches once; later calls return the
    run unchanged."""
    run, _ = bulk.get_or_create_run(kind=kind, key=period, since=since, now=now)
    return bulk.plan_run(run_id=run.pk, now=now)


def run_digest_tick(*, now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    planned = [plan_run(kind=k, period=p, since=s, now=now) for k, p, s in runs_due(now)]
    return {"runs": len(planned), "dispatched": bulk.dispatch_batches(now=now)}


# --- building ------------------------------------------------------------------------


def digest_key(run: BulkRun, user_id: int) -> str:
    return f"digest:{LIST_OF_KIND[run.kind]}:{user_id}:{run.key}"


def _event_point(event: Event) -> tuple[float, float] | None:
    place = event.venue if event.venue and event.venue.latitude is not None else event.group
    if place.latitude is None or place.longitude is None:
        return None
    return place.latitude, place.longitude


def _nearby_finder(events: list[Event]):
    """district -> public events within DIGEST_NEARBY_KM, memoised per district."""
    public = [(e, _event_point(e)) for e in events if e.visibility == Event.Visibility.PUBLIC]
    cache: dict[str, list[Event]] = {}

    def nearby(district: str) -> list[Event]:
        if district not in cache:
            try:
                _, lat, lon = geo.lookup_outcode(district)
            except geo.PostcodeError:
                cache[district] = []
            else:
                cache[district] = [
                    e
                    for e, point in public
                    if point and geo.distance_km(lat, lon, *point) <= settings.DIGEST_NEARBY_KM
                ]
        return cache[district]

    return nearby


class RunItems:
    """What every batch of a run's activist digests draws on, fetched and indexed once per
    run in a worker process rather than once per batch: the public events (every batch
    needs all of them for "near you", so per batch they would cost the run batches ×
    events), indexed by group (their own and co-hosted) and by campaign, and the good news.
    Memory is bounded by the number of upcoming public events, not by the number of
    recipients. The window is a day wider than the digest's (later batches of a run are
    built a little later); each batch keeps only the events in its own window."""

    _current: "tuple[int, RunItems] | None" = None

    def __init__(self, run: BulkRun, now: datetime):
        days = 7 if run.kind == Kind.ACTIVIST_DAILY else 14
        self.events = list(
            Event.objects.filter(
                status=Event.Status.PUBLISHED,
                visibility=Event.Visibility.PUBLIC,
                starts_at__gte=now,
                starts_at__lt=now + timedelta(days=days + 1),
            )
            .select_related("venue", "group")
            .order_by("starts_at", "pk")
        )
        self.by_group, self.by_campaign = defaultdict(list), defaultdict(list)
        by_pk = {}
        for event in self.events:
            by_pk[event.pk] = event
            self.by_group[event.group_id].append(event)
            if event.campaign_id:
                self.by_campaign[event.campaign_id].append(event)
        for event_id, group_id in Event.cohost_groups.through.objects.filter(
            event_id__in=list(by_pk)
        ).values_list("event_id", "localgroup_id"):
            self.by_group[group_id].append(by_pk[event_id])
        self.nearby = _nearby_finder(self.events)
        # Cases released or improved in the period: everyone's good news.
        self.good_news = _label(case_news.good_news(since=run.since, limit=MAX_ITEMS))

    @classmethod
    def of(cls, run: BulkRun, now: datetime) -> "RunItems":
        if cls._current is None or cls._current[0] != run.pk:
            cls._current = (run.pk, cls(run, now))
        return cls._current[1]


def _label(items) -> list:
    """Absolute URLs and London times, worked out once per object that goes into some
    digest (not per recipient, nor for every event fetched)."""
    for item in items:
        if hasattr(item, "digest_url"):
            continue
        if isinstance(item, Event):
            item.digest_url = settings.SITE_URL + item.get_absolute_url()
            item.digest_when = f"{item.starts_at.astimezone(LONDON):%a %-d %b, %H:%M}"
        elif isinstance(item, CampaignUpdate):
            item.digest_url = settings.SITE_URL + item.campaign.get_absolute_url()
        elif isinstance(item, Case | Resolution):
            item.digest_url = settings.SITE_URL + item.get_absolute_url()
        else:
            item.digest_url = settings.SITE_URL + reverse(
                "campaigns:action", args=[item.campaign.slug, item.pk]
            )
    return items


def activist_contexts(users: list[User], run: BulkRun, now: datetime) -> dict[int, dict]:
    ids = [u.pk for u in users]
    groups_of, campaigns_of = defaultdict(set), defaultdict(set)
    for user_id, group_id in (
        Membership.objects.current().filter(user_id__in=ids).values_list("user_id", "group_id")
    ):
        groups_of[user_id].add(group_id)
    for user_id, campaign_id in CampaignSupporter.objects.filter(
        user_id__in=ids, campaign__status__in=[Campaign.Status.ACTIVE, Campaign.Status.PAUSED]
    ).values_list("user_id", "campaign_id"):
        campaigns_of[user_id].add(campaign_id)
    all_groups = set().union(*groups_of.values())
    all_campaigns = set().union(*campaigns_of.values())
    horizon = now + timedelta(days=7 if run.kind == Kind.ACTIVIST_DAILY else 14)
    shared = RunItems.of(run, now)
    # Members-only events of the batch's groups (and the groups co-hosting them); the
    # public ones are the run's.
    private = {
        e.pk: e
        for e in Event.objects.filter(
            status=Event.Status.PUBLISHED,
            starts_at__gte=now,
            starts_at__lt=horizon,
            group_id__in=all_groups,
        )
        .exclude(visibility=Event.Visibility.PUBLIC)
        .select_related("venue", "group")
    }
    private_of = defaultdict(list)
    for event in private.values():
        private_of[event.group_id].append(event)
    for event_id, group_id in Event.cohost_groups.through.objects.filter(
        event_id__in=list(private)
    ).values_list("event_id", "localgroup_id"):
        private_of[group_id].append(private[event_id])
    updates = list(
        CampaignUpdate.objects.filter(
            campaign_id__in=all_campaigns, created_at__gte=run.since, created_at__lt=now
        )
        .select_related("campaign")
        .order_by("-created_at", "-pk")
    )
    today = now.astimezone(LONDON).date()
    actions = list(
        Action.objects.filter(
            campaign_id__in=all_campaigns, campaign__status=Campaign.Status.ACTIVE
        )
        .filter(Q(deadline__isnull=True) | Q(deadline__gte=today))
        .select_related("campaign")
        .order_by("campaign_id", "position", "pk")
    )
    updates_of, actions_of = defaultdict(list), defaultdict(list)
    for update in updates:
        updates_of[update.campaign_id].append(update)
    for action in actions:
        actions_of[action.campaign_id].append(action)
    taken = set(
        ActionTaken.objects.filter(
            user_id__in=ids, action_id__in=[a.pk for a in actions]
        ).values_list("user_id", "action_id")
    )
    good_news = shared.good_news
    # Resolutions: new ones open for support, and results, of the AGM and of the regional
    # conferences of the person's groups' regions.
    region_of = dict(
        LocalGroup.objects.filter(pk__in=all_groups).values_list("pk", "area__region_id")
    )
    new_resolutions = resolution_news.opened_between(run.since, now)
    resolution_results = resolution_news.results_between(run.since, now)
    talk = conversation_digest.new_posts_for(users, since=run.since, now=now)
    teams = _regional_teams(set(region_of.values()))
    contexts = {}
    for user in users:
        mine_groups, mine_campaigns = groups_of[user.pk], campaigns_of[user.pk]
        mine = {e.pk: e for g in mine_groups for e in private_of[g]}
        mine.update(
            (e.pk, e)
            for public in chain(
                (shared.by_group.get(g, ()) for g in mine_groups),
                (shared.by_campaign.get(c, ()) for c in mine_campaigns),
            )
            for e in public
            if now <= e.starts_at < horizon
        )
        my_events = sorted(mine.values(), key=lambda e: (e.starts_at, e.pk))
        # The district's events are in time order: stop at MAX_ITEMS or the horizon rather
        # than filter all of them for each person (2,000 events near a city × 100,000
        # people was most of a national run).
        near = list(
            islice(
                (
                    e
                    for e in takewhile(
                        lambda e: e.starts_at < horizon, shared.nearby(user.postcode_district)
                    )
                    if e.pk not in mine and e.starts_at >= now
                ),
                MAX_ITEMS,
            )
        )
        my_updates = [u for c in mine_campaigns for u in updates_of[c]]
        if len(mine_campaigns) > 1:
            my_updates.sort(key=lambda u: (u.created_at, u.pk), reverse=True)
        to_take = [
            a for c in sorted(mine_campaigns) for a in actions_of[c] if (user.pk, a.pk) not in taken
        ]
        regions = {region_of[g] for g in mine_groups}
        to_support = [r for r in new_resolutions if resolution_news.concerns_region(r, regions)]
        results = [r for r in resolution_results if resolution_news.concerns_region(r, regions)]
        conversations = talk.get(user.pk, [])
        if not (
            my_events
            or near
            or my_updates
            or to_take
            or good_news
            or to_support
            or results
            or conversations
        ):
            continue
        contexts[user.pk] = {
            "good_news": good_news,
            "my_events": _label(my_events[:MAX_ITEMS]),
            "nearby_events": _label(near[:MAX_ITEMS]),
            "district": user.postcode_district,
            "updates": _label(my_updates[:MAX_ITEMS]),
            "actions": _label(to_take[:MAX_ITEMS]),
            "resolutions_to_support": _label(to_support[:MAX_ITEMS]),
            "resolution_results": _label(results[:MAX_ITEMS]),
            "conversations": conversations[:MAX_ITEMS],
            "regional_teams": [teams[r] for r in sorted(regions) if r in teams],
        }
    return contexts


def _regional_teams(region_ids: set[int]) -> dict[int, SimpleNamespace]:
    """The held roles of the regions' teams, one query for the batch: names and roles
    only, and the region page's contact form (addresses are never shown)."""
    teams: dict[int, SimpleNamespace] = {}
    for role in (
        TeamRole.objects.filter(region_id__in=region_ids, holder__is_active=True)
        .select_related("region", "holder")
        .only("title", "region__name", "region__slug", "holder__display_name")
        .order_by("region_id", "position", "pk")
    ):
        team = teams.get(role.region_id)
        if team is None:
            region = role.region
            team = teams[role.region_id] = SimpleNamespace(
                pk=region.pk,
                name=region.name,
                contact_url=settings.SITE_URL
                + reverse("regions:detail", args=[region.slug])
                + "#write-to-the-team",
                roles=[],
            )
        team.roles.append((role.title, role.holder.public_name))
    return teams


def lead_contexts(users: list[User], run: BulkRun, now: datetime) -> dict[int, dict]:
    leads = list(
        Membership.objects.leads()
        .filter(user_id__in=[u.pk for u in users])
        .select_related("group")
        .order_by("group__name")
    )
    group_ids = {m.group_id for m in leads}
    area_ids = {m.group.area_id for m in leads}
    per_group = defaultdict(lambda: defaultdict(list))
    for m in (
        Membership.objects.filter(group_id__in=group_ids)
        .filter(Q(joined_at__gte=run.since, left_at__isnull=True) | Q(left_at__gte=run.since))
        .select_related("user")
        .order_by("joined_at", "pk")
    ):
        per_group[m.group_id]["joined" if m.left_at is None else "left"].append(m.user.public_name)
    for event in Event.objects.filter(
        group_id__in=group_ids,
        status=Event.Status.PUBLISHED,
        starts_at__gte=now,
        starts_at__lt=now + timedelta(days=14),
    ).order_by("starts_at", "pk"):
        per_group[event.group_id]["upcoming"].append(event)
    for event in Event.objects.filter(awaiting_report_q(now), group_id__in=group_ids).order_by(
        "starts_at", "pk"
    ):
        per_group[event.group_id]["unreported"].append(event)
    for campaign in Campaign.objects.filter(
        status=Campaign.Status.PROPOSED, scope=Campaign.Scope.LOCAL, group_id__in=group_ids
    ).order_by("created_at", "pk"):
        per_group[campaign.group_id]["proposals"].append(campaign)
    suggestions_by_area = defaultdict(list)
    for suggestion in PartnerSuggestion.objects.filter(
        status=PartnerSuggestion.Status.PENDING, area_id__in=area_ids
    ).order_by("created_at", "pk"):
        suggestions_by_area[suggestion.area_id].append(suggestion)
    sections_of = defaultdict(list)
    areas_of = defaultdict(set)
    for m in leads:
        items = per_group[m.group_id]
        areas_of[m.user_id].add(m.group.area_id)
        if any(items.values()):
            sections_of[m.user_id].append({"group": m.group, **items})
    contexts = {}
    for user in users:
        suggestions = [s for a in sorted(areas_of[user.pk]) for s in suggestions_by_area[a]]
        if sections_of[user.pk] or suggestions:
            contexts[user.pk] = {"sections": sections_of[user.pk], "suggestions": suggestions}
    return contexts


def _count(queryset: QuerySet) -> Subquery:
    """A correlated COUNT(*) per group (no join fan-out between several counts)."""
    return Coalesce(
        Subquery(
            queryset.order_by().values("group").annotate(n=Count("pk")).values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


def rep_contexts(users: list[User], run: BulkRun, now: datetime) -> dict[int, dict]:
    regions_of, areas_of = defaultdict(set), defaultdict(set)
    for user_id, region_id, area_id in RegionalRole.objects.filter(
        user_id__in=[u.pk for u in users]
    ).values_list("user_id", "region_id", "area_id"):
        if region_id:
            regions_of[user_id].add(region_id)
        else:
            areas_of[user_id].add(area_id)
    regions, areas = set().union(*regions_of.values()), set().union(*areas_of.values())
    published = Event.objects.filter(group=OuterRef("pk"), status=Event.Status.PUBLISHED)
    groups = list(
        LocalGroup.objects.active()
        .filter(coverage.reps_q(regions, areas))
        .select_related("area")
        .annotate(
            last_event_at=Subquery(
                published.filter(starts_at__lte=now).order_by("-starts_at").values("starts_at")[:1]
            ),
            upcoming_events=_count(published.filter(starts_at__gt=now)),
            events_this_period=_count(
                published.filter(starts_at__gte=run.since, starts_at__lte=now)
            ),
            new_members=_count(
                Membership.objects.filter(group=OuterRef("pk"), joined_at__gte=run.since)
            ),
            has_lead=Exists(Membership.objects.leads().filter(group=OuterRef("pk"))),
        )
        .order_by("name")
    )
    for group in groups:
        group.is_quiet = is_quiet(
            last_event_at=group.last_event_at, has_upcoming=group.upcoming_events > 0, now=now
        )
    group_ids = [g.pk for g in groups]
    proposals = list(
        Campaign.objects.filter(
            status=Campaign.Status.PROPOSED, scope=Campaign.Scope.REGIONAL, region_id__in=regions
        ).order_by("created_at", "pk")
    )
    suggestions = list(
        PartnerSuggestion.objects.filter(status=PartnerSuggestion.Status.PENDING)
        .filter(Q(area_id__in=areas) | Q(area__region_id__in=regions))
        .select_related("area")
        .order_by("created_at", "pk")
    )
    funding = list(
        FundingRequest.objects.filter(
            status__in=[FundingRequest.Status.PENDING, FundingRequest.Status.QUESTION]
        )
        .filter(Q(campaign__region_id__in=regions) | Q(campaign__group_id__in=group_ids))
        .select_related("campaign", "campaign__group")
        .order_by("needed_by", "pk")
    )
    contexts = {}
    for user in users:
        my_regions, my_areas = regions_of[user.pk], areas_of[user.pk]
        my_groups = [g for g in groups if g.area_id in my_areas or g.area.region_id in my_regions]
        my_group_ids = {g.pk for g in my_groups}
        context = {
            "groups": my_groups,
            "quiet_groups": [g for g in my_groups if g.is_quiet],
            "leaderless_groups": [g for g in my_groups if not g.has_lead],
            "proposals": [p for p in proposals if p.region_id in my_regions],
            "suggestions": [
                s for s in suggestions if s.area_id in my_areas or s.area.region_id in my_regions
            ],
            "funding": [
                f
                for f in funding
                if f.campaign.region_id in my_regions or f.campaign.group_id in my_group_ids
            ],
        }
        if any(context.values()):
            contexts[user.pk] = context
    return contexts


BUILDERS = {
    Kind.ACTIVIST_DAILY: activist_contexts,
    Kind.ACTIVIST_WEEKLY: activist_contexts,
    Kind.LEAD: lead_contexts,
    Kind.REP: rep_contexts,
}


def build_messages(run: BulkRun, user_ids: list[int], now: datetime) -> list[OutboxMessage]:
    """Render the batch's non-empty digests as unsaved outbox rows. People with the same
    items (the same group's events, the same campaigns) share one rendering
    (portal.bulk.PrecompiledEmail); only their name and unsubscribe link differ."""
    # Only what the builders and the rows use: a national run loads 100,000 of them.
    users = list(
        recipients(run.kind)
        .filter(pk__in=user_ids)
        .only("email", "display_name", "postcode_district", "is_active", "is_staff")
        .order_by("pk")
    )
    with bulk.timed("contexts"):
        contexts = BUILDERS[run.kind](users, run, now)
    with bulk.timed("render"):
        return _render_messages(run, users, contexts, now)


def _render_messages(
    run: BulkRun, users: list[User], contexts: dict[int, dict], now: datetime
) -> list[OutboxMessage]:
    list_name = LIST_OF_KIND[run.kind]
    template = bulk.PrecompiledEmail.for_run(
        run, f"digest_{list_name}", personal=("name", "unsubscribe")
    )
    unsubscribe_url = notifications.unsubscribe_url_maker(list_name)
    shared = {
        "user": SimpleNamespace(public_name=template.slot("name")),
        "run": run,
        "since": run.since,
        "weekly": run.kind != Kind.ACTIVIST_DAILY,
        "unsubscribe_url": template.slot("unsubscribe"),
        "settings_url": settings.SITE_URL + reverse("notifications:settings"),
    }
    messages = []
    for user in users:
        context = contexts.get(user.pk)
        if context is None:
            continue  # an empty digest is not sent
        url = unsubscribe_url(user.pk)
        subject, text, html = template.render(
            shared=bulk.fingerprint(context),
            context=lambda context=context: {**context, **shared},
            values={"name": user.public_name, "unsubscribe": url},
        )
        messages.append(
            OutboxMessage(
                dedupe_key=digest_key(run, user.pk),
                kind=f"digest_{run.kind}",
                user_id=user.pk,
                to=user.email,
                subject=subject[:255],
                body_text=text,
                body_html=html,
                headers={
                    "List-Unsubscribe": f"<{url}>",
                    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                },
                created_at=now,
                next_attempt_at=now,
            )
        )
    return messages


def register_kinds() -> None:
    """Called once from FrontConfig.ready: each digest list is a kind of bulk send."""
    for kind in Kind:
        bulk.register(
            bulk.BulkKind(
                name=kind.value,
                recipients=lambda run: (
                    recipients(run.kind).order_by("pk").values_list("pk", flat=True)
                ),
                build=build_messages,
            )
        )
