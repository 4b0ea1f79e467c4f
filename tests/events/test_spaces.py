"""No publishing into someone else's space (issue 15.1) and co-hosting by invitation
(issue 19.5): another group is a co-host only once its leads accept; partners and
campaigns only the group's own; the owners of a space can take an event out of it."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from campaigns import services as campaign_services
from events import services
from events.models import CohostInvitation, Event
from front import digests
from tests.campaigns.factories import CampaignFactory
from tests.groups.factories import MembershipFactory
from tests.partners.factories import PartnerFactory, PartnershipFactory

from .conftest import deliver_outbox
from .factories import EventFactory, VenueFactory

pytestmark = pytest.mark.django_db


def _form(**overrides):
    start = timezone.localtime(timezone.now() + timedelta(days=3)).replace(hour=19, minute=0)
    data = {
        "title": "Vigil for the Refugee Ban",
        "kind": "vigil",
        "description": "Candles.",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "mode": "in_person",
        "venue": VenueFactory().pk,
        "online_url": "",
        "capacity": "",
        "visibility": "public",
    }
    data.update(overrides)
    return data


def _other_side_pages(client, people, campaign, partner) -> dict[str, str]:
    """Every page and feed of the other side, as a visitor sees it."""
    client.logout()
    other = people.other_group.slug
    urls = {
        "group page": reverse("groups:detail", args=[other]),
        "group feed": reverse("events:group_feed", args=[other]),
        "event list of the group": reverse("events:list") + f"?group={other}",
        "campaign page": campaign.get_absolute_url(),
        "campaign feed": reverse("events:campaign_feed", args=[campaign.slug]),
        "event list of the campaign": reverse("events:list") + f"?campaign={campaign.slug}",
        "partner page": partner.get_absolute_url(),
    }
    pages = {}
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, name
        pages[name] = response.content.decode()
    return pages


def _digest_titles(member) -> list[str]:
    now = timezone.now()
    run = digests.plan_run(kind="activist_weekly", period="t", since=now - timedelta(days=7))
    context = digests.activist_contexts([member], run, now).get(member.pk, {})
    return [e.title for e in context.get("my_events", [])]


@pytest.fixture
def foreign(people):
    """A national campaign Derby does not run and a partner it has no partnership with
    (Leicester does), in another region."""
    partner = PartnerFactory(name="Sanctuary Leicester")
    PartnershipFactory(group=people.other_group, partner=partner)
    return CampaignFactory(title="Lift the Ban", slug="lift-the-ban"), partner


def test_lead_cannot_publish_into_foreign_campaign_or_partner(client, people, foreign):
    campaign, partner = foreign
    client.force_login(people.lead)
    data = _form(campaign=campaign.pk, partners=[partner.pk], cohost_groups=[people.other_group.pk])
    response = client.post(reverse("events:create", args=["derby"]), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"campaign", "partners"}
    assert Event.objects.count() == 0


def test_foreign_ids_posted_show_nothing_on_the_other_side(client, people, foreign):
    """The probe, replayed: the create form with foreign ids for all three, then the
    event published; then every page and feed of the other side as a visitor."""
    campaign, partner = foreign
    leicester_member = MembershipFactory(group=people.other_group).user
    client.force_login(people.lead)
    client.post(
        reverse("events:create", args=["derby"]),
        _form(campaign=campaign.pk, partners=[partner.pk], cohost_groups=[people.other_group.pk]),
    )
    # The form refused the campaign and partner; with the co-host only, it saves.
    response = client.post(
        reverse("events:create", args=["derby"]), _form(cohost_groups=[people.other_group.pk])
    )
    event = Event.objects.get()
    assert response["Location"] == event.get_absolute_url()
    client.post(reverse("events:publish", args=[event.slug]))
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED
    assert list(event.cohost_groups.all()) == []
    assert event.campaign is None and list(event.partners.all()) == []
    invitation = CohostInvitation.objects.get()
    assert (invitation.group, invitation.status) == (people.other_group, "pending")

    for name, html in _other_side_pages(client, people, campaign, partner).items():
        assert "Vigil for the Refugee Ban" not in html, name
    detail = client.get(event.get_absolute_url()).content.decode()
    assert "Leicester" not in detail
    assert _digest_titles(leicester_member) == []

    # The hosts see "invited", never "co-hosted by".
    client.force_login(people.lead)
    detail = client.get(event.get_absolute_url()).content.decode()
    assert "invited</span> Leicester (waiting for its leads to accept)" in detail
    assert 'with <a href="/groups/leicester/">' not in detail


def test_invitation_emailed_once_and_accepted_from_my_portal(client, people):
    second_lead = MembershipFactory(group=people.other_group, lead=True).user
    client.force_login(people.lead)
    client.post(
        reverse("events:create", args=["derby"]), _form(cohost_groups=[people.other_group.pk])
    )
    event = Event.objects.get()
    client.post(reverse("events:publish", args=[event.slug]))
    # Saving the event again does not invite again.
    client.post(
        reverse("events:edit", args=[event.slug]),
        _form(cohost_groups=[people.other_group.pk], venue=event.venue_id),
    )
    deliver_outbox()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [people.other_lead.email, second_lead.email]
    )
    assert mail.outbox[0].subject == (
        "Derby invites Leicester to co-host Vigil for the Refugee Ban"
    )
    assert f"{reverse('my_portal')}#cohost-invitations" in mail.outbox[0].body

    invitation = CohostInvitation.objects.get()
    client.force_login(people.other_lead)
    portal = client.get(reverse("my_portal")).content.decode()
    assert "Derby invites Leicester to co-host" in portal
    response = client.post(reverse("events:cohost_answer", args=[invitation.pk, "accept"]))
    assert response["Location"] == reverse("my_portal")
    invitation.refresh_from_db()
    assert (invitation.status, invitation.decided_by) == ("accepted", people.other_lead)
    assert list(event.cohost_groups.all()) == [people.other_group]
    # The second lead's answer comes too late.
    client.force_login(second_lead)
    client.post(reverse("events:cohost_answer", args=[invitation.pk, "decline"]))
    invitation.refresh_from_db()
    assert invitation.status == "accepted"

    client.logout()
    assert "Vigil for the Refugee Ban" in client.get("/groups/leicester/").content.decode()
    feed = client.get(reverse("events:group_feed", args=["leicester"])).content.decode()
    assert "Vigil for the Refugee Ban" in feed


def test_declined_invitation_shows_declined_and_is_not_sent_again(client, people):
    client.force_login(people.lead)
    data = _form(cohost_groups=[people.other_group.pk])
    client.post(reverse("events:create", args=["derby"]), data)
    event = Event.objects.get()
    invitation = CohostInvitation.objects.get()
    client.force_login(people.other_lead)
    client.post(reverse("events:cohost_answer", args=[invitation.pk, "decline"]))
    invitation.refresh_from_db()
    assert invitation.status == "declined"
    client.force_login(people.lead)
    client.post(reverse("events:edit", args=[event.slug]), {**data, "venue": event.venue_id})
    invitation.refresh_from_db()
    assert invitation.status == "declined"
    assert CohostInvitation.objects.count() == 1
    assert list(event.cohost_groups.all()) == []
    assert "declined</span> Leicester" in client.get(event.get_absolute_url()).content.decode()


def test_unticking_withdraws_the_invitation(client, people):
    client.force_login(people.lead)
    data = _form(cohost_groups=[people.other_group.pk])
    client.post(reverse("events:create", args=["derby"]), data)
    event = Event.objects.get()
    client.post(reverse("events:edit", args=[event.slug]), {**_form(), "venue": event.venue_id})
    assert CohostInvitation.objects.get().status == "withdrawn"
    client.force_login(people.other_lead)
    assert "Derby invites" not in client.get(reverse("my_portal")).content.decode()


def test_a_lead_of_both_groups_accepts_by_inviting(client, people):
    MembershipFactory(group=people.other_group, user=people.lead, lead=True)
    client.force_login(people.lead)
    client.post(
        reverse("events:create", args=["derby"]), _form(cohost_groups=[people.other_group.pk])
    )
    event = Event.objects.get()
    assert list(event.cohost_groups.all()) == [people.other_group]
    assert CohostInvitation.objects.get().status == "accepted"
    deliver_outbox()
    assert mail.outbox == []


def test_own_campaign_joined_campaign_and_active_partner_are_accepted(client, people, foreign):
    campaign, partner = foreign
    own = CampaignFactory(local=True, group=people.group)
    PartnershipFactory(group=people.group, partner=partner)
    campaign_services.join_campaign(campaign=campaign, group=people.group, by=people.lead)
    client.force_login(people.lead)
    for linked in (own, campaign):
        response = client.post(
            reverse("events:create", args=["derby"]),
            _form(title=f"For {linked.title}", campaign=linked.pk, partners=[partner.pk]),
        )
        assert response.status_code == 302, response.context["form"].errors
    assert sorted(Event.objects.values_list("campaign__title", flat=True)) == sorted(
        [own.title, campaign.title]
    )


def test_ended_partnership_and_left_campaign_are_refused(client, people, foreign):
    campaign, partner = foreign
    PartnershipFactory(group=people.group, partner=partner, status="ended")
    campaign_services.join_campaign(campaign=campaign, group=people.group, by=people.lead)
    campaign_services.leave_campaign(campaign=campaign, group=people.group)
    client.force_login(people.lead)
    response = client.post(
        reverse("events:create", args=["derby"]),
        _form(campaign=campaign.pk, partners=[partner.pk]),
    )
    assert set(response.context["form"].errors) == {"campaign", "partners"}


def _linked_event(people, campaign, partner):
    """An event published into three spaces before this fix (as existing data may be)."""
    event = EventFactory(
        title="Old stall", group=people.group, campaign=campaign, status="published"
    )
    event.partners.add(partner)
    event.cohost_groups.add(people.other_group)
    return event


def test_owners_remove_an_event_from_their_spaces(client, people, foreign):
    campaign, partner = foreign
    event = _linked_event(people, campaign, partner)
    url = reverse("events:remove_from_space", args=[event.slug])

    client.force_login(people.other_lead)
    response = client.post(url, {"space": "group", "group": people.other_group.pk})
    assert response["Location"] == people.other_group.get_absolute_url()
    assert list(event.cohost_groups.all()) == []
    assert CohostInvitation.objects.get(event=event).status == "declined"
    # ... and the hosts cannot simply add the group back without its leads.
    services.invite_cohosts(event=event, groups=[people.other_group], by=people.lead)
    assert list(event.cohost_groups.all()) == []

    client.force_login(people.staff)  # national campaign: staff run it
    client.post(url, {"space": "campaign"})
    client.post(url, {"space": "partner", "partner": partner.pk})
    event.refresh_from_db()
    assert event.campaign is None
    assert list(event.partners.all()) == []

    for name, html in _other_side_pages(client, people, campaign, partner).items():
        assert "Old stall" not in html, name


@pytest.mark.parametrize("who", ["anonymous", "activist", "member", "lead", "rep", "other_rep"])
def test_others_cannot_remove_an_event_from_a_space(client, people, foreign, who):
    campaign, partner = foreign
    event = _linked_event(people, campaign, partner)
    user = getattr(people, who)
    if user:
        client.force_login(user)
    url = reverse("events:remove_from_space", args=[event.slug])
    for data in (
        {"space": "group", "group": people.other_group.pk},
        {"space": "campaign"},
        {"space": "partner", "partner": partner.pk},
    ):
        response = client.post(url, data)
        assert response.status_code in ((302,) if who == "anonymous" else (404, 302))
    event.refresh_from_db()
    assert event.campaign == campaign
    assert list(event.partners.all()) == [partner]
    assert list(event.cohost_groups.all()) == [people.other_group]


@pytest.mark.parametrize("who", ["anonymous", "activist", "member", "lead", "rep", "staff"])
def test_only_the_invited_groups_leads_answer(client, people, who):
    event = EventFactory(group=people.group)
    services.invite_cohosts(event=event, groups=[people.other_group], by=people.lead)
    invitation = CohostInvitation.objects.get()
    user = getattr(people, who)
    if user:
        client.force_login(user)
    response = client.post(reverse("events:cohost_answer", args=[invitation.pk, "accept"]))
    assert response.status_code == (302 if who == "anonymous" else 404)
    invitation.refresh_from_db()
    assert invitation.status == "pending"


def test_unknown_answer_is_not_found(client, people):
    event = EventFactory(group=people.group)
    services.invite_cohosts(event=event, groups=[people.other_group], by=people.lead)
    client.force_login(people.other_lead)
    invitation = CohostInvitation.objects.get()
    response = client.post(reverse("events:cohost_answer", args=[invitation.pk, "maybe"]))
    assert response.status_code == 404


def test_festival_cohosting_by_invitation(client, people):
    from datetime import date

    from events.models import Festival

    client.force_login(people.lead)
    response = client.post(
        reverse("events:festival_create", args=["derby"]),
        {
            "name": "Peace Week",
            "starts_on": "2027-06-05",
            "ends_on": "2027-06-11",
            "description": "",
            "cohost_groups": [people.other_group.pk],
        },
    )
    festival = Festival.objects.get()
    assert response["Location"] == festival.get_absolute_url()
    assert festival.starts_on == date(2027, 6, 5)
    assert list(festival.host_groups.all()) == [people.group]
    client.post(reverse("events:festival_publish", args=[festival.slug]), {"status": "published"})
    page = client.get(festival.get_absolute_url()).content.decode()
    assert "invited</span> Leicester (waiting for its leads to accept)" in page
    client.logout()
    assert "Leicester" not in client.get(festival.get_absolute_url()).content.decode()
    deliver_outbox()
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([people.other_lead.email], "Leicester is invited to host Peace Week")
    ]
    invitation = CohostInvitation.objects.get()
    client.force_login(people.other_lead)
    assert "invited to host the festival" in client.get(reverse("my_portal")).content.decode()
    client.post(reverse("events:cohost_answer", args=[invitation.pk, "accept"]))
    assert set(festival.host_groups.all()) == {people.group, people.other_group}
    # Now a host, Leicester's lead may edit it.
    assert client.get(reverse("events:festival_edit", args=[festival.slug])).status_code == 200


def test_partners_are_told_once_when_the_group_chose_to(client, people):
    told = PartnerFactory(name="Multi-Faith Centre", contact_email="hello@mfc.example.org")
    PartnershipFactory(group=people.group, partner=told, contact_email="pat@mfc.example.org")
    silent = PartnerFactory(name="No address", contact_email="")
    PartnershipFactory(group=people.group, partner=silent, contact_email="")
    client.force_login(people.lead)
    data = _form(partners=[told.pk, silent.pk], tell_partners="on")
    client.post(reverse("events:create", args=["derby"]), data)
    event = Event.objects.get()
    deliver_outbox()
    assert mail.outbox == []  # a draft tells nobody
    client.post(reverse("events:publish", args=[event.slug]))
    client.post(reverse("events:edit", args=[event.slug]), {**data, "venue": event.venue_id})
    deliver_outbox()
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["pat@mfc.example.org"], "Derby lists you as a partner of Vigil for the Refugee Ban")
    ]


def test_partners_are_not_told_unless_the_group_chose_to(client, people):
    partner = PartnerFactory(contact_email="hello@p.example.org")
    PartnershipFactory(group=people.group, partner=partner)
    client.force_login(people.lead)
    client.post(reverse("events:create", args=["derby"]), _form(partners=[partner.pk]))
    client.post(reverse("events:publish", args=[Event.objects.get().slug]))
    deliver_outbox()
    assert mail.outbox == []
