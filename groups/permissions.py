"""Who may see and do what with groups. Views fetch through these helpers."""

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import LocalGroup, Membership


def groups_in_rep_scope(user) -> QuerySet[LocalGroup]:
    """Groups a regional or area rep looks after; every group for staff; none otherwise."""
    if not user.is_authenticated:
        return LocalGroup.objects.none()
    if user.is_staff:
        return LocalGroup.objects.all()
    roles = user.regional_roles.all()
    region_ids = [r.region_id for r in roles if r.region_id]
    area_ids = [r.area_id for r in roles if r.area_id]
    if not region_ids and not area_ids:
        return LocalGroup.objects.none()
    return LocalGroup.objects.filter(Q(area__region_id__in=region_ids) | Q(area_id__in=area_ids))


def is_rep_for(user, group: LocalGroup) -> bool:
    return groups_in_rep_scope(user).filter(pk=group.pk).exists()


def is_lead_of(user, group: LocalGroup) -> bool:
    return (
        user.is_authenticated and Membership.objects.leads().filter(group=group, user=user).exists()
    )


def is_member_of(user, group: LocalGroup) -> bool:
    return (
        user.is_authenticated
        and Membership.objects.current().filter(group=group, user=user).exists()
    )


def group_for_lead(user, slug: str) -> LocalGroup:
    """The group with this slug if the user leads it; 404 for anyone else (leads' pages
    must not even confirm what they hold)."""
    if not user.is_authenticated:
        raise Http404
    return get_object_or_404(
        LocalGroup,
        slug=slug,
        memberships__user=user,
        memberships__role=Membership.Role.LEAD,
        memberships__left_at__isnull=True,
    )


def group_for_lead_or_rep(user, slug: str) -> LocalGroup:
    """For pages a group's leads and the reps covering it may both see."""
    group = get_object_or_404(LocalGroup, slug=slug)
    if is_lead_of(user, group) or is_rep_for(user, group):
        return group
    raise Http404
