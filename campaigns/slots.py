"""Sections other apps add to the campaign page and to an action's page (portal.slots):
campaign page templates get `campaign`; action page templates get `campaign` and `action`
(and `taken`)."""

from portal.slots import Slot

CAMPAIGN_PAGE = Slot("campaign page")
ACTION_PAGE = Slot("action page")
