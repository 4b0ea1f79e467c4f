from types import SimpleNamespace

import pytest

from tests.factories import UserFactory

from .factories import (
    AreaFactory,
    LocalGroupFactory,
    MembershipFactory,
    RegionalRoleFactory,
)


@pytest.fixture
def people(db):
    """A group with a lead and a member, plus everyone who must be kept out of it."""
    group = LocalGroupFactory(name="Derby", slug="derby", town="Derby")
    other_group = LocalGroupFactory(area=AreaFactory(), slug="leicester", name="Leicester")
    lead = MembershipFactory(group=group, lead=True, user__display_name="Lena Lead").user
    member = MembershipFactory(group=group, user__display_name="Mo Member").user
    other_lead = MembershipFactory(group=other_group, lead=True).user
    rep = RegionalRoleFactory(region=group.area.region).user
    other_rep = RegionalRoleFactory(region=other_group.area.region).user
    return SimpleNamespace(
        group=group,
        other_group=other_group,
        lead=lead,
        member=member,
        other_lead=other_lead,
        rep=rep,
        other_rep=other_rep,
        activist=UserFactory(),
        staff=UserFactory(is_staff=True),
        anonymous=None,
    )


def login_as(client, people, who):
    user = getattr(people, who)
    if user is not None:
        client.force_login(user)
    return user
