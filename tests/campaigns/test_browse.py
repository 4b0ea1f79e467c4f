import pytest
from django.urls import reverse

from campaigns.models import Campaign
from tests.groups.factories import LocalGroupFactory

from .factories import CampaignFactory, TopicFactory

LIST = reverse("campaigns:list")


def titles(response):
    return [c.title for c in response.context["page"].object_list]


@pytest.mark.django_db
def test_list_shows_only_public_statuses(client):
    for status in Campaign.Status.values:
        CampaignFactory(title=f"Is {status}", status=status)
    response = client.get(LIST)
    assert response.status_code == 200
    assert sorted(titles(response)) == ["Is active", "Is closed", "Is paused", "Is won"]


@pytest.mark.django_db
def test_list_filters_by_search_topic_scope_and_status(client):
    climate = TopicFactory(name="Climate", slug="climate")
    a = CampaignFactory(title="Ethical batteries", summary="Cobalt")
    a.topics.add(climate)
    CampaignFactory(title="Lift the Ban", status=Campaign.Status.WON)
    CampaignFactory(title="Derby sanctuary", local=True)
    assert titles(client.get(LIST, {"q": "cobalt"})) == ["Ethical batteries"]
    assert titles(client.get(LIST, {"topic": "climate"})) == ["Ethical batteries"]
    assert titles(client.get(LIST, {"scope": "local"})) == ["Derby sanctuary"]
    assert titles(client.get(LIST, {"status": "won"})) == ["Lift the Ban"]


@pytest.mark.django_db
def test_list_filters_by_region_through_group_or_region(client):
    local = CampaignFactory(title="Local one", local=True)
    region = local.group.area.region
    CampaignFactory(title="Regional one", regional=True, region=region)
    CampaignFactory(title="Elsewhere", local=True)
    CampaignFactory(title="National")
    response = client.get(LIST, {"region": region.slug})
    assert sorted(titles(response)) == ["Local one", "Regional one"]


@pytest.mark.django_db
def test_list_near_postcode_orders_local_campaigns_by_group_distance(client):
    derby = LocalGroupFactory(latitude=52.9225, longitude=-1.4746)  # DE1
    brum = LocalGroupFactory(latitude=52.4796, longitude=-1.9026)  # B1
    CampaignFactory(title="Birmingham", local=True, group=brum)
    CampaignFactory(title="Derby", local=True, group=derby)
    CampaignFactory(title="National")
    response = client.get(LIST, {"postcode": "B1 1AA"})
    assert titles(response) == ["Birmingham", "Derby"]
    assert response.context["near"] == "B1"
    assert b"away" in response.content


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        {"page": "abc"},
        {"page": "99999"},
        {"page": "-1"},
        {"postcode": "not a postcode"},
        {"postcode": "ZZ99"},
        {"topic": "no-such-topic"},
        {"scope": "galactic"},
        {"status": "proposed"},
        {"region": "atlantis"},
        {"q": "x" * 500},
    ],
)
def test_list_bad_input_is_not_an_error(client, query):
    CampaignFactory(title="Still listed")
    response = client.get(LIST, query)
    assert response.status_code == 200
    assert titles(response) == ["Still listed"]


@pytest.mark.django_db
def test_list_bad_postcode_shows_form_error(client):
    response = client.get(LIST, {"postcode": "not a postcode"})
    assert "t look like a UK postcode" in response.content.decode()


@pytest.mark.django_db
def test_list_status_filter_cannot_reveal_proposals(client):
    CampaignFactory(title="Secret", proposed=True)
    response = client.get(LIST, {"status": "proposed"})
    assert titles(response) == []


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_list_query_count_is_constant(client, django_assert_num_queries, count):
    topic = TopicFactory()
    for _ in range(count):
        campaign = CampaignFactory(local=True)
        campaign.topics.add(topic, TopicFactory())
    # topic and region choices, count, page (with group and region), their topics
    with django_assert_num_queries(5):
        response = client.get(LIST)
    assert len(titles(response)) == count
