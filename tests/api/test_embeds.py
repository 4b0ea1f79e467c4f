"""Embeds: framable only by the listed origins, no other page framable, no JavaScript."""

import pytest
from django.urls import reverse

from api import services
from api.models import Embed
from campaigns.models import Action, ActionTaken
from events.models import RSVP, Event
from tests.campaigns.factories import ActionFactory, CampaignFactory
from tests.events.factories import EventFactory
from tests.people import make_people

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db):
    return make_people()


def _ancestors(response) -> str:
    policy = response["Content-Security-Policy"]
    [directive] = [d.strip() for d in policy.split(";") if "frame-ancestors" in d]
    return directive


def test_an_event_embed_is_framable_only_by_its_origins(client, people):
    event = EventFactory(group=people.group, title="Refugee Week picnic")
    embed = services.create_embed(
        by=people.lead, origins="https://partner.example.org\nhttp://localhost:8080", event=event
    )
    response = client.get(f"/embed/{embed.uid}/")
    assert response.status_code == 200
    assert _ancestors(response) == (
        "frame-ancestors https://partner.example.org http://localhost:8080"
    )
    assert "X-Frame-Options" not in response
    body = response.content.decode()
    assert "Refugee Week picnic" in body
    assert "<script" not in body
    # Signed out: sent to sign in, in a new tab, back to the event page.
    login = f"http://127.0.0.1:8000/accounts/login/?next={event.get_absolute_url()}"
    assert f'href="{login}" target="_blank" rel="noopener"' in body


@pytest.mark.parametrize("url", ["/", "/events/", "/groups/", "/api/v1/docs/"])
def test_no_other_page_may_be_framed(client, url):
    response = client.get(url)
    assert response["X-Frame-Options"] == "DENY"
    assert _ancestors(response) == "frame-ancestors 'none'"


def test_a_signed_in_visitor_rsvps_in_the_frame_through_the_service(client, people):
    event = EventFactory(group=people.group, capacity=5)
    embed = services.create_embed(by=people.lead, origins="https://a.example", event=event)
    client.force_login(people.activist)
    response = client.post(f"/embed/{embed.uid}/")
    assert response.status_code == 200
    assert "You have a place." in response.content.decode()
    assert RSVP.objects.get(event=event, user=people.activist).status == "confirmed"
    event.refresh_from_db()
    assert event.confirmed_count == 1
    assert _ancestors(response) == "frame-ancestors https://a.example"


def test_a_signed_out_post_is_sent_to_sign_in(client, people):
    event = EventFactory(group=people.group)
    embed = services.create_embed(by=people.lead, origins="https://a.example", event=event)
    response = client.post(f"/embed/{embed.uid}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not RSVP.objects.exists()


def test_a_petition_embed_signs_through_the_service(client, people):
    action = ActionFactory(kind=Action.Kind.SIGN, title="Lift the ban")
    embed = services.create_embed(by=people.staff, origins="https://a.example", action=action)
    client.force_login(people.activist)
    response = client.post(f"/embed/{embed.uid}/")
    assert "Thank you: you have signed." in response.content.decode()
    action.refresh_from_db()
    assert action.count == 1
    assert ActionTaken.objects.filter(action=action, user=people.activist).exists()


def test_embeds_of_hidden_events_are_not_found(client, people):
    event = EventFactory(group=people.group, visibility=Event.Visibility.MEMBERS)
    embed = services.create_embed(by=people.lead, origins="https://a.example", event=event)
    assert client.get(f"/embed/{embed.uid}/").status_code == 404


def test_a_lead_makes_an_embed_and_gets_the_snippet(client, people):
    event = EventFactory(group=people.group, title="Vigil")
    client.force_login(people.lead)
    url = reverse("api:event_embeds", args=[event.slug])
    response = client.post(
        url, {"origins": "https://www.cityofsanctuary.org/page\nhttps://www.cityofsanctuary.org"}
    )
    assert response.status_code == 200
    assert "is not a site address" in response.content.decode()
    response = client.post(url, {"origins": "https://www.cityofsanctuary.org"}, follow=True)
    embed = Embed.objects.get()
    assert embed.origin_list == ["https://www.cityofsanctuary.org"]
    src = f"http://127.0.0.1:8000/embed/{embed.uid}/"
    assert f"&lt;iframe src=&quot;{src}&quot; title=&quot;Vigil&quot;" in response.content.decode()
    page = client.get(event.get_absolute_url())
    assert url.encode() in page.content
    client.post(reverse("api:delete_embed", args=[embed.uid]))
    assert not Embed.objects.exists()


def test_other_people_cannot_make_or_delete_embeds(client, people):
    event = EventFactory(group=people.group)
    embed = services.create_embed(by=people.lead, origins="https://a.example", event=event)
    campaign = CampaignFactory(group=people.group, scope="local", status="active")
    action = ActionFactory(campaign=campaign, kind=Action.Kind.SIGN)
    for who in (people.member, people.other_lead):
        client.force_login(who)
        assert client.get(reverse("api:event_embeds", args=[event.slug])).status_code == 404
        assert client.post(reverse("api:delete_embed", args=[embed.uid])).status_code == 404
        response = client.get(reverse("api:action_embeds", args=[campaign.slug, action.pk]))
        assert response.status_code == 403
    assert Embed.objects.count() == 1
