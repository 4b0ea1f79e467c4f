"""Print-ready PDFs from a slogan set: an A4 poster (one slogan) or an A5 leaflet (the
set), with the group's name and its next public event filled in.

WeasyPrint lays out HTML and CSS as PDF. It needs Pango from the operating system
(Debian: libpango-1.0-0, libpangoft2-1.0-0, libharfbuzz-subset0, and a font such as
fonts-dejavu-core); without them importing it fails, and the print page says so instead
of offering a PDF."""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone
from PIL import ImageFile

from groups.models import LocalGroup

from .models import Resource

FORMATS = {
    "a4-poster": ("A4 poster", "resources/print/a4_poster.html"),
    "a5-leaflet": ("A5 leaflet", "resources/print/a5_leaflet.html"),
}
CACHE_SECONDS = 3600
# WeasyPrint logs every layout step at INFO; our logs are for our own events.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
LEAFLET_SLOGANS = 8


class PrintingUnavailable(Exception):
    """WeasyPrint or the system libraries it needs are missing on this machine."""


def load_weasyprint():
    """The weasyprint module, or PrintingUnavailable."""
    # Importing WeasyPrint sets Pillow's LOAD_TRUNCATED_IMAGES for the whole process, which
    # would let truncated uploads through every image check (partners' logos, resource
    # files); our print templates have no images, so Pillow's strict default is put back.
    strict = ImageFile.LOAD_TRUNCATED_IMAGES
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: Pango's shared libraries are missing
        raise PrintingUnavailable(str(exc)) from exc
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = strict
    return weasyprint


def printing_available() -> bool:
    try:
        load_weasyprint()
    except PrintingUnavailable:
        return False
    return True


def next_public_event(group: LocalGroup | None):
    """The group's next published public event, through the events app's reverse relation
    (events sits above resources, so it is not imported)."""
    if group is None:
        return None
    return (
        group.events.filter(status="published", visibility="public", starts_at__gte=timezone.now())
        .select_related("venue")
        .order_by("starts_at", "pk")
        .first()
    )


def _cache_key(resource, fmt, slogan, group, event) -> str:
    parts = [
        resource.pk,
        resource.updated_at.isoformat(),
        fmt,
        slogan,
        group.pk if group else "",
        event.pk if event else "",
        event.updated_at.isoformat() if event else "",
    ]
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:32]
    return f"resources:print:{digest}"


def slogan_pdf(
    *, resource: Resource, fmt: str, slogan: str = "", group: LocalGroup | None = None
) -> bytes:
    """The PDF, from the cache when the same one was made in the last hour."""
    event = next_public_event(group)
    key = _cache_key(resource, fmt, slogan, group, event)
    pdf = cache.get(key)
    if pdf is None:
        weasyprint = load_weasyprint()
        _label, template = FORMATS[fmt]
        html = render_to_string(
            template,
            {
                "resource": resource,
                "slogan": slogan or (resource.slogan_list or [resource.title])[0],
                "slogans": resource.slogan_list[:LEAFLET_SLOGANS],
                "group": group,
                "event": event,
                "site_name": settings.SITE_NAME,
                "site_url": settings.SITE_URL,
                "group_url": settings.SITE_URL + group.get_absolute_url() if group else "",
            },
        )
        # The templates need nothing from outside: no protocol is allowed, so no URL in
        # them (or in anyone's text) is ever fetched.
        fetcher = weasyprint.urls.URLFetcher(allowed_protocols=())
        pdf = weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf()
        cache.set(key, pdf, CACHE_SECONDS)
    return pdf
