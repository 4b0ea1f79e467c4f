"""Sections other apps add to the case page (portal.slots): each template gets `case`."""

from portal.slots import Slot

CASE_PAGE = Slot("case page")
