import pytest
from django.core import mail
from django.urls import reverse

from partners.models import Partner, PartnerSuggestion
from portal.models import OutboxMessage
from portal.services import deliver_outbox_message
from tests.factories import UserFactory
from tests.queries import SESSION

from .conftest import ROLES
from .factories import PartnerFactory, PartnerKindFactory, PartnerSuggestionFactory

SUGGEST = reverse("partners:suggest")
QUEUE = reverse("partners:suggestion_queue")
DECIDERS = {"lead", "other_lead", "area_rep", "rep", "staff"}


def send_queued_mail():
    """What the Celery worker does with each row queued on commit."""
    for message in OutboxMessage.objects.order_by("pk"):
        deliver_outbox_message(message_id=message.pk)


def detail(s):
    return reverse("partners:suggestion_detail", args=[s.pk])


def accept(s):
    return reverse("partners:suggestion_accept", args=[s.pk])


def decline(s):
    return reverse("partners:suggestion_decline", args=[s.pk])


def test_suggest_needs_a_verified_account(client, db):
    response = client.get(SUGGEST)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    client.force_login(UserFactory(email_verified=False))
    response = client.get(SUGGEST)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email")


def test_suggest_creates_a_pending_suggestion(client, world):
    kind = PartnerKindFactory()
    activist = world.users["activist"]
    client.force_login(activist)
    response = client.post(
        SUGGEST,
        {
            "name": "Derby Refugee Solidarity",
            "kind": kind.pk,
            "area": world.area.pk,
            "website": "derbyrefugees.example.org",
            "town": "Derby",
            "postcode_district": "de1 2ab",
            "reason": "They run the Saturday drop-in.",
        },
    )
    assert response.status_code == 302
    suggestion = PartnerSuggestion.objects.get()
    assert suggestion.suggested_by == activist
    assert suggestion.status == "pending"
    assert suggestion.postcode_district == "DE1"
    assert suggestion.website == "https://derbyrefugees.example.org"
    response = client.get(SUGGEST)
    assert b"Derby Refugee Solidarity: Waiting for a decision" in response.content


def test_suggest_bad_input_is_a_form_error(client, world):
    client.force_login(world.users["activist"])
    response = client.post(SUGGEST, {"name": "", "area": "999999", "postcode_district": "xx"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"name", "area", "postcode_district", "reason"}
    assert PartnerSuggestion.objects.count() == 0


@pytest.mark.parametrize("role", ROLES)
def test_suggestion_detail_and_decisions_only_for_leads_and_reps_of_the_area(client, world, role):
    suggestion = PartnerSuggestionFactory(area=world.area)
    world.client_for(client, role)
    response = client.get(detail(suggestion))
    if role == "anonymous":
        assert response.status_code == 302
        assert client.post(decline(suggestion), {"reason": "No"}).status_code == 302
    elif role in DECIDERS:
        assert response.status_code == 200
        assert client.get(QUEUE).context["page"].object_list[0] == suggestion
    else:
        assert response.status_code == 404
        assert client.post(accept(suggestion), {"kind": suggestion.kind_id}).status_code == 404
        assert client.post(decline(suggestion), {"reason": "No"}).status_code == 404
        assert list(client.get(QUEUE).context["page"].object_list) == []
    suggestion.refresh_from_db()
    assert suggestion.status == "pending"


def test_suggestion_accept_and_decline_are_post_only(client, world):
    suggestion = PartnerSuggestionFactory(area=world.area)
    client.force_login(world.users["lead"])
    assert client.get(accept(suggestion)).status_code == 405
    assert client.get(decline(suggestion)).status_code == 405


@pytest.mark.parametrize("count", [1, 3])
def test_suggestion_queue_query_count_is_constant(client, world, django_assert_num_queries, count):
    PartnerSuggestionFactory.create_batch(count, area=world.area)
    PartnerSuggestionFactory(area=world.other_area)
    client.force_login(world.users["lead"])
    # session, user, regional roles, count, page
    with django_assert_num_queries(3 + SESSION):
        response = client.get(QUEUE)
    assert len(response.context["page"].object_list) == count


def test_suggestion_accept_creates_partner_and_emails_suggester(client, world):
    PartnerFactory(slug="derby-refugee-solidarity")
    suggestion = PartnerSuggestionFactory(
        area=world.area,
        name="Derby Refugee Solidarity",
        kind=None,
        town="Derby",
        postcode_district="DE1",
        website="https://drs.example.org",
    )
    kind = PartnerKindFactory(name="Refugee and asylum support")
    lead = world.users["lead"]
    client.force_login(lead)
    response = client.post(accept(suggestion), {"kind": kind.pk})
    partner = Partner.objects.get(name="Derby Refugee Solidarity")
    assert response.status_code == 302
    assert response["Location"] == reverse("partners:edit", args=[partner.slug])
    assert partner.slug == "derby-refugee-solidarity-2"
    assert partner.kind == kind
    assert partner.latitude == pytest.approx(52.922)
    assert partner.website == "https://drs.example.org"
    assert list(partner.areas.all()) == [world.area]
    suggestion.refresh_from_db()
    assert suggestion.status == "accepted"
    assert suggestion.partner == partner
    assert suggestion.decided_by == lead
    send_queued_mail()
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [suggestion.suggested_by.email]
    assert email.subject.endswith("Your partner suggestion was accepted: Derby Refugee Solidarity")
    assert f"/partners/{partner.slug}/" in email.body


def test_suggestion_decline_needs_a_reason_and_emails_it(client, world):
    suggestion = PartnerSuggestionFactory(area=world.area, name="Shady Ltd")
    client.force_login(world.users["area_rep"])
    response = client.post(decline(suggestion), {"reason": "  "})
    assert response.status_code == 400
    assert response.context["decline_form"].errors["reason"] == ["This field is required."]
    response = client.post(decline(suggestion), {"reason": "Not a fit with our values."})
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.status == "declined"
    assert suggestion.decline_reason == "Not a fit with our values."
    assert Partner.objects.count() == 0
    send_queued_mail()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject.endswith("About your partner suggestion: Shady Ltd")
    assert "Not a fit with our values." in mail.outbox[0].body


def test_suggestion_decided_twice_changes_nothing(client, world):
    suggestion = PartnerSuggestionFactory(area=world.area)
    client.force_login(world.users["lead"])
    client.post(accept(suggestion), {"kind": suggestion.kind_id})
    response = client.post(decline(suggestion), {"reason": "Changed my mind"})
    client.post(accept(suggestion), {"kind": suggestion.kind_id})
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.status == "accepted"
    assert suggestion.decline_reason == ""
    assert Partner.objects.count() == 1
    send_queued_mail()
    assert len(mail.outbox) == 1
