import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from campaigns.models import (
    Action,
    ActionTaken,
    Campaign,
    CampaignSupporter,
    CampaignUpdate,
    FundingRequest,
    FundingRequestEntry,
    Outcome,
    Topic,
)
from tests.factories import UserFactory
from tests.groups.factories import LocalGroupFactory, RegionFactory


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")


class CampaignFactory(factory.django.DjangoModelFactory):
    """A national, active campaign by default; use the traits for other scopes."""

    class Meta:
        model = Campaign

    title = factory.Sequence(lambda n: f"Campaign {n}")
    slug = factory.Sequence(lambda n: f"campaign-{n}")
    summary = "A campaign for human rights."
    goal = "The decision-maker does the right thing."
    target_name = "The Home Secretary"
    target_kind = Campaign.TargetKind.GOVERNMENT
    scope = Campaign.Scope.NATIONAL
    status = Campaign.Status.ACTIVE

    class Params:
        local = factory.Trait(
            scope=Campaign.Scope.LOCAL, group=factory.SubFactory(LocalGroupFactory)
        )
        regional = factory.Trait(
            scope=Campaign.Scope.REGIONAL, region=factory.SubFactory(RegionFactory)
        )
        proposed = factory.Trait(
            status=Campaign.Status.PROPOSED,
            proposed_by=factory.SubFactory(UserFactory),
            proposal_reason="Because it matters here.",
            first_action="A petition.",
        )


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    campaign = factory.SubFactory(CampaignFactory)
    kind = Action.Kind.SIGN
    title = factory.Sequence(lambda n: f"Action {n}")
    statement = "We ask for change."
    goal_count = 100


class ActionTakenFactory(factory.django.DjangoModelFactory):
    """Keeps the action's maintained count in step, as the services do."""

    class Meta:
        model = ActionTaken

    action = factory.SubFactory(ActionFactory)
    user = factory.SubFactory(UserFactory)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from django.db.models import F

        taken = super()._create(model_class, *args, **kwargs)
        Action.objects.filter(pk=taken.action_id).update(count=F("count") + 1)
        return taken


class SupporterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CampaignSupporter

    campaign = factory.SubFactory(CampaignFactory)
    user = factory.SubFactory(UserFactory)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from django.db.models import F

        support = super()._create(model_class, *args, **kwargs)
        Campaign.objects.filter(pk=support.campaign_id).update(
            supporter_count=F("supporter_count") + 1
        )
        return support


class UpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CampaignUpdate

    campaign = factory.SubFactory(CampaignFactory)
    author = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Update {n}")
    body = "Progress **made**."


class OutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outcome

    campaign = factory.SubFactory(CampaignFactory)
    date = factory.LazyFunction(timezone.localdate)
    kind = Outcome.Kind.RESPONSE
    summary = "The council replied."


class FundingRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingRequest
        skip_postgeneration_save = True

    campaign = factory.SubFactory(CampaignFactory, local=True)
    requested_by = factory.SubFactory(UserFactory)
    amount = Decimal("150.00")
    purpose = "Leaflets for the stall."
    needed_by = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=14))

    @factory.post_generation
    def asked(self, create, extracted, **kwargs):
        if create:
            FundingRequestEntry.objects.create(
                request=self, actor=self.requested_by, kind=FundingRequestEntry.Kind.ASKED
            )
