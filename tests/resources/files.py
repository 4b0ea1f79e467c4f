"""Real files of each accepted type (and some impostors), made in memory for the tests."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter


def pdf_bytes(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def image_bytes(fmt: str = "PNG", size=(40, 30), exif: bytes | None = None) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", size, (200, 30, 30))
    if exif is not None:
        image.save(out, fmt, exif=exif)
    else:
        image.save(out, fmt)
    return out.getvalue()


def _zip_bytes(entries: dict[str, str | bytes]) -> bytes:
    # A fixed date on each entry, not the clock's: the same bytes each time, so that tests
    # parametrized with them collect the same in every pytest-xdist process.
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in entries.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0)), data)
    return out.getvalue()


def docx_bytes(*, macros: bool = False) -> bytes:
    entries = {"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"}
    if macros:
        entries["word/vbaProject.bin"] = b"\x00macro"
    return _zip_bytes(entries)


def odt_bytes() -> bytes:
    return _zip_bytes(
        {
            "mimetype": "application/vnd.oasis.opendocument.text",
            "content.xml": "<office:document-content/>",
        }
    )


def upload(content: bytes, name: str = "file.pdf", content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)
