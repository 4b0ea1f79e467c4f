import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import FundingRequest, FundingRequestEntry
from tests.queries import SESSION

from .conftest import login_as
from .factories import CampaignFactory, FundingRequestFactory

EVERYONE = ["anonymous", "activist", "member", "other_lead", "lead", "other_rep", "rep", "staff"]


def in_days(days):
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


@pytest.mark.django_db
def test_lead_asks_for_funding(client, people):
    campaign = CampaignFactory(local=True, group=people.group)
    client.force_login(people.lead)
    response = client.post(
        reverse("campaigns:funding_new", args=[campaign.slug]),
        {"amount": "120.50", "purpose": "Leaflets", "needed_by": in_days(10)},
    )
    funding = FundingRequest.objects.get()
    assert response.url == funding.get_absolute_url()
    assert (funding.amount, funding.status, funding.requested_by) == (
        Decimal("120.50"),
        "pending",
        people.lead,
    )
    assert list(funding.history.values_list("kind", flat=True)) == ["asked"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"amount": "0", "purpose": "x", "needed_by": in_days(3)}, "greater than or equal to 0.01"),
        (
            {"amount": "-5", "purpose": "x", "needed_by": in_days(3)},
            "greater than or equal to 0.01",
        ),
        ({"amount": "abc", "purpose": "x", "needed_by": in_days(3)}, "Enter a number."),
        ({"amount": "10", "purpose": "x", "needed_by": in_days(-1)}, "cannot be in the past"),
        ({"amount": "10", "purpose": "x", "needed_by": "31/02/2025"}, "Enter a valid date."),
    ],
)
def test_funding_request_bad_input_is_a_form_error(client, people, data, error):
    campaign = CampaignFactory(local=True, group=people.group)
    client.force_login(people.lead)
    response = client.post(reverse("campaigns:funding_new", args=[campaign.slug]), data)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert FundingRequest.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("who", EVERYONE)
def test_only_the_lead_may_ask(client, people, who):
    campaign = CampaignFactory(local=True, group=people.group)
    login_as(client, people, who)
    response = client.post(
        reverse("campaigns:funding_new", args=[campaign.slug]),
        {"amount": "10", "purpose": "x", "needed_by": in_days(3)},
    )
    assert FundingRequest.objects.count() == (1 if who == "lead" else 0)
    if who not in ("lead", "anonymous"):
        assert response.status_code == 404


@pytest.mark.django_db
def test_national_campaign_takes_no_funding_requests(client, people):
    campaign = CampaignFactory()
    client.force_login(people.staff)
    assert client.get(reverse("campaigns:funding_new", args=[campaign.slug])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("who", EVERYONE)
def test_funding_request_is_seen_only_by_lead_and_reps(client, people, who):
    funding = FundingRequestFactory(campaign__group=people.group, purpose="Hall hire")
    login_as(client, people, who)
    response = client.get(funding.get_absolute_url())
    if who in ("lead", "rep"):
        assert response.status_code == 200
        assert "Hall hire" in response.content.decode()
    else:
        assert response.status_code == (302 if who == "anonymous" else 404)


@pytest.mark.django_db
def test_area_rep_of_the_group_sees_the_request(client, people):
    from tests.groups.factories import RegionalRoleFactory

    area_rep = RegionalRoleFactory(region=None, area=people.group.area).user
    funding = FundingRequestFactory(campaign__group=people.group)
    client.force_login(area_rep)
    assert client.get(funding.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_funding_request_under_wrong_campaign_slug_is_404(client, people):
    funding = FundingRequestFactory(campaign__group=people.group)
    other = CampaignFactory(local=True, group=people.group)
    client.force_login(people.lead)
    url = reverse("campaigns:funding_detail", args=[other.slug, funding.pk])
    assert client.get(url).status_code == 404


def step(funding, name):
    return reverse("campaigns:funding_step", args=[funding.campaign.slug, funding.pk, name])


@pytest.mark.django_db
def test_question_answer_approve_history(client, people):
    funding = FundingRequestFactory(campaign__group=people.group, requested_by=people.lead)
    client.force_login(people.rep)
    client.post(step(funding, "question"), {"note": "Who prints them?"})
    funding.refresh_from_db()
    assert funding.status == "question"
    client.force_login(people.lead)
    client.post(step(funding, "answer"), {"note": "The co-op printers."})
    funding.refresh_from_db()
    assert funding.status == "pending"
    client.force_login(people.rep)
    client.post(step(funding, "approve"), {"approved_amount": "100.00", "note": ""})
    funding.refresh_from_db()
    assert (funding.status, funding.approved_amount) == ("approved", Decimal("100.00"))
    history = list(funding.history.values_list("kind", "note"))
    assert history == [
        ("asked", ""),
        ("question", "Who prints them?"),
        ("answer", "The co-op printers."),
        ("approved", "Approved £100.00."),
    ]
    page = client.get(funding.get_absolute_url()).content.decode()
    assert "Who prints them?" in page


@pytest.mark.django_db
def test_decline_needs_a_reason(client, people):
    funding = FundingRequestFactory(campaign__group=people.group)
    client.force_login(people.rep)
    response = client.post(step(funding, "decline"), {"note": ""})
    assert response.status_code == 400
    client.post(step(funding, "decline"), {"note": "No budget left this quarter."})
    funding.refresh_from_db()
    assert funding.status == "declined"
    assert funding.history.last().note == "No budget left this quarter."


@pytest.mark.django_db
def test_decided_request_cannot_be_decided_again(client, people):
    funding = FundingRequestFactory(campaign__group=people.group)
    client.force_login(people.rep)
    client.post(step(funding, "decline"), {"note": "No."})
    response = client.post(step(funding, "approve"), {"approved_amount": "10"}, follow=True)
    assert "already been decided" in response.content.decode()
    funding.refresh_from_db()
    assert funding.status == "declined"
    assert FundingRequestEntry.objects.filter(request=funding).count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "name", "status"),
    [
        ("lead", "approve", 403),
        ("lead", "decline", 403),
        ("lead", "question", 403),
        ("rep", "answer", 403),
        ("member", "approve", 404),
        ("other_rep", "approve", 404),
        ("other_lead", "answer", 404),
        ("staff", "approve", 404),
        ("rep", "bogus", 404),
    ],
)
def test_funding_steps_permissions(client, people, who, name, status):
    funding = FundingRequestFactory(campaign__group=people.group)
    login_as(client, people, who)
    response = client.post(step(funding, name), {"approved_amount": "10", "note": "x"})
    assert response.status_code == status
    funding.refresh_from_db()
    assert funding.status == "pending"


@pytest.mark.django_db
def test_lead_cannot_answer_without_a_question(client, people):
    funding = FundingRequestFactory(campaign__group=people.group)
    client.force_login(people.lead)
    client.post(step(funding, "answer"), {"note": "Unasked."})
    assert funding.history.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_funding_list_query_count_is_constant(client, people, django_assert_num_queries, count):
    for _ in range(count):
        FundingRequestFactory(campaign__group=people.group)
    FundingRequestFactory()  # another region's
    client.force_login(people.rep)
    # session, user, roles, count, page
    with django_assert_num_queries(3 + SESSION):
        response = client.get(reverse("campaigns:funding_list"))
    assert len(response.context["page"].object_list) == count


@pytest.mark.django_db
def test_funding_list_is_empty_for_outsiders(client, people):
    FundingRequestFactory(campaign__group=people.group)
    for who in ["member", "other_lead", "other_rep", "activist"]:
        login_as(client, people, who)
        assert list(client.get(reverse("campaigns:funding_list")).context["page"]) == []


@pytest.mark.django_db
def test_the_lead_is_emailed_each_question_and_decision(client, people):
    from django.core import mail

    from portal.models import OutboxMessage
    from portal.services import deliver_outbox_message

    funding = FundingRequestFactory(
        campaign__group=people.group, campaign__title="Sanctuary", requested_by=people.lead
    )
    client.force_login(people.rep)
    client.post(step(funding, "question"), {"note": "Who prints them?"})
    client.post(step(funding, "decline"), {"note": "No budget left this year."})
    for pk in OutboxMessage.objects.order_by("pk").values_list("pk", flat=True):
        deliver_outbox_message(message_id=pk)
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([people.lead.email], "A question about your funding request: Sanctuary"),
        ([people.lead.email], "Funding declined: Sanctuary"),
    ]
    assert "No budget left this year." in mail.outbox[1].body
