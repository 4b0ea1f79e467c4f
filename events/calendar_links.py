"""Add-to-calendar links for one event: Google Calendar, Outlook.com and Office 365 (their
documented "compose an event" addresses) and our own .ics file (Apple Calendar and every
other program). Shown on the event page and in the confirmation email."""

from datetime import UTC
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse

from .models import Event

GOOGLE = "https://calendar.google.com/calendar/render"
OUTLOOK_COM = "https://outlook.live.com/calendar/0/deeplink/compose"
OFFICE_365 = "https://outlook.office.com/calendar/0/deeplink/compose"


def _location(event: Event) -> str:
    if event.venue_id and event.mode != Event.Mode.ONLINE:
        venue = event.venue
        return ", ".join(part for part in (venue.name, venue.address, venue.town) if part)
    return "Online"


def calendar_links(event: Event) -> list[tuple[str, str]]:
    """(label, URL) pairs, in the order the menu shows them. The online link is left out:
    it is for people with a place, and a calendar entry may be shared."""
    page = settings.SITE_URL + event.get_absolute_url()
    details = f"{event.title}: {page}"
    start, end = event.starts_at.astimezone(UTC), event.ends_at.astimezone(UTC)
    google = urlencode(
        {
            "action": "TEMPLATE",
            "text": event.title,
            "dates": f"{start:%Y%m%dT%H%M%SZ}/{end:%Y%m%dT%H%M%SZ}",
            "details": details,
            "location": _location(event),
        }
    )
    outlook = urlencode(
        {
            "path": "/calendar/action/compose",
            "rru": "addevent",
            "subject": event.title,
            "startdt": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "enddt": end.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "body": details,
            "location": _location(event),
        }
    )
    return [
        ("Google Calendar", f"{GOOGLE}?{google}"),
        ("Outlook.com", f"{OUTLOOK_COM}?{outlook}"),
        ("Office 365", f"{OFFICE_365}?{outlook}"),
        (
            "Apple Calendar and others (.ics)",
            settings.SITE_URL + reverse("events:ics", args=[event.slug]),
        ),
    ]
