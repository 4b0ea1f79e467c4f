import pytest
from django.test import RequestFactory
from django.urls import reverse

from campaigns.dashboard import my_portal_block
from campaigns.models import Action

from .factories import ActionFactory, ActionTakenFactory, CampaignFactory, SupporterFactory


def block_for(user):
    request = RequestFactory().get("/me/")
    request.user = user
    return my_portal_block(request)


@pytest.mark.django_db
def test_block_lists_my_campaigns_with_actions_not_yet_taken(verified_user):
    campaign = SupporterFactory(user=verified_user, campaign__title="Lift the Ban").campaign
    done = ActionFactory(campaign=campaign, title="Signed already")
    ActionFactory(campaign=campaign, title="Still to write", kind=Action.Kind.WRITE)
    ActionTakenFactory(action=done, user=verified_user)
    ActionTakenFactory(action=ActionFactory(campaign=campaign, title="Other"))  # someone else
    block = block_for(verified_user)
    [support] = block["supports"]
    assert [a.title for a in support.campaign.todo_actions] == ["Still to write", "Other"]
    assert [t.action.title for t in block["taken"]] == ["Signed already"]


@pytest.mark.django_db
def test_block_empty_says_what_to_do(client, verified_user):
    client.force_login(verified_user)
    html = client.get(reverse("my_portal")).content.decode()
    assert "You don't support a campaign yet." in html
    assert "No actions yet" in html


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_block_query_count_is_constant(verified_user, django_assert_num_queries, count):
    for _ in range(count):
        campaign = CampaignFactory()
        SupporterFactory(campaign=campaign, user=verified_user)
        ActionFactory(campaign=campaign)
        ActionTakenFactory(action=ActionFactory(campaign=campaign), user=verified_user)
    # supports, their open actions not taken, my actions
    with django_assert_num_queries(3):
        block = block_for(verified_user)
    assert len(block["supports"]) == count
    assert len(block["taken"]) == count


@pytest.mark.django_db
def test_my_portal_page_renders_the_block(client, verified_user):
    campaign = SupporterFactory(user=verified_user, campaign__title="Refugees Welcome").campaign
    ActionFactory(campaign=campaign, title="Sign for safe routes")
    client.force_login(verified_user)
    html = client.get(reverse("my_portal")).content.decode()
    assert "Refugees Welcome" in html
    assert "Still to do:" in html
    assert "Sign for safe routes" in html
