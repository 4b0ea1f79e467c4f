"""A group's picture: uploaded by its leads on the profile form (through
portal.images.process_image), described in words, shown on its page and its card."""

import pytest
from django.urls import reverse

from groups.models import LocalGroup
from tests.pictures import NO_ALT, SCRIPT, give_picture, image_bytes, stored, upload

from .conftest import login_as
from .factories import LocalGroupFactory

EDIT = reverse("groups:edit", args=["derby"])


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def profile(**overrides):
    data = {"name": "Derby", "kind": "local", "town": "Derby", "postcode_district": "DE1"}
    data.update(overrides)
    return data


def test_lead_uploads_a_picture_reencoded_with_its_card_and_alt_text(client, people):
    client.force_login(people.lead)
    photo = upload("stall.jpg", image_bytes("JPEG", (3000, 1500)) + SCRIPT, "image/jpeg")
    response = client.post(EDIT, profile(image=photo, image_alt="Our stall in the Market Place"))
    assert response.status_code == 302
    group = LocalGroup.objects.get(slug="derby")
    fmt, size, content = stored(group.image)
    assert (fmt, size, b"<script" in content) == ("JPEG", (1600, 800), False)
    assert group.image.name.startswith("groups/group-")
    fmt, size, _ = stored(group.image_card)
    assert (fmt, size) == ("WEBP", (640, 360))
    assert group.image_card.name.startswith("groups/cards/group-card-")
    assert group.image_alt == "Our stall in the Market Place"


def test_picture_without_alt_text_is_refused_and_nothing_changes(client, people):
    client.force_login(people.lead)
    response = client.post(EDIT, profile(name="Derby Renamed", image=upload(), image_alt="  "))
    assert response.status_code == 200
    assert response.context["form"].errors == {"image_alt": [NO_ALT]}
    group = LocalGroup.objects.get(slug="derby")
    assert (group.name, group.image.name, group.image_card.name) == ("Derby", "", "")


def test_picture_over_5_mb_is_refused(client, people):
    client.force_login(people.lead)
    big = upload("big.png", image_bytes("PNG", (10, 10)) + b"\0" * (5 * 1024 * 1024))
    response = client.post(EDIT, profile(image=big, image_alt="Big"))
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "image": ["That file is 5.0 MB; an image may be at most 5 MB."]
    }
    assert not LocalGroup.objects.get(slug="derby").image


def test_picture_of_another_type_is_refused(client, people):
    client.force_login(people.lead)
    bmp = upload("photo.bmp", image_bytes("BMP", (20, 20)), "image/bmp")
    response = client.post(EDIT, profile(image=bmp, image_alt="A bitmap"))
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "image": ["Images must be JPEG, PNG or WebP images; that file is BMP."]
    }
    assert not LocalGroup.objects.get(slug="derby").image


def test_a_file_that_is_not_an_image_is_refused(client, people):
    client.force_login(people.lead)
    response = client.post(EDIT, profile(image=upload("x.png", SCRIPT * 5), image_alt="x"))
    assert response.status_code == 200
    assert response.context["form"].errors["image"]
    assert not LocalGroup.objects.get(slug="derby").image


def test_alt_text_alone_can_be_changed_and_clearing_removes_picture_card_and_words(client, people):
    give_picture(people.group, "Old words")
    client.force_login(people.lead)
    assert client.post(EDIT, profile(image_alt="New words")).status_code == 302
    group = LocalGroup.objects.get(slug="derby")
    assert (group.image_alt, bool(group.image), bool(group.image_card)) == ("New words", True, True)
    assert client.post(EDIT, profile(**{"image-clear": "on"})).status_code == 302
    group.refresh_from_db()
    assert (group.image.name, group.image_card.name, group.image_alt) == ("", "", "")


@pytest.mark.parametrize("who", ["activist", "member", "other_lead", "rep"])
def test_only_the_groups_leads_change_its_picture(client, people, who):
    login_as(client, people, who)
    response = client.post(EDIT, profile(image=upload(), image_alt="Ours now"))
    assert response.status_code == 404
    assert not LocalGroup.objects.get(slug="derby").image


def test_group_page_and_card_show_the_picture_with_its_alt_text(client, people):
    give_picture(people.group, "Our stall in the Market Place")
    page = client.get(people.group.get_absolute_url()).content.decode()
    assert (
        f'<img src="{people.group.image.url}" alt="Our stall in the Market Place" width="1600" '
        'height="800" class="pp-picture pp-page-img">'
    ) in page
    listing = client.get(reverse("groups:list")).content.decode()
    assert (
        f'<img src="{people.group.image_card.url}" alt="Our stall in the Market Place" '
        'width="640" height="360" class="pp-picture pp-card__img">'
    ) in listing


def test_without_a_picture_the_card_shows_the_default_with_empty_alt(client, db):
    group = LocalGroupFactory()
    listing = client.get(reverse("groups:list")).content.decode()
    assert (
        listing.count(
            '<img src="/static/img/default-group.svg" alt="" width="640" height="360" '
            'class="pp-picture pp-card__img pp-picture--default">'
        )
        == 1
    )
    # A page shows no default banner: only a picture someone chose.
    assert "pp-page-img" not in client.get(group.get_absolute_url()).content.decode()


@pytest.mark.parametrize("count", [1, 3])
def test_directory_with_pictures_query_count_is_constant(
    client, db, count, django_assert_num_queries
):
    for _ in range(count):
        give_picture(LocalGroupFactory())
    with django_assert_num_queries(3):  # as without pictures (test_directory)
        response = client.get(reverse("groups:list"))
    assert response.content.decode().count('class="pp-picture pp-card__img"') == count
