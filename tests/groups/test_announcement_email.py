"""Issue 16, defect 4: a lead may also email an announcement to the group's members: once
each, through the outbox, respecting their email choices, with one-click unsubscribe."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from groups import announcements
from groups.models import Announcement
from portal import bulk, notifications
from portal.models import BulkRun, OutboxMessage
from tests.factories import UserFactory

from .factories import MembershipFactory

pytestmark = pytest.mark.django_db

ANNOUNCE = reverse("groups:announce", args=["derby"])


def send_everything():
    for run in BulkRun.objects.filter(kind=announcements.KIND):
        bulk.plan_run(run_id=run.pk)
        for batch in run.batches.all():
            bulk.send_batch(batch_id=batch.pk)


def test_lead_emails_an_announcement_once_to_members_who_want_it(client, people, settings):
    settings.DIGEST_SEND_RATE_PER_SECOND = 0
    quiet = MembershipFactory(group=people.group).user
    notifications.set_choice(user=quiet, list_name="group_announcements", subscribed=False)
    MembershipFactory(group=people.other_group)  # another group's member
    client.force_login(people.lead)

    response = client.post(
        ANNOUNCE,
        {"title": "Stall on Saturday", "body": "Meet at **10**.", "email_members": "on"},
        follow=True,
    )

    assert "being emailed to the members who get group announcements" in (response.content.decode())
    announcement = Announcement.objects.get()
    run = BulkRun.objects.get()
    assert (run.kind, run.key) == ("groups_announcement", f"announcement-{announcement.pk}")
    send_everything()
    send_everything()  # a second run of every task sends nothing twice
    assert [m.to for m in mail.outbox] == [[people.member.email]]
    email = mail.outbox[0]
    assert email.subject.endswith("Derby: Stall on Saturday")
    assert "Meet at **10**." in email.body
    assert f"Hello {people.member.public_name}," in email.body
    unsubscribe = email.extra_headers["List-Unsubscribe"].strip("<>")
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert OutboxMessage.objects.filter(kind="groups_announcement").count() == 1

    # One click (as a mail client does, signed out) takes the member off the list.
    client.logout()
    assert client.post(unsubscribe.removeprefix(settings.SITE_URL)).status_code == 200
    assert not notifications.is_subscribed(people.member, "group_announcements")


def test_an_announcement_is_not_emailed_unless_the_lead_asks(client, people):
    client.force_login(people.lead)
    response = client.post(ANNOUNCE, {"title": "Stall", "body": "x"}, follow=True)
    assert "Nothing was emailed." in response.content.decode()
    assert not BulkRun.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_members_see_the_group_announcements_choice_and_outsiders_do_not(client, people):
    client.force_login(people.member)
    page = client.get(reverse("notifications:settings")).content.decode()
    assert "Email me the announcements of the groups I belong to" in page
    client.force_login(UserFactory())
    page = client.get(reverse("notifications:settings")).content.decode()
    assert "Email me the announcements of the groups I belong to" not in page


@pytest.mark.parametrize("n", [3, 12])
def test_announcement_batch_query_count_does_not_grow(django_assert_num_queries, people, n):
    from groups import services

    for _ in range(n):
        MembershipFactory(group=people.group)
    services.post_announcement(
        group=people.group, author=people.lead, title="News", body="x", email_members=True
    )
    run = bulk.plan_run(run_id=BulkRun.objects.get().pk)
    batch = run.batches.get()
    # savepoint, lock the batch, the announcement, choices, members, users, the insert,
    # the batch marked queued, release
    with django_assert_num_queries(9):
        assert bulk.build_batch(batch_id=batch.pk, now=timezone.now()) == n + 1
