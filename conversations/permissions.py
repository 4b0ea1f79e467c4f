"""Who may read, write and moderate the conversations of each place. Every view, feed,
search, notification and export reads through these helpers.

- A group's threads: its current members (leads included), and the reps covering it.
- A region's noticeboard: members of any group in the region, and its reps.
- A campaign's conversation: its supporters, the members of the group running a local
  campaign and of its participating groups, and those who run it (a regional one's reps).
- A festival's: the members of its host groups.
- A resolution's discussion (one thread, from its endorsement on; a draft has none): for
  the AGM, which is movement-wide, every signed-in person; for a regional conference,
  the members of the region's groups and its reps (those who may support it). Its
  moderators are the meeting's organisers (resolutions.permissions.is_organiser: staff
  for the AGM, the region's reps for a conference) and the proposing group's leads.
Posting anywhere needs a verified address as well (the views' verified_required).
Staff read everything. Nobody signed out reads anything; outsiders get 404.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from campaigns.models import Campaign, CampaignSupporter, Participation
from campaigns.permissions import can_manage
from events.models import Festival
from groups import coverage
from groups.models import LocalGroup, Membership, Region, RegionalRole
from resolutions.models import Meeting, Resolution
from resolutions.permissions import is_organiser

from .models import PLACE_FIELDS, PlaceMute, Post, Thread

KIND_MODELS = {
    "group": LocalGroup,
    "region": Region,
    "campaign": Campaign,
    "festival": Festival,
    "resolution": Resolution,
}
# Places named by title (the others by name); a resolution, having no slug, by its id.
TITLED = ("campaign", "resolution")


@dataclass(frozen=True)
class Place:
    kind: str  # one of PLACE_FIELDS
    obj: object

    @property
    def name(self) -> str:
        return self.obj.title if self.kind in TITLED else self.obj.name

    @property
    def slug(self) -> str:
        return str(self.obj.pk) if self.kind == "resolution" else self.obj.slug

    @property
    def filter(self) -> dict:
        """Keyword arguments selecting this place's rows (threads, follows, mutes)."""
        return {self.kind: self.obj}

    @property
    def label(self) -> str:
        return {
            "group": f"{self.name} members' conversations",
            "region": f"{self.name} regional noticeboard",
            "campaign": f"{self.name}: campaign conversation",
            "festival": f"{self.name}: festival conversation",
            "resolution": f"{self.name}: resolution discussion",
        }[self.kind]


def place_of(thread: Thread) -> Place:
    return Place(thread.place_kind, thread.place)


def _member_groups(user):
    return Membership.objects.current().filter(user=user).values("group_id")


def readable_ids(user) -> dict[str, QuerySet]:
    """For each kind of place, the ids this person may read (subqueries: no query yet)."""
    groups = _member_groups(user)
    rep_groups = coverage.covered_groups(user, roles=coverage.REPS).values("pk")
    # A region's reps, and the reps of its areas.
    rep_roles = RegionalRole.objects.filter(user=user)
    rep_regions = rep_roles.filter(region__isnull=False).values("region_id")
    rep_area_regions = rep_roles.filter(area__isnull=False).values("area__region_id")
    return {
        "group": LocalGroup.objects.filter(Q(pk__in=groups) | Q(pk__in=rep_groups)).values("pk"),
        "region": Region.objects.filter(
            Q(areas__groups__in=groups) | Q(pk__in=rep_regions) | Q(pk__in=rep_area_regions)
        ).values("pk"),
        "campaign": Campaign.objects.public()
        .filter(
            Q(pk__in=CampaignSupporter.objects.filter(user=user).values("campaign_id"))
            | Q(pk__in=Participation.objects.filter(group__in=groups).values("campaign_id"))
            | Q(scope=Campaign.Scope.LOCAL, group__in=groups)
            | Q(scope=Campaign.Scope.REGIONAL, region__in=coverage.rep_region_ids(user))
        )
        .values("pk"),
        "festival": Festival.objects.filter(host_groups__in=groups).values("pk"),
        "resolution": Resolution.objects.public()
        .filter(
            Q(meeting__kind=Meeting.Kind.AGM)
            | Q(meeting__region__areas__groups__in=groups)
            | Q(meeting__region__in=rep_regions)
        )
        .values("pk"),
    }


def readable_q(user, prefix: str = "") -> Q:
    """Threads (or, with a prefix such as "thread__", posts) this person may read."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    if user.is_staff:
        return Q()
    q = Q(pk__in=[])
    for kind, ids in readable_ids(user).items():
        q |= Q(**{f"{prefix}{kind}__in": ids})
    return q


def readable_threads(user) -> QuerySet[Thread]:
    return Thread.objects.filter(readable_q(user))


def can_read(user, place: Place) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    if place.kind == "resolution" and place.obj.meeting.is_agm:
        # Movement-wide: said without a query (the resolution page asks for every reader).
        return not place.obj.is_draft
    ids = readable_ids(user)[place.kind]
    return KIND_MODELS[place.kind].objects.filter(pk=place.obj.pk, pk__in=ids).exists()


def readable_pairs(pairs) -> set[tuple[int, str, int]]:
    """Of these (person, place) pairs, those where the person may read the place, as
    (user id, kind, place id): can_read for many people and places at once, in at most
    eight queries whatever their numbers, for notifications and digests. The rules are
    readable_ids' (a test holds the two to the same answers for every kind of place and
    of reader)."""
    pairs = [(u, p) for u, p in pairs if u.is_authenticated and u.is_active]
    found = {(u.pk, p.kind, p.obj.pk) for u, p in pairs if u.is_staff}
    pairs = [(u, p) for u, p in pairs if not u.is_staff]
    if not pairs:
        return found
    ids = {u.pk for u, _ in pairs}
    wanted = defaultdict(set)
    for _, place in pairs:
        wanted[place.kind].add(place.obj.pk)
    groups_of, member_regions = defaultdict(set), defaultdict(set)
    for user_id, group_id, region_id in (
        Membership.objects.current()
        .filter(user_id__in=ids)
        .values_list("user_id", "group_id", "group__area__region_id")
    ):
        groups_of[user_id].add(group_id)
        member_regions[user_id].add(region_id)
    # Regions a person is the rep of, and the areas (with their regions) they rep.
    rep_regions, rep_areas, rep_area_regions = defaultdict(set), defaultdict(set), defaultdict(set)
    for user_id, region_id, area_id, area_region_id in RegionalRole.objects.filter(
        user_id__in=ids
    ).values_list("user_id", "region_id", "area_id", "area__region_id"):
        if region_id:
            rep_regions[user_id].add(region_id)
        else:
            rep_areas[user_id].add(area_id)
            rep_area_regions[user_id].add(area_region_id)
    group_areas = {}
    if wanted["group"]:
        group_areas = {
            pk: (area_id, region_id)
            for pk, area_id, region_id in LocalGroup.objects.filter(
                pk__in=wanted["group"]
            ).values_list("pk", "area_id", "area__region_id")
        }
    campaigns, supported, participants = {}, set(), defaultdict(set)
    if wanted["campaign"]:
        campaigns = {
            pk: (scope, group_id, region_id)
            for pk, scope, group_id, region_id in Campaign.objects.public()
            .filter(pk__in=wanted["campaign"])
            .values_list("pk", "scope", "group_id", "region_id")
        }
        supported = set(
            CampaignSupporter.objects.filter(
                user_id__in=ids, campaign_id__in=wanted["campaign"]
            ).values_list("user_id", "campaign_id")
        )
        for campaign_id, group_id in Participation.objects.filter(
            campaign_id__in=wanted["campaign"]
        ).values_list("campaign_id", "group_id"):
            participants[campaign_id].add(group_id)
    resolutions = {}
    if wanted["resolution"]:
        resolutions = {
            pk: (kind == Meeting.Kind.AGM, region_id)
            for pk, kind, region_id in Resolution.objects.public()
            .filter(pk__in=wanted["resolution"])
            .values_list("pk", "meeting__kind", "meeting__region_id")
        }
    hosts = defaultdict(set)
    if wanted["festival"]:
        for festival_id, group_id in Festival.host_groups.through.objects.filter(
            festival_id__in=wanted["festival"]
        ).values_list("festival_id", "localgroup_id"):
            hosts[festival_id].add(group_id)

    def may_read(user_id: int, kind: str, pk: int) -> bool:
        mine = groups_of[user_id]
        if kind == "group":
            area_id, region_id = group_areas[pk]
            return pk in mine or area_id in rep_areas[user_id] or region_id in rep_regions[user_id]
        if kind == "region":
            return pk in member_regions[user_id] | rep_regions[user_id] | rep_area_regions[user_id]
        if kind == "resolution":
            if pk not in resolutions:
                return False  # a draft
            agm, region_id = resolutions[pk]
            return agm or region_id in (
                member_regions[user_id] | rep_regions[user_id] | rep_area_regions[user_id]
            )
        if kind == "campaign":
            if pk not in campaigns:
                return False  # a proposal, or a rejected one
            scope, group_id, region_id = campaigns[pk]
            return bool(
                (user_id, pk) in supported
                or participants[pk] & mine
                or (scope == Campaign.Scope.LOCAL and group_id in mine)
                or (scope == Campaign.Scope.REGIONAL and region_id in rep_regions[user_id])
            )
        return bool(hosts[pk] & mine)

    found.update((u.pk, p.kind, p.obj.pk) for u, p in pairs if may_read(u.pk, p.kind, p.obj.pk))
    return found


def can_moderate(user, place: Place) -> bool:
    """Leads for their group (and a festival they host), reps for their region and its
    groups and campaigns, those who run a campaign, and staff."""
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    obj = place.obj
    if place.kind == "group":
        return coverage.covers_group(user, obj, roles={coverage.LEAD} | coverage.REPS)
    if place.kind == "region":
        return coverage.covered_areas(user, roles=coverage.REPS).filter(region=obj).exists()
    if place.kind == "campaign":
        return can_manage(user, obj)
    if place.kind == "resolution":
        return (
            is_organiser(user, obj.meeting)
            or Membership.objects.leads().filter(user=user, group_id=obj.group_id).exists()
        )
    return Membership.objects.leads().filter(user=user, group__in=obj.host_groups.all()).exists()


def is_muted(user, place: Place) -> bool:
    return PlaceMute.objects.filter(user=user, **place.filter).exists()


def place_for_reader(user, kind: str, slug: str) -> Place:
    """The place if this person may read its conversations; 404 otherwise."""
    model = KIND_MODELS.get(kind)
    if model is None or not user.is_authenticated:
        raise Http404
    if kind == "resolution":
        if not slug.isdigit():
            raise Http404
        place = Place(
            kind,
            get_object_or_404(model.objects.public().select_related("meeting__region"), pk=slug),
        )
    else:
        place = Place(kind, get_object_or_404(model, slug=slug))
    if not can_read(user, place):
        raise Http404
    return place


def thread_for_reader(user, pk: int) -> Thread:
    return get_object_or_404(
        readable_threads(user).select_related(
            *PLACE_FIELDS, "resolution__meeting__region", "author"
        ),
        pk=pk,
    )


def post_for_reader(user, pk: int) -> Post:
    return get_object_or_404(
        Post.objects.filter(readable_q(user, "thread__")).select_related(
            "thread",
            *(f"thread__{f}" for f in PLACE_FIELDS),
            "thread__resolution__meeting__region",
            "author",
        ),
        pk=pk,
    )


def post_for_moderator(user, pk: int) -> Post:
    """A post of a place the user moderates: 404 where they cannot read it, 403 where they
    can but do not moderate."""
    post = post_for_reader(user, pk)
    if not can_moderate(user, place_of(post.thread)):
        raise PermissionDenied
    return post
