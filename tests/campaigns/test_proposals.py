import pytest
from django.core import mail
from django.urls import reverse

from campaigns.models import Campaign
from portal.models import OutboxMessage
from portal.services import deliver_outbox_message
from tests.factories import UserFactory

from .conftest import login_as
from .factories import CampaignFactory

PROPOSE = reverse("campaigns:propose")


def proposal_data(group, **extra):
    return {
        "group": group.pk,
        "title": "Derby against detention",
        "summary": "Close the detention centre plans.",
        "why": "It harms people and the town opposes it.",
        "target_name": "Derby City Council",
        "target_kind": "council",
        "target_email": "",
        "goal": "The council refuses planning permission.",
        "first_action": "A petition to the council.",
        **extra,
    }


@pytest.mark.django_db
def test_member_proposes_local_campaign(client, people):
    client.force_login(people.member)
    response = client.post(PROPOSE, proposal_data(people.group))
    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert response.url == campaign.get_absolute_url()
    assert (campaign.status, campaign.scope, campaign.group, campaign.proposed_by) == (
        "proposed",
        "local",
        people.group,
        people.member,
    )
    assert campaign.slug == "derby-against-detention"
    assert campaign.proposal_reason == "It harms people and the town opposes it."


@pytest.mark.django_db
def test_same_title_gets_a_new_slug(client, people):
    client.force_login(people.member)
    client.post(PROPOSE, proposal_data(people.group))
    client.post(PROPOSE, proposal_data(people.group))
    assert sorted(Campaign.objects.values_list("slug", flat=True)) == [
        "derby-against-detention",
        "derby-against-detention-2",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["activist", "other_lead", "rep", "staff"])
def test_non_member_cannot_propose_for_the_group(client, people, who):
    login_as(client, people, who)
    response = client.post(PROPOSE, proposal_data(people.group))
    assert response.status_code == 200
    if who == "other_lead":  # has a group of their own to choose, but not this one
        assert "Select a valid choice" in response.content.decode()
    else:
        assert "Find a group near you" in response.content.decode()
    assert Campaign.objects.count() == 0


@pytest.mark.django_db
def test_propose_anonymous_goes_to_login(client, people):
    response = client.post(PROPOSE, proposal_data(people.group))
    assert response.status_code == 302
    assert Campaign.objects.count() == 0


@pytest.mark.django_db
def test_propose_unverified_member_is_refused(client, people):
    from tests.groups.factories import MembershipFactory

    user = MembershipFactory(group=people.group, user=UserFactory(email_verified=False)).user
    client.force_login(user)
    client.post(PROPOSE, proposal_data(people.group))
    assert Campaign.objects.count() == 0


@pytest.mark.django_db
def test_member_cannot_propose_regional_campaign(client, people):
    client.force_login(people.member)
    response = client.post(PROPOSE, proposal_data(people.group, regional="on"))
    assert "Only a lead of the group can propose a regional campaign." in response.content.decode()
    assert Campaign.objects.count() == 0


@pytest.mark.django_db
def test_lead_proposes_regional_campaign(client, people):
    client.force_login(people.lead)
    client.post(PROPOSE, proposal_data(people.group, regional="on"))
    campaign = Campaign.objects.get()
    assert (campaign.scope, campaign.region, campaign.group) == ("regional", people.region, None)


@pytest.mark.django_db
def test_propose_missing_fields_are_errors(client, people):
    client.force_login(people.member)
    response = client.post(PROPOSE, {"group": people.group.pk})
    assert response.status_code == 200
    assert response.content.decode().count("This field is required.") == 7


# --- deciding -------------------------------------------------------------------------


def local_proposal(people):
    return CampaignFactory(
        local=True, group=people.group, proposed=True, proposed_by=people.member, title="Vigil"
    )


def regional_proposal(people):
    return CampaignFactory(
        regional=True, region=people.region, proposed=True, proposed_by=people.lead
    )


DECIDERS = {"local": "lead", "regional": "rep"}
EVERYONE = ["anonymous", "activist", "member", "other_lead", "lead", "other_rep", "rep", "staff"]


@pytest.mark.django_db
@pytest.mark.parametrize("scope", ["local", "regional"])
@pytest.mark.parametrize("who", EVERYONE)
def test_approve_permissions(client, people, scope, who):
    campaign = local_proposal(people) if scope == "local" else regional_proposal(people)
    login_as(client, people, who)
    response = client.post(reverse("campaigns:approve", args=[campaign.slug]))
    campaign.refresh_from_db()
    if who == DECIDERS[scope]:
        assert response.status_code == 302
        assert campaign.status == "active"
        assert campaign.decided_by == getattr(people, who)
    else:
        assert campaign.status == "proposed"
        if who == "anonymous":
            assert response.status_code == 302
        else:
            # Those who may see the proposal (proposer, staff, the reps covering a local
            # one's group) are refused; others see none.
            visible = (
                who == "staff"
                or campaign.proposed_by == getattr(people, who)
                or (scope == "local" and who == "rep")
            )
            assert response.status_code == (403 if visible else 404)


@pytest.mark.django_db
@pytest.mark.parametrize("scope", ["local", "regional"])
@pytest.mark.parametrize("who", EVERYONE)
def test_decline_permissions(client, people, scope, who):
    campaign = local_proposal(people) if scope == "local" else regional_proposal(people)
    login_as(client, people, who)
    client.post(reverse("campaigns:decline", args=[campaign.slug]), {"reason": "Not now."})
    campaign.refresh_from_db()
    assert campaign.status == ("rejected" if who == DECIDERS[scope] else "proposed")


@pytest.mark.django_db
def test_approve_emails_the_proposer(client, people):
    campaign = local_proposal(people)
    client.force_login(people.lead)
    client.post(reverse("campaigns:approve", args=[campaign.slug]))
    message = OutboxMessage.objects.get()
    assert deliver_outbox_message(message_id=message.pk) == "sent"
    assert mail.outbox[0].to == [people.member.email]
    assert mail.outbox[0].subject == 'Your campaign "Vigil" is approved'
    assert f"/campaigns/{campaign.slug}/" in mail.outbox[0].body


@pytest.mark.django_db
def test_decline_needs_a_reason_and_emails_it(client, people):
    campaign = local_proposal(people)
    client.force_login(people.lead)
    client.post(reverse("campaigns:decline", args=[campaign.slug]), {"reason": ""})
    campaign.refresh_from_db()
    assert campaign.status == "proposed"
    client.post(
        reverse("campaigns:decline", args=[campaign.slug]), {"reason": "We have no capacity."}
    )
    campaign.refresh_from_db()
    assert (campaign.status, campaign.decision_reason) == ("rejected", "We have no capacity.")
    message = OutboxMessage.objects.get()
    deliver_outbox_message(message_id=message.pk)
    assert mail.outbox[0].to == [people.member.email]
    assert "We have no capacity." in mail.outbox[0].body


@pytest.mark.django_db
def test_deciding_twice_is_refused_and_emails_once(client, people):
    campaign = local_proposal(people)
    client.force_login(people.lead)
    client.post(reverse("campaigns:approve", args=[campaign.slug]))
    response = client.post(reverse("campaigns:decline", args=[campaign.slug]), {"reason": "x"})
    assert response.status_code == 403  # no longer a proposal to decide
    campaign.refresh_from_db()
    assert campaign.status == "active"
    assert OutboxMessage.objects.count() == 1


@pytest.mark.django_db
def test_proposals_page_lists_what_waits_for_me(client, people):
    local = local_proposal(people)
    regional = regional_proposal(people)
    client.force_login(people.lead)
    assert list(client.get(reverse("campaigns:proposals")).context["to_decide"]) == [local]
    client.force_login(people.rep)
    assert list(client.get(reverse("campaigns:proposals")).context["to_decide"]) == [regional]
    client.force_login(people.member)
    response = client.get(reverse("campaigns:proposals"))
    assert list(response.context["to_decide"]) == []
    assert list(response.context["mine"]) == [local]


@pytest.mark.django_db
def test_proposals_page_needs_login(client):
    assert client.get(reverse("campaigns:proposals")).status_code == 302
