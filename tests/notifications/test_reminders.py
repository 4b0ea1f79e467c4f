from datetime import UTC, timedelta

import pytest
from django.core import mail

from events.models import RSVP, Event, ReminderSchedule
from events.reminders import reminder_times, run_reminder_tick
from portal.models import OutboxMessage
from portal.services import deliver_outbox_message
from tests.factories import UserFactory

from .conftest import london, make_event, rsvp

pytestmark = pytest.mark.django_db


def tick_every_five_minutes(start, end) -> dict[str, list]:
    """Run the tick as beat would; return {outbox kind: [tick times that queued it]}."""
    seen: dict[str, list] = {}
    moment = start
    while moment <= end:
        before = set(OutboxMessage.objects.values_list("pk", flat=True))
        run_reminder_tick(now=moment)
        for kind in OutboxMessage.objects.exclude(pk__in=before).values_list("kind", flat=True):
            seen.setdefault(kind, []).append(moment)
        moment += timedelta(minutes=5)
    return seen


def test_reminder_times_are_the_evening_before_in_london_and_hours_before():
    times = reminder_times(london(2027, 6, 10, 19, 0))
    assert times == {
        "day_before": london(2027, 6, 9, 18, 0),
        "same_day": london(2027, 6, 10, 17, 0),
    }


def test_reminders_due_exactly_once_across_two_ticks(derby, attendee):
    event = make_event(group=derby.group, starts_at=london(2027, 6, 10, 19, 0), venue=derby.venue)
    rsvp(event, attendee)
    run_reminder_tick(now=london(2027, 6, 8, 20, 0))
    assert OutboxMessage.objects.count() == 0
    for _ in range(2):
        run_reminder_tick(now=london(2027, 6, 9, 18, 1))
    assert list(OutboxMessage.objects.values_list("kind", "to")) == [
        ("reminder_day_before", attendee.email)
    ]
    for _ in range(2):
        run_reminder_tick(now=london(2027, 6, 10, 17, 3))
    assert sorted(OutboxMessage.objects.values_list("dedupe_key", flat=True)) == [
        f"reminder:{event.pk}:{attendee.pk}:day_before:20270610T1900",
        f"reminder:{event.pk}:{attendee.pk}:same_day:20270610T1900",
    ]
    assert set(ReminderSchedule.objects.values_list("status", "recipients")) == {("sent", 1)}


@pytest.mark.parametrize(
    ("starts_at", "day_before_utc", "same_day_utc"),
    [
        # Clocks go forward at 01:00 UTC on 28 March 2027: 18:00 GMT the evening before.
        (london(2027, 3, 28, 10, 0), "2027-03-27 18:00", "2027-03-28 07:00"),
        # Clocks go back at 01:00 UTC on 31 October 2027: 18:00 BST the evening before.
        (london(2027, 10, 31, 9, 0), "2027-10-30 17:00", "2027-10-31 07:00"),
    ],
)
def test_reminders_due_exactly_once_across_a_dst_change(
    derby, attendee, starts_at, day_before_utc, same_day_utc
):
    event = make_event(group=derby.group, starts_at=starts_at)
    rsvp(event, attendee)
    seen = tick_every_five_minutes(starts_at - timedelta(hours=20), starts_at)
    utc = {
        kind: [f"{t.astimezone(UTC):%Y-%m-%d %H:%M}" for t in ticks] for kind, ticks in seen.items()
    }
    assert utc == {"reminder_day_before": [day_before_utc], "reminder_same_day": [same_day_utc]}
    assert OutboxMessage.objects.count() == 2


def test_no_reminder_for_a_cancelled_rsvp_or_a_cancelled_event(derby, attendee):
    cancelled_rsvp_event = make_event(group=derby.group, starts_at=london(2027, 6, 10, 19, 0))
    rsvp(cancelled_rsvp_event, attendee, status=RSVP.Status.CANCELLED)
    rsvp(cancelled_rsvp_event, UserFactory(), status=RSVP.Status.WAITLISTED)
    cancelled_event = make_event(group=derby.group, starts_at=london(2027, 6, 10, 20, 0))
    rsvp(cancelled_event, attendee)
    run_reminder_tick(now=london(2027, 6, 9, 12, 0))
    Event.objects.filter(pk=cancelled_event.pk).update(status=Event.Status.CANCELLED)
    tick_every_five_minutes(london(2027, 6, 9, 17, 55), london(2027, 6, 10, 20, 0))
    assert OutboxMessage.objects.count() == 0
    assert list(
        ReminderSchedule.objects.filter(event=cancelled_event).values_list("status", flat=True)
    ) == ["skipped", "skipped"]


def test_no_reminder_for_someone_who_turned_reminders_off(derby):
    event = make_event(group=derby.group, starts_at=london(2027, 6, 10, 19, 0))
    rsvp(event, UserFactory(event_reminders=False))
    tick_every_five_minutes(london(2027, 6, 9, 17, 55), london(2027, 6, 10, 19, 0))
    assert OutboxMessage.objects.count() == 0


def test_event_published_inside_the_window_gets_only_the_still_due_reminder(derby, attendee):
    event = make_event(group=derby.group, starts_at=london(2027, 6, 10, 10, 0))
    rsvp(event, attendee)
    seen = tick_every_five_minutes(london(2027, 6, 10, 7, 0), london(2027, 6, 10, 10, 0))
    assert seen == {"reminder_same_day": [london(2027, 6, 10, 8, 0)]}
    assert dict(ReminderSchedule.objects.values_list("kind", "status")) == {
        "day_before": "skipped",
        "same_day": "sent",
    }


def test_reminder_published_within_one_tick_of_its_time_still_goes(derby, attendee):
    event = make_event(group=derby.group, starts_at=london(2027, 6, 10, 19, 0))
    rsvp(event, attendee)
    run_reminder_tick(now=london(2027, 6, 9, 18, 4))  # first tick to see it; grace is 5 min
    assert list(OutboxMessage.objects.values_list("kind", flat=True)) == ["reminder_day_before"]


def test_moved_event_gets_its_reminder_at_the_new_time_once(derby, attendee):
    event = make_event(group=derby.group, starts_at=london(2027, 6, 10, 19, 0))
    rsvp(event, attendee)
    seen = tick_every_five_minutes(london(2027, 6, 10, 12, 0), london(2027, 6, 10, 16, 0))
    assert seen == {}
    Event.objects.filter(pk=event.pk).update(
        starts_at=london(2027, 6, 10, 21, 0), ends_at=london(2027, 6, 10, 22, 0)
    )
    seen = tick_every_five_minutes(london(2027, 6, 10, 16, 5), london(2027, 6, 10, 21, 0))
    assert seen == {"reminder_same_day": [london(2027, 6, 10, 19, 0)]}


def test_reminder_email_has_time_place_access_online_link_and_one_click_links(
    client, derby, attendee
):
    event = make_event(
        group=derby.group,
        starts_at=london(2027, 3, 28, 10, 0),
        venue=derby.venue,
        mode=Event.Mode.HYBRID,
        online_url="https://meet.example.org/derby",
        title="Refugees Welcome stall",
    )
    rsvp(event, attendee)
    run_reminder_tick(now=london(2027, 3, 28, 8, 0))
    message = OutboxMessage.objects.get()
    assert deliver_outbox_message(message_id=message.pk) == "sent"
    sent = mail.outbox[0]
    assert sent.subject == "Starting soon: Refugees Welcome stall, 10:00"
    body = sent.body
    assert "When: Sunday 28 March 2027, 10:00 to 12:00 (UK time)" in body
    assert f"Where: {derby.venue.name}, 1 St Helen's Street, Derby DE1" in body
    assert "Access: step-free access; Ramp at the side door." in body
    assert "Join online: https://meet.example.org/derby" in body
    assert f"https://portal.example.org/events/{event.slug}/" in body
    cancel_url = next(
        line
        for line in body.splitlines()
        if line.startswith("https://portal.example.org/notifications/rsvp/")
    )
    assert cancel_url in sent.alternatives[0][0]

    path = cancel_url.removeprefix("https://portal.example.org")
    page = client.get(path)
    assert page.status_code == 200
    assert "Cancel my place" in page.content.decode()
    assert RSVP.objects.get(event=event, user=attendee).status == RSVP.Status.CONFIRMED
    done = client.post(path)
    assert done.status_code == 200
    assert "Your place is cancelled" in done.content.decode()
    assert RSVP.objects.get(event=event, user=attendee).status == RSVP.Status.CANCELLED
    event.refresh_from_db()
    assert event.confirmed_count == 0


def test_cancel_link_with_a_bad_token_is_404(client):
    assert client.get("/notifications/rsvp/1.2:forged/").status_code == 404
