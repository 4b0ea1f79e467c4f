"""Screenshots of the main pages at 1280 and 375 px, for the README (issue 16).

Run against a server with the demo data (`make run`, or `manage.py runserver` after
`manage.py seed_demo`):

    .venv/bin/python bench/screenshots.py --base-url http://127.0.0.1:8000 --suffix after
    .venv/bin/python bench/screenshots.py --base-url http://127.0.0.1:8000 --maps
    .venv/bin/python bench/screenshots.py --suffix after --only home event campaign group

Writes docs/screenshots/<page>-<width>[-<suffix>].png. Uses Debian's Chromium. --maps takes
the pages with a map (portal/maps.py) instead, as a visitor.
"""

import argparse
import os
from pathlib import Path

from playwright.sync_api import sync_playwright

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
# The demo seed's password (front/management/commands/seed_demo.py).
PASSWORD = os.environ.get("DEMO_PASSWORD", "people-power-demo")  # noqa: S105

# (name, who is signed in, path)
ACTION = "/campaigns/derby-council-of-sanctuary/actions/21/"
PAGES = [
    ("home", None, "/"),
    ("event", "activist@example.org", "/events/derby-film-night-for-sama/"),
    ("campaign-action", "activist@example.org", ACTION),
    ("campaign", "activist@example.org", "/campaigns/derby-council-of-sanctuary/"),
    ("group", "lead@example.org", "/groups/derby/"),
    ("my-portal", "lead@example.org", "/me/"),
    ("review", "rep@example.org", "/review/"),
    ("check-in", "lead@example.org", "/events/derby-lift-the-ban-stall/check-in/"),
]
MAP_PAGES = [
    ("map-region", None, "/regions/midlands/"),
    ("map-area", None, "/regions/midlands/east-midlands/"),
    ("map-group", None, "/groups/derby/"),
    ("map-event", None, "/events/peace-week-closing-vigil/"),
    ("map-groups-near", None, "/groups/?postcode=CV1"),
]


def sign_in(page, email):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action='/accounts/login/'] button[type=submit]")
    page.wait_for_load_state()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--suffix", default="")
    parser.add_argument("--maps", action="store_true", help="the pages with a map")
    parser.add_argument("--action-path", help="the campaign action page to show")
    parser.add_argument("--only", nargs="+", metavar="PAGE", help="these pages only, e.g. home")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    pages = list(MAP_PAGES if args.maps else PAGES)
    suffix = f"-{args.suffix}" if args.suffix else ""
    if args.action_path:
        pages[2] = ("campaign-action", "activist@example.org", args.action_path)
    if args.only:
        pages = [p for p in pages if p[0] in args.only]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
        for width, height in ((1280, 900), (375, 812)):
            for name, who, path in pages:
                context = browser.new_context(
                    base_url=args.base_url, viewport={"width": width, "height": height}
                )
                page = context.new_page()
                if who:
                    sign_in(page, who)
                page.goto(path)
                page.screenshot(path=str(OUT / f"{name}-{width}{suffix}.png"), full_page=True)
                context.close()
        browser.close()


if __name__ == "__main__":
    main()
