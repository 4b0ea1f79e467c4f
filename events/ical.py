"""iCalendar (RFC 5545) output with the icalendar library.

Times are written in UTC (the "Z" form), which every calendar program reads and which
sidesteps VTIMEZONE definitions; programs show them in the reader's own zone."""

from collections.abc import Iterable
from datetime import UTC, datetime
from urllib.parse import urlsplit

import icalendar
from django.conf import settings

from .models import Event

PRODID = "-//People Power portal//Events//EN"


def uid_for(event: Event) -> str:
    return f"{event.uid}@{urlsplit(settings.SITE_URL).hostname or 'localhost'}"


def _location(event: Event) -> str:
    parts = []
    if event.venue_id:
        venue = event.venue
        parts = [venue.name, venue.address, venue.town, venue.postcode_district]
    if event.mode != Event.Mode.IN_PERSON:
        parts.append("Online")
    return ", ".join(p for p in parts if p)


def event_component(event: Event, *, online_link: bool = False) -> icalendar.Event:
    url = settings.SITE_URL + event.get_absolute_url()
    description = [event.description.strip(), "", url]
    if online_link and event.online_url:
        description.append(f"Join online: {event.online_url}")
    if event.status == Event.Status.CANCELLED and event.cancel_reason:
        description.insert(0, f"CANCELLED: {event.cancel_reason}\n")
    component = icalendar.Event()
    component.add("uid", uid_for(event))
    component.add("dtstamp", datetime.now(UTC))
    component.add("dtstart", event.starts_at.astimezone(UTC))
    component.add("dtend", event.ends_at.astimezone(UTC))
    component.add("sequence", event.sequence)
    component.add("last-modified", event.updated_at.astimezone(UTC))
    component.add("summary", event.title)
    component.add("description", "\n".join(description).strip())
    component.add("url", url)
    if location := _location(event):
        component.add("location", location)
    if event.venue_id and event.venue.latitude is not None:
        component.add("geo", (event.venue.latitude, event.venue.longitude))
    component.add("status", "CANCELLED" if event.status == Event.Status.CANCELLED else "CONFIRMED")
    return component


def calendar_bytes(
    events: Iterable[Event], *, name: str, online_link_for: set[int] | frozenset = frozenset()
) -> bytes:
    """A VCALENDAR of the events; the online link goes only into those in online_link_for."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    for event in events:
        calendar.add_component(event_component(event, online_link=event.pk in online_link_for))
    return calendar.to_ical()


def ics_attachment(event: Event, *, online_link: bool) -> dict:
    """For an outbox email: the event as a text/calendar attachment."""
    content = calendar_bytes(
        [event], name=event.title, online_link_for={event.pk} if online_link else set()
    )
    return {
        "filename": f"{event.slug}.ics",
        "content": content.decode("utf-8"),
        "mimetype": "text/calendar",
    }
