"""Sections other apps add to the campaign page (portal.slots): each template gets
`campaign`."""

from portal.slots import Slot

CAMPAIGN_PAGE = Slot("campaign page")
