"""Who may see and do what with cases. Views fetch through these helpers.

Published cases are public; drafts are for staff only (404 to everyone else). Staff run
cases. Solidarity messages are moderated by staff and by the moderators staff appoint.
A group's leads adopt cases for it. A printed letter is its writer's alone.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from groups.models import LocalGroup, Membership

from .models import AppealLetter, Case, CaseModerator, UrgentAction


def case_for_viewer(user, slug: str) -> Case:
    case = get_object_or_404(Case, slug=slug)
    if not case.is_published and not user.is_staff:
        raise Http404
    return case


def case_for_staff(user, slug: str) -> Case:
    """403 on a published case (it is public), 404 on a draft, for everyone but staff."""
    case = case_for_viewer(user, slug)
    if not user.is_staff:
        raise PermissionDenied
    return case


def urgent_action_for_viewer(user, slug: str, action_id: int) -> UrgentAction:
    case = case_for_viewer(user, slug)
    urgent_action = get_object_or_404(UrgentAction, pk=action_id, case=case)
    urgent_action.case = case
    return urgent_action


def is_moderator(user) -> bool:
    return user.is_authenticated and (
        user.is_staff or CaseModerator.objects.filter(user=user).exists()
    )


def require_moderator(user) -> None:
    if not is_moderator(user):
        raise PermissionDenied


def case_for_moderator(user, slug: str) -> Case:
    case = get_object_or_404(Case, slug=slug)
    if not is_moderator(user):
        if case.is_published:
            raise PermissionDenied
        raise Http404
    return case


def led_groups(user):
    """The active groups this person leads (whom they may adopt cases for)."""
    if not user.is_authenticated:
        return LocalGroup.objects.none()
    return LocalGroup.objects.active().filter(
        memberships__user=user,
        memberships__role=Membership.Role.LEAD,
        memberships__left_at__isnull=True,
    )


def letter_for_writer(user, pk: int) -> AppealLetter:
    """A person's own letter; 404 for anyone else (it holds what they wrote)."""
    if not user.is_authenticated:
        raise Http404
    return get_object_or_404(
        AppealLetter.objects.select_related("urgent_action__case", "target"), pk=pk, user=user
    )
