"""Member-hosted events: propose, the approval queue (My portal, group page), send back,
decline, trusted hosts, the daily limit, and "host one" when a search finds nothing."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from events import services
from events.dashboard import my_portal_block
from events.models import Event
from groups import services as group_services
from groups.models import Membership

from .conftest import deliver_outbox, login_as
from .factories import EventFactory, VenueFactory

pytestmark = pytest.mark.django_db


def _form(venue, **overrides):
    start = timezone.localtime(timezone.now() + timedelta(days=10)).replace(hour=19, minute=0)
    data = {
        "title": "Letter-writing evening",
        "kind": "meeting",
        "description": "Bring a pen.",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "mode": "in_person",
        "venue": venue.pk,
        "visibility": "public",
    }
    data.update(overrides)
    return data


def _propose(client, people, **overrides):
    client.force_login(people.member)
    return client.post(
        reverse("events:propose", args=[people.group.slug]), _form(VenueFactory(), **overrides)
    )


def _proposal(people, **fields):
    return EventFactory(
        group=people.group, host=people.member, status=Event.Status.PROPOSED, **fields
    )


def test_member_proposes_an_event_that_waits_for_a_lead(client, people):
    response = _propose(client, people)
    event = Event.objects.get()
    assert response["Location"] == event.get_absolute_url()
    assert (event.status, event.host, event.group) == (
        Event.Status.PROPOSED,
        people.member,
        people.group,
    )
    assert list(Event.objects.public()) == []
    page = client.get(event.get_absolute_url()).content.decode()
    assert "waiting for a lead" in page


@pytest.mark.parametrize(("who", "location"), [("activist", "groups"), ("lead", "create")])
def test_non_members_are_sent_to_join_and_leads_to_add_an_event(client, people, who, location):
    login_as(client, people, who)
    response = client.get(reverse("events:propose", args=[people.group.slug]))
    expected = {
        "groups": people.group.get_absolute_url(),
        "create": reverse("events:create", args=[people.group.slug]),
    }[location]
    assert response["Location"] == expected


def test_proposal_is_hidden_from_everyone_but_host_leads_and_staff(client, people):
    event = _proposal(people)
    for who, status in [
        ("anonymous", 404),
        ("activist", 404),
        ("other_lead", 404),
        ("rep", 404),
        ("member", 200),
        ("lead", 200),
        ("staff", 200),
    ]:
        client.logout()
        login_as(client, people, who)
        assert client.get(event.get_absolute_url()).status_code == status, who


def test_lead_approves_from_my_portal_and_the_host_is_shown_and_told(client, people):
    event = _proposal(people, title="Letter-writing evening")
    client.force_login(people.lead)
    portal = client.get(reverse("my_portal")).content.decode()
    assert "Letter-writing evening" in portal
    approve = reverse("events:proposal_decide", args=[event.slug, "approve"])
    assert approve in portal
    response = client.post(approve)
    assert response["Location"] == event.get_absolute_url()
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED
    assert list(Event.objects.public()) == [event]
    client.logout()
    page = client.get(event.get_absolute_url()).content.decode()
    assert f"hosted by {people.member.public_name} for" in page
    deliver_outbox()
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([people.member.email], "Your event is published: Letter-writing evening")
    ]


def test_group_page_shows_leads_the_proposals_with_their_answers(client, people):
    event = _proposal(people, title="Film night proposal")
    client.force_login(people.lead)
    page = client.get(people.group.get_absolute_url()).content.decode()
    assert "Film night proposal" in page
    assert reverse("events:proposal_decide", args=[event.slug, "send_back"]) in page
    client.force_login(people.member)
    page = client.get(people.group.get_absolute_url()).content.decode()
    assert reverse("events:propose", args=[people.group.slug]) in page
    assert reverse("events:proposal_decide", args=[event.slug, "send_back"]) not in page


def test_send_back_with_a_comment_then_the_host_edits_and_resubmits(client, people):
    _propose(client, people)
    event = Event.objects.get()
    client.force_login(people.lead)
    url = reverse("events:proposal_decide", args=[event.slug, "send_back"])
    client.post(url, {"note": ""})
    event.refresh_from_db()
    assert event.status == Event.Status.PROPOSED  # a comment is needed
    client.post(url, {"note": "Can it start at 7.30?"})
    event.refresh_from_db()
    assert (event.status, event.review_note) == (Event.Status.RETURNED, "Can it start at 7.30?")
    deliver_outbox()
    assert "Can it start at 7.30?" in mail.outbox[0].body
    client.force_login(people.member)
    assert "edit it" in client.get(reverse("my_portal")).content.decode()
    edit = reverse("events:proposal_edit", args=[event.slug])
    data = _form(event.venue, title="Letter-writing evening, 7.30")
    client.post(edit, data)
    event.refresh_from_db()
    assert (event.status, event.title, event.review_note) == (
        Event.Status.PROPOSED,
        "Letter-writing evening, 7.30",
        "",
    )


def test_lead_declines_with_a_reason_and_the_host_can_no_longer_edit(client, people):
    event = _proposal(people)
    client.force_login(people.lead)
    client.post(
        reverse("events:proposal_decide", args=[event.slug, "decline"]), {"note": "Clashes."}
    )
    event.refresh_from_db()
    assert (event.status, event.review_note) == (Event.Status.DECLINED, "Clashes.")
    client.force_login(people.member)
    assert client.get(reverse("events:proposal_edit", args=[event.slug])).status_code == 404


@pytest.mark.parametrize("who", ["member", "other_lead", "rep", "staff"])
def test_only_the_groups_leads_decide(client, people, who):
    event = _proposal(people)
    login_as(client, people, who)
    response = client.post(reverse("events:proposal_decide", args=[event.slug, "approve"]))
    assert response.status_code == 404
    event.refresh_from_db()
    assert event.status == Event.Status.PROPOSED


def test_a_proposal_is_decided_once(people):
    event = _proposal(people)
    services.approve_proposal(event=Event.objects.get(pk=event.pk))
    with pytest.raises(services.ProposalError):
        services.decline_proposal(event=event, note="Too late")
    assert Event.objects.get(pk=event.pk).status == Event.Status.PUBLISHED


def test_trusted_host_publishes_without_approval(client, people):
    membership = Membership.objects.get(user=people.member, group=people.group)
    client.force_login(people.lead)
    client.post(
        reverse("groups:trust_host", args=[people.group.slug, membership.pk]), {"trusted": "1"}
    )
    membership.refresh_from_db()
    assert membership.trusted_host is True
    response = _propose(client, people, title="Trusted picnic")
    event = Event.objects.get()
    assert (event.status, event.host) == (Event.Status.PUBLISHED, people.member)
    assert list(Event.objects.public()) == [event]
    follow = client.get(response["Location"])
    assert "hosted by" in follow.content.decode()


def test_leaving_the_group_ends_the_trust(people):

    membership = Membership.objects.get(user=people.member, group=people.group)
    group_services.set_trusted_host(membership=membership, trusted=True)
    group_services.leave_group(group=people.group, user=people.member)
    membership.refresh_from_db()
    assert membership.trusted_host is False


def test_only_a_lead_of_the_group_may_trust_a_host(client, people):
    membership = Membership.objects.get(user=people.member, group=people.group)
    for who in ("member", "other_lead", "rep"):
        login_as(client, people, who)
        url = reverse("groups:trust_host", args=[people.group.slug, membership.pk])
        assert client.post(url, {"trusted": "1"}).status_code == 404
    membership.refresh_from_db()
    assert membership.trusted_host is False


def test_proposals_are_limited_per_member_per_day(client, people, settings):
    settings.RATE_LIMITS = {"event_proposals": "2/d"}
    assert _propose(client, people).status_code == 302
    assert _propose(client, people).status_code == 302
    assert _propose(client, people).status_code == 429
    assert Event.objects.count() == 2


def test_search_near_a_postcode_that_finds_nothing_offers_to_host_one(client, people):
    client.force_login(people.member)
    page = client.get(reverse("events:list"), {"postcode": "DE1"}).content.decode()
    assert "Nothing near DE1 yet: host one" in page
    assert reverse("events:propose", args=[people.group.slug]) in page
    client.force_login(people.activist)
    page = client.get(reverse("events:list"), {"postcode": "DE1"}).content.decode()
    assert f"{reverse('groups:list')}?postcode=DE1" in page


def test_search_that_finds_events_does_not_offer_to_host(client, people):
    EventFactory(group=people.group)
    page = client.get(reverse("events:list"), {"postcode": "DE1"}).content.decode()
    assert "host one" not in page


@pytest.mark.parametrize("count", [1, 3])
def test_my_portal_proposals_query_count_is_constant(rf, people, django_assert_num_queries, count):
    for _ in range(count):
        _proposal(people)
    request = rf.get("/")
    request.user = people.lead
    # places, the groups I lead, co-hosting invitations, reports due, proposals to decide,
    # drafts, my proposals
    with django_assert_num_queries(7):
        block = my_portal_block(request)
    assert len(block["proposals_to_decide"]) == count
    request.user = people.member
    assert len(my_portal_block(request)["my_proposals"]) == count
