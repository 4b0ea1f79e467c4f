import pytest
from django.urls import reverse

from partners.models import Partnership
from partners.services import partners_near_group
from tests.groups.factories import LocalGroupFactory, MembershipFactory
from tests.queries import SESSION

from .conftest import ROLES
from .factories import PartnerFactory, PartnershipFactory

DERBY = (52.922, -1.4773)


def group_at(name, lat, lon, **kwargs):
    return LocalGroupFactory(name=name, slug=name.lower(), latitude=lat, longitude=lon, **kwargs)


@pytest.fixture
def known_map(db):
    """Derby, with Belper 11 km north, Nottingham 22 km east, a group 34 km away that is
    still inside the 30 km bounding box, Birmingham 57 km away, and a closed group."""
    derby = group_at("Derby", *DERBY)
    belper = group_at("Belper", 53.0210, -1.4800)
    nottingham = group_at("Nottingham", 52.9548, -1.1484)
    corner = group_at("Corner", DERBY[0] + 0.22, DERBY[1] + 0.36)
    birmingham = group_at("Birmingham", 52.4799, -1.9094)
    closed = group_at("Closed", 52.95, -1.40, is_active=False)

    def partner(name, *groups, status="active", **kwargs):
        p = PartnerFactory(name=name, **kwargs)
        for g in groups:
            PartnershipFactory(partner=p, group=g, status=status)
        return p

    partners = {
        "two_groups": partner("Two groups", belper, nottingham, latitude=52.6, longitude=-1.1),
        "close": partner("Close", nottingham, latitude=52.95, longitude=-1.40),
        "no_coords_belper": partner("No coords Belper", belper, latitude=None, longitude=None),
        "no_coords_notts": partner("No coords Notts", nottingham, latitude=None, longitude=None),
    }
    # Each of these must be left out:
    partner("Far only", birmingham)
    partner("Corner only", corner)
    partner("Prospect only", nottingham, status="prospect")
    partner("Dormant only", nottingham, status=Partnership.Status.DORMANT)
    partner("Inactive partner", nottingham, is_active=False)
    partner("Closed group only", closed)
    already = partner("Already ours", nottingham)
    PartnershipFactory(partner=already, group=derby, status=Partnership.Status.ENDED)
    return derby, partners


def test_partners_near_group_ranking_on_a_known_map(known_map):
    derby, partners = known_map
    results = partners_near_group(derby)
    assert [r.partner.name for r in results] == [
        "Two groups",
        "Close",
        "No coords Belper",
        "No coords Notts",
    ]
    assert [r.group_count for r in results] == [2, 1, 1, 1]
    assert [g.name for g in results[0].groups] == ["Belper", "Nottingham"]
    assert results[1].distance_km == pytest.approx(6.0, abs=0.2)
    # Without coordinates of its own, a partner is as far as its nearest group.
    assert results[2].distance_km == pytest.approx(11.0, abs=0.2)
    assert results[3].distance_km == pytest.approx(22.3, abs=0.3)


def test_partners_near_group_without_location_is_empty(db):
    group = LocalGroupFactory(latitude=None, longitude=None)
    PartnershipFactory(group=LocalGroupFactory())
    assert partners_near_group(group) == []


def test_partners_near_group_uses_three_queries(known_map, django_assert_num_queries):
    derby, _ = known_map
    with django_assert_num_queries(3):
        assert len(partners_near_group(derby)) == 4


def url(group):
    return reverse("partners:group_suggestions", args=[group.slug])


@pytest.mark.parametrize("count", [1, 3])
def test_group_suggestions_page_query_count_is_constant(
    client, db, django_assert_num_queries, count
):
    derby = group_at("Derby", *DERBY)
    lead = MembershipFactory(group=derby, lead=True).user
    for n in range(count):
        PartnershipFactory(group=group_at(f"Near{n}", 52.95, -1.40 + n / 100))
    client.force_login(lead)
    # session, user, group (lead check), nearby groups, partnerships, partners
    with django_assert_num_queries(5 + SESSION):
        response = client.get(url(derby))
    assert len(response.context["suggestions"]) == count
    assert b"Add as a partner" in response.content


@pytest.mark.parametrize("role", ROLES)
def test_group_suggestions_page_only_for_the_groups_leads(client, world, role):
    response = world.client_for(client, role).get(url(world.group))
    assert response.status_code == (200 if role == "lead" else 404)


def test_group_suggestions_page_empty_states(client, db):
    lost = LocalGroupFactory(latitude=None, longitude=None)
    lonely = group_at("Lonely", *DERBY)
    lead = MembershipFactory(group=lost, lead=True).user
    MembershipFactory(group=lonely, lead=True, user=lead)
    client.force_login(lead)
    assert b"We don't know where" in client.get(url(lost)).content
    assert b"No suggestions right now" in client.get(url(lonely)).content
