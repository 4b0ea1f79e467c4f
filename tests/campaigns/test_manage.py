import datetime

import pytest
from django.urls import reverse

from campaigns import services
from campaigns.models import Action, Campaign, CampaignUpdate, Outcome

from .conftest import login_as
from .factories import CampaignFactory, UpdateFactory

S = Campaign.Status


def campaign_of(scope, people):
    if scope == "local":
        return CampaignFactory(local=True, group=people.group)
    if scope == "regional":
        return CampaignFactory(regional=True, region=people.region)
    return CampaignFactory()


# Who may run a campaign of each scope; everyone else gets 403 (the campaign is public)
# or the login page.
MANAGERS = {
    "local": {"lead", "staff"},
    "regional": {"rep", "staff"},
    "national": {"staff"},
}
EVERYONE = ["anonymous", "activist", "member", "other_lead", "lead", "other_rep", "rep", "staff"]


@pytest.mark.django_db
@pytest.mark.parametrize("scope", ["local", "regional", "national"])
@pytest.mark.parametrize("who", EVERYONE)
def test_post_update_permissions(client, people, scope, who):
    campaign = campaign_of(scope, people)
    login_as(client, people, who)
    url = reverse("campaigns:post_update", args=[campaign.slug])
    response = client.post(url, {"title": "News", "body": "We met the council."})
    if who in MANAGERS[scope]:
        assert response.status_code == 302
        assert CampaignUpdate.objects.get().title == "News"
    else:
        assert response.status_code == (302 if who == "anonymous" else 403)
        assert CampaignUpdate.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("scope", ["local", "regional", "national"])
@pytest.mark.parametrize("who", EVERYONE)
def test_record_outcome_permissions(client, people, scope, who):
    campaign = campaign_of(scope, people)
    login_as(client, people, who)
    url = reverse("campaigns:record_outcome", args=[campaign.slug])
    response = client.post(url, {"date": "2025-03-01", "kind": "win", "summary": "Motion passed."})
    if who in MANAGERS[scope]:
        assert response.status_code == 302
        outcome = Outcome.objects.get()
        assert (outcome.date, outcome.kind) == (datetime.date(2025, 3, 1), "win")
    else:
        assert response.status_code == (302 if who == "anonymous" else 403)
        assert Outcome.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["member", "other_lead", "rep"])
def test_add_action_refused_for_non_managers_of_local_campaign(client, people, who):
    campaign = campaign_of("local", people)
    login_as(client, people, who)
    url = reverse("campaigns:add_action", args=[campaign.slug])
    assert client.get(url).status_code == 403
    assert client.post(url, {"kind": "sign", "title": "X"}).status_code == 403


@pytest.mark.django_db
def test_add_action_by_lead(client, people):
    campaign = campaign_of("local", people)
    client.force_login(people.lead)
    url = reverse("campaigns:add_action", args=[campaign.slug])
    response = client.post(
        url, {"kind": "pledge", "title": "Come to the vigil", "goal_count": "50"}
    )
    assert response.status_code == 302
    action = Action.objects.get()
    assert (action.kind, action.title, action.goal_count, action.count) == (
        "pledge",
        "Come to the vigil",
        50,
        0,
    )


@pytest.mark.django_db
def test_update_form_errors_are_shown(client, people):
    campaign = campaign_of("local", people)
    client.force_login(people.lead)
    response = client.post(reverse("campaigns:post_update", args=[campaign.slug]), {})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()


@pytest.mark.django_db
def test_updates_for_supporter_digest(people):
    from campaigns.models import CampaignUpdate as Update

    from .factories import SupporterFactory

    supported = SupporterFactory(user=people.activist).campaign
    mine = UpdateFactory(campaign=supported)
    UpdateFactory()  # a campaign the activist does not support
    since = mine.created_at - datetime.timedelta(minutes=1)
    assert list(Update.objects.for_supporter(people.activist, since=since)) == [mine]


# --- the status machine ----------------------------------------------------------------

LEGAL = [
    (S.PROPOSED, S.ACTIVE),
    (S.PROPOSED, S.REJECTED),
    (S.ACTIVE, S.PAUSED),
    (S.ACTIVE, S.WON),
    (S.ACTIVE, S.CLOSED),
    (S.PAUSED, S.ACTIVE),
    (S.PAUSED, S.CLOSED),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("start", "end"), [(a, b) for a in S.values for b in S.values])
def test_status_machine_allows_only_legal_transitions(start, end):
    campaign = CampaignFactory(status=start)
    if (start, end) in LEGAL:
        services.change_status(campaign=campaign, to=end)
        campaign.refresh_from_db()
        assert campaign.status == end
    else:
        with pytest.raises(services.CampaignStatusError):
            services.change_status(campaign=campaign, to=end)
        campaign.refresh_from_db()
        assert campaign.status == start


@pytest.mark.django_db
def test_status_machine_message_is_clear():
    campaign = CampaignFactory(status=S.WON)
    with pytest.raises(services.CampaignStatusError) as exc:
        services.change_status(campaign=campaign, to=S.ACTIVE)
    assert str(exc.value) == (
        "A won campaign cannot become active. It is finished and cannot change any more."
    )
    campaign = CampaignFactory(status=S.PAUSED)
    with pytest.raises(services.CampaignStatusError) as exc:
        services.change_status(campaign=campaign, to=S.WON)
    assert str(exc.value) == (
        "A paused campaign cannot become won. It can only become: active, closed."
    )


@pytest.mark.django_db
def test_status_machine_rejects_unknown_status():
    with pytest.raises(services.CampaignStatusError):
        services.change_status(campaign=CampaignFactory(), to="launched")


@pytest.mark.django_db
def test_change_status_view_by_lead(client, people):
    campaign = campaign_of("local", people)
    client.force_login(people.lead)
    url = reverse("campaigns:change_status", args=[campaign.slug])
    client.post(url, {"status": "won"})
    campaign.refresh_from_db()
    assert campaign.status == S.WON
    response = client.post(url, {"status": "active"}, follow=True)
    assert "A won campaign cannot become active." in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.status == S.WON


@pytest.mark.django_db
def test_change_status_view_cannot_approve_a_proposal(client, people):
    campaign = CampaignFactory(local=True, group=people.group, proposed=True)
    client.force_login(people.lead)
    client.post(reverse("campaigns:change_status", args=[campaign.slug]), {"status": "active"})
    campaign.refresh_from_db()
    assert campaign.status == S.PROPOSED


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["member", "other_lead", "rep", "activist"])
def test_change_status_view_refused_for_others(client, people, who):
    campaign = campaign_of("local", people)
    login_as(client, people, who)
    url = reverse("campaigns:change_status", args=[campaign.slug])
    assert client.post(url, {"status": "closed"}).status_code == 403
    campaign.refresh_from_db()
    assert campaign.status == S.ACTIVE


@pytest.mark.django_db
def test_change_status_needs_post(client, people):
    campaign = campaign_of("local", people)
    client.force_login(people.lead)
    assert client.get(reverse("campaigns:change_status", args=[campaign.slug])).status_code == 405
