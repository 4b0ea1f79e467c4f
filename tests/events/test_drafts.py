"""Issue 16, defect 1: a saved draft is found again by the group's leads."""

import pytest
from django.urls import reverse

from events.models import Event
from tests.events.factories import EventFactory, FestivalFactory

pytestmark = pytest.mark.django_db


def test_lead_finds_the_groups_draft_on_the_group_page_and_my_portal(client, people):
    draft = EventFactory(group=people.group, status=Event.Status.DRAFT, title="Banner workshop")
    client.force_login(people.lead)

    group_page = client.get(reverse("groups:detail", args=["derby"])).content.decode()
    assert 'id="group-drafts-heading"' in group_page
    assert reverse("events:publish", args=[draft.slug]) in group_page

    portal = client.get(reverse("my_portal")).content.decode()
    assert "Drafts in my groups" in portal
    assert draft.get_absolute_url() in portal


def test_members_and_outsiders_do_not_see_drafts(client, people):
    EventFactory(group=people.group, status=Event.Status.DRAFT, title="Banner workshop")
    for who in ("member", "activist"):
        client.force_login(getattr(people, who))
        assert (
            "Banner workshop"
            not in client.get(reverse("groups:detail", args=["derby"])).content.decode()
        )
        assert "Banner workshop" not in client.get(reverse("my_portal")).content.decode()


def test_festival_hosts_leads_see_every_host_groups_draft_sessions(client, people):
    festival = FestivalFactory(host_groups=[people.group, people.other_group])
    draft = EventFactory(
        group=people.group, festival=festival, status=Event.Status.DRAFT, title="Peace film"
    )
    client.force_login(people.other_lead)  # leads the co-hosting group
    page = client.get(festival.get_absolute_url()).content.decode()
    assert "Peace film" in page
    assert client.get(draft.get_absolute_url()).status_code == 200

    client.force_login(people.member)
    assert "Peace film" not in client.get(festival.get_absolute_url()).content.decode()
    assert client.get(draft.get_absolute_url()).status_code == 404
