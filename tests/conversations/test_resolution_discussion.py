"""A resolution's discussion (issue 20.3, on issue 19's conversations): one thread per
resolution, opened when its group endorses it; read by every signed-in member for the
AGM and by the region's members for a regional conference; moderated by the meeting's
organisers and the proposing group's leads; followed by the proposer, the sponsoring
groups' leads and the supporters; notified once, in the digest or straight away."""

import os
import signal
import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from conversations import services, tasks
from conversations.dashboard import my_portal_block
from conversations.models import Post, Thread
from conversations.permissions import Place
from conversations.review import waiting_reports
from conversations.unread import header_unread, places_with_unread, unread_count
from front import digests
from groups.review_queue import reviewer_for
from portal.models import OutboxMessage
from resolutions import services as resolution_services
from resolutions.models import Meeting
from tests.events.conftest import deliver_outbox
from tests.factories import UserFactory
from tests.groups.factories import MembershipFactory
from tests.notifications.test_worker import recipients_of, start_worker
from tests.portal.test_worker import wait_for
from tests.queries import SESSION
from tests.resolutions.factories import MeetingFactory, ResolutionFactory

pytestmark = pytest.mark.django_db


def _resolution(cast, *, regional: bool, title="Sanctuary everywhere"):
    """Proposed by Derby's member, endorsed by Derby's lead: public, with its discussion."""
    meeting = MeetingFactory(
        kind=Meeting.Kind.REGIONAL if regional else Meeting.Kind.AGM,
        region=cast.region if regional else None,
        members_needed=100,
    )
    draft = ResolutionFactory(meeting=meeting, group=cast.group, proposer=cast.member, title=title)
    return resolution_services.endorse(resolution=draft, by=cast.lead)


def _discussion(resolution) -> Thread:
    return Thread.objects.get(resolution=resolution)


def _as(client, user):
    client.logout()
    if user is not None:
        client.force_login(user)


def test_endorsing_opens_one_discussion_and_a_draft_has_none(client, cast):
    draft = ResolutionFactory(group=cast.group, proposer=cast.member, title="Batteries")
    assert Thread.objects.filter(resolution=draft).count() == 0
    _as(client, cast.member)  # the proposer: even they find no discussion of a draft
    assert client.get(reverse("conversations:resolution", args=[draft.pk])).status_code == 404
    resolution_services.endorse(resolution=draft, by=cast.lead)
    draft.refresh_from_db()
    thread = _discussion(draft)
    assert (thread.title, thread.post_count, thread.created_at) == (
        "Batteries",
        0,
        draft.endorsed_at,
    )
    assert services.open_discussion(resolution=draft) == thread
    assert Thread.objects.filter(resolution=draft).count() == 1
    # One discussion per resolution: no second thread, by service or by URL.
    with pytest.raises(services.ConversationError, match="one discussion"):
        services.start_thread(
            place=Place("resolution", draft), by=cast.member, title="Another", body="No"
        )
    response = client.post(
        reverse("conversations:new_thread", args=["resolution", draft.pk]),
        {"title": "Another", "body": "No"},
    )
    assert response["Location"] == reverse("conversations:resolution", args=[draft.pk])
    assert Thread.objects.filter(resolution=draft).count() == 1
    # The place's address is the discussion's (the resolution has no slug: its id).
    place_url = reverse("conversations:place", args=["resolution", draft.pk])
    assert place_url == reverse("conversations:resolution", args=[draft.pk])


def test_a_regional_conference_discussion_is_for_the_region(client, cast):
    resolution = _resolution(cast, regional=True)
    supporter = MembershipFactory(group=cast.same_region_group).user
    resolution_services.support(resolution=resolution, user=supporter)
    thread = _discussion(resolution)
    services.reply(thread=thread, by=cast.member, body="Regional sentinel words")
    url = reverse("conversations:resolution", args=[resolution.pk])
    expected = {
        "anonymous": 302,
        "activist": 404,
        "other_region_member": 404,
        "other_lead": 404,
        "other_rep": 404,
        "same_region_member": 200,
        "member": 200,  # the proposer
        "lead": 200,
        "rep": 200,  # an organiser
        "staff": 200,
    }
    got = {}
    for who in expected:
        _as(client, getattr(cast, who))
        got[who] = client.get(url).status_code
    _as(client, supporter)
    got["supporter"] = client.get(url).status_code
    assert got == {**expected, "supporter": 200}
    # The resolution page shows the posts to readers only; signed out, a way in.
    page = resolution.get_absolute_url()
    for who, shown in [("same_region_member", True), ("other_region_member", False)]:
        _as(client, getattr(cast, who))
        assert ("Regional sentinel words" in client.get(page).content.decode()) is shown, who
    _as(client, None)
    html = client.get(page).content.decode()
    assert "Regional sentinel words" not in html
    assert "to read and join the discussion" in html
    # Outsiders cannot post, find or be told.
    _as(client, cast.other_region_member)
    response = client.post(reverse("conversations:reply", args=[thread.pk]), {"body": "Hi"})
    assert response.status_code == 404
    found = client.get(reverse("conversations:search"), {"q": "sentinel"}).context["results"]
    assert found == []
    _as(client, cast.same_region_member)
    found = client.get(reverse("conversations:search"), {"q": "sentinel"}).context["results"]
    assert found == [thread]
    assert cast.other_region_member.pk not in services.followers(thread)


def test_an_agm_discussion_is_for_every_signed_in_member_and_posting_needs_verifying(client, cast):
    resolution = _resolution(cast, regional=False)
    thread = _discussion(resolution)
    url = reverse("conversations:resolution", args=[resolution.pk])
    for who in ["activist", "other_region_member", "other_lead", "member", "staff"]:
        _as(client, getattr(cast, who))
        assert client.get(url).status_code == 200, who
    _as(client, None)
    assert client.get(url)["Location"].startswith(reverse("account_login"))
    assert client.post(reverse("conversations:reply", args=[thread.pk]), {"body": "x"})[
        "Location"
    ].startswith(reverse("account_login"))
    _as(client, cast.unverified)
    assert client.get(url).status_code == 200
    response = client.post(reverse("conversations:reply", args=[thread.pk]), {"body": "Hi"})
    assert response["Location"] == reverse("account_email")
    _as(client, cast.activist)
    response = client.post(reverse("conversations:reply", args=[thread.pk]), {"body": "Why?"})
    post = Post.objects.get(thread=thread)
    assert response["Location"] == f"{url}?page=1#post-{post.pk}"
    assert (post.author, post.body) == (cast.activist, "Why?")
    thread.refresh_from_db()
    assert thread.post_count == 1
    # The author deletes the only post: the discussion stays, empty.
    client.post(reverse("conversations:delete_post", args=[post.pk]))
    thread.refresh_from_db()
    assert (thread.post_count, Thread.objects.filter(resolution=resolution).count()) == (0, 1)


def test_organisers_and_the_proposing_groups_leads_moderate(client, cast):
    conference = _resolution(cast, regional=True, title="Regional one")
    agm = _resolution(cast, regional=False, title="National one")
    posts = {}
    for resolution in (conference, agm):
        posts[resolution.pk] = services.reply(
            thread=_discussion(resolution), by=cast.same_region_member, body="Rude words"
        )

    def moderate(who, resolution):
        _as(client, getattr(cast, who))
        return client.get(
            reverse("conversations:moderate_post", args=[posts[resolution.pk].pk, "hide"])
        ).status_code

    assert {who: moderate(who, conference) for who in ["rep", "lead", "staff"]} == {
        "rep": 200,
        "lead": 200,
        "staff": 200,
    }
    # A reader who does not moderate is refused; one who cannot read is not told it exists.
    assert moderate("member", conference) == 403
    assert moderate("same_region_member", conference) == 403
    assert moderate("other_rep", conference) == 404
    # The AGM's organisers are staff: a region's rep reads it, but does not moderate it.
    assert {who: moderate(who, agm) for who in ["staff", "lead", "rep", "member"]} == {
        "staff": 200,
        "lead": 200,
        "rep": 403,
        "member": 403,
    }
    # The rep hides the reported post; then mutes its author in this discussion only.
    post = posts[conference.pk]
    services.report_post(post=post, by=cast.member, reason="Abusive")
    rep_queue = list(waiting_reports(reviewer_for(cast.rep), timezone.now()))
    assert [r.post for r in rep_queue] == [post]
    assert list(waiting_reports(reviewer_for(cast.other_rep), timezone.now())) == []

    class Request:
        user = cast.lead

    assert [r.post for r in my_portal_block(Request)["reports"]] == [post]
    _as(client, cast.rep)
    hide = reverse("conversations:moderate_post", args=[post.pk, "hide"])
    client.post(hide, {"reason": "Abuse"})
    post.refresh_from_db()
    assert (post.is_hidden, post.hidden_by, post.hidden_reason) == (True, cast.rep, "Abuse")
    assert list(waiting_reports(reviewer_for(cast.rep), timezone.now())) == []
    mute = reverse("conversations:moderate_post", args=[post.pk, "mute"])
    client.post(mute, {"reason": "Repeated abuse"})
    with pytest.raises(services.ConversationError, match="stopped you posting"):
        services.reply(thread=_discussion(conference), by=cast.same_region_member, body="x")
    assert services.reply(thread=_discussion(agm), by=cast.same_region_member, body="Sorry")
    _as(client, cast.other_region_member)
    html = client.get(agm.get_absolute_url()).content.decode()
    assert "Sorry" in html


def test_the_proposer_sponsors_leads_and_supporters_follow_unless_they_mute(cast):
    resolution = _resolution(cast, regional=False)
    cosponsor_lead = cast.other_lead
    resolution_services.cosponsor(resolution=resolution, group=cast.other_group, by=cosponsor_lead)
    supporter, muter = UserFactory(), UserFactory()
    for user in (supporter, muter):
        resolution_services.support(resolution=resolution, user=user)
    thread = _discussion(resolution)
    services.set_follow(user=muter, place=Place("resolution", resolution), mode="mute")
    asker = cast.activist
    services.reply(thread=thread, by=asker, body="A question")
    assert services.followers(thread) == {
        cast.member.pk: "digest",  # the proposer
        cast.lead.pk: "digest",  # the proposing group's lead
        cosponsor_lead.pk: "digest",
        supporter.pk: "digest",
        asker.pk: "digest",  # wrote in it
    }
    # An uninvolved reader is not told, and the discussion is not unread for them.
    bystander = UserFactory()
    assert bystander.pk not in services.followers(thread)
    assert unread_count(bystander) == 0
    assert [p.label for p, _n in places_with_unread(bystander)] == []
    assert unread_count(supporter) == 1
    assert [(p.label, n) for p, n in places_with_unread(supporter)] == [
        ("Sanctuary everywhere: resolution discussion", 1)
    ]
    assert unread_count(muter) == 0
    # The header counts from the places' ids (conversations.unread._count_in), not from
    # readable_ids' subqueries: the same answers, for every kind of reader here.
    readers = [bystander, supporter, muter, asker, cast.member, cast.lead, cosponsor_lead]
    readers += [cast.rep, cast.same_region_member, cast.other_region_member]
    assert [header_unread(user) for user in readers] == [0, 1, 0, 0, 1, 1, 1, 0, 0, 0]
    assert [header_unread(user) for user in readers] == [unread_count(u) for u in readers]


def test_the_header_asks_which_resolutions_are_followed_only_when_one_is_unread(
    cast, django_assert_num_queries
):
    resolution = _resolution(cast, regional=False)
    supporter, newcomer, stranger = UserFactory(), UserFactory(), UserFactory()
    resolution_services.support(resolution=resolution, user=supporter)
    # Nothing unread: the rep roles, the places and the count.
    with django_assert_num_queries(3):
        assert header_unread(newcomer) == 0
    services.reply(thread=_discussion(resolution), by=cast.activist, body="A question")
    # An unread resolution discussion: which of those resolutions the person follows too.
    with django_assert_num_queries(4):
        assert header_unread(supporter) == 1
    with django_assert_num_queries(4):
        assert header_unread(stranger) == 0


def test_each_notification_of_a_resolution_post_comes_once(client, cast):
    resolution = _resolution(cast, regional=False)
    supporter, quick = UserFactory(), UserFactory()
    for user in (supporter, quick):
        resolution_services.support(resolution=resolution, user=user)
    place = Place("resolution", resolution)
    services.set_follow(user=quick, place=place, mode="follow", delivery="immediate")
    start = timezone.now() - timedelta(minutes=1)
    post = services.reply(thread=_discussion(resolution), by=cast.member, body="Our reasons")
    # The task as the worker runs it after commit, then again as a redelivery would.
    assert tasks.notify_post(post.pk) == 1
    assert tasks.notify_post(post.pk) == 0
    deliver_outbox()
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([quick.email], 'New in the discussion of "Sanctuary everywhere"')
    ]
    assert "Our reasons" in mail.outbox[0].body
    # The digest: the others who follow, not the immediate one, not the author.
    run = digests.plan_run(kind="activist_weekly", period="t", since=start)
    people = [supporter, quick, cast.member, cast.lead]
    contexts = digests.activist_contexts(people, run, timezone.now())
    told = {uid for uid, ctx in contexts.items() if ctx.get("conversations")}
    assert told == {supporter.pk, cast.lead.pk}
    assert [(t.title, t.new_posts) for t in contexts[supporter.pk]["conversations"]] == [
        ("Sanctuary everywhere", 1)
    ]
    # The discussion page saves the delivery choice for the resolution's place.
    _as(client, supporter)
    response = client.post(
        reverse("conversations:follow_place", args=["resolution", resolution.pk]),
        {"mode": "mute", "delivery": "digest"},
    )
    assert response.status_code == 302
    assert supporter.pk not in services.followers(_discussion(resolution))


@pytest.mark.parametrize("count", [1, 3])
def test_discussion_query_counts_are_constant(client, cast, django_assert_num_queries, count):
    resolution = _resolution(cast, regional=True)
    thread = _discussion(resolution)
    for n in range(count):
        services.reply(thread=thread, by=cast.lead, body=f"Post number {n}")
    client.force_login(cast.same_region_member)
    url = reverse("conversations:resolution", args=[resolution.pk])
    client.get(url)  # the read marker exists: it is updated below
    with django_assert_num_queries(18 + SESSION):
        page = client.get(url)
    assert len(page.context["page"].object_list) == count
    # The resolution page with its discussion (for a regional conference the reader's
    # right is one query more than for the AGM's): the same at 1 and 3 posts.
    with django_assert_num_queries(13 + SESSION):
        html = client.get(resolution.get_absolute_url()).content.decode()
    assert html.count("Post number") == count


@pytest.mark.worker
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_real_worker_sends_each_resolution_discussion_email_once(tmp_path):
    meeting = MeetingFactory(members_needed=100)
    draft = ResolutionFactory(meeting=meeting, title="Worker resolution")
    lead = MembershipFactory(group=draft.group, lead=True).user
    resolution = resolution_services.endorse(resolution=draft, by=lead)
    supporters = UserFactory.create_batch(3)
    for user in supporters:
        resolution_services.support(resolution=resolution, user=user)
        services.set_follow(
            user=user,
            place=Place("resolution", resolution),
            mode="follow",
            delivery="immediate",
        )
    post = services.reply(thread=_discussion(resolution), by=lead, body="Hello supporters")
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
    assert recipients_of(mail_dir) == {user.email: 1 for user in supporters}
    assert OutboxMessage.objects.filter(kind="conversations_new_post").count() == 3


def test_odd_input_to_a_discussion_never_answers_500(client, cast):
    """The discussion's forms (reply, follow and delivery, a new thread refused) and its
    address, fuzzed: a 2xx, 3xx or 4xx, never a 500."""
    from hypothesis import given
    from hypothesis import strategies as st

    from tests.security.test_bad_input import FUZZ, nasty_text

    resolution = _resolution(cast, regional=False)
    thread = _discussion(resolution)
    client.force_login(cast.member)
    urls = [
        reverse("conversations:reply", args=[thread.pk]),
        reverse("conversations:follow_place", args=["resolution", resolution.pk]),
        reverse("conversations:new_thread", args=["resolution", resolution.pk]),
    ]
    fields = ["body", "mode", "delivery", "title", "page"]

    @FUZZ
    @given(
        st.sampled_from(urls),
        st.dictionaries(st.sampled_from(fields), nasty_text, max_size=len(fields)),
    )
    def check(url, data):
        assert 200 <= client.post(url, data).status_code < 500, (url, data)
        page = client.get(reverse("conversations:resolution", args=[resolution.pk]), data)
        assert page.status_code == 200

    check()
    for odd in ["0", "99999999999999999999", "abc"]:
        response = client.get(f"/conversations/resolution/{odd}/")
        assert response.status_code == 404, odd
