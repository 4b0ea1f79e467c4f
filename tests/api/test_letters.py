"""Advocacy campaigns (letter actions, public) and outreaches (letters sent, outreaches:read):
OSDI shapes, counts in the list, the words only to a token that may contact the writer."""

from datetime import timedelta

import pytest
from django.utils import timezone

from api import services
from campaigns import services as campaign_services
from campaigns.models import Action
from front.account_data import delete_account
from tests.api.conftest import auth
from tests.campaigns.factories import ActionFactory, CampaignFactory
from tests.factories import UserFactory
from tests.groups.factories import MembershipFactory
from tests.people import make_people

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db):
    return make_people()


def _letter_action(group=None, **campaign):
    campaign = (
        CampaignFactory(local=True, group=group, **campaign)
        if group
        else CampaignFactory(**campaign)
    )
    return ActionFactory(
        campaign=campaign, kind=Action.Kind.WRITE, title="Write to the council", statement="Yes."
    )


def _write(action, user, subject="Sanctuary"):
    campaign_services.send_letter(
        action=action, user=user, subject=subject, body=f"Please, from {user.public_name}."
    )


def test_advocacy_campaigns_are_public_with_targets_and_the_count(api, people):
    action = _letter_action(target_name="Derby City Council", target_email="c@derby.example.org")
    _write(action, people.member)
    _write(action, people.activist)
    ActionFactory(kind=Action.Kind.SIGN)
    _letter_action(proposed=True)
    response = api.get("/api/v1/advocacy_campaigns/")
    assert response.status_code == 200
    [item] = response.json()["_embedded"]["osdi:advocacy_campaigns"]
    assert item["identifiers"] == [f"people_power:advocacy_campaign:{action.pk}"]
    assert item["title"] == "Write to the council"
    assert item["type"] == "email"
    assert item["targets"] == [{"name": "Derby City Council", "kind": "government"}]
    assert item["total_outreaches"] == 2
    assert (
        item["suggested_letter"]["body"] == "Dear Derby City Council,\n\nYes.\n\nYours sincerely,"
    )
    assert item["_links"]["osdi:outreaches"]["href"] == (
        f"http://testserver/api/v1/advocacy_campaigns/{action.pk}/outreaches/"
    )
    assert item["browser_url"].endswith(f"/campaigns/{action.campaign.slug}/actions/{action.pk}/")
    assert "Please" not in response.content.decode()  # no one's words in public
    detail = api.get(f"/api/v1/advocacy_campaigns/{action.pk}/").json()
    assert detail == item
    root = api.get("/api/v1/").json()["_links"]
    assert root["osdi:advocacy_campaigns"]["href"] == "http://testserver/api/v1/advocacy_campaigns/"


def test_outreaches_give_the_words_only_to_a_token_that_may_contact_the_writer(api, people):
    action = _letter_action(group=people.group, target_email="council@derby.example.org")
    _write(action, people.member, subject="From a member")
    _write(action, people.activist, subject="From a visitor")
    raw = services.create_token(
        name="CRM", by=people.lead, scopes=["outreaches:read"], group=people.group
    )[1]
    response = api.get(f"/api/v1/advocacy_campaigns/{action.pk}/outreaches/", **auth(raw))
    assert response.status_code == 200, response.content
    items = response.json()["_embedded"]["osdi:outreaches"]
    by_person = {item["_links"]["osdi:person"]["href"].split("/")[-2]: item for item in items}
    member, visitor = by_person[str(people.member.pk)], by_person[str(people.activist.pk)]
    assert member["subject"] == "From a member"
    assert member["message"].startswith("Please, from Mo Member.\n\nMo Member\n\n--\nSent through")
    assert member["targets"] == [{"name": "The Home Secretary", "kind": "government"}]
    assert member["type"] == "email"
    assert member["modified_date"] == member["created_date"]
    assert (visitor["subject"], visitor["message"]) == (None, None)
    assert people.member.email not in response.content.decode()
    # A national token: the words only with the movement's campaigning consent.
    national = services.create_token(name="HQ", by=people.staff, scopes=["outreaches:read"])[1]
    response = api.get(f"/api/v1/advocacy_campaigns/{action.pk}/outreaches/", **auth(national))
    assert {item["subject"] for item in response.json()["_embedded"]["osdi:outreaches"]} == {None}
    # Erased: the letter still counts, but is no one's, and its words are gone.
    delete_account(user=people.member)
    response = api.get(f"/api/v1/advocacy_campaigns/{action.pk}/outreaches/", **auth(raw))
    [left] = response.json()["_embedded"]["osdi:outreaches"]
    assert left["_links"]["osdi:person"]["href"].endswith(f"/people/{people.activist.pk}/")
    assert api.get(f"/api/v1/advocacy_campaigns/{action.pk}/").json()["total_outreaches"] == 2


def test_outreaches_need_the_scope_and_keep_to_the_token_group(api, people):
    ours = _letter_action(group=people.group)
    theirs = _letter_action(group=people.other_group)
    _write(theirs, people.other_lead)
    url = f"/api/v1/advocacy_campaigns/{theirs.pk}/outreaches/"
    assert api.get(url).status_code == 401
    signatures = services.create_token(
        name="CRM", by=people.lead, scopes=["signatures:read"], group=people.group
    )[1]
    assert api.get(url, **auth(signatures)).status_code == 403
    raw = services.create_token(
        name="CRM", by=people.lead, scopes=["outreaches:read"], group=people.group
    )[1]
    response = api.get(url, **auth(raw))
    assert response.status_code == 404
    assert response.json()["osdi:error"]["error_class"] == "not_found"
    outreach = theirs.taken.get()
    assert api.get(f"{url}{outreach.pk}/", **auth(raw)).status_code == 404
    # Its own campaign's letter action, not the signatures of a petition.
    petition = ActionFactory(campaign=ours.campaign, kind=Action.Kind.SIGN)
    response = api.get(f"/api/v1/advocacy_campaigns/{petition.pk}/outreaches/", **auth(raw))
    assert response.status_code == 404
    assert api.get(f"/api/v1/advocacy_campaigns/{ours.pk}/outreaches/", **auth(raw)).json()[
        "_embedded"
    ] == {"osdi:outreaches": []}


def test_outreaches_filter_by_modified_date(api, people):
    action = _letter_action(group=people.group)
    _write(action, people.member)
    action.taken.update(created_at=timezone.now() - timedelta(days=3))
    _write(action, people.lead)
    raw = services.create_token(
        name="CRM", by=people.lead, scopes=["outreaches:read"], group=people.group
    )[1]
    since = (timezone.now() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    response = api.get(
        f"/api/v1/advocacy_campaigns/{action.pk}/outreaches/",
        {"filter": f"modified_date gt '{since}'"},
        **auth(raw),
    )
    [item] = response.json()["_embedded"]["osdi:outreaches"]
    assert item["_links"]["osdi:person"]["href"].endswith(f"/people/{people.lead.pk}/")


def test_advocacy_campaigns_cost_one_query_at_one_and_three(api, django_assert_num_queries):
    _letter_action()
    with django_assert_num_queries(1):
        assert (
            len(
                api.get("/api/v1/advocacy_campaigns/").json()["_embedded"][
                    "osdi:advocacy_campaigns"
                ]
            )
            == 1
        )
    _letter_action()
    _letter_action()
    with django_assert_num_queries(1):
        assert (
            len(
                api.get("/api/v1/advocacy_campaigns/").json()["_embedded"][
                    "osdi:advocacy_campaigns"
                ]
            )
            == 3
        )


def test_outreaches_cost_the_same_queries_at_one_and_three(api, people, django_assert_num_queries):
    action = _letter_action(group=people.group, target_email="council@derby.example.org")
    _write(action, people.member)
    raw = services.create_token(
        name="CRM", by=people.lead, scopes=["outreaches:read"], group=people.group
    )[1]
    url = f"/api/v1/advocacy_campaigns/{action.pk}/outreaches/"
    api.get(url, **auth(raw))  # last use recorded: one update, once a minute

    def count():
        return len(api.get(url, **auth(raw)).json()["_embedded"]["osdi:outreaches"])

    # token, the action, the page, who is contactable, their letters
    with django_assert_num_queries(5):
        assert count() == 1
    for _ in range(2):
        _write(action, MembershipFactory(group=people.group).user)
    with django_assert_num_queries(5):
        assert count() == 3
    _write(action, UserFactory())  # not contactable: no words to fetch for them
    with django_assert_num_queries(5):
        assert count() == 4
