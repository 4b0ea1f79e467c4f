import pytest

from tests.factories import UserFactory
from tests.groups.factories import (
    AreaFactory,
    LocalGroupFactory,
    MembershipFactory,
    RegionalRoleFactory,
)

ROLES = [
    "anonymous",
    "activist",
    "member",
    "other_lead",
    "lead",
    "other_rep",
    "area_rep",
    "rep",
    "staff",
]
PRIVATE_ROLES = {"lead", "area_rep", "rep", "staff"}


class World:
    """One group with one person in every role around it, plus outsiders."""

    def __init__(self):
        self.area = AreaFactory()
        self.region = self.area.region
        self.group = LocalGroupFactory(area=self.area, slug="derby", name="Derby")
        self.other_area = AreaFactory()
        self.other_group = LocalGroupFactory(area=self.area, slug="leicester", name="Leicester")
        self.users = {
            "anonymous": None,
            "activist": UserFactory(),
            "member": MembershipFactory(group=self.group).user,
            "other_lead": MembershipFactory(group=self.other_group, lead=True).user,
            "lead": MembershipFactory(group=self.group, lead=True).user,
            "other_rep": RegionalRoleFactory(region=self.other_area.region).user,
            "area_rep": RegionalRoleFactory(region=None, area=self.area).user,
            "rep": RegionalRoleFactory(region=self.region).user,
            "staff": UserFactory(is_staff=True),
        }

    def client_for(self, client, role):
        user = self.users[role]
        if user is not None:
            client.force_login(user)
        return client


@pytest.fixture
def world(db):
    return World()
