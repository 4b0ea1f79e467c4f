"""Who may see and do what with groups. Views fetch through these helpers; who covers
which groups is groups.coverage."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from . import coverage
from .models import LocalGroup, Membership


def is_lead_of(user, group: LocalGroup) -> bool:
    return (
        user.is_authenticated and Membership.objects.leads().filter(group=group, user=user).exists()
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
    if coverage.covers_group(user, group, roles=coverage.ALL):
        return group
    raise Http404
