"""Who may see and do what with partners. Views fetch through these helpers."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from groups.models import Membership
from groups.permissions import groups_in_rep_scope

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
    led = set(
        Membership.objects.leads()
        .filter(user=user, group_id__in=group_ids)
        .values_list("group_id", flat=True)
    )
    covered = set(groups_in_rep_scope(user).filter(pk__in=group_ids).values_list("pk", flat=True))
    return led | covered


def can_edit_partner(user, partner: Partner) -> bool:
    """Staff; leads of a group with a partnership (any status) with it; reps covering such
    a group or one of the areas the partner serves."""
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    partnered = partner.partnerships.values_list("group_id", flat=True)
    if Membership.objects.leads().filter(user=user, group_id__in=partnered).exists():
        return True
    scope = groups_in_rep_scope(user)
    return scope.filter(Q(pk__in=partnered) | Q(area__in=partner.areas.all())).exists()


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
    if user.is_staff:
        return PartnerSuggestion.objects.all()
    led_areas = Membership.objects.leads().filter(user=user).values("group__area_id")
    roles = list(user.regional_roles.all())
    region_ids = [r.region_id for r in roles if r.region_id]
    area_ids = [r.area_id for r in roles if r.area_id]
    return PartnerSuggestion.objects.filter(
        Q(area_id__in=led_areas) | Q(area_id__in=area_ids) | Q(area__region_id__in=region_ids)
    )


def suggestion_for_decider(user, pk: int) -> PartnerSuggestion:
    """Suggestions are private to those who decide them: 404 for everyone else."""
    return get_object_or_404(
        suggestions_for_decider(user).select_related("area", "kind", "suggested_by", "group"),
        pk=pk,
    )
