"""The home page's event thumbnails and campaign cards (issue 16): pictures with their alt
text, defaults with alt="", and no query per picture."""

import pytest
from django.urls import reverse

from campaigns.models import Campaign
from events.models import Event
from tests.pictures import give_picture

from .test_home import populate

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.parametrize("n", [1, 3])
def test_home_with_pictures_query_count_does_not_grow(client, django_assert_num_queries, n):
    populate(n)
    for obj in [*Event.objects.all(), *Campaign.objects.all()]:
        give_picture(obj, f"Picture of {obj}")
    client.get(reverse("home"))  # session created on first visit
    with django_assert_num_queries(6):  # as without pictures (test_home)
        response = client.get(reverse("home"))
    html = response.content.decode()
    assert html.count('class="pp-picture pp-thumb"') == n
    assert html.count('class="pp-picture pp-card__img" loading="lazy">') == n


def test_home_shows_pictures_with_alt_text_and_defaults_with_empty_alt(client):
    populate(2)
    event = give_picture(Event.objects.order_by("starts_at", "pk").first(), "A vigil")
    html = client.get(reverse("home")).content.decode()
    assert (
        f'<img src="{event.image_card.url}" alt="A vigil" width="640" height="360" '
        'class="pp-picture pp-thumb">'
    ) in html
    assert (
        '<img src="/static/img/default-event.svg" alt="" width="640" height="360" '
        'class="pp-picture pp-thumb pp-picture--default">'
    ) in html
    assert (
        html.count(
            '<img src="/static/img/default-campaign.svg" alt="" width="640" height="360" '
            'class="pp-picture pp-card__img pp-picture--default" loading="lazy">'
        )
        == 2
    )
