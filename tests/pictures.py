"""Pictures for the tests of events, festivals, campaigns and groups (portal/images.py)."""

import io

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

# Script appended to an image: what re-encoding must never serve back.
SCRIPT = b"<html><script>alert(document.cookie)</script></html>"
NO_ALT = (
    "Describe the picture in a few words, for people who can't see it (for example: "
    "Volunteers at a stall in the market square), then choose the picture again."
)


def image_bytes(fmt: str = "PNG", size=(800, 600), mode: str = "RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, "teal").save(buffer, fmt)
    return buffer.getvalue()


def upload(name: str = "photo.png", content: bytes | None = None, content_type="image/png"):
    return SimpleUploadedFile(name, image_bytes() if content is None else content, content_type)


def stored(field) -> tuple[str, tuple[int, int], bytes]:
    """The stored file's format, size and bytes."""
    with field.storage.open(field.name, "rb") as handle:
        content = handle.read()
    with Image.open(io.BytesIO(content)) as image:
        return image.format, image.size, content


def give_picture(obj, alt: str = "Volunteers at a stall", *, card: bool = True):
    """Store a picture (and its card rendition) on an event, festival, campaign or group, as
    an upload through the form would."""
    obj.image.save("picture.png", ContentFile(image_bytes()), save=False)
    if card:
        obj.image_card.save("picture-card.webp", ContentFile(image_bytes("WEBP")), save=False)
    obj.image_alt = alt
    obj.save()
    return obj
