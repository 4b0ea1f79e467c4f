"""Notifications of new posts (issue 19.3): in the digest by default, immediate per place
on request, each exactly once, only to people who may still read the place, with
one-click unsubscribe."""

import os
import signal
import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from conversations import services, tasks
from conversations.models import Follow
from conversations.permissions import Place
from front import digests
from groups.models import Membership
from portal.models import OutboxMessage
from tests.events.conftest import deliver_outbox
from tests.groups.factories import LocalGroupFactory, MembershipFactory
from tests.notifications.test_worker import recipients_of, start_worker
from tests.portal.test_worker import wait_for

from .factories import thread_in


def _immediate(user, group):
    services.set_follow(user=user, place=Place("group", group), mode="follow", delivery="immediate")


@pytest.mark.django_db
def test_immediate_email_once_per_follower_with_unsubscribe(client, people):
    _immediate(people.member, people.group)
    _immediate(people.other_lead, people.group)  # not a reader of Derby: never told
    # The posts' tasks, as the worker runs them after commit (and once more, as a
    # redelivery would: nothing is queued twice).
    thread = thread_in(people.group, by=people.lead, title="Stall rota")
    post = services.reply(thread=thread, by=people.lead, body="Who can do 10 till 12?")
    assert [tasks.notify_post(p.pk) for p in thread.posts.all()] == [1, 1]
    assert tasks.notify_post(post.pk) == 0
    deliver_outbox()
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([people.member.email], "New in Derby: Stall rota"),
        ([people.member.email], "New in Derby: Stall rota"),
    ]
    message = mail.outbox[-1]
    assert "Who can do 10 till 12?" in message.body
    unsubscribe = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    client.post(unsubscribe)
    later = services.reply(thread=thread, by=people.lead, body="Anyone?")
    assert tasks.notify_post(later.pk) == 0
    deliver_outbox()
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_own_posts_muted_threads_and_left_members_are_not_notified(people):
    _immediate(people.member, people.group)
    thread = thread_in(people.group, by=people.member, title="Mine")
    assert services.followers(thread, exclude=people.member.pk) == {people.lead.pk: "digest"}
    services.set_follow(user=people.lead, thread=thread, mode="mute")
    assert services.followers(thread, exclude=people.member.pk) == {}
    Membership.objects.filter(user=people.member).update(left_at=timezone.now())
    assert services.followers(thread) == {}


@pytest.mark.django_db
def test_digest_lists_followed_threads_with_new_posts_by_others(people):
    now = timezone.now()
    reader = MembershipFactory(group=people.group).user
    thread = thread_in(people.group, by=reader, title="Banner ideas")
    services.reply(thread=thread, by=people.lead, body="Rainbow?")
    services.reply(thread=thread, by=people.lead, body="Or doves")
    other = LocalGroupFactory()
    thread_in(other, by=MembershipFactory(group=other).user, title="Not for Derby")
    run = digests.plan_run(kind="activist_weekly", period="t", since=now - timedelta(days=7))
    contexts = digests.activist_contexts(
        [reader, people.lead, people.activist], run, timezone.now()
    )
    assert [(t.title, t.new_posts) for t in contexts[reader.pk]["conversations"]] == [
        ("Banner ideas", 3)
    ]
    # The lead follows the place they lead; the reader's own post counts for them.
    assert [t.title for t in contexts[people.lead.pk]["conversations"]] == ["Banner ideas"]
    assert people.activist.pk not in contexts
    # Those who chose immediate emails for the place do not get it again in the digest.
    _immediate(reader, people.group)
    contexts = digests.activist_contexts([reader], run, timezone.now())
    assert contexts.get(reader.pk, {}).get("conversations", []) == []


@pytest.mark.django_db
def test_place_follow_form_saves_the_choice(client, people):
    client.force_login(people.member)
    url = reverse("conversations:follow_place", args=["group", "derby"])
    response = client.post(url, {"mode": "follow", "delivery": "immediate"})
    assert response["Location"] == reverse("conversations:place", args=["group", "derby"])
    follow = Follow.objects.get(user=people.member)
    assert (follow.group, follow.mode, follow.delivery) == (people.group, "follow", "immediate")
    client.post(url, {"mode": "", "delivery": "digest"})
    assert Follow.objects.filter(user=people.member).count() == 0


@pytest.mark.worker
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_real_worker_sends_each_immediate_email_once(tmp_path):
    group = LocalGroupFactory(slug="derby-worker")
    lead = MembershipFactory(group=group, lead=True).user
    followers = [MembershipFactory(group=group).user for _ in range(3)]
    for user in followers:
        _immediate(user, group)
    thread = thread_in(group, by=lead, title="Worker thread")
    post = services.reply(thread=thread, by=lead, body="Hello all")
    queue = f"test-{uuid.uuid4().hex[:10]}"
    mail_dir = tmp_path / "mail"
    # The task twice, as a redelivery would: the outbox's keys make the second a no-op.
    tasks.notify_post.apply_async((post.pk,), queue=queue)
    tasks.notify_post.apply_async((post.pk,), queue=queue)
    worker = start_worker(queue, mail_dir, tmp_path / "worker.log")
    try:
        assert wait_for(lambda: sum(recipients_of(mail_dir).values()) >= 3, timeout=90), (
            tmp_path / "worker.log"
        ).read_text()[-3000:]
        wait_for(lambda: False, timeout=3)
    finally:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
    assert recipients_of(mail_dir) == {user.email: 1 for user in followers}
    assert OutboxMessage.objects.filter(kind="conversations_new_post").count() == 3


@pytest.mark.django_db
def test_batch_readers_are_exactly_those_can_read_lets_in(cast, django_assert_max_num_queries):
    """permissions.readable_pairs (the digests' and notifications' form, for many people
    and places at once) answers as can_read does, for every kind of place and reader."""
    from campaigns.models import CampaignSupporter, Participation
    from conversations.permissions import can_read, readable_pairs
    from tests.campaigns.factories import CampaignFactory
    from tests.events.factories import FestivalFactory
    from tests.groups.factories import RegionalRoleFactory

    national = CampaignFactory()
    CampaignSupporter.objects.create(campaign=national, user=cast.activist)
    joined = CampaignFactory()
    Participation.objects.create(campaign=joined, group=cast.same_region_group)
    local = CampaignFactory(scope="local", group=cast.group)
    regional = CampaignFactory(scope="regional", region=cast.region)
    proposed = CampaignFactory(scope="local", group=cast.group, status="proposed")
    festival = FestivalFactory(host_groups=[cast.other_group])
    area_rep = RegionalRoleFactory(region=None, area=cast.group.area).user
    inactive = MembershipFactory(group=cast.group, user__is_active=False).user
    places = [
        Place("group", cast.group),
        Place("group", cast.other_group),
        Place("group", cast.same_region_group),
        Place("region", cast.region),
        Place("region", cast.other_group.area.region),
        *(Place("campaign", c) for c in (national, joined, local, regional, proposed)),
        Place("festival", festival),
    ]
    readers = [
        getattr(cast, name)
        for name in (
            "lead",
            "member",
            "other_lead",
            "rep",
            "other_rep",
            "activist",
            "staff",
            "same_region_member",
            "other_region_member",
            "unverified",
        )
    ] + [area_rep, inactive]
    pairs = [(user, place) for user in readers for place in places]
    with django_assert_max_num_queries(7):
        found = readable_pairs(pairs)
    expected = {
        (user.pk, place.kind, place.obj.pk)
        for user, place in pairs
        if user.is_active and can_read(user, place)
    }
    assert found == expected
    # Not everything, not nothing: the rules were exercised both ways.
    assert (cast.same_region_member.pk, "campaign", joined.pk) in found
    assert (cast.member.pk, "campaign", proposed.pk) not in found
    assert (area_rep.pk, "region", cast.region.pk) in found
    assert (cast.other_lead.pk, "festival", festival.pk) in found
    assert (cast.rep.pk, "group", cast.same_region_group.pk) in found
    assert (cast.other_rep.pk, "group", cast.group.pk) not in found
