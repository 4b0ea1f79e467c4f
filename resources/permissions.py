"""Who may see and do what with resources. Views fetch through these helpers.

Published resources are public. A submission waiting for review (or declined) is seen by
the lead who submitted it, by staff, and by the reps covering the group it came from, who
decide it. Staff publish directly and edit anything; a lead edits their own submission
until it is published."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from groups import coverage
from groups.models import LocalGroup, Membership

from .models import Resource


def visible_resources(user) -> QuerySet[Resource]:
    resources = Resource.objects.all()
    if not user.is_authenticated:
        return resources.published()
    if user.is_staff:
        return resources
    return resources.filter(
        Q(status=Resource.Status.PUBLISHED)
        | Q(submitted_by=user)
        | Q(group__in=coverage.covered_groups(user, roles=coverage.REVIEWERS))
    )


def resource_for_viewer(user, slug: str, queryset: QuerySet[Resource] | None = None) -> Resource:
    """404 for unknown slugs and for submissions the user may not see."""
    resources = visible_resources(user)
    if queryset is not None:
        resources = queryset & resources
    return get_object_or_404(resources, slug=slug)


def lead_groups(user) -> QuerySet[LocalGroup]:
    if not user.is_authenticated:
        return LocalGroup.objects.none()
    return LocalGroup.objects.active().filter(
        pk__in=Membership.objects.leads().filter(user=user).values("group_id")
    )


def can_submit(user) -> bool:
    """Staff publish; group leads submit for review."""
    return user.is_authenticated and (
        user.is_staff or Membership.objects.leads().filter(user=user).exists()
    )


def can_edit(user, resource: Resource) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_staff or (
        resource.submitted_by_id == user.pk and resource.status != Resource.Status.PUBLISHED
    )


def resource_for_editor(user, slug: str) -> Resource:
    """The resource if the user may change it; 403 when they may see it but not edit it."""
    resource = resource_for_viewer(user, slug)
    if not can_edit(user, resource):
        raise PermissionDenied
    return resource


def review_queue(user) -> QuerySet[Resource]:
    """Submissions waiting for this person's decision: every one for staff, those of the
    groups they cover for reps, none for anyone else."""
    pending = Resource.objects.filter(status=Resource.Status.PENDING)
    if not user.is_authenticated:
        return pending.none()
    if user.is_staff:
        return pending
    return pending.filter(group__in=coverage.covered_groups(user, roles=coverage.REVIEWERS))


def can_review(user, resource: Resource) -> bool:
    return review_queue(user).filter(pk=resource.pk).exists()


def is_reviewer(user) -> bool:
    return user.is_authenticated and (user.is_staff or user.has_regional_role)
