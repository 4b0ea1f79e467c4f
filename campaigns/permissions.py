"""Who may see and do what with campaigns. Views fetch through these helpers.

Who runs a campaign depends on its scope: the leads of the owning group (local), the
reps of its region (regional), national staff (national). Staff may also run regional
and local ones. Proposals are decided by the group's leads (local) or a rep of the
region (regional). Funding requests are seen by the group's leads and the reps
covering the group, nobody else.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from groups import coverage
from groups.coverage import is_region_rep
from groups.models import LocalGroup
from groups.permissions import is_lead_of

from .models import Campaign, FundingRequest


def can_manage(user, campaign: Campaign) -> bool:
    """Post updates, record outcomes, add actions, pause/close/mark won."""
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    if campaign.scope == Campaign.Scope.LOCAL:
        return is_lead_of(user, campaign.group)
    if campaign.scope == Campaign.Scope.REGIONAL:
        return is_region_rep(user, campaign.region_id)
    return False


def can_decide_proposal(user, campaign: Campaign) -> bool:
    if not user.is_authenticated or campaign.status != Campaign.Status.PROPOSED:
        return False
    if campaign.scope == Campaign.Scope.LOCAL:
        return is_lead_of(user, campaign.group)
    if campaign.scope == Campaign.Scope.REGIONAL:
        return is_region_rep(user, campaign.region_id)
    return user.is_staff


def can_view(user, campaign: Campaign) -> bool:
    """Public campaigns for everyone; proposals and rejected ones for the proposer, those
    who decide them, the reps covering a local one's group, and staff."""
    if campaign.is_public:
        return True
    if not user.is_authenticated:
        return False
    if user.is_staff or campaign.proposed_by_id == user.pk:
        return True
    if campaign.scope == Campaign.Scope.LOCAL:
        # The reps covering the group see its proposals (their review page lists them).
        return is_lead_of(user, campaign.group) or coverage.covers_group(
            user, campaign.group, roles=coverage.REPS
        )
    if campaign.scope == Campaign.Scope.REGIONAL:
        return is_region_rep(user, campaign.region_id)
    return False


def campaign_queryset():
    return Campaign.objects.select_related("group__area__region", "region")


def campaign_for_viewer(user, slug: str) -> Campaign:
    """404 for unknown slugs and for proposals the user may not see."""
    campaign = get_object_or_404(campaign_queryset(), slug=slug)
    if not can_view(user, campaign):
        raise Http404
    return campaign


def campaign_for_manager(user, slug: str) -> Campaign:
    """The campaign if the user may run it: 404 where they may not see it, 403 where it is
    public but not theirs to run."""
    campaign = campaign_for_viewer(user, slug)
    if not can_manage(user, campaign):
        raise PermissionDenied
    return campaign


def can_request_funding(user, campaign: Campaign) -> bool:
    return (
        user.is_authenticated
        and campaign.scope == Campaign.Scope.LOCAL
        and campaign.status in (Campaign.Status.ACTIVE, Campaign.Status.PAUSED)
        and is_lead_of(user, campaign.group)
    )


def funding_request_for(user, slug: str, pk: int) -> tuple[FundingRequest, str]:
    """The request and the viewer's side ("lead" or "rep"); 404 for everyone else, since a
    request (amounts, purposes, the region's questions) is private."""
    if not user.is_authenticated:
        raise Http404
    funding = get_object_or_404(
        FundingRequest.objects.select_related("campaign__group__area__region"),
        pk=pk,
        campaign__slug=slug,
    )
    group = funding.campaign.group
    if group is None:
        raise Http404
    if coverage.covers_group(user, group, roles=coverage.REPS):
        return funding, "rep"
    if is_lead_of(user, group):
        return funding, "lead"
    raise Http404


def groups_for_proposer(user):
    """Groups the user may propose a local campaign for: those they belong to."""
    return LocalGroup.objects.active().filter(
        memberships__user=user, memberships__left_at__isnull=True
    )


def lead_groups(user):
    return coverage.covered_groups(user, roles={coverage.LEAD}).active()


def groups_that_may_join(user, campaign: Campaign):
    """The groups the user leads that may run this campaign locally: any active group for
    a national campaign, the region's groups for a regional one, none for a local one."""
    if campaign.scope == Campaign.Scope.LOCAL or not campaign.is_open:
        return LocalGroup.objects.none()
    groups = lead_groups(user)
    if campaign.scope == Campaign.Scope.REGIONAL:
        groups = groups.filter(area__region_id=campaign.region_id)
    return groups
