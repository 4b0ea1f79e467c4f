from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Action
from events.models import Venue
from tests.front.test_search import make_campaign, make_event
from tests.groups.factories import LocalGroupFactory


def populate(n):
    group = LocalGroupFactory()
    venue = Venue.objects.create(
        name="Hall",
        slug=f"hall-{n}",
        address="1 Road",
        town="Derby",
        latitude=52.92,
        longitude=-1.47,
        postcode_district="DE1",
    )
    for i in range(n):
        make_event(group, f"Event {n}-{i}", venue=venue)
        campaign = make_campaign(f"Campaign {n}-{i}", is_featured=True)
        Action.objects.create(campaign=campaign, kind=Action.Kind.SIGN, title=f"Sign {n}-{i}")
    return group


@pytest.mark.django_db
@pytest.mark.parametrize("n", [1, 3])
def test_home_query_count_does_not_grow_with_events_or_campaigns(
    client, django_assert_num_queries, n
):
    populate(n)
    client.get(reverse("home"))  # session created on first visit
    with django_assert_num_queries(6):
        response = client.get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Event {n}-{n - 1}" in html
    assert f"Sign {n}-{n - 1}" in html


@pytest.mark.django_db
def test_home_shows_events_near_a_postcode_and_remembers_it(client):
    populate(1)
    far = LocalGroupFactory()
    glasgow = Venue.objects.create(
        name="Far hall", slug="far", address="x", town="Glasgow", latitude=55.86, longitude=-4.25
    )
    make_event(far, "Far away vigil", venue=glasgow)
    response = client.get(reverse("home"), {"postcode": "de1 3aa"})
    html = response.content.decode()
    assert "What&#x27;s on near DE1" in html or "What's on near DE1" in html
    assert "Event 1-0" in html
    assert "Far away vigil" not in html
    assert "0.0 km away" in html or "km away" in html
    # Remembered for the visit.
    assert "Far away vigil" not in client.get(reverse("home")).content.decode()


@pytest.mark.django_db
def test_home_explains_a_bad_postcode(client):
    response = client.get(reverse("home"), {"postcode": "not a postcode"})
    assert response.status_code == 200
    assert "That doesn&#x27;t look like a UK postcode." in response.content.decode()


@pytest.mark.django_db
def test_closed_actions_are_not_offered(client):
    campaign = make_campaign("Old campaign", is_featured=True)
    Action.objects.create(
        campaign=campaign,
        kind=Action.Kind.SIGN,
        title="Expired petition",
        deadline=timezone.localdate() - timedelta(days=1),
    )
    assert "Expired petition" not in client.get(reverse("home")).content.decode()


@pytest.mark.django_db
def test_robots_and_sitemap(client):
    group = LocalGroupFactory(slug="derby")
    robots = client.get("/robots.txt")
    assert robots.status_code == 200
    assert "Sitemap: " in robots.content.decode()
    sitemap = client.get("/sitemap.xml")
    assert sitemap.status_code == 200
    assert f"/groups/{group.slug}/" in sitemap.content.decode()
