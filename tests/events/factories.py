from datetime import timedelta

import factory
from django.utils import timezone

from events.models import RSVP, Event, Festival, Venue
from tests.factories import UserFactory
from tests.groups.factories import LocalGroupFactory


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    name = factory.Sequence(lambda n: f"Venue {n}")
    slug = factory.Sequence(lambda n: f"venue-{n}")
    address = factory.Sequence(lambda n: f"{n} High Street")
    town = "Derby"
    postcode_district = "DE1"
    latitude = 52.9225
    longitude = -1.4746
    step_free = True


class FestivalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Festival
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Peace Week {n}")
    slug = factory.Sequence(lambda n: f"peace-week-{n}")
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=7))
    ends_on = factory.LazyAttribute(lambda f: f.starts_on + timedelta(days=6))
    status = Festival.Status.PUBLISHED

    @factory.post_generation
    def host_groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.host_groups.set(extracted)


class EventFactory(factory.django.DjangoModelFactory):
    """A published public in-person event a week from now."""

    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"Event {n}")
    slug = factory.Sequence(lambda n: f"event-{n}")
    kind = Event.Kind.WORKSHOP
    description = "Come along."
    starts_at = factory.LazyFunction(
        lambda: (timezone.now() + timedelta(days=7)).replace(microsecond=0)
    )
    ends_at = factory.LazyAttribute(lambda e: e.starts_at + timedelta(hours=2))
    mode = Event.Mode.IN_PERSON
    venue = factory.SubFactory(VenueFactory)
    status = Event.Status.PUBLISHED
    visibility = Event.Visibility.PUBLIC
    group = factory.SubFactory(LocalGroupFactory)


class RSVPFactory(factory.django.DjangoModelFactory):
    """A confirmed place that keeps the event's counter in step, as the services do."""

    class Meta:
        model = RSVP

    event = factory.SubFactory(EventFactory)
    user = factory.SubFactory(UserFactory)
    status = RSVP.Status.CONFIRMED

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from django.db.models import F

        rsvp = super()._create(model_class, *args, **kwargs)
        field = {
            RSVP.Status.CONFIRMED: "confirmed_count",
            RSVP.Status.WAITLISTED: "waitlist_count",
        }.get(rsvp.status)
        if field:
            Event.objects.filter(pk=rsvp.event_id).update(**{field: F(field) + 1})
            rsvp.event.refresh_from_db(fields=["confirmed_count", "waitlist_count"])
        return rsvp
