"""Who may see and do what with resolutions. Views fetch through these helpers.

A draft is private to its proposer and the leads of its proposing group (404 to everyone
else); from the lead's endorsement on, a resolution is public. A meeting's organisers,
who decide its agenda and record its results, are national staff for the AGM and the
reps of the region for a regional conference (groups.coverage's "a rep of this region
decides")."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from groups import coverage
from groups.models import LocalGroup, Membership

from .models import Meeting, Resolution


def leads_group(user, group_id: int) -> bool:
    return (
        user.is_authenticated
        and Membership.objects.leads().filter(user=user, group_id=group_id).exists()
    )


def led_groups(user):
    """The active groups this person leads now."""
    if not user.is_authenticated:
        return LocalGroup.objects.none()
    return LocalGroup.objects.active().filter(
        pk__in=Membership.objects.leads().filter(user=user).values("group_id")
    )


def is_organiser(user, meeting: Meeting) -> bool:
    if not user.is_authenticated:
        return False
    if meeting.is_agm:
        return user.is_staff
    return coverage.is_region_rep(user, meeting.region_id)


def can_see_draft(user, resolution: Resolution) -> bool:
    return user.is_authenticated and (
        resolution.proposer_id == user.pk or leads_group(user, resolution.group_id)
    )


def resolution_for_viewer(user, pk: int) -> Resolution:
    resolution = get_object_or_404(
        Resolution.objects.select_related("meeting__region", "group", "proposer"), pk=pk
    )
    if resolution.is_draft and not can_see_draft(user, resolution):
        raise Http404
    return resolution


def resolution_for_proposer(user, pk: int) -> Resolution:
    """The proposer's own resolution (to edit its draft)."""
    resolution = resolution_for_viewer(user, pk)
    if resolution.proposer_id != user.pk:
        raise PermissionDenied
    return resolution


def resolution_for_group_lead(user, pk: int) -> Resolution:
    """For the leads of the proposing group (to endorse the draft)."""
    resolution = resolution_for_viewer(user, pk)
    if not leads_group(user, resolution.group_id):
        raise PermissionDenied
    return resolution


def resolution_for_organiser(user, pk: int) -> Resolution:
    resolution = resolution_for_viewer(user, pk)
    if not is_organiser(user, resolution.meeting):
        raise PermissionDenied
    return resolution
