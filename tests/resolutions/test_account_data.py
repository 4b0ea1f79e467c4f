from datetime import timedelta

import pytest
from django.utils import timezone

from front import account_data
from resolutions import services
from resolutions.models import Resolution, Support
from tests.factories import UserFactory
from tests.resolutions.factories import MeetingFactory, open_resolution

pytestmark = pytest.mark.django_db


def test_my_data_lists_what_i_proposed_and_supported():
    resolution = open_resolution(title="Lift the ban")
    user = resolution.proposer
    services.support(resolution=resolution, user=user, comment="Mine")
    data = account_data.collect_personal_data(user)
    assert [r["resolution"] for r in data["resolutions_proposed"]] == ["Lift the ban"]
    assert [(s["resolution"], s["comment"]) for s in data["resolutions_supported"]] == [
        ("Lift the ban", "Mine")
    ]


def test_erasing_withdraws_open_supports_and_keeps_decided_figures():
    still_open = open_resolution(meeting=MeetingFactory(members_needed=9))
    decided = open_resolution(meeting=MeetingFactory(members_needed=1, groups_needed=1))
    leaver, stayer = UserFactory(), UserFactory()
    services.support(resolution=still_open, user=leaver, comment="Bye")
    services.support(resolution=still_open, user=stayer)
    services.support(resolution=decided, user=leaver, comment="Bye")
    services.decide(resolution=decided, by=UserFactory(is_staff=True), decision="accept")
    Resolution.objects.filter(pk=decided.pk).update(
        meeting=MeetingFactory(submission_deadline=timezone.now() - timedelta(days=1))
    )
    account_data.delete_account(user=leaver)
    still_open.refresh_from_db()
    decided.refresh_from_db()
    assert (still_open.support_count, decided.support_count) == (1, 1)
    assert list(Support.objects.filter(resolution=still_open).values_list("user", flat=True)) == [
        stayer.pk
    ]
    assert list(Support.objects.filter(resolution=decided).values_list("user", "comment")) == [
        (None, "")
    ]
