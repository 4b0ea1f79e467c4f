"""One queue (groups.review_queue): the to-do badge on a rep's My portal counts exactly
what /review/ shows them, whatever their role."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign
from tests.campaigns.factories import CampaignFactory, FundingRequestFactory
from tests.events.factories import EventFactory
from tests.partners.factories import PartnerSuggestionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(world):
    """Something of every kind in both regions: regional proposals (decided by reps of the
    region), funding requests, partner suggestions and overdue reports."""
    now = timezone.now()
    manchester = world.manchester
    for region in (world.midlands, world.north_west):
        CampaignFactory(regional=True, region=region, proposed=True)
    FundingRequestFactory(campaign=Campaign.objects.get(title="Derby welcomes"))
    FundingRequestFactory(campaign=CampaignFactory(local=True, group=world.leicester))
    FundingRequestFactory(campaign=CampaignFactory(local=True, group=manchester))
    for area in (world.derbyshire, world.leicestershire, manchester.area):
        PartnerSuggestionFactory(area=area)
    for group in (world.derby, world.leicester, manchester):
        EventFactory(
            group=group,
            starts_at=now - dt.timedelta(days=10),
            ends_at=now - dt.timedelta(days=10, hours=-2),
        )


def badge(client, user) -> int:
    client.force_login(user)
    html = client.get(reverse("my_portal")).content.decode()
    if "Nothing is waiting for a decision" in html:
        return 0
    return int(re.search(r"<strong>(\d+)</strong> items? waiting for a decision", html)[1])


def review_total(client, user, region) -> int:
    client.force_login(user)
    html = client.get(reverse("review:dashboard") + f"?region={region.slug}").content.decode()
    found = re.search(
        r'What needs you<span id="queue-count"[^>]*> <span class="badge text-bg-dark">(\d+)</span>',
        html,
    )
    return int(found[1]) if found else 0


def test_regional_rep_badge_is_the_length_of_their_review_queue(client, world, waiting):
    # Midlands: 1 proposal, 2 funding requests, 2 suggestions, 2 overdue reports.
    assert review_total(client, world.rep, world.midlands) == 7
    assert badge(client, world.rep) == 7


def test_area_rep_badge_leaves_out_what_the_region_decides(client, world, waiting):
    # Leicestershire: its funding request, suggestion and overdue report; no proposals.
    assert review_total(client, world.area_rep, world.midlands) == 3
    assert badge(client, world.area_rep) == 3


def test_staff_badge_is_the_sum_of_every_region_they_can_review(client, world, waiting):
    midlands = review_total(client, world.staff, world.midlands)
    north_west = review_total(client, world.staff, world.north_west)
    assert (midlands, north_west) == (7, 4)
    assert badge(client, world.staff) == 11
