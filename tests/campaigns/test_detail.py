import pytest
from django.urls import reverse

from campaigns.models import Action, Campaign
from tests.groups.factories import MembershipFactory
from tests.queries import SESSION

from .conftest import login_as
from .factories import (
    ActionFactory,
    ActionTakenFactory,
    CampaignFactory,
    FundingRequestFactory,
    OutcomeFactory,
    TopicFactory,
    UpdateFactory,
)


def detail(campaign):
    return reverse("campaigns:detail", args=[campaign.slug])


@pytest.mark.django_db
def test_detail_shows_goal_target_actions_progress_updates_outcomes(client):
    campaign = CampaignFactory(
        title="Lift the Ban", goal="Right to work after six months.", target_name="Home Office"
    )
    ActionFactory(campaign=campaign, title="Sign for work", goal_count=200, count=50)
    UpdateFactory(campaign=campaign, title="We met the minister")
    OutcomeFactory(campaign=campaign, summary="Council passed a motion.")
    html = client.get(detail(campaign)).content.decode()
    assert "Right to work after six months." in html
    assert "Home Office (Government)" in html
    assert "Sign for work" in html
    assert "<strong>50</strong> of 200 signatures" in html
    assert '<progress max="200" value="50"' in html
    assert "We met the minister" in html
    assert "Council passed a motion." in html


@pytest.mark.django_db
def test_detail_has_open_graph_tags(client):
    campaign = CampaignFactory(title="Refugees Welcome", summary="Safe routes now.")
    html = client.get(detail(campaign)).content.decode()
    assert '<meta property="og:title" content="Refugees Welcome">' in html
    assert '<meta property="og:description" content="Safe routes now.">' in html
    assert f'content="http://127.0.0.1:8000/campaigns/{campaign.slug}/"' in html


@pytest.mark.django_db
def test_detail_shows_only_signers_who_chose_to_show_their_name(client):
    action = ActionFactory()
    ActionTakenFactory(action=action, user__display_name="Shown Person", show_name=True)
    ActionTakenFactory(action=action, user__display_name="Hidden Person", show_name=False)
    html = client.get(detail(action.campaign)).content.decode()
    assert "Shown P." in html
    assert "Hidden" not in html
    assert "example.org" not in html


@pytest.mark.django_db
def test_detail_unknown_slug_is_404(client):
    assert client.get("/campaigns/nope/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 404),
        ("activist", 404),
        ("member", 404),
        ("other_lead", 404),
        ("other_rep", 404),
        # The reps covering the group see it (their review page lists it); the group's
        # leads decide it.
        ("rep", 200),
        ("proposer", 200),
        ("lead", 200),
        ("staff", 200),
    ],
)
def test_detail_of_local_proposal_is_private(client, people, who, status):
    proposer = MembershipFactory(group=people.group).user
    campaign = CampaignFactory(local=True, group=people.group, proposed=True, proposed_by=proposer)
    if who == "proposer":
        client.force_login(proposer)
    else:
        login_as(client, people, who)
    assert client.get(detail(campaign)).status_code == status


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "visible"), [("lead", True), ("rep", True), ("member", False)])
def test_detail_lists_funding_requests_only_to_lead_and_rep(client, people, who, visible):
    funding = FundingRequestFactory(campaign__group=people.group, purpose="Secret purpose")
    login_as(client, people, who)
    html = client.get(detail(funding.campaign)).content.decode()
    assert (funding.get_absolute_url() in html) is visible


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_detail_query_count_is_constant(client, people, django_assert_num_queries, count):
    campaign = CampaignFactory(local=True, group=people.group)
    for n in range(count):
        action = ActionFactory(campaign=campaign, kind=Action.Kind.SIGN)
        ActionTakenFactory(action=action, show_name=True)
        ActionTakenFactory(action=action, user=people.member)
        UpdateFactory(campaign=campaign)
        OutcomeFactory(campaign=campaign)
        campaign.topics.add(TopicFactory())
        FundingRequestFactory(campaign=campaign, purpose=f"Purpose {n}")
    client.force_login(people.lead)
    # signers (newest ids, then their rows), funding requests, updates, outcomes, related
    # resources and events: none of them per item
    with django_assert_num_queries(17 + SESSION):
        response = client.get(detail(campaign))
    assert response.status_code == 200
    assert len(response.context["actions"]) == count


@pytest.mark.django_db
def test_detail_of_public_campaign_is_visible_to_anyone(client):
    campaign = CampaignFactory(status=Campaign.Status.WON)
    assert client.get(detail(campaign)).status_code == 200
