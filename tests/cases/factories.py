from datetime import timedelta

import factory
from django.db.models import F
from django.utils import timezone

from cases.models import (
    Case,
    CaseAdoption,
    CaseUpdate,
    SolidarityMessage,
    Target,
    Theme,
    UrgentAction,
)
from tests.factories import UserFactory
from tests.groups.factories import LocalGroupFactory


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Theme {n}")
    slug = factory.Sequence(lambda n: f"theme-{n}")


class CaseFactory(factory.django.DjangoModelFactory):
    """A published, active case under its real name; `hidden=True` for one whose real
    name must not be published."""

    class Meta:
        model = Case

    slug = factory.Sequence(lambda n: f"case-{n}")
    real_name = factory.Sequence(lambda n: f"Person At Risk {n}")
    country = "Ruritania"
    headline = "Jailed for a peaceful protest."
    story = "A student who spoke up **peacefully**."
    risk = "Ten years in prison."
    status = Case.Status.ACTIVE
    is_published = True
    published_at = factory.LazyFunction(timezone.now)

    class Params:
        hidden = factory.Trait(
            hide_real_name=True, pseudonym=factory.Sequence(lambda n: f"Pseudonym {n}")
        )


class UrgentActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UrgentAction

    case = factory.SubFactory(CaseFactory)
    reference = factory.Sequence(lambda n: f"UA {n}/26")
    title = "Release the student now"
    issued_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=3))
    deadline = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=14))
    recommended_actions = "Write **politely** to the authorities."
    letter_template = "I am writing about a student held for a peaceful protest."


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    urgent_action = factory.SubFactory(UrgentActionFactory)
    name = factory.Sequence(lambda n: f"Prosecutor General {n}")
    title = "Public Prosecutor"
    salutation = "Dear Prosecutor General"
    address = "1 Justice Square\nStrelsau\nRuritania"
    email = factory.Sequence(lambda n: f"prosecutor{n}@gov.example.org")
    language = "English or French"


class SolidarityMessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SolidarityMessage

    case = factory.SubFactory(CaseFactory)
    user = factory.SubFactory(UserFactory)
    first_name = "Robin"
    surname = "Writerson"
    body = "You are not alone: we are thinking of you."


class AdoptionFactory(factory.django.DjangoModelFactory):
    """Keeps the case's groups_count in step, as the services do."""

    class Meta:
        model = CaseAdoption

    case = factory.SubFactory(CaseFactory)
    group = factory.SubFactory(LocalGroupFactory)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        adoption = super()._create(model_class, *args, **kwargs)
        Case.objects.filter(pk=adoption.case_id).update(groups_count=F("groups_count") + 1)
        return adoption


class CaseUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseUpdate

    case = factory.SubFactory(CaseFactory)
    title = factory.Sequence(lambda n: f"Follow-up {n}")
    body = "The trial was postponed."


def no_limit() -> bool:
    """For service calls outside a request: the daily letter limits are the view's (tested
    in test_letters through the write page)."""
    return True
