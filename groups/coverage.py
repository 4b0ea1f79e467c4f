"""Who covers what: the one definition of "the groups a person covers" and of "a rep of
this region decides", used by every app.

- A lead covers the groups they lead.
- An area rep covers every group of their areas.
- A regional rep covers every group of their regions, and decides for the region.
- Staff cover every group (but decide regional matters in the admin, not as reps).

Callers say which of these roles count for what they ask: a funding request is decided
by the reps covering the group (``roles=REPS``); the review shows reps and staff
(``REVIEWERS``); a partnership's private notes are for every role (``ALL``).
"""

from django.db.models import Q, QuerySet

from .models import Area, LocalGroup, Membership, Region, RegionalRole

LEAD, AREA_REP, REGIONAL_REP, STAFF = "lead", "area_rep", "regional_rep", "staff"
REPS = frozenset({AREA_REP, REGIONAL_REP})
REVIEWERS = REPS | {STAFF}
ALL = REVIEWERS | {LEAD}


def rep_roles(user) -> list[RegionalRole]:
    """The person's rep roles, read once per request however often they are asked for."""
    return user.rep_roles if user.is_authenticated else []


def rep_region_ids(user) -> set[int]:
    """Regions where the person is a regional rep."""
    return {role.region_id for role in rep_roles(user) if role.region_id}


def rep_area_ids(user) -> set[int]:
    """Areas where the person is an area rep."""
    return {role.area_id for role in rep_roles(user) if role.area_id}


def is_region_rep(user, region_id: int | None) -> bool:
    """A rep of this region: the one who decides regional matters (proposals, funding,
    agendas). Area reps and staff as such do not."""
    return bool(region_id) and region_id in rep_region_ids(user)


def reps_q(region_ids, area_ids, *, prefix: str = "") -> Q:
    """Groups covered by reps of these regions and areas (``prefix`` to reach the group
    from another model, e.g. "campaign__group__")."""
    return Q(**{f"{prefix}area__region_id__in": region_ids}) | Q(
        **{f"{prefix}area_id__in": area_ids}
    )


def covered_groups(user, *, roles=ALL) -> QuerySet[LocalGroup]:
    """The groups this person covers in any of these roles (one query, with subqueries)."""
    if not user.is_authenticated:
        return LocalGroup.objects.none()
    if STAFF in roles and user.is_staff:
        return LocalGroup.objects.all()
    q = Q(pk__in=[])
    if LEAD in roles:
        q |= Q(pk__in=Membership.objects.leads().filter(user=user).values("group_id"))
    if REGIONAL_REP in roles:
        q |= Q(area__region_id__in=_rep_rows(user, "region"))
    if AREA_REP in roles:
        q |= Q(area_id__in=_rep_rows(user, "area"))
    return LocalGroup.objects.filter(q)


def _rep_rows(user, level: str) -> QuerySet:
    return RegionalRole.objects.filter(user=user, **{f"{level}__isnull": False}).values(
        f"{level}_id"
    )


def covers_group(user, group: LocalGroup, *, roles=ALL) -> bool:
    return covered_groups(user, roles=roles).filter(pk=group.pk).exists()


def covered_areas(user, *, roles=ALL) -> QuerySet[Area]:
    """The areas in which this person covers groups (the whole area for reps, the areas of
    their groups for leads)."""
    if not user.is_authenticated:
        return Area.objects.none()
    if STAFF in roles and user.is_staff:
        return Area.objects.all()
    q = Q(pk__in=[])
    if LEAD in roles:
        q |= Q(pk__in=Membership.objects.leads().filter(user=user).values("group__area_id"))
    if REGIONAL_REP in roles:
        q |= Q(region_id__in=_rep_rows(user, "region"))
    if AREA_REP in roles:
        q |= Q(pk__in=_rep_rows(user, "area"))
    return Area.objects.filter(q)


def covered_regions(user, *, roles=REVIEWERS) -> list[Region]:
    """Regions in which this person covers something, by name."""
    if not user.is_authenticated:
        return []
    if STAFF in roles and user.is_staff:
        return list(Region.objects.order_by("name"))
    q = Q(pk__in=[])
    if REGIONAL_REP in roles:
        q |= Q(pk__in=_rep_rows(user, "region"))
    if AREA_REP in roles:
        q |= Q(areas__pk__in=_rep_rows(user, "area"))
    if LEAD in roles:
        q |= Q(areas__groups__in=covered_groups(user, roles={LEAD}))
    return list(Region.objects.filter(q).distinct().order_by("name"))
