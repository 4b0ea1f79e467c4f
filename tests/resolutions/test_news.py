"""Every answer reaches everyone involved once: proposer, co-sponsoring groups' leads and
supporters get one email for the agenda decision, the result and each progress update,
respecting their email choices, with a one-click unsubscribe."""

from collections import Counter
from datetime import date, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from portal import bulk, notifications
from portal.models import BulkRun, OutboxMessage
from resolutions import news, services
from resolutions.tasks import close_short
from tests.factories import UserFactory
from tests.groups.factories import LocalGroupFactory, MembershipFactory
from tests.resolutions.factories import MeetingFactory, lead_of, open_resolution

pytestmark = pytest.mark.django_db


def send_everything():
    for run in BulkRun.objects.filter(kind=news.KIND, planned_at__isnull=True):
        bulk.plan_run(run_id=run.pk)
    for run in BulkRun.objects.filter(kind=news.KIND):
        for batch in run.batches.all():
            bulk.send_batch(batch_id=batch.pk)


def involved():
    """A submitted AGM resolution. Returns (resolution, organiser, expected emails, quiet)."""
    resolution = open_resolution(meeting=MeetingFactory(groups_needed=2, members_needed=3))
    cosponsoring = LocalGroupFactory()
    cosponsor_lead = lead_of(cosponsoring)
    services.cosponsor(resolution=resolution, group=cosponsoring, by=cosponsor_lead)
    MembershipFactory(group=cosponsoring)  # a plain member of it hears nothing
    supporters = UserFactory.create_batch(2)
    quiet = UserFactory()
    for user in [*supporters, quiet]:
        services.support(resolution=resolution, user=user)
    # The co-sponsoring lead also supports: still one email.
    services.support(resolution=resolution, user=cosponsor_lead)
    notifications.set_choice(user=quiet, list_name=news.NEWS.name, subscribed=False)
    expected = [resolution.proposer.email, cosponsor_lead.email, *[u.email for u in supporters]]
    return resolution, UserFactory(is_staff=True), expected, quiet


def test_each_answer_reaches_everyone_once(settings):
    settings.DIGEST_SEND_RATE_PER_SECOND = 0
    resolution, staff, expected, quiet = involved()
    services.decide(resolution=resolution, by=staff, decision="accept")
    with pytest.raises(services.ResolutionError):
        services.decide(resolution=resolution, by=staff, decision="accept")
    services.record_result(
        resolution=resolution,
        by=staff,
        result="passed",
        votes_for=120,
        votes_against=8,
        abstentions=3,
    )
    for percent in (20, 60):
        services.post_progress(
            resolution=resolution,
            by=staff,
            responsible="National campaigns team",
            dated=date(2031, 1, percent // 10),
            status="in_progress",
            percent=percent,
            note=f"**{percent}** per cent",
        )
    send_everything()
    send_everything()  # again: nothing more
    assert Counter(m.to[0] for m in mail.outbox) == Counter({email: 4 for email in expected})
    subjects = sorted({m.subject for m in mail.outbox})
    assert subjects == sorted(
        [
            f"{resolution.meeting.name}: on the agenda: {resolution.title}",
            f"{resolution.meeting.name}: passed: {resolution.title}",
            f"Progress: {resolution.title} (20%, in progress)",
            f"Progress: {resolution.title} (60%, in progress)",
        ]
    )
    result = next(m for m in mail.outbox if "passed" in m.subject)
    assert "120 for, 8 against, 3 abstaining." in result.body
    assert result.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "PPRES" not in result.body
    progress = next(m for m in mail.outbox if "60%" in m.subject)
    assert "<strong>60</strong> per cent" in progress.alternatives[0][0]
    assert quiet.email not in {m.to[0] for m in mail.outbox}
    assert OutboxMessage.objects.filter(kind=news.KIND).count() == 4 * len(expected)


def test_ruled_out_of_order_sends_the_reason(settings):
    settings.DIGEST_SEND_RATE_PER_SECOND = 0
    resolution, staff, expected, _quiet = involved()
    services.decide(
        resolution=resolution, by=staff, decision="out_of_order", reason="Not our remit."
    )
    send_everything()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(expected)
    assert all("Their reason: Not our remit." in m.body for m in mail.outbox)


def test_one_click_unsubscribe_stops_the_next_one(client, settings):
    settings.DIGEST_SEND_RATE_PER_SECOND = 0
    resolution, staff, expected, _quiet = involved()
    services.decide(resolution=resolution, by=staff, decision="accept")
    send_everything()
    first = next(m for m in mail.outbox if m.to[0] == expected[-1])
    url = first.extra_headers["List-Unsubscribe"].strip("<>")
    assert client.post(url.removeprefix(settings.SITE_URL)).status_code == 200
    mail.outbox.clear()
    services.record_result(
        resolution=resolution,
        by=staff,
        result="failed",
        votes_for=1,
        votes_against=9,
        abstentions=0,
    )
    send_everything()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(expected[:-1])


def test_build_query_count_is_constant(django_assert_num_queries):
    resolution, staff, _expected, _quiet = involved()
    services.decide(resolution=resolution, by=staff, decision="accept")
    run = BulkRun.objects.get(kind=news.KIND)
    ids = news.recipients(run)
    now = timezone.now()
    with django_assert_num_queries(3):
        few = news.build_messages(run, ids[:1], now)
    with django_assert_num_queries(3):
        many = news.build_messages(run, ids, now)
    assert (len(few), len(many)) == (1, 4)


def test_beat_task_closes_short_ones_after_the_deadline():
    resolution = open_resolution(meeting=MeetingFactory(members_needed=9))
    assert close_short() == 0
    resolution.meeting.submission_deadline = timezone.now() - timedelta(seconds=1)
    resolution.meeting.save()
    assert close_short() == 1
    resolution.refresh_from_db()
    assert resolution.status == "closed"
