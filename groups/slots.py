"""Sections other apps add to the group page (portal.slots): each template gets `group`."""

from portal.slots import Slot

GROUP_PAGE = Slot("group page")
