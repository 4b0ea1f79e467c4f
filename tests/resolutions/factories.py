from datetime import timedelta

import factory
from django.utils import timezone

from resolutions.models import Meeting, Resolution
from tests.factories import UserFactory
from tests.groups.factories import LocalGroupFactory, MembershipFactory


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    kind = Meeting.Kind.AGM
    name = factory.Sequence(lambda n: f"AGM {2030 + n}")
    slug = factory.Sequence(lambda n: f"agm-{2030 + n}")
    held_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=90))
    submission_deadline = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    groups_needed = 2
    members_needed = 3


class ResolutionFactory(factory.django.DjangoModelFactory):
    """A draft, proposed by a member of its group."""

    class Meta:
        model = Resolution

    meeting = factory.SubFactory(MeetingFactory)
    group = factory.SubFactory(LocalGroupFactory)
    proposer = factory.LazyAttribute(lambda o: MembershipFactory(group=o.group).user)
    title = factory.Sequence(lambda n: f"Resolution {n}")
    notes = "The facts."
    believes = "Why it matters."
    resolves = "What we will do."


def lead_of(group):
    return MembershipFactory(group=group, lead=True).user


def open_resolution(**kwargs) -> Resolution:
    """Endorsed by its group's lead: public and open for support."""
    from resolutions import services

    resolution = ResolutionFactory(**kwargs)
    return services.endorse(resolution=resolution, by=lead_of(resolution.group))


def supporters(n: int):
    return UserFactory.create_batch(n)
