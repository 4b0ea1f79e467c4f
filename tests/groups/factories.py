import factory
from allauth.mfa.models import Authenticator

from groups.models import Area, LocalGroup, Membership, Region, RegionalRole
from tests.factories import UserFactory, enrol_two_factor


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Region {n}")
    slug = factory.Sequence(lambda n: f"region-{n}")


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"Area {n}")
    slug = factory.Sequence(lambda n: f"area-{n}")


class LocalGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalGroup

    area = factory.SubFactory(AreaFactory)
    name = factory.Sequence(lambda n: f"Town {n} group")
    slug = factory.Sequence(lambda n: f"town-{n}")
    kind = LocalGroup.Kind.LOCAL
    town = factory.Sequence(lambda n: f"Town {n}")
    postcode_district = "DE1"
    latitude = 52.9225
    longitude = -1.4746
    meeting_note = "Second Tuesday, 7pm, Friends Meeting House"
    contact_email = factory.LazyAttribute(lambda g: f"{g.slug}@groups.example.org")


class MembershipFactory(factory.django.DjangoModelFactory):
    """A current member. Keeps the group's denormalised member_count in step, as the
    services do, so pages and counts agree in tests."""

    class Meta:
        model = Membership

    group = factory.SubFactory(LocalGroupFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.MEMBER

    class Params:
        lead = factory.Trait(role=Membership.Role.LEAD)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from django.db.models import F

        membership = super()._create(model_class, *args, **kwargs)
        if membership.left_at is None:
            LocalGroup.objects.filter(pk=membership.group_id).update(
                member_count=F("member_count") + 1
            )
            membership.group.refresh_from_db(fields=["member_count"])
        return membership


class RegionalRoleFactory(factory.django.DjangoModelFactory):
    """A regional rep by default; pass area=... and region=None for an area rep."""

    class Meta:
        model = RegionalRole
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    region = factory.SubFactory(RegionFactory)
    area = None

    @factory.post_generation
    def two_factor(self, create, extracted, **kwargs):
        """Reps must have two-factor sign-in (portal.mfa): set up unless two_factor=False."""
        enrolled = Authenticator.objects.filter(user=self.user, type="totp").exists
        if create and extracted is not False and not enrolled():
            enrol_two_factor(self.user)
