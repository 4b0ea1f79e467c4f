import factory

from partners.models import Partner, PartnerKind, Partnership, PartnerSuggestion
from tests.factories import UserFactory
from tests.groups.factories import AreaFactory, LocalGroupFactory


class PartnerKindFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerKind
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Kind {n}")
    slug = factory.Sequence(lambda n: f"kind-{n}")


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"Partner {n}")
    slug = factory.Sequence(lambda n: f"partner-{n}")
    kind = factory.SubFactory(PartnerKindFactory)
    town = "Derby"
    postcode_district = "DE1"
    latitude = 52.922
    longitude = -1.47734
    contact_email = factory.LazyAttribute(lambda p: f"hello@{p.slug}.example.org")


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership

    group = factory.SubFactory(LocalGroupFactory)
    partner = factory.SubFactory(PartnerFactory)
    status = Partnership.Status.ACTIVE
    activities = "Stalls together"
    contact_name = factory.Sequence(lambda n: f"Contact Person {n}")
    contact_email = factory.Sequence(lambda n: f"private.contact{n}@example.net")
    contact_phone = "01632 960123"
    private_notes = factory.Sequence(lambda n: f"Secret note {n}")


class PartnerSuggestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerSuggestion

    suggested_by = factory.SubFactory(UserFactory)
    area = factory.SubFactory(AreaFactory)
    name = factory.Sequence(lambda n: f"Suggested org {n}")
    kind = factory.SubFactory(PartnerKindFactory)
    reason = "They run a drop-in."
