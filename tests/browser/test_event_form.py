"""Issue 16, defect 8: adding a venue from the event form keeps the page and what was typed
(htmx puts the form back in place with the new venue chosen)."""

import pytest
from django.urls import reverse

from events.models import Venue
from tests.world import build_world

from .test_pages import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_adding_a_venue_in_the_event_form_keeps_the_page(page, live_server):
    world = build_world()
    sign_in(page, live_server, world.people.lead)
    page.goto(reverse("events:create", kwargs={"group_slug": "derby"}))
    page.evaluate("window.notReloaded = true")
    page.fill("#id_title", "Kept title")
    page.click("#venue-add summary")
    page.fill("#id_venue-name", "Htmx Hall")
    page.fill("#id_venue-address", "1 Road")
    page.fill("#id_venue-town", "Derby")
    page.fill("#id_venue-postcode", "DE1 1AA")
    page.click("button[name=add_venue]")
    page.wait_for_selector("text=is added and chosen")
    assert page.evaluate("window.notReloaded") is True
    assert page.input_value("#id_title") == "Kept title"
    venue = Venue.objects.get(name="Htmx Hall")
    assert page.input_value("#id_venue") == str(venue.pk)
