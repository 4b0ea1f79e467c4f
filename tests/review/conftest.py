"""A small known dataset for the regional review. Every figure the tests expect is worked
out by hand in the comments next to the rows that make it."""

import datetime as dt
from types import SimpleNamespace

import pytest

from events.models import RSVP, Event, EventReport
from groups.models import Announcement, Membership
from partners.models import Partnership
from tests.campaigns.factories import ActionFactory, CampaignFactory
from tests.events.factories import EventFactory, RSVPFactory
from tests.factories import UserFactory
from tests.groups.factories import (
    AreaFactory,
    LocalGroupFactory,
    MembershipFactory,
    RegionalRoleFactory,
    RegionFactory,
)
from tests.partners.factories import PartnerFactory

UTC = dt.UTC
# A fixed "now" for the figures: Sunday 15 June 2025, 13:00 in London (BST).
NOW = dt.datetime(2025, 6, 15, 12, 0, tzinfo=UTC)


def at(year, month, day, hour=12, minute=0):
    return dt.datetime(year, month, day, hour, minute, tzinfo=UTC)


def event(group, starts_at, status=Event.Status.PUBLISHED, **kwargs):
    return EventFactory(
        group=group,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=2),
        status=status,
        **kwargs,
    )


def rsvps(event_, *, confirmed=0, checked_in=0, cancelled=0, waitlisted=0):
    """``confirmed`` places, of which ``checked_in`` came, plus others that do not count."""
    for i in range(confirmed):
        RSVPFactory(event=event_, checked_in_at=event_.starts_at if i < checked_in else None)
    for _ in range(cancelled):
        RSVPFactory(event=event_, status=RSVP.Status.CANCELLED)
    for _ in range(waitlisted):
        RSVPFactory(event=event_, status=RSVP.Status.WAITLISTED)


def report(event_, attendance, filed_at):
    return EventReport.objects.create(event=event_, attendance=attendance, filed_at=filed_at)


def member(group, joined_at, left_at=None, *, lead=False, user=None):
    kwargs = {"user": user} if user else {}
    return MembershipFactory(
        group=group,
        joined_at=joined_at,
        left_at=left_at,
        role=Membership.Role.LEAD if lead else Membership.Role.MEMBER,
        **kwargs,
    )


def taken(user, when, campaign=None):
    from campaigns.models import ActionTaken

    action = ActionFactory(campaign=campaign or CampaignFactory())
    return ActionTaken.objects.create(action=action, user=user, created_at=when)


@pytest.fixture
def world(db):
    """Midlands (Derbyshire: Derby, Chesterfield; Leicestershire: Leicester) and, out of
    scope, the North West (Manchester). With the 90-day period ending at NOW (from
    17 March 2025, 12:00 UTC):

    Derby: members 3, new 2, left 2 (not shrinking), 1 lead; events 3; RSVPs 7; came 19;
    reports filed 2 of 2 due; overdue 2 (June 1 and January 10); campaigns 1; actions 3;
    partnerships 2 active, 2 new; last activity the announcement of 14 June.
    Chesterfield: members 1, left 1 (shrinking), no lead, last event February (no event in
    90 days), last activity its report filed 3 February.
    Leicester: members 2, new 2; events 2, both due, none filed (overdue); actions 1.
    """
    midlands = RegionFactory(name="Midlands", slug="midlands")
    derbyshire = AreaFactory(region=midlands, name="Derbyshire", slug="derbyshire")
    leicestershire = AreaFactory(region=midlands, name="Leicestershire", slug="leicestershire")
    north_west = RegionFactory(name="North West", slug="north-west")
    manchester_area = AreaFactory(region=north_west, name="Greater Manchester", slug="gm")
    derby = LocalGroupFactory(area=derbyshire, name="Derby", slug="derby")
    chesterfield = LocalGroupFactory(area=derbyshire, name="Chesterfield", slug="chesterfield")
    leicester = LocalGroupFactory(area=leicestershire, name="Leicester", slug="leicester")
    manchester = LocalGroupFactory(area=manchester_area, name="Manchester", slug="manchester")
    LocalGroupFactory(area=derbyshire, name="Closed group", slug="closed", is_active=False)

    # Derby's people.
    lead = member(derby, at(2024, 1, 1), lead=True, user=UserFactory(display_name="Lena Lead"))
    m1 = member(derby, at(2025, 5, 1, 0))  # new
    m2 = member(derby, at(2025, 4, 1), at(2025, 5, 10))  # new and left
    member(derby, at(2023, 1, 1), at(2025, 6, 1))  # left
    m4 = member(derby, at(2025, 1, 1))
    # Chesterfield: its lead left in the period, one member stays.
    member(chesterfield, at(2024, 1, 1), at(2025, 5, 1), lead=True)
    member(chesterfield, at(2024, 2, 1))
    # Leicester: a lead and Derby's m4, both new.
    leicester_lead = member(leicester, at(2025, 3, 20), lead=True)
    member(leicester, at(2025, 5, 1), user=m4.user)
    # Manchester (out of scope) has plenty that must never show.
    member(manchester, at(2025, 5, 1), lead=True)
    rsvps(event(manchester, at(2025, 5, 2)), confirmed=9, checked_in=9)

    # Derby's events.
    e1 = event(derby, at(2025, 4, 10), title="Stall in the Market Place")
    rsvps(e1, confirmed=3, checked_in=2, cancelled=1, waitlisted=1)
    report(e1, 12, at(2025, 4, 12))
    e2 = event(derby, at(2025, 6, 1), title="Film night")  # due, no report: overdue
    rsvps(e2, confirmed=3, checked_in=2)
    e3 = event(derby, at(2025, 6, 12), title="Vigil")  # not due yet, reported early
    rsvps(e3, confirmed=1, checked_in=1)
    report(e3, 5, at(2025, 6, 13))
    rsvps(event(derby, at(2025, 5, 5), Event.Status.CANCELLED), confirmed=2)
    event(derby, at(2025, 5, 6), Event.Status.DRAFT)
    rsvps(event(derby, at(2025, 6, 20)), confirmed=4)  # not yet held
    event(derby, at(2025, 1, 10), title="January talk")  # before the period, overdue
    # Chesterfield's one event, co-hosted by Derby (counts for the host only).
    e8 = event(chesterfield, at(2025, 2, 1), title="Football tournament")
    e8.cohost_groups.add(derby)
    report(e8, 7, at(2025, 2, 3))
    # Leicester's events: 30 April 23:30 UTC is 1 May 00:30 in London.
    event(leicester, at(2025, 5, 20), title="Talk")
    event(leicester, at(2025, 4, 30, 23, 30), title="Late one")

    # Campaigns: one active local campaign each for Derby; others do not count.
    derby_campaign = CampaignFactory(local=True, group=derby, title="Derby welcomes")
    CampaignFactory(local=True, group=derby, status="proposed", proposed_by=m1.user)
    CampaignFactory(local=True, group=derby, status="closed")
    CampaignFactory(regional=True, region=midlands)

    # Actions: counted when the person was a member of the group at the time.
    taken(m1.user, at(2025, 5, 15), derby_campaign)  # Derby
    taken(m1.user, at(2025, 4, 20))  # before m1 joined
    taken(m4.user, at(2025, 5, 20))  # Derby and Leicester
    taken(m2.user, at(2025, 4, 15))  # Derby (m2 left later)
    taken(m2.user, at(2025, 5, 20))  # after m2 left
    taken(lead.user, at(2025, 2, 1))  # before the period
    taken(UserFactory(), at(2025, 5, 20))  # not a member
    taken(None, at(2025, 5, 20))  # anonymous

    # Partnerships.
    for status, created in [
        (Partnership.Status.ACTIVE, at(2024, 6, 1)),
        (Partnership.Status.ACTIVE, at(2025, 5, 1)),  # new
        (Partnership.Status.PROSPECT, at(2025, 6, 1)),  # new
        (Partnership.Status.ENDED, at(2023, 6, 1)),
    ]:
        Partnership.objects.create(
            group=derby,
            partner=PartnerFactory(),
            status=status,
            created_at=created,
            private_notes=f"Derby private note {status}",
            contact_name="Derby Contact",
        )
    Partnership.objects.create(
        group=leicester,
        partner=PartnerFactory(),
        status=Partnership.Status.ACTIVE,
        private_notes="Leicester private note",
    )
    Partnership.objects.create(
        group=manchester,
        partner=PartnerFactory(),
        status=Partnership.Status.ACTIVE,
        private_notes="Manchester private note",
    )
    Announcement.objects.create(
        group=derby, title="Welcome", body="Hello", created_at=at(2025, 6, 14, 10)
    )

    return SimpleNamespace(
        midlands=midlands,
        north_west=north_west,
        derbyshire=derbyshire,
        leicestershire=leicestershire,
        derby=derby,
        chesterfield=chesterfield,
        leicester=leicester,
        manchester=manchester,
        lead=lead.user,
        leicester_lead=leicester_lead.user,
        member=m1.user,
        rep=RegionalRoleFactory(region=midlands).user,
        area_rep=RegionalRoleFactory(region=None, area=leicestershire).user,
        derbyshire_rep=RegionalRoleFactory(region=None, area=derbyshire).user,
        other_rep=RegionalRoleFactory(region=north_west).user,
        activist=UserFactory(),
        staff=UserFactory(is_staff=True),
    )
