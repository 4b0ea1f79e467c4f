from types import SimpleNamespace

import pytest

from tests.factories import UserFactory
from tests.groups.factories import AreaFactory, LocalGroupFactory, MembershipFactory


@pytest.fixture
def cast(people):
    """The people fixture plus a member of another group in the same region (Nottingham)
    and a member of another region's group (Leicester)."""
    same_region = LocalGroupFactory(
        name="Nottingham", slug="nottingham", area=AreaFactory(region=people.region)
    )
    return SimpleNamespace(
        **vars(people),
        same_region_group=same_region,
        same_region_member=MembershipFactory(group=same_region).user,
        other_region_member=MembershipFactory(group=people.other_group).user,
        unverified=UserFactory(email_verified=False),
    )
