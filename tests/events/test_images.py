"""Event and festival images are treated like partner logos: checked by their content,
size-limited, resized and re-encoded, so no uploaded byte is served back as-is; images
stored before that are re-encoded (or dropped) by a data migration."""

import importlib
import io
import os

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from events.models import Event, Festival
from portal.images import PictureAdminForm
from tests.pictures import NO_ALT, give_picture

from .factories import EventFactory, FestivalFactory, VenueFactory
from .test_festival_manage import _form as festival_form
from .test_lead import _form as event_form

SCRIPT = b"<html><script>alert(document.cookie)</script></html>"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def image_bytes(fmt, size=(800, 600), mode="RGB"):
    buffer = io.BytesIO()
    Image.new(mode, size, "teal").save(buffer, fmt)
    return buffer.getvalue()


def upload(name, content, content_type="image/png"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def stored_bytes(field) -> bytes:
    with field.storage.open(field.name, "rb") as handle:
        return handle.read()


def test_event_image_is_resized_and_reencoded(client, people):
    client.force_login(people.lead)
    data = event_form(
        VenueFactory(),
        image=upload("big.png", image_bytes("PNG", (4000, 2000))),
        image_alt="A teal rectangle",
    )
    response = client.post(reverse("events:create", args=["derby"]), data)
    assert response.status_code == 302
    event = Event.objects.get()
    with Image.open(event.image.path) as stored:
        assert (stored.format, stored.size) == ("PNG", (1600, 800))


def test_gif_with_script_appended_is_stored_clean(client, people):
    client.force_login(people.lead)
    polyglot = image_bytes("GIF", (40, 40), "P") + SCRIPT
    data = event_form(
        VenueFactory(), image=upload("x.gif", polyglot, "image/gif"), image_alt="Teal"
    )
    assert client.post(reverse("events:create", args=["derby"]), data).status_code == 302
    event = Event.objects.get()
    assert event.image.name.endswith(".png")
    content = stored_bytes(event.image)
    assert b"<script" not in content
    with Image.open(io.BytesIO(content)) as stored:
        assert (stored.format, stored.size) == ("PNG", (40, 40))


def test_event_image_over_5_mb_is_refused_with_a_message(client, people):
    client.force_login(people.lead)
    big = image_bytes("PNG", (10, 10)) + b"\0" * (5 * 1024 * 1024)
    data = event_form(VenueFactory(), image=upload("big.png", big))
    response = client.post(reverse("events:create", args=["derby"]), data)
    assert response.status_code == 200
    assert response.context["form"].errors["image"] == [
        "That file is 5.0 MB; an image may be at most 5 MB."
    ]
    assert not Event.objects.exists()


def test_html_renamed_png_is_refused(client, people):
    client.force_login(people.lead)
    data = event_form(VenueFactory(), image=upload("x.png", SCRIPT * 10))
    response = client.post(reverse("events:create", args=["derby"]), data)
    assert response.status_code == 200
    # Django's own image check speaks first; either way nothing is stored.
    assert response.context["form"].errors["image"]
    assert not Event.objects.exists()


def test_festival_image_is_reencoded(client, people):
    client.force_login(people.lead)
    polyglot = image_bytes("JPEG", (2400, 1200)) + SCRIPT
    data = festival_form(image=upload("week.jpg", polyglot, "image/jpeg"), image_alt="Teal")
    response = client.post(reverse("events:festival_create", args=["derby"]), data)
    assert response.status_code == 302
    festival = Festival.objects.get()
    content = stored_bytes(festival.image)
    assert b"<script" not in content
    with Image.open(io.BytesIO(content)) as stored:
        assert (stored.format, stored.size) == ("JPEG", (1600, 800))


def test_admin_upload_is_reencoded_too(db):
    class Form(PictureAdminForm):
        class Meta:
            model = Festival
            fields = ["image", "image_alt"]

    festival = FestivalFactory()
    polyglot = image_bytes("PNG", (3000, 100)) + SCRIPT
    form = Form({"image_alt": "Teal"}, {"image": upload("x.png", polyglot)}, instance=festival)
    assert form.is_valid(), form.errors
    form.save()
    festival.refresh_from_db()
    content = stored_bytes(festival.image)
    assert b"<script" not in content
    with Image.open(io.BytesIO(content)) as stored:
        assert stored.size == (1600, 53)
    with Image.open(festival.image_card.path) as card:  # the admin makes the card too
        assert (card.format, card.size) == ("WEBP", (640, 360))


def test_migration_reencodes_stored_images_and_drops_non_images(people):
    migration = importlib.import_module("events.migrations.0012_reencode_event_and_festival_images")
    good = EventFactory(group=people.group)
    good.image.save("old.png", ContentFile(image_bytes("PNG", (3200, 1600)) + SCRIPT))
    fake = EventFactory(group=people.group)
    fake.image.save("fake.gif", ContentFile(SCRIPT))
    gone = EventFactory(group=people.group)
    Event.objects.filter(pk=gone.pk).update(image="events/missing.png")
    festival = FestivalFactory()
    festival.image.save("week.gif", ContentFile(image_bytes("GIF", (20, 20), "P") + SCRIPT))
    old_paths = [good.image.path, fake.image.path, festival.image.path]

    migration.reencode_images(apps, None)

    for row in (good, fake, gone, festival):
        row.refresh_from_db()
    assert not fake.image and not gone.image
    with Image.open(good.image.path) as stored:
        assert (stored.format, stored.size) == ("PNG", (1600, 800))
    assert b"<script" not in stored_bytes(good.image)
    assert festival.image.name.endswith(".png")
    assert b"<script" not in stored_bytes(festival.image)
    assert not any(os.path.exists(path) for path in old_paths)


# --- alt text, the card rendition, cards and pages (issue 16) ---------------------------


def test_event_image_without_alt_text_is_refused(client, people):
    client.force_login(people.lead)
    data = event_form(VenueFactory(), image=upload("stall.png", image_bytes("PNG")))
    response = client.post(reverse("events:create", args=["derby"]), data)
    assert response.status_code == 200
    assert response.context["form"].errors == {"image_alt": [NO_ALT]}
    assert not Event.objects.exists()


def test_festival_image_without_alt_text_is_refused(client, people):
    client.force_login(people.lead)
    data = festival_form(image=upload("week.png", image_bytes("PNG")), image_alt="")
    response = client.post(reverse("events:festival_create", args=["derby"]), data)
    assert response.status_code == 200
    assert response.context["form"].errors == {"image_alt": [NO_ALT]}
    assert not Festival.objects.exists()


def test_upload_keeps_alt_text_and_makes_the_card_rendition(client, people):
    client.force_login(people.lead)
    data = event_form(
        VenueFactory(),
        image=upload("tall.png", image_bytes("PNG", (600, 1200))),
        image_alt="Volunteers at a stall",
    )
    assert client.post(reverse("events:create", args=["derby"]), data).status_code == 302
    event = Event.objects.get()
    assert event.image_alt == "Volunteers at a stall"
    assert event.image_card.name.startswith("events/cards/event-card-")
    with Image.open(event.image_card.path) as card:  # cut to the card's shape, not squashed
        assert (card.format, card.size) == ("WEBP", (640, 360))


def test_editing_keeps_the_picture_and_clearing_removes_card_and_alt_text(client, people):
    event = give_picture(EventFactory(group=people.group), "Old words")
    client.force_login(people.lead)
    url = reverse("events:edit", args=[event.slug])
    assert client.post(url, event_form(event.venue, image_alt="New words")).status_code == 302
    event.refresh_from_db()
    assert (event.image_alt, bool(event.image), bool(event.image_card)) == ("New words", True, True)
    assert client.post(url, event_form(event.venue, **{"image-clear": "on"})).status_code == 302
    event.refresh_from_db()
    assert (event.image.name, event.image_card.name, event.image_alt) == ("", "", "")


def test_event_card_and_page_show_the_picture_with_its_alt_text(client, people):
    event = give_picture(EventFactory(group=people.group), "Volunteers at a stall")
    listing = client.get(reverse("events:list")).content.decode()
    assert (
        f'<img src="{event.image_card.url}" alt="Volunteers at a stall" width="640" height="360" '
        'class="pp-picture pp-card__img">'
    ) in listing
    page = client.get(event.get_absolute_url()).content.decode()
    assert (
        f'<img src="{event.image.url}" alt="Volunteers at a stall" width="1600" height="800" '
        'class="pp-picture pp-page-img">'
    ) in page


def test_a_picture_stored_before_card_renditions_is_shown_on_its_card(client, people):
    event = give_picture(EventFactory(group=people.group), "A stall", card=False)
    listing = client.get(reverse("events:list")).content.decode()
    assert f'<img src="{event.image.url}" alt="A stall" width="640" height="360"' in listing


def test_without_a_picture_cards_show_the_default_with_empty_alt(client, people):
    event = EventFactory(group=people.group)
    festival = FestivalFactory(host_groups=[people.group])
    EventFactory(group=people.group, festival=festival)
    default = (
        '<img src="/static/img/default-{}.svg" alt="" width="640" height="360" '
        'class="pp-picture pp-card__img pp-picture--default"'
    )
    assert default.format("event") in client.get(reverse("events:list")).content.decode()
    index = client.get(reverse("events:festival_list")).content.decode()
    assert default.format("festival") in index
    assert "pp-page-img" not in client.get(event.get_absolute_url()).content.decode()
    assert "pp-page-img" not in client.get(festival.get_absolute_url()).content.decode()


def test_festival_page_and_index_show_its_picture(client, people):
    festival = give_picture(FestivalFactory(host_groups=[people.group]), "The Peace Week stage")
    page = client.get(festival.get_absolute_url()).content.decode()
    assert f'<img src="{festival.image.url}" alt="The Peace Week stage" width="1600"' in page
    index = client.get(reverse("events:festival_list")).content.decode()
    assert f'<img src="{festival.image_card.url}" alt="The Peace Week stage" width="640"' in index


def test_cards_below_the_first_row_load_lazily(client, people):
    for _ in range(5):
        EventFactory(group=people.group)
    html = client.get(reverse("events:list")).content.decode()
    cards = [line for line in html.split("<li") if "pp-card__img" in line]
    assert ['loading="lazy"' in card for card in cards] == [False, False, False, True, True]


@pytest.mark.parametrize("count", [1, 3])
def test_event_list_with_pictures_query_count_is_constant(
    client, people, django_assert_num_queries, count
):
    festival = give_picture(FestivalFactory())
    for _ in range(count):
        give_picture(EventFactory(festival=festival, group=people.group))
    with django_assert_num_queries(3):  # count, page, areas (as test_pages, signed out)
        response = client.get(reverse("events:list"))
    assert response.content.decode().count('class="pp-picture pp-card__img"') == count


@pytest.mark.parametrize("count", [1, 3])
def test_festival_pages_with_pictures_query_count_is_constant(
    client, people, django_assert_num_queries, count
):
    for _ in range(count):
        festival = give_picture(FestivalFactory(host_groups=[people.group]))
        give_picture(EventFactory(festival=festival, group=people.group))
    with django_assert_num_queries(3):  # count, page, host groups (test_festival_finding)
        client.get(reverse("events:festival_list"))
    with django_assert_num_queries(5):  # as test_pages' programme
        client.get(festival.get_absolute_url())
