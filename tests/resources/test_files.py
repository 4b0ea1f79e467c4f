"""Uploads are judged by their content and size, with a clear error for the bad ones."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from PIL import Image

from resources.files import MAX_FILE_BYTES, check_upload
from resources.models import FileVersion

from .factories import ResourceFactory
from .files import docx_bytes, image_bytes, odt_bytes, pdf_bytes, upload

SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">'
    b"<script>alert(document.cookie)</script></svg>"
)
HTML_AS_PDF = b"<!DOCTYPE html><html><body><script>alert(1)</script>Invoice</body></html>"


@pytest.mark.parametrize(
    ("content", "fmt", "has_preview"),
    [
        (pdf_bytes(), "pdf", True),
        (image_bytes("PNG"), "png", True),
        (image_bytes("JPEG"), "jpeg", True),
        (docx_bytes(), "docx", False),
        (odt_bytes(), "odt", False),
    ],
)
def test_check_upload_accepts_each_type_by_content(content, fmt, has_preview):
    # The name and the browser's content type are deliberately wrong: only content counts.
    checked = check_upload(upload(content, name="whatever.bin", content_type="text/plain"))
    assert checked.format == fmt
    assert (checked.preview is not None) == has_preview


def test_check_upload_makes_a_png_preview_of_a_pdf_first_page():
    checked = check_upload(upload(pdf_bytes(pages=3)))
    preview = Image.open(io.BytesIO(checked.preview))
    assert preview.format == "PNG"
    assert max(preview.size) == 600


def test_check_upload_re_encodes_pictures_without_their_camera_metadata():
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    content = image_bytes("JPEG", size=(80, 60), exif=exif.tobytes())
    assert b"SpyCam" in content
    checked = check_upload(upload(content, name="photo.jpg", content_type="image/jpeg"))
    assert checked.format == "jpeg"
    assert b"SpyCam" not in checked.content
    assert Image.open(io.BytesIO(checked.content)).size == (80, 60)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (HTML_AS_PDF, "That file is a web page (HTML), not a PDF, PNG, JPEG, DOCX or ODT file."),
        (SVG_WITH_SCRIPT, "That file is an SVG image, not a PDF, PNG, JPEG, DOCX or ODT file."),
        (b"%PDF-1.7\nnot really", "That PDF is damaged or incomplete. Please upload another."),
        (docx_bytes(macros=True), "That document contains macros, which we do not share."),
        (b"GIF89a" + b"\x00" * 20, "That file is a GIF image, not a PDF, PNG, JPEG, DOCX or ODT"),
        (b"", "That file is empty."),
    ],
)
def test_check_upload_refuses_impostors_with_a_clear_message(content, message):
    with pytest.raises(ValidationError) as caught:
        check_upload(upload(content))
    assert caught.value.messages[0].startswith(message)


def test_check_upload_says_why_svg_is_refused():
    with pytest.raises(ValidationError) as caught:
        check_upload(upload(SVG_WITH_SCRIPT, name="logo.svg", content_type="image/svg+xml"))
    assert "SVG images can carry scripts" in caught.value.messages[0]


def test_upload_form_refuses_a_50_mb_file_with_a_clear_error(client, people):
    resource = ResourceFactory()
    client.force_login(people.staff)
    big = upload(b"%PDF-1.4\n" + b"0" * (50 * 1024 * 1024), name="huge.pdf")
    response = client.post(
        reverse("resources:file_add", args=[resource.slug]), {"title": "Huge", "upload": big}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["upload"] == [
        f"That file is 50.0 MB; a file may be at most {MAX_FILE_BYTES // (1024 * 1024)} MB."
    ]
    assert FileVersion.objects.count() == 0


def test_upload_form_refuses_html_renamed_pdf(client, people):
    resource = ResourceFactory()
    client.force_login(people.staff)
    response = client.post(
        reverse("resources:file_add", args=[resource.slug]),
        {"title": "Leaflet", "upload": upload(HTML_AS_PDF, name="leaflet.pdf")},
    )
    assert response.status_code == 200
    error = response.context["form"].errors["upload"][0]
    assert error.startswith("That file is a web page (HTML), not a PDF")
    assert "print it to PDF instead" in error
    assert FileVersion.objects.count() == 0
