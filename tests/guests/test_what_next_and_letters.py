"""The "what next" panel after an action or an RSVP (issue 16, item 6), and the editable
letter to a decision-maker with no published address (issue 16, item 10)."""

from urllib.parse import quote

from django.urls import reverse

from campaigns.models import Action, ActionTaken
from events import services as event_services
from tests.campaigns.factories import ActionFactory, CampaignFactory
from tests.events.factories import EventFactory
from tests.factories import UserFactory

from .conftest import confirm_link, guest_data, path_of


def _campaign_with_actions():
    campaign = CampaignFactory(title="Lift the Ban")
    sign = ActionFactory(campaign=campaign, kind=Action.Kind.SIGN, title="Sign the letter")
    pledge = ActionFactory(campaign=campaign, kind=Action.Kind.PLEDGE, title="Pledge to lobby")
    share = ActionFactory(campaign=campaign, kind=Action.Kind.SHARE, title="Share it")
    event = EventFactory(campaign=campaign, title="Lobby day in Derby")
    return campaign, sign, pledge, share, event


def test_member_sees_what_next_after_signing(client, db):
    campaign, sign, pledge, share, event = _campaign_with_actions()
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("campaigns:take", args=[campaign.slug, sign.pk]), follow=True)
    assert response.redirect_chain[-1][0] == sign.get_absolute_url()
    page = response.content.decode()
    assert "What next?" in page
    assert "Pledge to lobby" in page  # the campaign's other action, not yet taken
    assert "Sign the letter</a>" not in page.split("What next?")[1]
    assert "Lobby day in Derby" in page  # an event coming up
    # The personal, counted share link: the campaign has a share action.
    assert f"/campaigns/{campaign.slug}/s/" in page


def test_member_sees_what_next_after_rsvp(client, db):
    campaign, sign, pledge, share, event = _campaign_with_actions()
    other_event = EventFactory(group=event.group, title="Stall on the market")
    user = UserFactory()
    client.force_login(user)
    event_services.rsvp_to_event(event=event, user=user)
    page = client.get(event.get_absolute_url()).content.decode()
    panel = page.split("What next?")[1]
    assert "Sign the letter" in panel and "Pledge to lobby" in panel
    assert other_event.title in panel
    assert event.title not in panel


def test_guest_sees_what_next_after_confirming(client, db):
    campaign, sign, pledge, share, event = _campaign_with_actions()
    client.post(reverse("guests:act", args=[campaign.slug, sign.pk]), guest_data())
    page = client.get(path_of(confirm_link())).content.decode()
    panel = page.split("What next?")[1]
    assert "Pledge to lobby" in panel and "Lobby day in Derby" in panel
    assert quote(f"/campaigns/{campaign.slug}/actions/{sign.pk}/", safe="") in panel or (
        f"/campaigns/{campaign.slug}/actions/{sign.pk}/" in panel
    )


def test_member_edits_the_letter_and_gets_it_in_an_email(client, db):
    campaign = CampaignFactory(target_email="", target_name="Derby City Council")
    action = ActionFactory(campaign=campaign, kind=Action.Kind.WRITE)
    client.force_login(UserFactory())
    page = client.get(action.get_absolute_url()).content.decode()
    assert "readonly" not in page.split('name="body"')[1].split(">")[0]
    response = client.post(
        reverse("campaigns:take", args=[campaign.slug, action.pk]),
        {"compose": "1", "subject": "My subject", "body": "In my own words."},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "In my own words.</textarea>" in page
    assert f"mailto:?subject={quote('My subject')}&amp;body={quote('In my own words.')}" in page
    assert ActionTaken.objects.count() == 0
    client.post(reverse("campaigns:take", args=[campaign.slug, action.pk]))
    assert ActionTaken.objects.count() == 1


def test_guest_edits_the_letter_and_gets_it_in_an_email_on_confirming(client, db):
    campaign = CampaignFactory(target_email="", target_name="Derby City Council")
    action = ActionFactory(campaign=campaign, kind=Action.Kind.WRITE)
    page = client.get(action.get_absolute_url()).content.decode()
    assert 'name="guest-body"' in page
    client.post(
        reverse("guests:act", args=[campaign.slug, action.pk]),
        guest_data(subject="Please", body="My words."),
    )
    page = client.get(path_of(confirm_link())).content.decode()
    assert f"mailto:?subject=Please&amp;body={quote('My words.')}" in page
    action.refresh_from_db()
    assert action.count == 1


def _queries_for_action_page(client, n):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    campaign = CampaignFactory()
    done = ActionFactory(campaign=campaign, kind=Action.Kind.SIGN)
    for i in range(n):
        ActionFactory(campaign=campaign, kind=Action.Kind.PLEDGE)
        EventFactory(campaign=campaign, title=f"Event {i}")
    user = UserFactory()
    client.force_login(user)
    from campaigns import services as campaign_services

    campaign_services.take_action(action=done, user=user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(done.get_absolute_url()).status_code == 200
    client.logout()
    with CaptureQueriesContext(connection) as anonymous:
        assert client.get(done.get_absolute_url()).status_code == 200
    return len(queries), len(anonymous)


def test_action_page_queries_do_not_grow_with_the_campaign(client, db):
    """The "what next" panel and the guest form cost the same at 1 and 3 actions/events."""
    assert _queries_for_action_page(client, 1) == (_queries_for_action_page(client, 3))
