"""Every link on a group's review page opens for the people the page is for."""

import re

import pytest
from django.urls import reverse

from campaigns.models import Campaign
from tests.groups.factories import RegionalRoleFactory
from tests.world import build_world

HREF = re.compile(r'href="(/(?!static/)[^"#]*)"')


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["rep", "area_rep", "lead", "staff"])
def test_every_link_on_the_review_group_page_opens(client, who):
    world = build_world()
    person = (
        RegionalRoleFactory(region=None, area=world.group.area).user
        if who == "area_rep"
        else getattr(world.people, who)
    )
    client.force_login(person)
    page = client.get(reverse("review:group", args=[world.group.slug]))
    assert page.status_code == 200
    proposal = Campaign.objects.get(slug="safe-passage")
    assert proposal.status == Campaign.Status.PROPOSED
    links = set(HREF.findall(page.content.decode()))
    assert proposal.get_absolute_url() in links
    answers = {link: client.get(link).status_code for link in sorted(links)}
    assert {link: status for link, status in answers.items() if status not in (200, 302)} == {}


@pytest.mark.django_db
def test_a_local_proposal_stays_hidden_from_reps_of_other_regions(client):
    world = build_world()
    client.force_login(world.people.other_rep)
    assert (
        client.get(Campaign.objects.get(slug="safe-passage").get_absolute_url()).status_code == 404
    )
