"""Sections other apps add to the group page (portal.slots): each template gets `group`."""

from portal.slots import Slot

GROUP_PAGE = Slot("group page")

# The region page (/regions/<slug>/): each template gets `region`.
REGION_PAGE = Slot("region page")

# An area's page (/regions/<slug>/<area>/): each template gets `area` (with its region).
AREA_PAGE = Slot("area page")
