import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from tests.groups.factories import LocalGroupFactory

from .conftest import ROLES
from .factories import PartnerFactory, PartnerKindFactory, PartnershipFactory


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def edit_url(partner):
    return reverse("partners:edit", args=[partner.slug])


def image_bytes(fmt, size=(800, 600), mode="RGB"):
    buffer = io.BytesIO()
    Image.new(mode, size, "teal").save(buffer, fmt)
    return buffer.getvalue()


def form_data(partner, **extra):
    return {
        "name": partner.name,
        "kind": partner.kind_id,
        "description": "We welcome *everyone*.",
        "website": "https://example.org/",
        "contact_email": "hello@example.org",
        "contact_phone": "",
        "town": "Derby",
        "postcode_district": "de1 1aa",
        **extra,
    }


@pytest.fixture
def editable(world, client):
    """A partner the world's lead may edit, and a client logged in as that lead."""
    partnership = PartnershipFactory(group=world.group)
    client.force_login(world.users["lead"])
    return partnership.partner


def post_logo(client, partner, name, content, content_type="image/png"):
    upload = SimpleUploadedFile(name, content, content_type=content_type)
    return client.post(edit_url(partner), {**form_data(partner), "logo_upload": upload})


@pytest.mark.parametrize("role", ROLES)
def test_partner_edit_permissions(client, world, role):
    partner = PartnershipFactory(group=world.group).partner
    world.client_for(client, role)
    expected = {"anonymous": 403, "activist": 403, "member": 403, "other_lead": 403}
    expected |= {"other_rep": 403, "lead": 200, "area_rep": 200, "rep": 200, "staff": 200}
    assert client.get(edit_url(partner)).status_code == expected[role]
    response = client.post(edit_url(partner), form_data(partner, name="Renamed"))
    assert response.status_code == (302 if expected[role] == 200 else expected[role])
    partner.refresh_from_db()
    assert (partner.name == "Renamed") == (expected[role] == 200)


def test_partner_edit_by_rep_of_an_area_the_partner_serves(client, world):
    partner = PartnerFactory()
    partner.areas.add(world.area)
    client.force_login(world.users["area_rep"])
    assert client.get(edit_url(partner)).status_code == 200


def test_partner_edit_inactive_partner_is_404_for_outsiders(client, world):
    partner = PartnerFactory(is_active=False)
    client.force_login(world.users["activist"])
    assert client.get(edit_url(partner)).status_code == 404


def test_partner_edit_saves_and_looks_up_postcode(client, editable):
    kind = PartnerKindFactory()
    response = client.post(edit_url(editable), form_data(editable, kind=kind.pk))
    assert response.status_code == 302
    editable.refresh_from_db()
    assert editable.kind == kind
    assert editable.postcode_district == "DE1"
    assert editable.latitude == pytest.approx(52.922)
    assert editable.website == "https://example.org/"


def test_partner_edit_bad_postcode_is_a_form_error(client, editable):
    response = client.post(edit_url(editable), form_data(editable, postcode_district="ZZ99"))
    assert response.status_code == 200
    assert response.context["form"].errors["postcode_district"] == [
        "That doesn't look like a UK postcode."
    ]


@pytest.mark.parametrize(
    ("fmt", "ext", "mode"),
    [("JPEG", "jpg", "RGB"), ("PNG", "png", "RGBA"), ("WEBP", "webp", "RGB")],
)
def test_logo_upload_is_resized_and_reencoded(client, editable, fmt, ext, mode):
    response = post_logo(client, editable, f"logo.{ext}", image_bytes(fmt, (1200, 600), mode))
    assert response.status_code == 302
    editable.refresh_from_db()
    assert editable.logo.name.endswith(f".{ext}")
    with Image.open(editable.logo.path) as stored:
        assert stored.format == fmt
        assert stored.size == (400, 200)


def test_logo_png_renamed_jpg_is_accepted_by_its_content(client, editable):
    response = post_logo(client, editable, "logo.jpg", image_bytes("PNG"), "image/jpeg")
    assert response.status_code == 302
    editable.refresh_from_db()
    assert editable.logo.name.endswith(".png")
    with Image.open(editable.logo.path) as stored:
        assert stored.format == "PNG"


def test_logo_text_file_renamed_png_is_rejected(client, editable):
    response = post_logo(client, editable, "logo.png", b"just some text, honest\n" * 10)
    assert response.status_code == 200
    assert response.context["form"].errors["logo_upload"] == [
        "That file isn't an image we can read. Please upload a JPEG, PNG or WebP image."
    ]
    assert b"isn&#x27;t an image we can read" in response.content
    editable.refresh_from_db()
    assert not editable.logo


def test_logo_wrong_image_type_is_rejected(client, editable):
    response = post_logo(client, editable, "logo.gif", image_bytes("GIF"), "image/gif")
    assert response.context["form"].errors["logo_upload"] == [
        "Logos must be JPEG, PNG or WebP images; that file is GIF."
    ]


def test_logo_too_large_is_rejected(client, editable):
    big = image_bytes("PNG", (10, 10)) + b"\0" * (2 * 1024 * 1024)
    response = post_logo(client, editable, "logo.png", big)
    assert response.context["form"].errors["logo_upload"] == [
        "That file is 2.0 MB; a logo may be at most 2 MB."
    ]


def _png_header_only(width, height):
    """A tiny PNG that claims huge dimensions: a decompression bomb's header."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\0" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


@pytest.mark.parametrize(
    ("side", "message"),
    [
        # Over our own limit: refused from the header before decoding.
        (
            6000,
            "That image is 6000 × 6000 pixels, too large to process; please upload a smaller one.",
        ),
        # Far over Pillow's own bomb limit: Pillow refuses to even open it.
        (50000, "That image has too many pixels to process; please upload a smaller one."),
    ],
)
def test_logo_decompression_bomb_is_rejected_without_decoding(client, editable, side, message):
    response = post_logo(client, editable, "bomb.png", _png_header_only(side, side))
    assert response.context["form"].errors["logo_upload"] == [message]


def test_logo_truncated_image_is_rejected(client, editable):
    data = image_bytes("JPEG", (400, 400))
    response = post_logo(client, editable, "logo.jpg", data[: len(data) // 2], "image/jpeg")
    assert response.context["form"].errors["logo_upload"] == [
        "That image file is damaged or incomplete. Please upload another."
    ]


def test_logo_can_be_removed(client, editable):
    post_logo(client, editable, "logo.png", image_bytes("PNG"))
    editable.refresh_from_db()
    assert editable.logo
    response = client.post(edit_url(editable), {**form_data(editable), "clear_logo": "on"})
    assert response.status_code == 302
    editable.refresh_from_db()
    assert not editable.logo


def test_partner_page_shows_edit_link_only_to_editors(client, world):
    partner = PartnershipFactory(group=world.group).partner
    detail = reverse("partners:detail", args=[partner.slug])
    assert edit_url(partner).encode() not in client.get(detail).content
    client.force_login(world.users["lead"])
    assert edit_url(partner).encode() in client.get(detail).content


def test_partner_edit_unrelated_lead_gets_403(client, db):
    from tests.groups.factories import MembershipFactory

    lead = MembershipFactory(group=LocalGroupFactory(), lead=True).user
    client.force_login(lead)
    assert client.get(edit_url(PartnerFactory())).status_code == 403
