from datetime import timedelta

from django.core import mail

from events import services
from events.models import RSVP
from tests.factories import UserFactory

from .conftest import deliver_outbox
from .factories import EventFactory, VenueFactory


def test_moving_an_event_emails_everyone_with_a_place_or_waiting(people):
    event = EventFactory(group=people.group, capacity=1, title="Film night")
    coming, waiting, gone = UserFactory(), UserFactory(), UserFactory()
    for user in (coming, waiting, gone):
        services.rsvp_to_event(event=event, user=user)
    RSVP.objects.filter(user=gone).update(status=RSVP.Status.CANCELLED)
    deliver_outbox()
    mail.outbox.clear()
    later = event.starts_at + timedelta(days=1)
    services.update_event(
        event=event, data={"starts_at": later, "ends_at": later + timedelta(hours=2)}
    )
    deliver_outbox()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([coming.email, waiting.email])
    assert all(m.subject.startswith("Changed: Film night") for m in mail.outbox)
    assert all(m.attachments[0][0].endswith(".ics") for m in mail.outbox)


def test_changing_only_the_description_sends_nothing(people):
    event = EventFactory(group=people.group)
    services.rsvp_to_event(event=event, user=UserFactory())
    deliver_outbox()
    mail.outbox.clear()
    services.update_event(event=event, data={"description": "New words"})
    deliver_outbox()
    assert mail.outbox == []


def test_a_new_venue_counts_as_a_change_of_place(people):
    event = EventFactory(group=people.group)
    services.rsvp_to_event(event=event, user=UserFactory())
    deliver_outbox()
    mail.outbox.clear()
    services.update_event(event=event, data={"venue": VenueFactory(name="Council House")})
    deliver_outbox()
    assert len(mail.outbox) == 1
    assert "Council House" in mail.outbox[0].body


def test_joining_the_waitlist_is_confirmed_by_email(people):
    event = EventFactory(group=people.group, capacity=1, title="Workshop")
    services.rsvp_to_event(event=event, user=UserFactory())
    late = UserFactory()
    services.rsvp_to_event(event=event, user=late)
    deliver_outbox()
    waitlisted = [m for m in mail.outbox if m.to == [late.email]]
    assert len(waitlisted) == 1
    assert waitlisted[0].subject.startswith("Waitlist: Workshop, ")
    assert "you are on the waitlist" in waitlisted[0].body


def test_an_event_longer_than_31_days_is_refused(people):
    from django.core.exceptions import ValidationError

    event = EventFactory(group=people.group)
    event.ends_at = event.starts_at + timedelta(days=32)
    try:
        event.full_clean()
    except ValidationError as error:
        assert error.message_dict["ends_at"] == [
            "An event can last at most 31 days; make a festival of sessions."
        ]
    else:
        raise AssertionError("a 32-day event was accepted")
