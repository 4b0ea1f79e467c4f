"""Issue 16, defect 7: festivals can be found: an index, links from event cards, and the
host group's page features its festival."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Festival
from tests.groups.factories import LocalGroupFactory

from .factories import EventFactory, FestivalFactory

pytestmark = pytest.mark.django_db
INDEX = reverse("events:festival_list")


def test_festival_index_lists_current_and_upcoming_published_festivals(client, people):
    today = timezone.localdate()
    on_now = FestivalFactory(
        name="Peace Week", starts_on=today - timedelta(days=1), host_groups=[people.group]
    )
    later = FestivalFactory(name="Refugee Week", starts_on=today + timedelta(days=30))
    FestivalFactory(name="Old Week", starts_on=today - timedelta(days=30))
    FestivalFactory(name="Secret Week", status=Festival.Status.DRAFT, host_groups=[people.group])
    response = client.get(INDEX)
    assert response.status_code == 200
    assert [f.name for f in response.context["page"].object_list] == [on_now.name, later.name]
    assert "On now" in response.content.decode()
    # A lead also sees the drafts of festivals their group hosts.
    client.force_login(people.lead)
    names = [f.name for f in client.get(INDEX).context["page"].object_list]
    assert "Secret Week" in names


@pytest.mark.parametrize("n", [1, 3])
def test_festival_index_query_count_is_constant(client, django_assert_num_queries, n):
    for _ in range(n):
        festival = FestivalFactory(host_groups=[LocalGroupFactory(), LocalGroupFactory()])
        EventFactory(festival=festival)
    # count, page, host groups
    with django_assert_num_queries(3):
        response = client.get(INDEX)
    assert len(response.context["page"].object_list) == n
    assert response.context["page"].object_list[0].session_count == 1


def test_event_card_links_to_its_festival(client, people):
    festival = FestivalFactory(name="Derby Peace Week", host_groups=[people.group])
    EventFactory(group=people.group, festival=festival)
    page = client.get(reverse("events:list")).content.decode()
    assert f'part of <a href="{festival.get_absolute_url()}">Derby Peace Week</a>' in page
    assert f'href="{INDEX}"' in page


def test_host_groups_page_features_its_festival(client, people):
    festival = FestivalFactory(name="Derby Peace Week", host_groups=[people.group])
    page = client.get(reverse("groups:detail", args=["derby"])).content.decode()
    assert f'<a href="{festival.get_absolute_url()}">Derby Peace Week</a></h2>' in page
    other = client.get(reverse("groups:detail", args=["leicester"])).content.decode()
    assert "Derby Peace Week" not in other
