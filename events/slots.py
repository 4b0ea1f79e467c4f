"""Sections other apps add to an event's RSVP box (portal.slots): each template gets
`event`, `rsvp` (the signed-in person's, or None) and `can_rsvp`."""

from portal.slots import Slot

EVENT_RSVP = Slot("event RSVP box")
