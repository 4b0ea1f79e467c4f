"""The activists' digest mentions new resolutions open for support in the person's region
(the AGM's and their region's conference's) and results recorded in the period."""

from datetime import timedelta

import pytest
from django.utils import timezone

from front import digests
from portal.models import BulkRun
from resolutions import services
from resolutions.models import Meeting
from tests.factories import UserFactory
from tests.groups.factories import LocalGroupFactory, MembershipFactory
from tests.resolutions.factories import MeetingFactory, open_resolution

pytestmark = pytest.mark.django_db


def test_digest_lists_resolutions_of_my_region_and_results():
    now = timezone.now()
    home = LocalGroupFactory()
    ada = UserFactory(campaign_digest_consent_at=now, digest_frequency="weekly")
    MembershipFactory(group=home, user=ada)
    mine = MeetingFactory(kind=Meeting.Kind.REGIONAL, region=home.area.region, name="Home conf")
    elsewhere_group = LocalGroupFactory()
    elsewhere = MeetingFactory(
        kind=Meeting.Kind.REGIONAL, region=elsewhere_group.area.region, name="Far conf"
    )
    open_resolution(meeting=mine, group=home, title="Regional one")
    open_resolution(meeting=elsewhere, group=elsewhere_group, title="Far one")
    open_resolution(meeting=MeetingFactory(name="The AGM"), title="National one")
    decided = open_resolution(meeting=MeetingFactory(members_needed=1, groups_needed=1))
    services.support(resolution=decided, user=UserFactory())
    staff = UserFactory(is_staff=True)
    services.decide(resolution=decided, by=staff, decision="accept")
    services.record_result(
        resolution=decided,
        by=staff,
        result="passed",
        votes_for=70,
        votes_against=4,
        abstentions=1,
    )
    run = BulkRun.objects.create(
        kind=digests.Kind.ACTIVIST_WEEKLY, key="2031-W01", since=now - timedelta(days=7)
    )
    [message] = digests.build_messages(run, [ada.pk], timezone.now())
    assert "RESOLUTIONS OPEN FOR YOUR SUPPORT" in message.body_text
    assert "Regional one" in message.body_text and "National one" in message.body_text
    assert "Far one" not in message.body_text
    assert f"{decided.title} ({decided.meeting.name}): passed, 70 for, 4 against" in (
        message.body_text
    )
    assert "Resolutions open for your support</h2>" in message.body_html
