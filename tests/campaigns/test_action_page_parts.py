"""A campaign action's page for signed-in members (issue 22): the story comes from
portal.fragments, the person's own signature and form are rendered on each request."""

import re

import pytest
from django.test import Client

from campaigns import services
from campaigns.models import Action, Campaign
from portal import pagecache
from tests.factories import UserFactory
from tests.queries import SESSION

from .factories import ActionFactory, ActionTakenFactory, CampaignFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached(settings):
    settings.PAGE_CACHE_SECONDS = 60
    settings.LIVE_COUNTER_SECONDS = 0


@pytest.fixture
def action():
    return ActionFactory(
        campaign=CampaignFactory(title="Free them"),
        instructions="Sign **today**.",
        statement="We ask for their release.",
    )


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(client, action) -> str:
    body = client.get(action.get_absolute_url()).content.decode()
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)
    return re.sub(r">\s+<", "><", re.sub(r"\s*\n\s*", "\n", body))


@pytest.mark.parametrize("taken", [False, True])
def test_page_is_the_full_render(people, action, settings, taken):
    if taken:
        ActionTakenFactory(action=action, user=people.activist)
    client = signed_in(people.activist)
    settings.PAGE_CACHE_SECONDS = 0
    full = page(client, action)
    settings.PAGE_CACHE_SECONDS = 60
    assert page(client, action) == full
    assert page(client, action) == full
    assert "<strong>today</strong>" in full and "We ask for their release." in full
    assert ("You've done this one" in full) is taken


def test_warm_page_queries_and_a_signature_rebuilds_nothing(
    people, action, cached, django_assert_num_queries
):
    client = signed_in(people.activist)
    client.get(action.get_absolute_url())
    # user, the action with its campaign, whether the person has taken it
    with django_assert_num_queries(3 + SESSION):
        body = client.get(action.get_absolute_url()).content.decode()
    assert "0</strong> of 100 signatures" in body
    services.take_action(action=action, user=UserFactory())
    with django_assert_num_queries(3 + SESSION):
        body = client.get(action.get_absolute_url()).content.decode()
    assert "1</strong> of 100 signatures" in body


def test_own_signature_shows_at_once(people, action, cached):
    client = signed_in(people.activist)
    assert "Sign</button>" in client.get(action.get_absolute_url()).content.decode()
    client.post(f"/campaigns/{action.campaign.slug}/actions/{action.pk}/take/")
    body = client.get(action.get_absolute_url()).content.decode()
    assert "You've done this one" in body and "Sign</button>" not in body


def test_an_edit_shows_at_once(people, action, cached, django_capture_on_commit_callbacks):
    client = signed_in(people.activist)
    client.get(action.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        Action.objects.filter(pk=action.pk).update(instructions="Write *tonight*.")
        pagecache.touch(f"campaign:{action.campaign.slug}")
    body = client.get(action.get_absolute_url()).content.decode()
    assert "<em>tonight</em>" in body and "today" not in body


def test_another_campaigns_edit_keeps_the_story(
    people, action, cached, django_capture_on_commit_callbacks
):
    client = signed_in(people.activist)
    client.get(action.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        Action.objects.filter(pk=action.pk).update(instructions="Unseen until its own edit.")
        pagecache.touch(f"campaign:{CampaignFactory().slug}")
    assert "<strong>today</strong>" in client.get(action.get_absolute_url()).content.decode()


def test_a_proposal_stays_hidden_after_its_proposer_saw_it(people, cached):
    proposal = ActionFactory(
        campaign=CampaignFactory(status=Campaign.Status.PROPOSED, proposed_by=people.activist)
    )
    assert signed_in(people.activist).get(proposal.get_absolute_url()).status_code == 200
    assert signed_in(people.member).get(proposal.get_absolute_url()).status_code == 404
    wrong_campaign = f"/campaigns/{CampaignFactory().slug}/actions/{proposal.pk}/"
    assert signed_in(people.member).get(wrong_campaign).status_code == 404
