"""The cast of the permission tests: a Derby group's lead and member, its region's rep,
and everyone who must be kept out (an activist, another region's lead and rep, staff)."""

from types import SimpleNamespace

from tests.factories import UserFactory
from tests.groups.factories import (
    AreaFactory,
    LocalGroupFactory,
    MembershipFactory,
    RegionalRoleFactory,
)


def make_people() -> SimpleNamespace:
    group = LocalGroupFactory(name="Derby", slug="derby", town="Derby")
    other_group = LocalGroupFactory(area=AreaFactory(), slug="leicester", name="Leicester")
    return SimpleNamespace(
        group=group,
        region=group.area.region,
        other_group=other_group,
        lead=MembershipFactory(group=group, lead=True, user__display_name="Lena Lead").user,
        member=MembershipFactory(group=group, user__display_name="Mo Member").user,
        other_lead=MembershipFactory(group=other_group, lead=True).user,
        rep=RegionalRoleFactory(region=group.area.region).user,
        other_rep=RegionalRoleFactory(region=other_group.area.region).user,
        activist=UserFactory(display_name="Ada Activist"),
        staff=UserFactory(is_staff=True),
        anonymous=None,
    )


def login_as(client, people, who):
    user = getattr(people, who)
    if user is not None:
        client.force_login(user)
    return user
