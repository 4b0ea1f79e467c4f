"""The pages that show pictures of events, festivals, campaigns and groups (issue 16), with
uploaded pictures and with the defaults: axe-core finds nothing serious, the cards fit a
375 px screen, and nothing moves as the pictures load (width and height are set)."""

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from campaigns.models import Campaign
from events.models import Event, Festival
from groups.models import LocalGroup
from tests.pictures import give_picture
from tests.world import build_world

from .helpers import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = [
    reverse("home"),
    reverse("events:list"),
    reverse("events:festival_list"),
    reverse("campaigns:list"),
    reverse("groups:list"),
    reverse("groups:detail", args=["derby"]),
    reverse("groups:detail", args=["leicester"]),  # no picture: no header, default cards
    reverse("campaigns:detail", args=["council-of-sanctuary"]),
    reverse("events:detail", args=["peace-picnic"]),
    reverse("events:festival", args=["peace-week"]),
]
LEAD_FORMS = [
    reverse("groups:edit", args=["derby"]),
    reverse("campaigns:picture", args=["council-of-sanctuary"]),
]
# The sum of every unexpected layout shift since the page started loading (Chromium's
# Layout Instability API), once the pictures above the fold have loaded.
LAYOUT_SHIFT = """async () => {
  const eager = [...document.images].filter(i => i.loading !== "lazy" && !i.complete);
  await Promise.race([
    Promise.all(eager.map(i => i.decode().catch(() => 0))),
    new Promise(done => setTimeout(done, 3000)),
  ]);
  return await new Promise(done => {
    let sum = 0;
    new PerformanceObserver(list => list.getEntries().forEach(e => {
      if (!e.hadRecentInput) sum += e.value;
    })).observe({type: "layout-shift", buffered: true});
    setTimeout(() => done(sum), 300);
  });
}"""


@pytest.fixture
def pictured(settings, tmp_path):
    """The world, with pictures on Derby, its campaign, its event and its festival, and the
    browser given the stored files (the test server serves no uploads)."""
    settings.MEDIA_ROOT = tmp_path
    world = build_world()
    give_picture(LocalGroup.objects.get(slug="derby"), "Derby group members at a stall")
    give_picture(Campaign.objects.get(slug="council-of-sanctuary"), "Marchers with a banner")
    give_picture(Event.objects.get(slug="peace-picnic"), "People sharing food on a lawn")
    give_picture(Festival.objects.get(slug="peace-week"), "A stage with bunting")
    return world


def serve_media(page, media_root: Path):
    def fulfil(route):
        path = media_root / route.request.url.split("/media/", 1)[1]
        route.fulfill(path=str(path)) if path.is_file() else route.fulfill(status=404)

    page.route("**/media/**", fulfil)


@pytest.mark.parametrize("width", [1280, 375])
def test_picture_pages_are_accessible_fit_the_screen_and_do_not_shift(
    page, live_server, pictured, settings, width
):
    serve_media(page, Path(settings.MEDIA_ROOT))
    page.set_viewport_size({"width": width, "height": 800})
    problems = []
    for url in PAGES:
        response = page.goto(url)
        assert response.status == 200, url
        problems += [f"{url}: {v}" for v in axe_violations(page)]
        if page.evaluate("document.documentElement.scrollWidth") > width:
            problems.append(f"{url}: wider than {width} px")
        shift = page.evaluate(LAYOUT_SHIFT)
        if shift > 0.01:
            problems.append(f"{url}: layout shift {shift:.3f}")
    assert problems == []


def test_picture_forms_are_accessible(page, live_server, pictured):
    client = Client()
    client.force_login(pictured.people.lead)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])
    problems = []
    for url in LEAD_FORMS:
        assert page.goto(url).status == 200, url
        problems += [f"{url}: {v}" for v in axe_violations(page)]
    assert problems == []
