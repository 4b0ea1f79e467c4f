"""Campaigns run by several groups (issue 19.4): a group's lead joins a national or
regional campaign as a participating group, shown on the campaign and group pages."""

import pytest
from django.urls import reverse

from campaigns.models import Participation
from events.models import Event
from tests.campaigns.factories import ActionFactory, ActionTakenFactory, CampaignFactory
from tests.events.factories import EventFactory
from tests.groups.factories import LocalGroupFactory

QUERIES = 9

pytestmark = pytest.mark.django_db


def test_lead_joins_national_campaign_with_a_local_note(client, people):
    campaign = CampaignFactory(title="Lift the Ban", slug="lift-the-ban")
    client.force_login(people.lead)
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert "Join as a participating group" in page
    response = client.post(
        reverse("campaigns:join", args=[campaign.slug]),
        {"group": people.group.pk, "note": "Stalls at Derby market every month"},
    )
    assert response["Location"] == campaign.get_absolute_url()
    participation = Participation.objects.get()
    assert (participation.group, participation.note, participation.joined_by) == (
        people.group,
        "Stalls at Derby market every month",
        people.lead,
    )
    client.logout()
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert "Groups running this campaign" in page
    assert "Derby</a>: Stalls at Derby market every month" in page
    group_page = client.get(people.group.get_absolute_url()).content.decode()
    assert (
        "Lift the Ban</a> (running it locally: Stalls at Derby market every month; 0 actions "
        "taken by members)" in group_page
    )


def test_regional_campaign_takes_only_its_regions_groups(client, people):
    campaign = CampaignFactory(regional=True, region=people.region)
    client.force_login(people.other_lead)
    response = client.post(
        reverse("campaigns:join", args=[campaign.slug]), {"group": people.other_group.pk}
    )
    assert response.status_code == 403
    client.force_login(people.lead)
    client.post(reverse("campaigns:join", args=[campaign.slug]), {"group": people.group.pk})
    assert list(Participation.objects.values_list("group__slug", flat=True)) == ["derby"]


def test_a_lead_cannot_join_for_a_group_they_do_not_lead(client, people):
    campaign = CampaignFactory()
    client.force_login(people.lead)
    response = client.post(
        reverse("campaigns:join", args=[campaign.slug]), {"group": people.other_group.pk}
    )
    assert response.status_code == 302
    assert Participation.objects.count() == 0


@pytest.mark.parametrize("status", ["closed", "proposed"])
def test_closed_or_local_campaigns_take_no_participants(client, people, status):
    campaign = CampaignFactory(status=status, proposed_by=people.lead)
    local = CampaignFactory(local=True, group=people.other_group)
    client.force_login(people.lead)
    for c in (campaign, local):
        response = client.post(reverse("campaigns:join", args=[c.slug]), {"group": people.group.pk})
        assert response.status_code == 403
    assert Participation.objects.count() == 0


def test_leaving_unlinks_the_groups_events(client, people):
    campaign = CampaignFactory()
    Participation.objects.create(campaign=campaign, group=people.group)
    Participation.objects.create(campaign=campaign, group=people.other_group)
    ours = EventFactory(group=people.group, campaign=campaign, status="published")
    theirs = EventFactory(group=people.other_group, campaign=campaign, status="published")
    client.force_login(people.lead)
    response = client.post(
        reverse("campaigns:leave", args=[campaign.slug]), {"group": people.group.pk}
    )
    assert response["Location"] == campaign.get_absolute_url()
    assert list(Participation.objects.values_list("group__slug", flat=True)) == ["leicester"]
    assert Event.objects.get(pk=ours.pk).campaign is None
    assert Event.objects.get(pk=theirs.pk).campaign == campaign
    # Not for a group the user does not lead.
    response = client.post(
        reverse("campaigns:leave", args=[campaign.slug]), {"group": people.other_group.pk}
    )
    assert response.status_code == 404


def test_campaign_page_query_count_is_constant(client, people, django_assert_num_queries):
    campaign = CampaignFactory()
    groups = [people.group, people.other_group, LocalGroupFactory(name="Coventry")]
    Participation.objects.create(campaign=campaign, group=groups[0], note="Derby note")
    client.get(campaign.get_absolute_url())  # warm the caches
    with django_assert_num_queries(QUERIES):
        page = client.get(campaign.get_absolute_url()).content.decode()
    assert page.count("running this campaign") == 1 and "Derby note" in page
    for group in groups[1:]:
        Participation.objects.create(campaign=campaign, group=group, note=f"{group.name} note")
    with django_assert_num_queries(QUERIES):
        page = client.get(campaign.get_absolute_url()).content.decode()
    assert "Leicester note" in page and "Coventry note" in page


def test_local_action_count_counts_the_groups_members_actions(client, people):
    campaign = CampaignFactory(title="Lift the Ban", slug="lift-the-ban")
    Participation.objects.create(campaign=campaign, group=people.group, note="Stalls")
    sign, write = ActionFactory(campaign=campaign), ActionFactory(campaign=campaign)
    ActionTakenFactory(action=sign, user=people.member)
    ActionTakenFactory(action=write, user=people.member)
    ActionTakenFactory(action=sign, user=people.lead)
    ActionTakenFactory(action=sign, user=people.activist)  # not a member of Derby
    ActionTakenFactory(action=ActionFactory(), user=people.member)  # another campaign
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert (
        'Derby</a>: Stalls <span class="text-muted small">(3 actions taken by its members)' in page
    )
    group_page = client.get(people.group.get_absolute_url()).content.decode()
    assert "Stalls; 3 actions taken by members)" in group_page
