import pytest
from django.urls import reverse

from partners.models import Partnership
from tests.groups.factories import AreaFactory, LocalGroupFactory

from .factories import PartnerFactory, PartnerKindFactory, PartnershipFactory

URL = reverse("partners:list")


def names(response):
    return [p.name for p in response.context["page"].object_list]


@pytest.mark.parametrize("count", [1, 3])
def test_directory_query_count_is_constant(client, db, django_assert_num_queries, count):
    for _ in range(count):
        partnership = PartnershipFactory()
        PartnershipFactory(partner=partnership.partner)
        partnership.partner.areas.add(partnership.group.area)
    # kinds and areas for the filter form, count, page
    with django_assert_num_queries(4):
        response = client.get(URL)
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == count
    assert response.context["page"].object_list[0].active_group_count == 2


def test_directory_lists_only_active_partners_by_name(client, db):
    PartnerFactory(name="Zeta")
    PartnerFactory(name="Alpha")
    PartnerFactory(name="Hidden", is_active=False)
    response = client.get(URL)
    assert names(response) == ["Alpha", "Zeta"]
    assert b"Hidden" not in response.content


def test_directory_counts_only_active_partnerships(client, db):
    partner = PartnerFactory()
    PartnershipFactory(partner=partner)
    PartnershipFactory(partner=partner, status=Partnership.Status.PROSPECT)
    PartnershipFactory(partner=partner, status=Partnership.Status.ENDED)
    PartnershipFactory(partner=partner, group=LocalGroupFactory(is_active=False))
    response = client.get(URL)
    assert response.context["page"].object_list[0].active_group_count == 1
    assert b"Works with 1 group" in response.content


def test_directory_search_matches_name_town_and_description(client, db):
    PartnerFactory(name="RESTORE", town="Birmingham")
    PartnerFactory(name="Malvern Welcomes", town="Malvern", description="Refugee welcome")
    PartnerFactory(name="Derby County Community Trust", town="Derby")
    assert names(client.get(URL, {"q": "restore"})) == ["RESTORE"]
    assert names(client.get(URL, {"q": "malvern"})) == ["Malvern Welcomes"]
    assert names(client.get(URL, {"q": "refugee"})) == ["Malvern Welcomes"]


def test_directory_filters_by_kind_and_area(client, db):
    sport = PartnerKindFactory(slug="sport", name="Sport")
    faith = PartnerKindFactory(slug="faith", name="Faith")
    east, west = AreaFactory(slug="east"), AreaFactory(slug="west")
    club = PartnerFactory(name="Club", kind=sport)
    club.areas.add(east)
    centre = PartnerFactory(name="Centre", kind=faith)
    centre.areas.add(east, west)
    assert names(client.get(URL, {"kind": "sport"})) == ["Club"]
    assert names(client.get(URL, {"area": "west"})) == ["Centre"]
    assert names(client.get(URL, {"area": "east"})) == ["Centre", "Club"]
    assert names(client.get(URL, {"area": "east", "kind": "faith"})) == ["Centre"]


def test_directory_unknown_filter_is_an_error_not_a_500(client, db):
    PartnerFactory(name="Club")
    response = client.get(URL, {"kind": "no-such-kind", "area": "nowhere"})
    assert response.status_code == 200
    assert names(response) == ["Club"]
    assert "kind" in response.context["form"].errors
    assert "area" in response.context["form"].errors


def test_directory_near_postcode_orders_by_distance(client, db):
    PartnerFactory(name="Birmingham org", latitude=52.47989, longitude=-1.90938)
    PartnerFactory(name="Derby org", latitude=52.922, longitude=-1.47734)
    PartnerFactory(name="Nowhere org", latitude=None, longitude=None)
    response = client.get(URL, {"near": "de1 3ab"})
    assert names(response) == ["Derby org", "Birmingham org"]
    page = response.context["page"].object_list
    assert page[0].distance_km == pytest.approx(0.0, abs=0.1)
    assert 55 < page[1].distance_km < 60
    assert b"nearest to DE1 first" in response.content


def test_directory_bad_postcode_shows_error(client, db):
    PartnerFactory(name="Club")
    response = client.get(URL, {"near": "not a postcode"})
    assert response.status_code == 200
    assert response.context["form"].errors["near"] == ["That doesn't look like a UK postcode."]
    assert names(response) == ["Club"]


@pytest.mark.parametrize("page", ["abc", "99999", "-1", "0", ""])
def test_directory_bad_page_is_not_an_error(client, db, page):
    for n in range(25):
        PartnerFactory(name=f"Partner {n:02}")
    response = client.get(URL, {"page": page})
    assert response.status_code == 200
    assert len(response.context["page"].object_list) in (20, 5)


def test_directory_second_page(client, db):
    for n in range(25):
        PartnerFactory(name=f"Partner {n:02}")
    response = client.get(URL, {"page": "2"})
    assert names(response) == [f"Partner {n:02}" for n in range(20, 25)]
