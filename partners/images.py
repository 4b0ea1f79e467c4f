"""Logo uploads: judged by their content (never the file name or the browser's
content type), bounded in bytes and pixels, then resized and re-encoded so that no
uploaded byte is served back as-is."""

import io
import secrets
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_LOGO_BYTES = 2 * 1024 * 1024
MAX_LOGO_SIDE = 400
# Far more than any logo needs; checked from the header before any pixel is decoded,
# so a small file that claims to be huge (a decompression bomb) never reaches memory.
MAX_SOURCE_PIXELS = 25_000_000
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
ALLOWED = "JPEG, PNG or WebP"


def process_logo(upload, *, name_stem: str = "logo") -> ContentFile:
    """Return the re-encoded logo or raise ValidationError with a message for the form."""
    if upload.size > MAX_LOGO_BYTES:
        raise ValidationError(
            "That file is %(size).1f MB; a logo may be at most 2 MB.",
            code="too_large",
            params={"size": upload.size / (1024 * 1024)},
        )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(upload)
            image_format = image.format
            if image_format not in FORMATS:
                raise ValidationError(
                    "Logos must be %(allowed)s images; that file is %(format)s.",
                    code="wrong_type",
                    params={"allowed": ALLOWED, "format": image_format or "another format"},
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

    image.thumbnail((MAX_LOGO_SIDE, MAX_LOGO_SIDE), Image.Resampling.LANCZOS)
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
