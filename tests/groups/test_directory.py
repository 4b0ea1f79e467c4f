import pytest
from django.urls import reverse

from groups.models import LocalGroup

from .factories import AreaFactory, LocalGroupFactory, MembershipFactory

URL = reverse("groups:list")


def names(response):
    return [g.name for g in response.context["page"].object_list]


@pytest.mark.parametrize("count", [1, 3])
def test_directory_query_count_is_constant(client, db, count, django_assert_num_queries):
    for _ in range(count):
        group = LocalGroupFactory()
        MembershipFactory(group=group, lead=True)
    with django_assert_num_queries(3):
        response = client.get(URL)
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == count


@pytest.mark.parametrize("count", [1, 3])
def test_directory_near_postcode_query_count_is_constant(
    client, db, count, django_assert_num_queries
):
    for _ in range(count):
        LocalGroupFactory()
    with django_assert_num_queries(3):
        response = client.get(URL, {"postcode": "DE1"})
    assert len(response.context["page"].object_list) == count


def test_directory_searches_name_and_town(client, db):
    LocalGroupFactory(name="Derby", town="Derby")
    LocalGroupFactory(name="Students for rights", town="Derby")
    LocalGroupFactory(name="Leicester", town="Leicester")
    assert names(client.get(URL, {"q": "derby"})) == ["Derby", "Students for rights"]
    assert names(client.get(URL, {"q": "LEIC"})) == ["Leicester"]


def test_directory_filters_by_area_and_kind(client, db):
    east = AreaFactory(slug="east")
    LocalGroupFactory(name="Derby", area=east)
    LocalGroupFactory(name="Derby students", area=east, kind=LocalGroup.Kind.STUDENT)
    LocalGroupFactory(name="Coventry")
    assert names(client.get(URL, {"area": "east"})) == ["Derby", "Derby students"]
    assert names(client.get(URL, {"area": "east", "kind": "student"})) == ["Derby students"]


def test_directory_hides_inactive_groups(client, db):
    LocalGroupFactory(name="Active")
    LocalGroupFactory(name="Dormant", is_active=False)
    assert names(client.get(URL)) == ["Active"]


def test_directory_unknown_filter_values_are_reported_not_500(client, db):
    LocalGroupFactory(name="Derby")
    response = client.get(URL, {"area": "atlantis", "kind": "secret", "page": "abc"})
    assert response.status_code == 200
    assert names(response) == ["Derby"]
    assert set(response.context["form"].errors) == {"area", "kind"}


@pytest.mark.parametrize("page", ["abc", "99999", "-1", "0", ""])
def test_directory_bad_page_shows_a_page(client, db, page):
    LocalGroupFactory(name="Derby")
    response = client.get(URL, {"page": page})
    assert response.status_code == 200
    assert names(response) == ["Derby"]


def test_directory_paginates(client, db):
    for n in range(25):
        LocalGroupFactory(name=f"Group {n:02}")
    first = client.get(URL)
    second = client.get(URL, {"page": "2"})
    assert len(names(first)) == 20
    assert names(second) == [f"Group {n:02}" for n in range(20, 25)]
    assert b"page=2" in first.content


def _three_towns():
    LocalGroupFactory(name="Coventry", latitude=52.40941, longitude=-1.50654)
    LocalGroupFactory(name="Derby", latitude=52.92200, longitude=-1.47734)
    LocalGroupFactory(name="Nottingham", latitude=52.95476, longitude=-1.14840)
    LocalGroupFactory(name="Nowhere", latitude=None, longitude=None)


@pytest.mark.parametrize("postcode", ["DE1", "de1", "de1 3aa", "DE13AA", "  De1   3Aa "])
def test_directory_near_postcode_sorts_by_distance(client, db, postcode):
    _three_towns()
    response = client.get(URL, {"postcode": postcode})
    assert response.status_code == 200
    assert names(response) == ["Derby", "Nottingham", "Coventry"]
    assert response.context["near"] == "DE1"
    distances = [g.distance_km for g in response.context["page"].object_list]
    assert distances[0] == pytest.approx(0.0, abs=0.01)
    assert distances[1] == pytest.approx(22.5, abs=0.5)
    assert "22 km away" in response.content.decode()


@pytest.mark.parametrize(
    ("postcode", "message"),
    [
        ("ze9 1aa", "We don&#x27;t know where postcode district ZE9 is."),
        ("hello", "That doesn&#x27;t look like a UK postcode."),
        ("DE1 3AAA", "That doesn&#x27;t look like a UK postcode."),
        ("'; drop table", "That doesn&#x27;t look like a UK postcode."),
    ],
)
def test_directory_bad_postcode_gets_a_clear_message(client, db, postcode, message):
    _three_towns()
    response = client.get(URL, {"postcode": postcode})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["near"] is None
    assert names(response) == ["Coventry", "Derby", "Nottingham", "Nowhere"]
