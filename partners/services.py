"""Every write to partners, partnerships and suggestions, plus the suggestion ranking."""

import contextlib
import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from groups.models import LocalGroup
from portal import pagecache
from portal.geo import PostcodeError, distance_km, lookup_outcode
from portal.nearby import order_by_distance
from portal.services import queue_email, render_email

from .models import Partner, PartnerKind, Partnership, PartnershipChange, PartnerSuggestion

NEARBY_RADIUS_KM = 30
# Paths under /partners/ that a partner slug must not shadow.
RESERVED_SLUGS = {"group", "suggest", "suggestions", "new"}
TRACKED_FIELDS = (
    "status",
    "since",
    "activities",
    "contact_name",
    "contact_email",
    "contact_phone",
    "private_notes",
)


class SuggestionAlreadyDecided(Exception):
    """Someone else accepted or declined it first."""


def unique_partner_slug(name: str) -> str:
    base = slugify(name)[:180] or "partner"
    if base in RESERVED_SLUGS:
        base = f"{base}-partner"
    slug, n = base, 2
    while Partner.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _jsonable(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _snapshot(partnership: Partnership) -> dict:
    return {name: _jsonable(getattr(partnership, name)) for name in TRACKED_FIELDS}


@transaction.atomic
def create_partnership(*, group: LocalGroup, partner: Partner, by, **fields) -> Partnership:
    unknown = set(fields) - set(TRACKED_FIELDS)
    if unknown:
        raise TypeError(f"not partnership fields: {sorted(unknown)}")
    now = timezone.now()
    partnership = Partnership.objects.create(
        group=group, partner=partner, created_at=now, updated_at=now, **fields
    )
    after = _snapshot(partnership)
    PartnershipChange.objects.create(
        partnership=partnership,
        changed_by=by,
        changed_at=now,
        changes={"partner": [None, partner.name]}
        | {name: [None, value] for name, value in after.items() if value not in ("", None)},
    )
    pagecache.touch(*_partnership_scopes(partnership))
    return partnership


def _partnership_scopes(partnership: Partnership) -> list[str]:
    """A partnership shows on its group's page and its partner's (and in the listing's
    and the API's partners)."""
    return [
        f"group:{partnership.group.slug}",
        f"partner:{partnership.partner.slug}",
        "list:partners",
    ]


@transaction.atomic
def update_partnership(*, partnership: Partnership, by, **fields) -> PartnershipChange | None:
    """Save the changed fields and record who changed what; None if nothing changed."""
    unknown = set(fields) - set(TRACKED_FIELDS)
    if unknown:
        raise TypeError(f"not partnership fields: {sorted(unknown)}")
    # Lock the row so two leads saving at once each record their own diff against
    # what the other saved, not against the same stale copy.
    current = Partnership.objects.select_for_update().get(pk=partnership.pk)
    before = _snapshot(current)
    for name, value in fields.items():
        setattr(current, name, value)
    after = _snapshot(current)
    changes = {name: [before[name], after[name]] for name in fields if before[name] != after[name]}
    if not changes:
        return None
    now = timezone.now()
    current.updated_at = now
    current.save(update_fields=[*changes, "updated_at"])
    for name in [*changes, "updated_at"]:
        setattr(partnership, name, getattr(current, name))
    pagecache.touch(*_partnership_scopes(current))
    return PartnershipChange.objects.create(
        partnership=current, changed_by=by, changed_at=now, changes=changes
    )


@transaction.atomic
def update_partner(*, partner: Partner, logo=None, clear_logo: bool = False, **fields) -> Partner:
    """Save a partner's public details; logo is an already-validated ContentFile."""
    areas = fields.pop("areas", None)
    for name, value in fields.items():
        setattr(partner, name, value)
    old_logo = partner.logo.name if partner.logo else ""
    if logo is not None:
        partner.logo.save(logo.name, logo, save=False)
    elif clear_logo:
        partner.logo = ""
    partner.save()
    if areas is not None:
        partner.areas.set(areas)
    if old_logo and partner.logo.name != old_logo:
        storage = partner.logo.storage
        transaction.on_commit(lambda: storage.delete(old_logo))
    pagecache.touch(*partner.page_scopes())
    return partner


@transaction.atomic
def suggest_partner(
    *,
    by,
    area,
    name: str,
    reason: str,
    kind: PartnerKind | None = None,
    group: LocalGroup | None = None,
    website: str = "",
    town: str = "",
    postcode_district: str = "",
) -> PartnerSuggestion:
    pagecache.touch()  # a suggestion shows only to the area's leads and reps
    return PartnerSuggestion.objects.create(
        suggested_by=by,
        area=area,
        group=group,
        name=name,
        kind=kind,
        website=website,
        town=town,
        postcode_district=postcode_district,
        reason=reason,
    )


def _lock_pending(suggestion: PartnerSuggestion) -> PartnerSuggestion:
    locked = PartnerSuggestion.objects.select_for_update().get(pk=suggestion.pk)
    if locked.status != PartnerSuggestion.Status.PENDING:
        raise SuggestionAlreadyDecided
    return locked


def _tell_suggester(suggestion: PartnerSuggestion) -> None:
    user = suggestion.suggested_by
    if user is None:  # the suggester has deleted their account
        return
    outcome = suggestion.status
    subject, text, html = render_email(
        f"partners_suggestion_outcome_{outcome}", {"suggestion": suggestion, "user": user}
    )
    queue_email(
        key=f"partners:suggestion:{suggestion.pk}:{outcome}",
        to=user.email,
        subject=subject,
        text=text,
        html=html,
        kind="partners_suggestion_outcome",
        user=user,
    )


@transaction.atomic
def accept_suggestion(
    *, suggestion: PartnerSuggestion, by, kind: PartnerKind
) -> tuple[PartnerSuggestion, Partner]:
    """Turn a pending suggestion into a Partner serving the suggestion's area."""
    locked = _lock_pending(suggestion)
    lat = lon = None
    if locked.postcode_district:
        with contextlib.suppress(PostcodeError):  # suggestions may predate a data update
            _, lat, lon = lookup_outcode(locked.postcode_district)
    partner = Partner.objects.create(
        name=locked.name,
        slug=unique_partner_slug(locked.name),
        kind=kind,
        website=locked.website,
        town=locked.town,
        postcode_district=locked.postcode_district,
        latitude=lat,
        longitude=lon,
    )
    partner.areas.add(locked.area_id)
    locked.status = PartnerSuggestion.Status.ACCEPTED
    locked.kind = kind
    locked.partner = partner
    locked.decided_by = by
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "kind", "partner", "decided_by", "decided_at"])
    _tell_suggester(locked)
    # The new partner's page and the partners listing; it has no group or event yet.
    pagecache.touch(f"partner:{partner.slug}", "list:partners")
    return locked, partner


@transaction.atomic
def decline_suggestion(*, suggestion: PartnerSuggestion, by, reason: str) -> PartnerSuggestion:
    locked = _lock_pending(suggestion)
    locked.status = PartnerSuggestion.Status.DECLINED
    locked.decline_reason = reason
    locked.decided_by = by
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "decline_reason", "decided_by", "decided_at"])
    _tell_suggester(locked)
    pagecache.touch()
    return locked


@dataclass
class NearbyPartner:
    partner: Partner
    distance_km: float
    groups: list[LocalGroup] = field(default_factory=list)

    @property
    def group_count(self) -> int:
        return len(self.groups)


def partners_near_group(
    group: LocalGroup, *, radius_km: float = NEARBY_RADIUS_KM, limit: int = 20
) -> list[NearbyPartner]:
    """Active partners that other groups within radius_km work with (active partnerships)
    and this group has no partnership with at all, most nearby groups first, then
    nearest (the partner's own location, else its nearest partnered group). Three
    queries whatever the data."""
    if group.latitude is None or group.longitude is None:
        return []
    lat, lon = group.latitude, group.longitude
    nearby = {}
    candidates = order_by_distance(
        LocalGroup.objects.active().exclude(pk=group.pk), lat=lat, lon=lon, radius_km=radius_km
    ).only("pk", "name", "slug", "latitude", "longitude")
    for other in candidates:
        other.distance_km = distance_km(lat, lon, other.latitude, other.longitude)
        if other.distance_km <= radius_km:  # the box prefilter also lets in its corners
            nearby[other.pk] = other
    if not nearby:
        return []
    rows = (
        Partnership.objects.filter(
            group_id__in=nearby, status=Partnership.Status.ACTIVE, partner__is_active=True
        )
        .exclude(partner__partnerships__group=group)
        .values_list("partner_id", "group_id")
        .distinct()
    )
    groups_by_partner: dict[int, list[LocalGroup]] = {}
    for partner_id, group_id in rows:
        groups_by_partner.setdefault(partner_id, []).append(nearby[group_id])
    if not groups_by_partner:
        return []
    partners = Partner.objects.filter(pk__in=groups_by_partner).select_related("kind")
    results = []
    for partner in partners:
        working = sorted(groups_by_partner[partner.pk], key=lambda g: (g.distance_km, g.name))
        if partner.latitude is not None and partner.longitude is not None:
            distance = distance_km(lat, lon, partner.latitude, partner.longitude)
        else:
            distance = working[0].distance_km
        results.append(NearbyPartner(partner=partner, distance_km=distance, groups=working))
    results.sort(key=lambda s: (-s.group_count, s.distance_km, s.partner.name))
    return results[:limit]
