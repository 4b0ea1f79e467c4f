"""Partner logos: the core's image processing (portal/images.py), at a logo's size."""

from django.core.files.base import ContentFile

from portal.images import process_image

MAX_LOGO_BYTES = 2 * 1024 * 1024
MAX_LOGO_SIDE = 400


def process_logo(upload, *, name_stem: str = "logo") -> ContentFile:
    return process_image(
        upload, name_stem=name_stem, max_bytes=MAX_LOGO_BYTES, max_side=MAX_LOGO_SIDE, noun="logo"
    )
