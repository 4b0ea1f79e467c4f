"""API tokens: hashed, shown once, expiring, revocable, last use recorded; the people a
token reaches and the contact details it gets; writes through the services."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from api import services
from api.models import ApiToken, hash_token
from campaigns.models import Action, ActionTaken
from events.models import RSVP, Event
from events.services import rsvp_to_event
from tests.api.conftest import auth
from tests.campaigns.factories import ActionFactory, CampaignFactory
from tests.events.conftest import deliver_outbox
from tests.events.factories import EventFactory
from tests.factories import UserFactory
from tests.groups.factories import MembershipFactory
from tests.people import make_people

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db):
    return make_people()


def test_a_token_is_stored_hashed_and_works_once_shown(api, people):
    token, raw = services.create_token(
        name="CRM", by=people.lead, scopes=["people:read"], group=people.group
    )
    token.refresh_from_db()
    assert token.key_hash == hash_token(raw)
    assert raw not in str(ApiToken.objects.filter(pk=token.pk).values().get())
    assert raw.startswith(token.prefix + "_")
    assert token.last_used_at is None
    assert api.get("/api/v1/people/", **auth(raw)).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    # OSDI's header works too.
    assert api.get("/api/v1/people/", HTTP_OSDI_API_TOKEN=raw).status_code == 200


def test_expired_revoked_and_unknown_tokens_are_refused(api, people):
    _expired, old = services.create_token(
        name="old",
        by=people.staff,
        scopes=["people:read"],
        expires_at=timezone.now() - timedelta(seconds=1),
    )
    revoked, gone = services.create_token(name="gone", by=people.staff, scopes=["people:read"])
    assert services.revoke_token(token=revoked) is True
    assert services.revoke_token(token=revoked) is False
    for raw in (old, gone, "pp_nothing_here"):
        response = api.get("/api/v1/people/", **auth(raw))
        assert response.status_code == 401
        assert response.json()["osdi:error"]["description"] == (
            "This token is unknown, revoked or expired."
        )
    response = api.get("/api/v1/people/", HTTP_AUTHORIZATION="Basic abc")
    assert response.status_code == 401


def test_only_staff_make_national_tokens_and_scopes_are_known(people):
    with pytest.raises(services.TokenError, match="Only staff"):
        services.create_token(name="x", by=people.lead, scopes=["people:read"])
    with pytest.raises(services.TokenError, match="Unknown scopes: admin"):
        services.create_token(name="x", by=people.staff, scopes=["admin"], group=people.group)


def _people(api, raw):
    response = api.get("/api/v1/people/", **auth(raw))
    assert response.status_code == 200
    return {p["given_name"]: p for p in response.json()["_embedded"]["osdi:people"]}


def test_a_group_token_sees_members_and_attendees_with_contact_only_for_members(api, people):
    event = EventFactory(group=people.group)
    attendee = UserFactory(display_name="Ann Attendee", postcode_district="DE22")
    rsvp_to_event(event=event, user=attendee)
    UserFactory(display_name="Olly Outsider")
    raw = services.create_token(
        name="CRM", by=people.lead, scopes=["people:read"], group=people.group
    )[1]
    seen = _people(api, raw)
    assert sorted(seen) == ["Ann Attendee", "Lena Lead", "Mo Member"]
    assert seen["Mo Member"]["email_addresses"] == [
        {"address": people.member.email, "primary": True}
    ]
    # Coming to an event is no consent to be contacted by the group.
    assert seen["Ann Attendee"]["email_addresses"] == []
    assert seen["Ann Attendee"]["postal_addresses"] == []
    outsider = UserFactory()
    assert api.get(f"/api/v1/people/{outsider.pk}/", **auth(raw)).status_code == 404


def test_a_national_token_gives_contact_only_with_campaigning_consent(api, people):
    people.member.campaign_digest_consent_at = timezone.now()
    people.member.save()
    raw = services.create_token(name="CRM", by=people.staff, scopes=["people:read"])[1]
    seen = _people(api, raw)
    assert seen["Mo Member"]["email_addresses"] == [
        {"address": people.member.email, "primary": True}
    ]
    assert seen["Lena Lead"]["email_addresses"] == []


def test_people_list_costs_the_same_queries_at_one_and_three(
    api, people, django_assert_num_queries
):
    raw = services.create_token(
        name="CRM", by=people.lead, scopes=["people:read"], group=people.group
    )[1]
    api.get("/api/v1/people/", **auth(raw))  # last use recorded: one update, once a minute
    with django_assert_num_queries(3):  # token, page, contactable
        assert len(_people(api, raw)) == 2
    MembershipFactory(group=people.group)
    with django_assert_num_queries(3):
        assert len(_people(api, raw)) == 3


def test_writing_an_attendance_goes_through_the_rsvp_service(api, people):
    event = EventFactory(group=people.group, capacity=1)
    raw = services.create_token(
        name="CRM", by=people.lead, scopes=["attendances:write"], group=people.group
    )[1]
    response = api.post(
        f"/api/v1/events/{event.pk}/attendances/",
        {"person_id": people.member.pk},
        format="json",
        **auth(raw),
    )
    assert response.status_code == 201
    assert response.json()["status"] == "accepted"
    deliver_outbox()
    assert [m.to for m in mail.outbox] == [[people.member.email]]
    # Full: the next person waits, as on the web.
    response = api.post(
        f"/api/v1/events/{event.pk}/attendances/",
        {"person_id": people.lead.pk},
        format="json",
        **auth(raw),
    )
    assert response.status_code == 201
    assert response.json()["status"] == "tentative"
    event.refresh_from_db()
    assert (event.confirmed_count, event.waitlist_count) == (1, 1)
    # The same again changes nothing.
    again = api.post(
        f"/api/v1/events/{event.pk}/attendances/",
        {"person_id": people.member.pk},
        format="json",
        **auth(raw),
    )
    assert again.status_code == 200
    assert RSVP.objects.filter(event=event).count() == 2


def test_attendance_writes_keep_to_the_token_group(api, people):
    raw = services.create_token(
        name="CRM", by=people.lead, scopes=["attendances:write"], group=people.group
    )[1]
    other_event = EventFactory(group=people.other_group)
    response = api.post(
        f"/api/v1/events/{other_event.pk}/attendances/",
        {"person_id": people.member.pk},
        format="json",
        **auth(raw),
    )
    assert response.status_code == 404
    event = EventFactory(group=people.group)
    response = api.post(
        f"/api/v1/events/{event.pk}/attendances/",
        {"person_id": people.activist.pk},
        format="json",
        **auth(raw),
    )
    assert response.status_code == 400
    assert response.json()["osdi:error"]["fields"] == {
        "person_id": ["No such person among this token's people."]
    }
    assert not RSVP.objects.filter(event=event).exists()


def test_service_refusals_come_back_as_osdi_errors(api, people):
    event = EventFactory(group=people.group, status=Event.Status.CANCELLED)
    raw = services.create_token(
        name="CRM", by=people.lead, scopes=["attendances:write"], group=people.group
    )[1]
    response = api.post(
        f"/api/v1/events/{event.pk}/attendances/",
        {"person_id": people.member.pk},
        format="json",
        **auth(raw),
    )
    assert response.status_code == 400
    assert response.json()["osdi:error"]["description"] == "This event is not open for RSVPs."


def test_signing_goes_through_the_campaign_service(api, people):
    petition = ActionFactory(
        kind=Action.Kind.SIGN, campaign=CampaignFactory(group=people.group, scope="local")
    )
    raw = services.create_token(
        name="CRM", by=people.lead, scopes=["signatures:write"], group=people.group
    )[1]
    url = f"/api/v1/petitions/{petition.pk}/signatures/"
    body = {"person_id": people.member.pk, "show_name": True}
    assert api.post(url, body, format="json", **auth(raw)).status_code == 201
    assert api.post(url, body, format="json", **auth(raw)).status_code == 200
    petition.refresh_from_db()
    assert petition.count == 1
    assert ActionTaken.objects.get(action=petition).show_name is True


def test_a_lead_makes_sees_and_revokes_group_tokens(client, people):
    client.force_login(people.lead)
    url = f"/api/groups/{people.group.slug}/tokens/"
    response = client.post(
        url, {"name": "Our CRM", "scopes": ["people:read"], "expires_in_days": "30"}
    )
    assert response.status_code == 200
    token = ApiToken.objects.get()
    secret = response.context["secret"]
    assert token.key_hash == hash_token(secret)
    assert (token.group, token.scopes, token.created_by) == (
        people.group,
        ["people:read"],
        people.lead,
    )
    assert secret.encode() in response.content
    # Shown once: the list shows the prefix only.
    page = client.get(url)
    assert secret.encode() not in page.content
    assert token.prefix.encode() in page.content
    response = client.post(f"{url}{token.pk}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_another_groups_lead_cannot_see_or_revoke(client, people):
    token, _raw = services.create_token(
        name="CRM", by=people.lead, scopes=["people:read"], group=people.group
    )
    client.force_login(people.other_lead)
    url = f"/api/groups/{people.group.slug}/tokens/"
    assert client.get(url).status_code == 404
    assert client.post(f"{url}{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_staff_make_a_token_in_the_admin_and_see_it_once(client, people):
    people.staff.is_superuser = True
    people.staff.save()
    client.force_login(people.staff)
    response = client.post(
        "/admin/api/apitoken/add/",
        {"name": "National CRM", "scopes": ["people:read", "events:read"], "group": ""},
        follow=True,
    )
    assert response.status_code == 200
    token = ApiToken.objects.get()
    [message] = [str(m) for m in response.context["messages"] if "shown this once" in str(m)]
    secret = message.rsplit(" ", 1)[1]
    assert token.key_hash == hash_token(secret)
    assert (token.group, token.scopes) == (None, ["events:read", "people:read"])
