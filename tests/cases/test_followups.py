import threading
from collections import Counter

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from cases import followups, services
from cases.models import CaseUpdate
from portal import bulk, notifications
from portal.models import BulkRun, OutboxMessage
from tests.cases.factories import (
    AdoptionFactory,
    CaseFactory,
    TargetFactory,
    UrgentActionFactory,
    no_limit,
)
from tests.factories import UserFactory
from tests.groups.factories import MembershipFactory


def _write(target, user):
    services.send_letter(
        urgent_action=target.urgent_action,
        target=target,
        user=user,
        body="Dear.",
        within_limits=no_limit,
    )


def acted_on_case(people):
    """A case adopted by Derby and everyone who might hear of it. Returns (case, expected
    recipients' emails)."""
    case = CaseFactory(slug="student", real_name="Sam Student")
    AdoptionFactory(case=case, group=people.group)
    target = TargetFactory(urgent_action=UrgentActionFactory(case=case))
    writer, both, quiet = UserFactory(), people.member, UserFactory()
    for user in (writer, both, quiet):
        _write(target, user)
    messenger = UserFactory()
    services.write_message(case=case, user=messenger, first_name="M", body="Courage.")
    notifications.set_choice(user=quiet, list_name="case_updates", subscribed=False)
    # Group news is chosen, not given: the lead chose it, another member did not.
    notifications.set_choice(user=people.lead, list_name="case_group_news", subscribed=True)
    notifications.set_choice(user=both, list_name="case_group_news", subscribed=True)
    MembershipFactory(group=people.group)
    OutboxMessage.objects.all().delete()  # the letters themselves
    return case, [writer.email, both.email, messenger.email, people.lead.email]


def send_everything(now=None):
    for run in BulkRun.objects.filter(kind=followups.KIND):
        bulk.plan_run(run_id=run.pk)
    for run in BulkRun.objects.filter(kind=followups.KIND):
        for batch in run.batches.all():
            bulk.send_batch(batch_id=batch.pk)


@pytest.mark.django_db
def test_followup_reaches_each_person_who_acted_once(client, people, settings):
    settings.DIGEST_SEND_RATE_PER_SECOND = 0
    case, expected = acted_on_case(people)
    client.force_login(people.staff)
    client.post(
        reverse("cases:post_update", args=["student"]),
        {
            "title": "Follow-up 1: trial postponed",
            "body": "The trial is **postponed**.",
            "notify": "on",
        },
    )
    update = CaseUpdate.objects.get()
    run = BulkRun.objects.get()
    assert (run.kind, run.key, run.params) == (
        "cases_update",
        f"update-{update.pk}",
        {"update_id": update.pk},
    )
    send_everything()
    # Publishing it again, or the run planned and sent again, sends nobody two.
    followups.start_followup(update=update)
    send_everything()
    assert Counter(message.to[0] for message in mail.outbox) == Counter(expected)
    by_address = {message.to[0]: message for message in mail.outbox}
    email = by_address[people.member.email]
    assert email.subject == "Sam Student: Follow-up 1: trial postponed"
    assert email.body.startswith(f"Hello {people.member.public_name},\n\nFollow-up 1")
    assert "You get this because you wrote for Sam Student." in email.body
    html = email.alternatives[0][0]
    assert "<strong>postponed</strong>" in html
    assert "PPCASE" not in email.body + html
    token = notifications.unsubscribe_token(people.member, "case_updates")
    assert email.extra_headers["List-Unsubscribe"].endswith(f"/notifications/unsubscribe/{token}/>")
    assert token in email.body
    lead_email = by_address[people.lead.email]
    assert "one of your groups adopted Sam Student" in lead_email.body
    token = notifications.unsubscribe_token(people.lead, "case_group_news")
    assert token in lead_email.body


@pytest.mark.django_db
def test_one_click_unsubscribe_stops_the_next_followup(client, people, settings):
    settings.DIGEST_SEND_RATE_PER_SECOND = 0
    case, _expected = acted_on_case(people)
    token = notifications.unsubscribe_token(people.member, "case_updates")
    client.post(reverse("notifications:unsubscribe", args=[token]))
    services.publish_update(case=case, author=people.staff, title="News", body="x")
    send_everything()
    recipients = {message.to[0] for message in mail.outbox}
    # Still a member who chose group news: the follow-up comes as group news instead.
    assert people.member.email in recipients
    notifications.set_choice(user=people.member, list_name="case_group_news", subscribed=False)
    mail.outbox.clear()
    services.publish_update(case=case, author=people.staff, title="More news", body="y")
    send_everything()
    assert people.member.email not in {message.to[0] for message in mail.outbox}


@pytest.mark.django_db
def test_no_followup_for_a_draft_case_or_when_not_asked(people):
    draft = CaseFactory(is_published=False)
    services.publish_update(case=draft, author=people.staff, title="Draft news", body="x")
    case = CaseFactory()
    services.publish_update(case=case, author=people.staff, title="Quiet", body="x", notify=False)
    assert BulkRun.objects.count() == 0


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.parametrize("n", [10, 100])
def test_followup_batch_query_count_does_not_grow(django_assert_num_queries, people, n):
    case = CaseFactory()
    target = TargetFactory(urgent_action=UrgentActionFactory(case=case))
    for user in UserFactory.create_batch(n):
        _write(target, user)
    OutboxMessage.objects.all().delete()
    update = services.publish_update(case=case, author=people.staff, title="News", body="x")
    run = bulk.plan_run(run_id=BulkRun.objects.get().pk)
    batch = run.batches.get()
    assert update.case_id == case.pk
    # savepoint, lock the batch, the update, participants, their choices, members, users,
    # the insert, the batch marked queued, release (the group-news choices are asked only
    # about members: none here, so no query)
    with django_assert_num_queries(10):
        assert bulk.build_batch(batch_id=batch.pk, now=timezone.now()) == n


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_followup_run_twice_at_once_sends_each_person_one_email(people, settings):
    settings.DIGEST_SEND_RATE_PER_SECOND = 0
    settings.DIGEST_BATCH_SIZE = 3
    case, expected = acted_on_case(people)
    services.publish_update(case=case, author=people.staff, title="Released!", body="Home.")
    barrier = threading.Barrier(2)
    errors = []

    def worker():
        try:
            barrier.wait(timeout=10)
            send_everything()
        except Exception as exc:  # surfaced below: a thread's failure must fail the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert Counter(message.to[0] for message in mail.outbox) == Counter(expected)
    assert OutboxMessage.objects.filter(kind="cases_update").count() == len(expected)
