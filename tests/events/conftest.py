from types import SimpleNamespace

import pytest

from tests.factories import UserFactory
from tests.groups.factories import (
    AreaFactory,
    LocalGroupFactory,
    MembershipFactory,
    RegionalRoleFactory,
)


@pytest.fixture
def people(db):
    """A group with a lead and a member, plus everyone who must be kept out."""
    group = LocalGroupFactory(name="Derby", slug="derby", town="Derby")
    other_group = LocalGroupFactory(area=AreaFactory(), slug="leicester", name="Leicester")
    return SimpleNamespace(
        group=group,
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


def deliver_outbox():
    """Send every queued email now (what the Celery task does after commit)."""
    from portal.models import OutboxMessage
    from portal.services import deliver_outbox_message

    pending = OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).order_by("pk")
    for pk in pending.values_list("pk", flat=True):
        deliver_outbox_message(message_id=pk)
