"""Image uploads (partner logos, event and festival images): judged by their content
(never the file name or the browser's content type), bounded in bytes and pixels, then
resized and re-encoded so that no uploaded byte is served back as-is: a GIF or PNG with
HTML or script appended comes out as a clean image of the same picture."""

import io
import secrets
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

# Far more than any upload needs; checked from the header before any pixel is decoded,
# so a small file that claims to be huge (a decompression bomb) never reaches memory.
MAX_SOURCE_PIXELS = 25_000_000
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
ALLOWED = "JPEG, PNG or WebP"


def process_image(
    upload,
    *,
    name_stem: str,
    max_bytes: int,
    max_side: int,
    noun: str = "image",
    gif_as_png: bool = False,
) -> ContentFile:
    """Return the re-encoded image (at most max_side pixels wide and high) or raise
    ValidationError with a message for the form. ``noun`` names the upload in messages;
    with ``gif_as_png`` a GIF is taken too, its first frame re-encoded as a PNG."""
    if upload.size > max_bytes:
        raise ValidationError(
            "That file is %(size).1f MB; a%(n)s %(noun)s may be at most %(max)s MB.",
            code="too_large",
            params={
                "size": upload.size / (1024 * 1024),
                "n": "n" if noun[0] in "aeiou" else "",
                "noun": noun,
                "max": max_bytes // (1024 * 1024),
            },
        )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(upload)
            image_format = image.format
            if image_format == "GIF" and gif_as_png:
                image_format = "PNG"
            if image_format not in FORMATS:
                raise ValidationError(
                    "%(nouns)s must be %(allowed)s images; that file is %(format)s.",
                    code="wrong_type",
                    params={
                        "nouns": f"{noun.capitalize()}s",
                        "allowed": ALLOWED,
                        "format": image_format or "another format",
                    },
                )
            width, height = image.size
            if width * height > MAX_SOURCE_PIXELS:
                raise ValidationError(
                    "That image is %(w)s × %(h)s pixels, too large to process; please upload "
                    "a smaller one.",
                    code="too_many_pixels",
                    params={"w": width, "h": height},
                )
            image.load()
            image = ImageOps.exif_transpose(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            "That image has too many pixels to process; please upload a smaller one.",
            code="too_many_pixels",
        ) from None
    except UnidentifiedImageError:
        raise ValidationError(
            "That file isn't an image we can read. Please upload a %(allowed)s image.",
            code="not_an_image",
            params={"allowed": ALLOWED},
        ) from None
    except (OSError, SyntaxError, ValueError):  # truncated or corrupt image data
        raise ValidationError(
            "That image file is damaged or incomplete. Please upload another.",
            code="damaged",
        ) from None

    image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    output = io.BytesIO()
    if image_format == "JPEG":
        image.convert("RGB").save(output, "JPEG", quality=85, optimize=True)
    elif image_format == "PNG":
        if image.mode not in ("RGB", "RGBA", "L", "LA"):
            image = image.convert("RGBA")
        image.save(output, "PNG", optimize=True)
    else:
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA")
        image.save(output, "WEBP", quality=85)
    name = f"{name_stem}-{secrets.token_hex(4)}.{FORMATS[image_format]}"
    return ContentFile(output.getvalue(), name=name)
