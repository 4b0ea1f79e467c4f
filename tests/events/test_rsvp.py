import threading
from datetime import timedelta

import icalendar
import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from events import services
from events.models import RSVP, Event
from tests.factories import UserFactory
from tests.groups.factories import MembershipFactory

from .conftest import deliver_outbox
from .factories import EventFactory, RSVPFactory


def _rsvp(client, event):
    return client.post(reverse("events:rsvp", args=[event.slug]), follow=True)


def test_rsvp_confirms_and_emails_ics(client, people):
    event = EventFactory(capacity=10, title="What does peace mean to you?")
    client.force_login(people.activist)
    response = _rsvp(client, event)
    assert "You&#x27;re coming!" in response.content.decode()
    rsvp = RSVP.objects.get(event=event, user=people.activist)
    assert rsvp.status == RSVP.Status.CONFIRMED
    event.refresh_from_db()
    assert (event.confirmed_count, event.waitlist_count) == (1, 0)
    deliver_outbox()
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == [people.activist.email]
    assert sent.subject.startswith("You're coming: What does peace mean to you?")
    (filename, content, mimetype) = sent.attachments[0]
    assert (filename, mimetype) == (f"{event.slug}.ics", "text/calendar")
    calendar = icalendar.Calendar.from_ical(content)
    assert [str(c["summary"]) for c in calendar.walk("VEVENT")] == [event.title]


def test_rsvp_twice_keeps_one_place(client, people):
    event = EventFactory(capacity=2)
    client.force_login(people.activist)
    _rsvp(client, event)
    _rsvp(client, event)
    event.refresh_from_db()
    assert event.confirmed_count == 1
    assert RSVP.objects.filter(event=event).count() == 1


def test_rsvp_beyond_capacity_joins_waitlist_in_order(db):
    event = EventFactory(capacity=1)
    first, second, third = UserFactory(), UserFactory(), UserFactory()
    assert services.rsvp_to_event(event=event, user=first).status == "confirmed"
    assert services.rsvp_to_event(event=event, user=second).status == "waitlisted"
    assert services.rsvp_to_event(event=event, user=third).status == "waitlisted"
    event.refresh_from_db()
    assert (event.confirmed_count, event.waitlist_count) == (1, 2)


def test_cancel_promotes_first_on_waitlist_and_emails_them(client, people):
    event = EventFactory(capacity=1)
    services.rsvp_to_event(event=event, user=people.activist)
    second, third = UserFactory(), UserFactory()
    services.rsvp_to_event(event=event, user=second)
    services.rsvp_to_event(event=event, user=third)
    deliver_outbox()
    mail.outbox.clear()
    client.force_login(people.activist)
    response = client.post(reverse("events:cancel_rsvp", args=[event.slug]))
    assert response.status_code == 302
    assert RSVP.objects.get(event=event, user=people.activist).status == "cancelled"
    assert RSVP.objects.get(event=event, user=second).status == "confirmed"
    assert RSVP.objects.get(event=event, user=third).status == "waitlisted"
    event.refresh_from_db()
    assert (event.confirmed_count, event.waitlist_count) == (1, 1)
    deliver_outbox()
    assert [m.to for m in mail.outbox] == [[second.email]]
    assert mail.outbox[0].subject == f"A place came up: {event.title}"
    assert mail.outbox[0].attachments[0][2] == "text/calendar"


def test_leaving_waitlist_promotes_nobody(db):
    event = EventFactory(capacity=1)
    first, second = UserFactory(), UserFactory()
    services.rsvp_to_event(event=event, user=first)
    services.rsvp_to_event(event=event, user=second)
    services.cancel_rsvp(event=event, user=second)
    event.refresh_from_db()
    assert (event.confirmed_count, event.waitlist_count) == (1, 0)
    assert RSVP.objects.get(user=first).status == "confirmed"


def test_raising_capacity_promotes_waitlist(client, people):
    event = EventFactory(capacity=1, group=people.group)
    users = [UserFactory() for _ in range(3)]
    for user in users:
        services.rsvp_to_event(event=event, user=user)
    services.update_event(event=event, data={"capacity": 2})
    assert [RSVP.objects.get(user=u).status for u in users] == [
        "confirmed",
        "confirmed",
        "waitlisted",
    ]


def test_rsvp_again_after_cancelling_goes_to_back_of_queue(db):
    event = EventFactory(capacity=1)
    first, second = UserFactory(), UserFactory()
    services.rsvp_to_event(event=event, user=first)
    services.cancel_rsvp(event=event, user=first)
    services.rsvp_to_event(event=event, user=second)
    assert services.rsvp_to_event(event=event, user=first).status == "waitlisted"


def test_members_only_event_refuses_non_member(client, people):
    event = EventFactory(group=people.group, visibility=Event.Visibility.MEMBERS)
    with pytest.raises(services.RSVPError, match="members of Derby only"):
        services.rsvp_to_event(event=event, user=people.activist)
    client.force_login(people.activist)
    assert client.post(reverse("events:rsvp", args=[event.slug])).status_code == 404
    client.force_login(people.member)
    client.post(reverse("events:rsvp", args=[event.slug]))
    assert RSVP.objects.get(event=event).user == people.member


@pytest.mark.parametrize(
    "status", [Event.Status.DRAFT, Event.Status.CANCELLED], ids=["draft", "cancelled"]
)
def test_rsvp_refused_unless_published(client, people, status):
    event = EventFactory(group=people.group, status=status)
    client.force_login(people.lead)
    response = _rsvp(client, event)
    assert "not open for RSVPs" in response.content.decode()
    assert not RSVP.objects.exists()


def test_rsvp_refused_after_event(client, people):
    start = timezone.now() - timedelta(days=2)
    event = EventFactory(starts_at=start, ends_at=start + timedelta(hours=1))
    client.force_login(people.activist)
    assert "already happened" in _rsvp(client, event).content.decode()
    assert not RSVP.objects.exists()


def test_rsvp_anonymous_goes_to_login(client, db):
    event = EventFactory()
    response = client.post(reverse("events:rsvp", args=[event.slug]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not RSVP.objects.exists()


def test_rsvp_unverified_refused(client, db):
    event = EventFactory()
    client.force_login(UserFactory(email_verified=False))
    response = client.post(reverse("events:rsvp", args=[event.slug]))
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email")
    assert not RSVP.objects.exists()


def test_rsvp_get_not_allowed(client, people):
    event = EventFactory()
    client.force_login(people.activist)
    assert client.get(reverse("events:rsvp", args=[event.slug])).status_code == 405
    assert client.get(reverse("events:cancel_rsvp", args=[event.slug])).status_code == 405


def test_cancel_without_rsvp_says_so(client, people):
    event = EventFactory()
    client.force_login(people.activist)
    response = client.post(reverse("events:cancel_rsvp", args=[event.slug]), follow=True)
    assert "didn&#x27;t have a place" in response.content.decode()


def test_rsvp_factory_counts(db):
    rsvp = RSVPFactory()
    assert rsvp.event.confirmed_count == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_rsvps_never_exceed_capacity():
    event = EventFactory(capacity=5)
    users = [UserFactory() for _ in range(20)]
    barrier = threading.Barrier(len(users))
    errors = []

    def attempt(user):
        try:
            barrier.wait()
            services.rsvp_to_event(event=event, user=user)
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(u,)) for u in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    event.refresh_from_db()
    assert (event.confirmed_count, event.waitlist_count) == (5, 15)
    assert RSVP.objects.filter(event=event, status="confirmed").count() == 5
    assert RSVP.objects.filter(event=event, status="waitlisted").count() == 15
    # Cancellations racing each other still fill exactly the freed places, in queue order.
    confirmed = list(
        RSVP.objects.filter(event=event, status="confirmed").values_list("user", flat=True)
    )
    first_waiting = list(
        RSVP.objects.filter(event=event, status="waitlisted")
        .order_by("waitlisted_at", "pk")
        .values_list("user", flat=True)[:3]
    )
    barrier = threading.Barrier(3)

    def leave(user_id):
        try:
            barrier.wait()
            services.cancel_rsvp(event=event, user=users[0].__class__.objects.get(pk=user_id))
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=leave, args=(u,)) for u in confirmed[:3]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    event.refresh_from_db()
    assert (event.confirmed_count, event.waitlist_count) == (5, 12)
    now_confirmed = set(
        RSVP.objects.filter(event=event, status="confirmed").values_list("user", flat=True)
    )
    assert now_confirmed == set(confirmed[3:]) | set(first_waiting)


def test_member_can_rsvp_members_only(db):
    event = EventFactory(visibility=Event.Visibility.MEMBERS)
    member = MembershipFactory(group=event.group).user
    assert services.rsvp_to_event(event=event, user=member).status == "confirmed"
