"""A slogan set becomes a print-ready PDF with the group's name and next event."""

import io
import sys
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from resources.files import check_upload
from resources.models import Resource
from tests.events.factories import EventFactory, VenueFactory
from tests.groups.factories import MembershipFactory

from .factories import ResourceFactory
from .files import image_bytes, upload

pytestmark = pytest.mark.django_db


def _slogans():
    return ResourceFactory(
        title="Peace Week slogans",
        kind=Resource.Kind.SLOGANS,
        slogans="Build Homes Not Bombs\nWelcome Refugees",
    )


def _text(pdf: bytes) -> tuple[int, str, tuple[float, float]]:
    reader = PdfReader(io.BytesIO(pdf))
    box = reader.pages[0].mediabox
    text = " ".join(page.extract_text() for page in reader.pages)
    return len(reader.pages), " ".join(text.split()), (float(box.width), float(box.height))


def test_a4_poster_has_the_slogan_group_and_next_event(client, people, weasyprint):
    resource = _slogans()
    start = timezone.localtime(timezone.now() + timedelta(days=5)).replace(hour=19, minute=0)
    EventFactory(
        group=people.group,
        title="Peace picnic",
        starts_at=start,
        venue=VenueFactory(name="Friends Meeting House", town="Derby"),
    )
    EventFactory(group=people.group, title="A later one", starts_at=start + timedelta(days=9))
    client.force_login(people.member)
    response = client.get(
        reverse("resources:print", args=[resource.slug]),
        {"format": "a4-poster", "slogan": "1", "group": people.group.slug},
    )
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="peace-week-slogans-a4-poster.pdf"'
    )
    pages, text, size = _text(response.content)
    assert pages == 1
    assert (round(size[0]), round(size[1])) == (595, 842)  # A4 in points
    assert "Welcome Refugees" in text
    assert "Build Homes Not Bombs" not in text
    assert "Derby" in text
    assert f"Next: Peace picnic {start:%A %-d %B %Y}, 7:00 p.m., Friends Meeting House" in text
    assert "A later one" not in text


def test_a5_leaflet_lists_the_set_without_a_group(client, weasyprint):
    resource = _slogans()
    response = client.get(
        reverse("resources:print", args=[resource.slug]), {"format": "a5-leaflet"}
    )
    pages, text, size = _text(response.content)
    assert pages == 1
    assert (round(size[0]), round(size[1])) == (420, 595)  # A5 in points
    assert "Build Homes Not Bombs" in text and "Welcome Refugees" in text
    assert "Find your local group" in text


def test_print_form_offers_only_the_persons_own_groups(client, people):
    resource = _slogans()
    MembershipFactory(user=people.member, group=people.other_group, left_at=timezone.now())
    client.force_login(people.member)
    form = client.get(reverse("resources:print", args=[resource.slug])).context["form"]
    assert list(form.fields["group"].queryset) == [people.group]


def test_print_of_a_resource_without_slogans_is_404(client):
    resource = ResourceFactory()
    assert client.get(reverse("resources:print", args=[resource.slug])).status_code == 404


def test_print_without_weasyprint_explains_instead_of_a_pdf(client, monkeypatch):
    resource = _slogans()
    # As on a machine without Pango: importing WeasyPrint fails.
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    page = client.get(reverse("resources:print", args=[resource.slug]))
    assert "Printing is not available on this server" in page.content.decode()
    response = client.get(reverse("resources:print", args=[resource.slug]), {"format": "a4-poster"})
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert "needs WeasyPrint and the Pango text libraries" in response.content.decode()


def test_printing_leaves_image_checks_strict(client, weasyprint):

    resource = _slogans()
    client.get(reverse("resources:print", args=[resource.slug]), {"format": "a4-poster"})
    truncated = image_bytes("JPEG", size=(400, 400))
    truncated = truncated[: len(truncated) // 2]
    with pytest.raises(ValidationError) as caught:
        check_upload(upload(truncated, name="cut.jpg", content_type="image/jpeg"))
    assert caught.value.messages == ["That image file is damaged or incomplete."]
