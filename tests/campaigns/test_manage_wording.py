"""Issue 16, defect 10: a proposed campaign does not offer to be run yet."""

import pytest
from django.urls import reverse

from campaigns.models import Campaign

from .factories import CampaignFactory

pytestmark = pytest.mark.django_db


def test_a_proposed_campaign_does_not_offer_run_this_campaign(client, people):
    proposed = CampaignFactory(
        proposed=True, scope=Campaign.Scope.LOCAL, group=people.group, slug="proposed-one"
    )
    client.force_login(people.lead)
    page = client.get(proposed.get_absolute_url()).content.decode()
    assert "Run this campaign" not in page
    assert reverse("campaigns:post_update", args=[proposed.slug]) not in page
    assert "waiting for the region's decision" in page

    active = CampaignFactory(scope=Campaign.Scope.LOCAL, group=people.group, slug="active-one")
    page = client.get(active.get_absolute_url()).content.decode()
    assert "Run this campaign" in page
    assert reverse("campaigns:post_update", args=[active.slug]) in page
