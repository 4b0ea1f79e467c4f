"""Sections other apps add to the partner page (portal.slots): each template gets
`partner`, and reaches its rows through reverse relations such as partner.events."""

from portal.slots import Slot

PARTNER_PAGE = Slot("partner page")
