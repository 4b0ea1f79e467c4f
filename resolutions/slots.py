"""Sections other apps add to the resolution page (portal.slots): each template gets
`resolution` (and `meeting`)."""

from portal.slots import Slot

RESOLUTION_PAGE = Slot("resolution page")
