"""Uploaded resource files, judged by their content (never the file name or the browser's
content type) and size.

- PDF: must start with the PDF signature and open in PDFium; page one becomes the preview.
- PNG, JPEG: opened by Pillow within a pixel budget, then re-encoded (as partners' logos
  are) so that no uploaded byte is served back as-is and camera metadata (GPS) is dropped;
  a small copy becomes the preview.
- DOCX, ODT: a ZIP with the parts that make it that document type, no macros, and a
  bounded uncompressed size (a ZIP bomb is refused before anything is unpacked).

Everything else is refused with a message that says what the file seems to be: an HTML page
renamed .pdf and an SVG (which can carry scripts) are the usual suspects.

PDF previews use pypdfium2: Google's PDFium (the engine of Chrome's PDF viewer, fuzzed
continuously) shipped as a wheel, so rendering needs no system packages and no subprocess,
unlike Ghostscript or poppler's pdftoppm."""

import io
import warnings
import zipfile
from dataclasses import dataclass

import pypdfium2 as pdfium
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_FILE_BYTES = 25 * 1024 * 1024
# An A2 poster at 300 dpi is 35 megapixels; beyond this an image is refused unread.
MAX_IMAGE_PIXELS = 40_000_000
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_ZIP_ENTRIES = 5000
PREVIEW_SIDE = 600
ACCEPTED = "PDF, PNG, JPEG, DOCX or ODT"

PDF_SIGNATURE = b"%PDF-"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_SIGNATURE = b"\xff\xd8\xff"
ZIP_SIGNATURE = b"PK\x03\x04"
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
MACRO_PARTS = ("word/vbaproject.bin", "basic/", "scripts/")

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
}
EXTENSIONS = {"pdf": "pdf", "png": "png", "jpeg": "jpg", "docx": "docx", "odt": "odt"}


@dataclass
class CheckedFile:
    format: str
    content: bytes
    preview: bytes | None  # a PNG, when one could be made

    @property
    def size(self) -> int:
        return len(self.content)

    def as_content_file(self, stem: str) -> ContentFile:
        return ContentFile(self.content, name=f"{stem}.{EXTENSIONS[self.format]}")

    def preview_file(self, stem: str) -> ContentFile | None:
        return ContentFile(self.preview, name=f"{stem}.png") if self.preview else None


def _refuse(message: str, code: str, **params) -> ValidationError:
    return ValidationError(message, code=code, params=params)


def check_upload(upload) -> CheckedFile:
    """The checked file, or ValidationError with a message for the form."""
    if upload.size > MAX_FILE_BYTES:
        raise _refuse(
            "That file is %(size).1f MB; a file may be at most %(max)d MB.",
            "too_large",
            size=upload.size / (1024 * 1024),
            max=MAX_FILE_BYTES // (1024 * 1024),
        )
    upload.seek(0)
    content = upload.read()
    if not content:
        raise _refuse("That file is empty.", "empty")
    if content.startswith(PDF_SIGNATURE):
        return CheckedFile("pdf", content, _pdf_preview(content))
    if content.startswith((PNG_SIGNATURE, JPEG_SIGNATURE)):
        return _image(content)
    if content.startswith(ZIP_SIGNATURE):
        return CheckedFile(_office_format(content), content, None)
    raise _refuse(
        "That file is %(what)s, not a %(accepted)s file.%(hint)s",
        "wrong_type",
        what=_what_it_looks_like(content),
        accepted=ACCEPTED,
        hint=_hint(content),
    )


def _head(content: bytes) -> str:
    return content[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").decode("utf-8", "replace").lower()


def _what_it_looks_like(content: bytes) -> str:
    head = _head(content)
    if "<svg" in head or "svg+xml" in head:
        return "an SVG image"
    if head.startswith(("<!doctype html", "<html", "<head", "<body", "<script")):
        return "a web page (HTML)"
    if head.startswith("<?xml"):
        return "an XML file"
    if content.startswith((b"GIF87a", b"GIF89a")):
        return "a GIF image"
    if content.startswith(b"RIFF") and content[8:12] == b"WEBP":
        return "a WebP image"
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        return "an old-style Office document (DOC)"
    return "not one we recognise"


def _hint(content: bytes) -> str:
    head = _head(content)
    if "<svg" in head:
        return " SVG images can carry scripts, so we do not accept them: export a PNG or PDF."
    if "<html" in head or "<!doctype html" in head:
        return " Renaming a web page to .pdf does not make it a PDF: print it to PDF instead."
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        return " Save it as DOCX or ODT, or export a PDF."
    return ""


def _damaged_pdf() -> ValidationError:
    return _refuse("That PDF is damaged or incomplete. Please upload another.", "damaged")


def _pdf_preview(content: bytes) -> bytes:
    try:
        document = pdfium.PdfDocument(content)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise _refuse(
                "That PDF is protected by a password; upload one anyone can open.", "password"
            ) from None
        raise _damaged_pdf() from None
    try:
        if len(document) == 0:
            raise _damaged_pdf()
        page = document[0]
        width, height = page.get_size()
        # Points to pixels for a preview of at most PREVIEW_SIDE; a page claiming a huge
        # size is rendered small, never at its claimed size.
        scale = min(PREVIEW_SIDE / max(width, height, 1), 2.0)
        image = page.render(scale=scale).to_pil()
        return _png(image)
    except pdfium.PdfiumError:
        raise _damaged_pdf() from None
    finally:
        document.close()


def _png(image: Image.Image) -> bytes:
    output = io.BytesIO()
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA")
    image.save(output, "PNG", optimize=True)
    return output.getvalue()


def _image(content: bytes) -> CheckedFile:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(content))
            image_format = image.format
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise _refuse(
                    "That image is %(w)s × %(h)s pixels, too large to process; please upload "
                    "a smaller one.",
                    "too_many_pixels",
                    w=width,
                    h=height,
                )
            image.load()
            image = ImageOps.exif_transpose(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _refuse("That image has too many pixels to process.", "too_many_pixels") from None
    except UnidentifiedImageError:
        raise _refuse("That file isn't an image we can read.", "not_an_image") from None
    except (OSError, SyntaxError, ValueError):
        raise _refuse("That image file is damaged or incomplete.", "damaged") from None
    output = io.BytesIO()
    if image_format == "JPEG":
        image.convert("RGB").save(output, "JPEG", quality=90, optimize=True)
        file_format = "jpeg"
    else:
        if image.mode not in ("RGB", "RGBA", "L", "LA"):
            image = image.convert("RGBA")
        image.save(output, "PNG", optimize=True)
        file_format = "png"
    preview = image.copy()
    preview.thumbnail((PREVIEW_SIDE, PREVIEW_SIDE), Image.Resampling.LANCZOS)
    return CheckedFile(file_format, output.getvalue(), _png(preview))


def _office_format(content: bytes) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _refuse("That document is damaged or incomplete.", "damaged") from None
    if len(infos) > MAX_ZIP_ENTRIES or sum(i.file_size for i in infos) > MAX_UNZIPPED_BYTES:
        raise _refuse("That document unpacks to far more than a document should.", "zip_bomb")
    names = {info.filename.lower() for info in infos}
    if any(name.startswith(MACRO_PARTS) for name in names):
        raise _refuse(
            "That document contains macros, which we do not share. Save it without macros "
            "(DOCX or ODT) or export a PDF.",
            "macros",
        )
    if "[content_types].xml" in names and "word/document.xml" in names:
        return "docx"
    if "content.xml" in names and infos[0].filename == "mimetype":
        try:
            mimetype = archive.read("mimetype").strip()
        except (zipfile.BadZipFile, OSError, ValueError, KeyError):
            raise _refuse("That document is damaged or incomplete.", "damaged") from None
        if mimetype == ODT_MIMETYPE:
            return "odt"
    raise _refuse(
        "That file is a ZIP archive, not a %(accepted)s file.", "wrong_type", accepted=ACCEPTED
    )
