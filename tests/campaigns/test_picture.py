"""A campaign's picture: set by the people who run it (campaigns:picture), through
portal.images.process_image, with alt text; shown on its page, its card and the home page."""

import pytest
from django.urls import reverse

from campaigns.models import Campaign
from tests.pictures import NO_ALT, SCRIPT, give_picture, image_bytes, stored, upload

from .conftest import login_as
from .factories import CampaignFactory
from .test_manage import EVERYONE, MANAGERS, campaign_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def url(campaign):
    return reverse("campaigns:picture", args=[campaign.slug])


@pytest.mark.parametrize("scope", ["local", "regional", "national"])
@pytest.mark.parametrize("who", EVERYONE)
def test_picture_permissions(client, people, scope, who):
    campaign = campaign_of(scope, people)
    login_as(client, people, who)
    response = client.post(url(campaign), {"image": upload(), "image_alt": "A banner"})
    campaign.refresh_from_db()
    if who in MANAGERS[scope]:
        assert response.status_code == 302
        assert (campaign.image_alt, bool(campaign.image)) == ("A banner", True)
    else:
        assert response.status_code == (302 if who == "anonymous" else 403)
        assert (campaign.image_alt, campaign.image.name) == ("", "")


def test_picture_is_reencoded_with_a_card_rendition(client, people):
    campaign = campaign_of("local", people)
    client.force_login(people.lead)
    gif = upload("banner.gif", image_bytes("GIF", (1200, 900), "P") + SCRIPT, "image/gif")
    response = client.post(url(campaign), {"image": gif, "image_alt": "Banner at the council"})
    assert response.status_code == 302
    campaign.refresh_from_db()
    fmt, size, content = stored(campaign.image)
    assert (fmt, size, b"<script" in content) == ("PNG", (1200, 900), False)
    assert stored(campaign.image_card)[:2] == ("WEBP", (640, 360))
    assert campaign.image_alt == "Banner at the council"


def test_picture_without_alt_text_is_refused(client, people):
    campaign = campaign_of("local", people)
    client.force_login(people.lead)
    response = client.post(url(campaign), {"image": upload(), "image_alt": ""})
    assert response.status_code == 200
    assert response.context["form"].errors == {"image_alt": [NO_ALT]}
    campaign.refresh_from_db()
    assert (campaign.image.name, campaign.image_card.name) == ("", "")


@pytest.mark.parametrize(
    ("picture", "error"),
    [
        (
            upload("big.png", image_bytes("PNG", (10, 10)) + b"\0" * (5 * 1024 * 1024)),
            "That file is 5.0 MB; an image may be at most 5 MB.",
        ),
        (
            upload("photo.tiff", image_bytes("TIFF", (20, 20)), "image/tiff"),
            "Images must be JPEG, PNG or WebP images; that file is TIFF.",
        ),
    ],
)
def test_bad_pictures_are_refused_with_a_message(client, people, picture, error):
    campaign = campaign_of("local", people)
    client.force_login(people.lead)
    response = client.post(url(campaign), {"image": picture, "image_alt": "Words"})
    assert response.status_code == 200
    assert response.context["form"].errors == {"image": [error]}
    campaign.refresh_from_db()
    assert campaign.image.name == ""


def test_unknown_campaign_is_404(client, people):
    client.force_login(people.staff)
    assert client.get(reverse("campaigns:picture", args=["no-such-campaign"])).status_code == 404


def test_page_card_and_home_show_the_picture_with_its_alt_text(client, db):
    campaign = give_picture(CampaignFactory(is_featured=True), "Marchers with a banner")
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert (
        f'<img src="{campaign.image.url}" alt="Marchers with a banner" width="1600" height="800" '
        'class="pp-picture pp-page-img">'
    ) in page
    card = (
        f'<img src="{campaign.image_card.url}" alt="Marchers with a banner" width="640" '
        'height="360" class="pp-picture pp-card__img"'
    )
    assert f"{card}>" in client.get(reverse("campaigns:list")).content.decode()
    # Featured campaigns are below the fold on the home page: lazy.
    assert f'{card} loading="lazy">' in client.get(reverse("home")).content.decode()


def test_without_a_picture_cards_show_the_default_with_empty_alt(client, db):
    CampaignFactory()
    listing = client.get(reverse("campaigns:list")).content.decode()
    assert (
        '<img src="/static/img/default-campaign.svg" alt="" width="640" height="360" '
        'class="pp-picture pp-card__img pp-picture--default">'
    ) in listing


def test_manager_sees_the_picture_link(client, people):
    campaign = campaign_of("local", people)
    client.force_login(people.lead)
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert f'<a href="{url(campaign)}">Add a picture</a>' in page
    give_picture(campaign)
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert f'<a href="{url(campaign)}">Change the picture</a>' in page


@pytest.mark.parametrize("count", [1, 3])
def test_list_with_pictures_query_count_is_constant(client, django_assert_num_queries, count):
    for _ in range(count):
        give_picture(CampaignFactory(local=True))
    with django_assert_num_queries(5):  # as without pictures (test_browse)
        response = client.get(reverse("campaigns:list"))
    assert response.content.decode().count('class="pp-picture pp-card__img"') == count
    assert Campaign.objects.count() == count
