"""The rules of drafting, co-sponsoring, supporting and the agenda threshold."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from resolutions import services
from resolutions.models import LogEntry, Meeting, Resolution, Support
from resolutions.services import ResolutionError
from tests.factories import UserFactory
from tests.groups.factories import LocalGroupFactory, MembershipFactory
from tests.resolutions.factories import (
    MeetingFactory,
    ResolutionFactory,
    lead_of,
    open_resolution,
)

pytestmark = pytest.mark.django_db


def test_rule_sentence_states_thresholds_and_deadline():
    meeting = MeetingFactory(
        name="AGM 2031",
        groups_needed=2,
        members_needed=50,
        submission_deadline=timezone.make_aware(timezone.datetime(2031, 3, 1, 17, 0)),
    )
    assert meeting.rule == (
        "A resolution for the AGM 2031 needs 2 groups (its proposing group and co-sponsors) "
        "and 50 members supporting it by 1 March 2031, 17:00 to go to the organisers for "
        "the agenda."
    )


def test_regional_rule_names_the_region():
    group = LocalGroupFactory()
    meeting = MeetingFactory(
        kind=Meeting.Kind.REGIONAL, region=group.area.region, name="Conference", members_needed=1
    )
    assert f"1 member of groups in the {group.area.region.name} region" in meeting.rule


def test_draft_needs_membership_of_the_group():
    meeting, group = MeetingFactory(), LocalGroupFactory()
    with pytest.raises(ResolutionError, match="You are not a member of"):
        services.draft_resolution(
            meeting=meeting,
            proposer=UserFactory(),
            group=group,
            title="T",
            notes="n",
            believes="b",
            resolves="r",
        )


def test_draft_is_refused_after_the_deadline():
    meeting = MeetingFactory(submission_deadline=timezone.now() - timedelta(minutes=1))
    membership = MembershipFactory()
    with pytest.raises(ResolutionError, match="submission deadline .* has passed"):
        services.draft_resolution(
            meeting=meeting,
            proposer=membership.user,
            group=membership.group,
            title="T",
            notes="n",
            believes="b",
            resolves="r",
        )


def test_endorsement_by_the_groups_lead_opens_it_and_freezes_the_text():
    resolution = ResolutionFactory()
    services.edit_draft(
        resolution=resolution,
        by=resolution.proposer,
        title="New",
        notes="n",
        believes="b",
        resolves="r",
    )
    with pytest.raises(ResolutionError, match="Only a lead of"):
        services.endorse(resolution=resolution, by=resolution.proposer)
    lead = lead_of(resolution.group)
    services.endorse(resolution=resolution, by=lead)
    resolution.refresh_from_db()
    assert (resolution.status, resolution.title) == (Resolution.Status.OPEN, "New")
    with pytest.raises(ResolutionError, match="can no longer change"):
        services.edit_draft(
            resolution=resolution,
            by=resolution.proposer,
            title="Sneaky",
            notes="n",
            believes="b",
            resolves="r",
        )
    assert list(LogEntry.objects.filter(resolution=resolution).values_list("action", "by")) == [
        ("edited", resolution.proposer.pk),
        ("endorsed", lead.pk),
    ]


def test_own_group_counts_once_and_other_leads_cosponsor_once():
    resolution = open_resolution()
    own_lead = lead_of(resolution.group)
    with pytest.raises(ResolutionError, match="already counts once"):
        services.cosponsor(resolution=resolution, group=resolution.group, by=own_lead)
    other = LocalGroupFactory()
    with pytest.raises(ResolutionError, match="Only a lead of"):
        services.cosponsor(resolution=resolution, group=other, by=UserFactory())
    other_lead = lead_of(other)
    services.cosponsor(resolution=resolution, group=other, by=other_lead)
    with pytest.raises(ResolutionError, match="already co-sponsors"):
        services.cosponsor(resolution=resolution, group=other, by=other_lead)
    resolution.refresh_from_db()
    assert resolution.group_count == 2


def test_inactive_or_out_of_region_group_cannot_cosponsor():
    proposing = LocalGroupFactory()
    meeting = MeetingFactory(kind=Meeting.Kind.REGIONAL, region=proposing.area.region)
    resolution = open_resolution(meeting=meeting, group=proposing)
    elsewhere = LocalGroupFactory()
    with pytest.raises(ResolutionError, match="is not in the .* region"):
        services.cosponsor(resolution=resolution, group=elsewhere, by=lead_of(elsewhere))
    closed = LocalGroupFactory(area=proposing.area, is_active=False)
    with pytest.raises(ResolutionError, match="not an active group"):
        services.cosponsor(resolution=resolution, group=closed, by=lead_of(closed))


def test_support_once_after_deadline_and_region_are_refused():
    proposing = LocalGroupFactory()
    meeting = MeetingFactory(
        kind=Meeting.Kind.REGIONAL, region=proposing.area.region, members_needed=10
    )
    resolution = open_resolution(meeting=meeting, group=proposing)
    member = MembershipFactory(group=LocalGroupFactory(area=proposing.area)).user
    services.support(resolution=resolution, user=member, comment=" Yes! ")
    with pytest.raises(ResolutionError, match="already support this resolution"):
        services.support(resolution=resolution, user=member)
    outsider = MembershipFactory().user  # a group of another region
    with pytest.raises(ResolutionError, match="only members of a group in that region"):
        services.support(resolution=resolution, user=outsider)
    later = timezone.now() + timedelta(days=31)
    another = MembershipFactory(group=proposing).user
    with pytest.raises(ResolutionError, match="deadline .* has passed"):
        services.support(resolution=resolution, user=another, now=later)
    with pytest.raises(ResolutionError, match="only before the submission deadline"):
        services.withdraw_support(resolution=resolution, user=member, now=later)
    resolution.refresh_from_db()
    assert resolution.support_count == 1
    assert Support.objects.get(resolution=resolution).comment == "Yes!"


def test_withdrawing_before_the_deadline_lowers_the_count():
    resolution = open_resolution()
    user = UserFactory()
    services.support(resolution=resolution, user=user)
    services.withdraw_support(resolution=resolution, user=user)
    resolution.refresh_from_db()
    assert resolution.support_count == 0
    with pytest.raises(ResolutionError, match="You do not support"):
        services.withdraw_support(resolution=resolution, user=user)


def test_drafts_take_no_support():
    resolution = ResolutionFactory()
    with pytest.raises(ResolutionError, match="takes no more supporters"):
        services.support(resolution=resolution, user=UserFactory())


def test_both_thresholds_submit_it_once():
    resolution = open_resolution(meeting=MeetingFactory(groups_needed=2, members_needed=2))
    for user in UserFactory.create_batch(2):
        services.support(resolution=resolution, user=user)
    resolution.refresh_from_db()
    assert resolution.status == Resolution.Status.OPEN  # one group short
    other = LocalGroupFactory()
    services.cosponsor(resolution=resolution, group=other, by=lead_of(other))
    services.support(resolution=resolution, user=UserFactory())
    resolution.refresh_from_db()
    assert resolution.status == Resolution.Status.SUBMITTED
    assert LogEntry.objects.filter(resolution=resolution, action="submitted").count() == 1


def test_close_short_after_deadline_keeps_figures():
    resolution = open_resolution(meeting=MeetingFactory(members_needed=5))
    services.support(resolution=resolution, user=UserFactory())
    assert services.close_short_resolutions() == 0
    later = timezone.now() + timedelta(days=31)
    assert services.close_short_resolutions(now=later) == 1
    assert services.close_short_resolutions(now=later) == 0
    resolution.refresh_from_db()
    assert resolution.status == Resolution.Status.CLOSED
    assert LogEntry.objects.get(resolution=resolution, action="closed").detail == (
        "fell short at the deadline: 1 of 2 groups, 1 of 5 members"
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_threshold_crossed_exactly_once_under_50_concurrent_supports():
    resolution = open_resolution(meeting=MeetingFactory(groups_needed=1, members_needed=25))
    users = UserFactory.create_batch(50)
    barrier = threading.Barrier(len(users))
    errors = []

    def attempt(user):
        try:
            barrier.wait()
            services.support(resolution=resolution, user=user)
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(u,)) for u in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    resolution.refresh_from_db()
    assert resolution.support_count == 50 == Support.objects.filter(resolution=resolution).count()
    assert resolution.status == Resolution.Status.SUBMITTED
    submitted = LogEntry.objects.filter(resolution=resolution, action="submitted")
    assert list(submitted.values_list("detail", flat=True)) == [
        "1 group and 25 members: sent to the organisers"
    ]


def test_meeting_kind_and_region_must_agree():
    meeting = MeetingFactory.build(kind=Meeting.Kind.REGIONAL, region=None)
    with pytest.raises(ValidationError, match="a regional conference needs its region"):
        meeting.full_clean()
