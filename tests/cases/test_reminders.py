import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from cases import reminders, services
from cases.models import Case, DeadlineReminder, UrgentAction
from cases.tasks import deadline_reminders
from portal import notifications
from portal.models import OutboxMessage
from tests.cases.factories import (
    AdoptionFactory,
    CaseFactory,
    TargetFactory,
    UrgentActionFactory,
    no_limit,
)
from tests.groups.factories import MembershipFactory

TODAY = timezone.localdate()


def _action(case, *, deadline_in: int, reference: str):
    urgent_action = UrgentActionFactory(
        case=case,
        reference=reference,
        issued_on=TODAY + timedelta(days=deadline_in - 30),
        deadline=TODAY + timedelta(days=deadline_in),
    )
    return urgent_action, TargetFactory(urgent_action=urgent_action)


def _write(target, members):
    for member in members:
        services.send_letter(
            urgent_action=target.urgent_action,
            target=target,
            user=member,
            body="Dear.",
            within_limits=no_limit,
        )


def _closed_action(case, members, *, reference: str):
    """An earlier action, written for by these members while it was open."""
    urgent_action, target = _action(case, deadline_in=3, reference=reference)
    _write(target, members)
    UrgentAction.objects.filter(pk=urgent_action.pk).update(
        issued_on=TODAY - timedelta(days=60), deadline=TODAY - timedelta(days=30)
    )


@pytest.fixture
def adopted(people):
    case = CaseFactory(slug="student")
    AdoptionFactory(case=case, group=people.group)
    return case


@pytest.mark.django_db
def test_leads_get_one_reminder_a_week_before_when_the_group_has_not_written(people, adopted):
    urgent_action, _target = _action(adopted, deadline_in=7, reference="UA 2/26")
    assert deadline_reminders() == {"decided": 1, "emails": 1}
    assert deadline_reminders() == {"decided": 0, "emails": 0}
    message = OutboxMessage.objects.get()
    assert (message.to, message.kind) == (people.lead.email, "cases_deadline_reminder")
    assert message.subject == f"A week left to write for {adopted.public_name} (UA 2/26)"
    assert "Derby has not written for it yet" in message.body_text
    assert f"/cases/student/actions/{urgent_action.pk}/" in message.body_text
    reminder = DeadlineReminder.objects.get()
    assert (reminder.group, reminder.sent, reminder.letters_now) == (people.group, True, 0)


@pytest.mark.django_db
def test_no_reminder_when_the_group_wrote_as_much_as_last_time(people, adopted):
    members = [people.member, MembershipFactory(group=people.group).user]
    _closed_action(adopted, members, reference="UA 1/26")
    _action_now, target = _action(adopted, deadline_in=5, reference="UA 2/26")
    _write(target, members)
    assert reminders.run_deadline_reminders() == {"decided": 1, "emails": 0}
    reminder = DeadlineReminder.objects.get()
    assert (reminder.sent, reminder.letters_now, reminder.letters_last_time) == (False, 2, 2)
    assert OutboxMessage.objects.filter(kind="cases_deadline_reminder").count() == 0


@pytest.mark.django_db
def test_reminder_when_the_group_wrote_fewer_than_last_time(people, adopted):
    _closed_action(adopted, [people.member, people.lead], reference="UA 1/26")
    _action_now, target = _action(adopted, deadline_in=5, reference="UA 2/26")
    _write(target, [people.member])
    # Paper letters at the group's event count for the action open then.
    services.record_offline_tally(
        case=adopted,
        group=people.group,
        source_key="event:old",
        label="Stall",
        on=TODAY - timedelta(days=40),
        letters=10,
        cards=0,
        by=None,
    )
    assert reminders.run_deadline_reminders() == {"decided": 1, "emails": 1}
    reminder = DeadlineReminder.objects.get()
    assert (reminder.letters_now, reminder.letters_last_time) == (1, 12)
    body = OutboxMessage.objects.get(kind="cases_deadline_reminder").body_text
    assert "So far Derby has written 1 letter for it; for the previous action (UA 1/26)" in body


@pytest.mark.django_db
def test_no_reminder_outside_the_week_or_for_a_paused_case(people, adopted):
    _action(adopted, deadline_in=8, reference="UA 3/26")
    _action(adopted, deadline_in=-1, reference="UA 4/26")
    paused = CaseFactory(status=Case.Status.PAUSED)
    AdoptionFactory(case=paused, group=people.group)
    _action(paused, deadline_in=3, reference="UA 5/26")
    assert reminders.run_deadline_reminders() == {"decided": 0, "emails": 0}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_ticks_at_once_remind_once(people, adopted):
    _action(adopted, deadline_in=6, reference="UA 6/26")
    barrier = threading.Barrier(2)
    results = []

    def tick():
        try:
            barrier.wait(timeout=10)
            results.append(reminders.run_deadline_reminders())
        finally:
            connection.close()

    threads = [threading.Thread(target=tick) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(r["emails"] for r in results) == [0, 1]
    assert OutboxMessage.objects.filter(kind="cases_deadline_reminder").count() == 1
    assert DeadlineReminder.objects.count() == 1


@pytest.mark.django_db
def test_lead_who_unsubscribed_gets_no_reminder(people, adopted):
    _action(adopted, deadline_in=4, reference="UA 7/26")
    other_lead = MembershipFactory(group=people.group, lead=True).user
    notifications.set_choice(user=people.lead, list_name="case_deadlines", subscribed=False)
    assert reminders.run_deadline_reminders() == {"decided": 1, "emails": 1}
    message = OutboxMessage.objects.get()
    assert message.to == other_lead.email
    token = notifications.unsubscribe_token(other_lead, "case_deadlines")
    assert token in message.body_text
    assert message.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
