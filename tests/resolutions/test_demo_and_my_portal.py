from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from portal.models import OutboxMessage
from resolutions import dashboard
from resolutions.models import Meeting, Resolution
from tests.groups.factories import MembershipFactory
from tests.resolutions.factories import ResolutionFactory, open_resolution


@pytest.mark.django_db
def test_seed_demo_makes_the_agm_and_the_midlands_conference(settings, client):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)  # idempotent
    agm = Meeting.objects.get(slug="agm")
    assert agm.kind == "agm"
    deadline_in = timezone.localtime(agm.submission_deadline).date() - timezone.localdate()
    assert deadline_in == timedelta(weeks=8)
    resolution = Resolution.objects.get(meeting=agm)
    assert resolution.title == "Campaign on the human rights responsibilities of non-state actors"
    assert resolution.group.name == "Welwyn"
    assert list(resolution.cosponsors.values_list("group__name", flat=True)) == ["Banbury"]
    assert (resolution.status, resolution.group_count, resolution.support_count) == (
        "open",
        2,
        31,
    )
    assert resolution.supports.count() == 31
    midlands = Meeting.objects.get(slug="midlands-regional-conference")
    assert (midlands.kind, midlands.region.name) == ("regional", "Midlands")
    [passed] = midlands.resolutions.all()
    assert (passed.status, passed.result) == ("accepted", "passed")
    assert passed.progress_updates.count() == 2
    assert not OutboxMessage.objects.filter(kind="resolution_news").exists()
    html = client.get(reverse("resolutions:list")).content.decode()
    assert "needs 2 groups (its proposing group and co-sponsors) and 50 members" in html
    assert client.get(midlands.get_absolute_url()).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("n", [1, 3])
def test_my_resolutions_block_query_count_is_constant(django_assert_num_queries, n):
    membership = MembershipFactory(lead=True)
    user, group = membership.user, membership.group
    for i in range(n):
        ResolutionFactory(group=group, proposer=user, title=f"Mine {i}")
        ResolutionFactory(group=group, title=f"To endorse {i}")
        open_resolution(title=f"Supported {i}").supports.create(user=user)
    request = RequestFactory().get("/")
    request.user = user
    with django_assert_num_queries(3):
        block = dashboard.my_portal_block(request)
    assert [r.title for r in block["proposed"]] == [f"Mine {i}" for i in reversed(range(n))]
    assert [r.title for r in block["to_endorse"]] == [f"To endorse {i}" for i in range(n)]
    assert {r.title for r in block["supported"]} == {f"Supported {i}" for i in range(n)}
