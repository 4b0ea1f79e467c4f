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
    data = event_form(VenueFactory(), image=upload("big.png", image_bytes("PNG", (4000, 2000))))
    response = client.post(reverse("events:create", args=["derby"]), data)
    assert response.status_code == 302
    event = Event.objects.get()
    with Image.open(event.image.path) as stored:
        assert (stored.format, stored.size) == ("PNG", (1600, 800))


def test_gif_with_script_appended_is_stored_clean(client, people):
    client.force_login(people.lead)
    polyglot = image_bytes("GIF", (40, 40), "P") + SCRIPT
    data = event_form(VenueFactory(), image=upload("x.gif", polyglot, "image/gif"))
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
    data = festival_form(image=upload("week.jpg", polyglot, "image/jpeg"))
    response = client.post(reverse("events:festival_create", args=["derby"]), data)
    assert response.status_code == 302
    festival = Festival.objects.get()
    content = stored_bytes(festival.image)
    assert b"<script" not in content
    with Image.open(io.BytesIO(content)) as stored:
        assert (stored.format, stored.size) == ("JPEG", (1600, 800))


def test_admin_upload_is_reencoded_too(db):
    from events.admin import ImageCheckedAdminForm

    class Form(ImageCheckedAdminForm):
        class Meta:
            model = Festival
            fields = ["image"]

    festival = FestivalFactory()
    polyglot = image_bytes("PNG", (3000, 100)) + SCRIPT
    form = Form({}, {"image": upload("x.png", polyglot)}, instance=festival)
    assert form.is_valid(), form.errors
    form.save()
    festival.refresh_from_db()
    content = stored_bytes(festival.image)
    assert b"<script" not in content
    with Image.open(io.BytesIO(content)) as stored:
        assert stored.size == (1600, 53)


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
