"""An area's page under its region, /regions/<region>/<area>/ (issue 19.1)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from campaigns.models import Participation
from tests.campaigns.factories import CampaignFactory
from tests.events.factories import EventFactory
from tests.factories import UserFactory
from tests.groups.factories import AreaFactory, LocalGroupFactory, RegionalRoleFactory
from tests.queries import SESSION

pytestmark = pytest.mark.django_db

# the area with its region, its groups, its reps, its events, its campaigns, and the
# signed-in person's rep roles and memberships (the header)
AREA_QUERIES = 6


def _url(area) -> str:
    return reverse("regions:area", args=[area.region.slug, area.slug])


@pytest.fixture
def neighbour(people):
    """Another area of the same region, with a group."""
    area = AreaFactory(region=people.region, name="Nottinghamshire", slug="notts")
    return LocalGroupFactory(area=area, name="Nottingham", slug="nottingham")


def test_area_page_shows_only_the_areas_groups_events_campaigns_and_reps(client, people, neighbour):
    area = people.group.area
    EventFactory(title="Derby vigil", group=people.group)
    EventFactory(title="Nottingham vigil", group=neighbour)
    national = CampaignFactory(title="Lift the Ban")
    Participation.objects.create(campaign=national, group=people.group)
    CampaignFactory(title="Derby buses", local=True, group=people.group)
    CampaignFactory(title="Notts buses", local=True, group=neighbour)
    CampaignFactory(title="Midlands regional", regional=True, region=people.region)
    CampaignFactory(title="Derby finished", local=True, group=people.group, status="closed")
    rep = RegionalRoleFactory(
        region=None, area=area, user__display_name="Aisha Arearep", user__email="a@private.org"
    ).user
    RegionalRoleFactory(region=None, area=neighbour.area, user__display_name="Nina Notts")
    page = client.get(_url(area)).content.decode()
    assert '<a href="/groups/derby/">Derby</a>' in page
    assert "Nottingham</a>" not in page and "Leicester</a>" not in page
    assert "Derby vigil" in page and "Nottingham vigil" not in page
    assert "Lift the Ban" in page and "Derby buses" in page
    assert "Notts buses" not in page and "Midlands regional" not in page
    assert "Derby finished" not in page
    assert rep.public_name in page and "Nina Notts" not in page
    assert rep.email not in page
    assert f'href="{people.region.get_absolute_url()}"' in page


@pytest.mark.parametrize(
    ("who", "sees"), [("anonymous", False), ("activist", False), ("member", True)]
)
def test_members_only_event_is_shown_only_to_the_groups_members(client, people, who, sees):
    EventFactory(title="Members meeting", group=people.group, visibility="members")
    EventFactory(title="Draft stall", group=people.group, status="draft")
    user = getattr(people, who)
    if user is not None:
        client.force_login(user)
    page = client.get(_url(people.group.area)).content.decode()
    assert ("Members meeting" in page) is sees
    assert "Draft stall" not in page


def test_unknown_area_or_area_of_another_region_is_not_found(client, people):
    assert (
        client.get(reverse("regions:area", args=[people.region.slug, "nowhere"])).status_code == 404
    )
    other_area = people.other_group.area
    assert (
        client.get(reverse("regions:area", args=[people.region.slug, other_area.slug])).status_code
        == 404
    )
    assert client.get(reverse("regions:area", args=["nowhere", other_area.slug])).status_code == 404
    assert client.get(_url(other_area)).status_code == 200


def test_region_page_links_to_each_of_its_areas(client, people, neighbour):
    page = client.get(people.region.get_absolute_url()).content.decode()
    assert f'<a href="{_url(people.group.area)}">{people.group.area.name}</a>' in page
    assert f'<a href="{_url(neighbour.area)}">Nottinghamshire</a>' in page
    assert _url(people.other_group.area) not in page


def test_an_area_may_not_take_the_slug_of_a_region_page(people):
    area = AreaFactory.build(region=people.region, name="Team", slug="team")
    with pytest.raises(ValidationError) as error:
        area.full_clean()
    assert error.value.message_dict == {"slug": ["“team” is taken by a page of the region."]}


@pytest.mark.parametrize("count", [1, 3])
def test_area_page_query_count_is_constant(client, people, django_assert_num_queries, count):
    area = people.group.area
    for n in range(count):
        group = LocalGroupFactory(
            area=area, name=f"G{n}", slug=f"g{n}", latitude=52.9, longitude=-1.4
        )
        EventFactory(title=f"E{n}", group=group)
        CampaignFactory(title=f"C{n}", local=True, group=group)
        RegionalRoleFactory(region=None, area=area, user=UserFactory(display_name=f"Rep {n}"))
    client.force_login(people.member)
    with django_assert_num_queries(AREA_QUERIES + SESSION):
        page = client.get(_url(area)).content.decode()
    assert page.count("<li>Rep ") == count
