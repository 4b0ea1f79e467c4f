"""Who may see and do what with partners. Views fetch through these helpers."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from groups import coverage

from .models import Partner, PartnerSuggestion


def public_partner(slug: str) -> Partner:
    """An active partner for its public page; inactive ones are 404 for everyone."""
    return get_object_or_404(Partner.objects.active().select_related("kind"), slug=slug)


def group_ids_with_private_access(user, group_ids) -> set[int]:
    """Of these groups, those whose partnership contacts and notes this user may see:
    the groups they lead and those in their rep scope (all of them for staff)."""
    group_ids = set(group_ids)
    if not user.is_authenticated or not group_ids:
        return set()
    return set(
        coverage.covered_groups(user, roles=coverage.ALL)
        .filter(pk__in=group_ids)
        .values_list("pk", flat=True)
    )


def can_edit_partner(user, partner: Partner) -> bool:
    """Staff; the person who accepted the suggestion that added it (they are asked for its
    description and logo straight away); leads of a group with a partnership (any status)
    with it; reps covering such a group or one of the areas the partner serves."""
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    if PartnerSuggestion.objects.filter(partner=partner, decided_by=user).exists():
        return True
    partnered = partner.partnerships.values_list("group_id", flat=True)
    if coverage.covered_groups(user, roles=coverage.ALL).filter(pk__in=partnered).exists():
        return True
    return (
        coverage.covered_areas(user, roles=coverage.REPS)
        .filter(pk__in=partner.areas.values("pk"))
        .exists()
    )


def partner_for_editor(user, slug: str) -> Partner:
    """404 for an inactive partner unless allowed (it is not public), 403 for an active one."""
    partner = get_object_or_404(Partner.objects.select_related("kind"), slug=slug)
    if can_edit_partner(user, partner):
        return partner
    if partner.is_active:
        raise PermissionDenied
    raise Http404


def suggestions_for_decider(user) -> QuerySet[PartnerSuggestion]:
    """Suggestions in areas where the user leads a group or is a rep (all for staff)."""
    if not user.is_authenticated:
        return PartnerSuggestion.objects.none()
    return PartnerSuggestion.objects.filter(
        area__in=coverage.covered_areas(user, roles=coverage.ALL)
    )


def suggestion_for_decider(user, pk: int) -> PartnerSuggestion:
    """Suggestions are private to those who decide them: 404 for everyone else."""
    return get_object_or_404(
        suggestions_for_decider(user).select_related("area", "kind", "suggested_by", "group"),
        pk=pk,
    )
