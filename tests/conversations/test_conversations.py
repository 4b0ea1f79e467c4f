"""Conversations (issue 19.3, 19.6, 19.7): who reads and writes each place, Markdown,
editing and deleting, read markers and unread counts, search, moderation, rate limits,
the data export and erasure."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Participation
from conversations import services
from conversations.models import Post, Report, Thread
from conversations.permissions import Place
from conversations.tasks import welcome_tick
from front import account_data
from groups import services as group_services
from groups.models import Membership
from tests.campaigns.factories import CampaignFactory, SupporterFactory
from tests.events.factories import FestivalFactory
from tests.factories import UserFactory
from tests.groups.factories import MembershipFactory
from tests.queries import SESSION

from .factories import thread_in

pytestmark = pytest.mark.django_db

PLACE_QUERIES = 8
THREAD_QUERIES = 15
INDEX_QUERIES = 8
OUTSIDERS_OF_DERBY = ["activist", "other_lead", "other_rep", "same_region_member"]


def _as(client, cast, who):
    user = getattr(cast, who)
    client.logout()
    if user is not None:
        client.force_login(user)
    return user


def _can_read(client, cast, who, thread) -> bool:
    _as(client, cast, who)
    place = thread.place
    kind = thread.place_kind
    pages = [
        client.get(thread.get_absolute_url()),
        client.get(reverse("conversations:place", args=[kind, place.slug])),
    ]
    codes = {page.status_code for page in pages}
    assert codes in ({200}, {404}, {302}), (who, codes)
    search = client.get(reverse("conversations:search"), {"q": "sentinel"})
    found = search.status_code == 200 and thread.title in search.content.decode()
    assert found == (codes == {200}), who
    return codes == {200}


@pytest.mark.parametrize(
    ("who", "reads"),
    [
        ("anonymous", False),
        ("activist", False),
        ("member", True),
        ("lead", True),
        ("rep", True),
        ("staff", True),
        ("same_region_member", False),
        ("other_region_member", False),
        ("other_lead", False),
        ("other_rep", False),
    ],
)
def test_group_threads_are_for_members_and_covering_reps(client, cast, who, reads):
    thread = thread_in(cast.group, by=cast.member, title="Derby sentinel plans")
    assert _can_read(client, cast, who, thread) == reads


@pytest.mark.parametrize(
    ("who", "reads"),
    [
        ("activist", False),
        ("member", True),
        ("same_region_member", True),
        ("rep", True),
        ("other_region_member", False),
        ("other_lead", False),
        ("other_rep", False),
    ],
)
def test_region_noticeboard_is_for_members_of_any_group_there(client, cast, who, reads):
    thread = thread_in(cast.region, by=cast.member, title="Midlands sentinel target")
    assert _can_read(client, cast, who, thread) == reads


@pytest.mark.parametrize(
    ("who", "reads"),
    [
        ("activist", True),  # a supporter
        ("member", True),  # Derby runs it
        ("same_region_member", False),
        ("other_region_member", False),
        ("staff", True),
    ],
)
def test_campaign_conversation_is_for_supporters_and_participating_groups(client, cast, who, reads):
    campaign = CampaignFactory(title="Lift the Ban", slug="lift-the-ban")
    Participation.objects.create(campaign=campaign, group=cast.group)
    SupporterFactory(campaign=campaign, user=cast.activist)
    thread = thread_in(campaign, by=cast.lead, title="Lift sentinel stalls")
    assert _can_read(client, cast, who, thread) == reads


@pytest.mark.parametrize(
    ("who", "reads"),
    [("member", True), ("same_region_member", False), ("activist", False), ("staff", True)],
)
def test_festival_conversation_is_for_its_host_groups(client, cast, who, reads):
    festival = FestivalFactory(slug="peace-week")
    festival.host_groups.set([cast.group])
    thread = thread_in(festival, by=cast.lead, title="Peace sentinel rota")
    assert _can_read(client, cast, who, thread) == reads


@pytest.mark.parametrize("who", OUTSIDERS_OF_DERBY)
def test_outsiders_cannot_post_or_act_on_a_groups_thread(client, cast, who):
    thread = thread_in(cast.group, by=cast.member)
    post = thread.posts.get()
    _as(client, cast, who)
    urls = [
        reverse("conversations:reply", args=[thread.pk]),
        reverse("conversations:new_thread", args=["group", "derby"]),
        reverse("conversations:follow_thread", args=[thread.pk]),
        reverse("conversations:follow_place", args=["group", "derby"]),
        reverse("conversations:report_post", args=[post.pk]),
        reverse("conversations:moderate_post", args=[post.pk, "hide"]),
        reverse("conversations:edit_post", args=[post.pk]),
        reverse("conversations:delete_post", args=[post.pk]),
    ]
    for url in urls:
        response = client.post(url, {"body": "x", "title": "x", "reason": "x", "mode": "mute"})
        assert response.status_code == 404, url
    assert Post.objects.count() == 1 and Thread.objects.count() == 1
    assert Report.objects.count() == 0


def test_markdown_is_sanitised(client, cast):
    client.force_login(cast.member)
    response = client.post(
        reverse("conversations:new_thread", args=["group", "derby"]),
        {"title": "Links", "body": "**bold** <script>alert(1)</script> [x](javascript:alert(2))"},
    )
    thread = Thread.objects.get()
    assert response["Location"] == thread.get_absolute_url()
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "<strong>bold</strong>" in page
    assert "<script>alert(1)" not in page and "javascript:alert(2)" not in page


def test_author_edits_for_fifteen_minutes_then_not(client, cast):
    thread = thread_in(cast.group, by=cast.member)
    post = thread.posts.get()
    client.force_login(cast.member)
    url = reverse("conversations:edit_post", args=[post.pk])
    client.post(url, {"body": "Edited"})
    post.refresh_from_db()
    assert post.body == "Edited" and post.edited_at is not None
    Post.objects.filter(pk=post.pk).update(created_at=timezone.now() - timedelta(minutes=16))
    response = client.post(url, {"body": "Too late"}, follow=True)
    post.refresh_from_db()
    assert post.body == "Edited"
    assert "can be edited for 15 minutes" in response.content.decode()
    client.force_login(cast.lead)  # not the author
    assert client.post(url, {"body": "Lead edit"}).status_code == 404


def test_author_deletes_own_reply_and_last_post_takes_the_thread(client, cast):
    thread = thread_in(cast.group, by=cast.lead)
    services.reply(thread=thread, by=cast.member, body="Mine")
    mine = Post.objects.get(body="Mine")
    client.force_login(cast.lead)
    assert client.post(reverse("conversations:delete_post", args=[mine.pk])).status_code == 404
    client.force_login(cast.member)
    client.post(reverse("conversations:delete_post", args=[mine.pk]))
    thread.refresh_from_db()
    assert thread.post_count == 1 and not Post.objects.filter(pk=mine.pk).exists()
    client.force_login(cast.lead)
    first = thread.posts.get()
    response = client.post(reverse("conversations:delete_post", args=[first.pk]))
    assert response["Location"] == reverse("conversations:place", args=["group", "derby"])
    assert Thread.objects.count() == 0


def test_unread_counts_and_read_markers(client, cast, django_capture_on_commit_callbacks):
    thread = thread_in(cast.group, by=cast.member, title="Stall on Saturday")
    client.force_login(cast.lead)
    portal = client.get(reverse("my_portal")).content.decode()
    assert "1 unread" in portal
    header = client.get(reverse("conversations:index")).content.decode()
    assert '<span class="badge text-bg-light">1<span class="visually-hidden"> unread' in header
    with django_capture_on_commit_callbacks(execute=True):  # the read marker's commit
        client.get(thread.get_absolute_url())
    assert "unread" not in client.get(reverse("conversations:index")).content.decode()
    services.reply(thread=thread, by=cast.member, body="Bring leaflets")
    page = client.get(reverse("conversations:place", args=["group", "derby"])).content.decode()
    assert '<span class="badge text-bg-primary">new</span>' in page
    page = client.get(thread.get_absolute_url()).content.decode()
    assert page.count("<strong>new</strong>") == 1


def test_a_hidden_post_shows_to_its_author_and_moderators_only(client, cast):
    thread = thread_in(cast.group, by=cast.lead)
    services.reply(thread=thread, by=cast.member, body="Rude words sentinel")
    post = Post.objects.get(body="Rude words sentinel")
    client.force_login(cast.lead)
    url = reverse("conversations:moderate_post", args=[post.pk, "hide"])
    response = client.post(url, {"reason": "Personal attack"})
    assert response["Location"] == post.get_absolute_url()
    post.refresh_from_db()
    assert (post.hidden_by, post.hidden_reason) == (cast.lead, "Personal attack")
    viewers = {"member": True, "lead": True, "rep": True}
    other_member = MembershipFactory(group=cast.group).user
    for who, sees in [*viewers.items()]:
        _as(client, cast, who)
        assert (
            "Rude words sentinel" in client.get(thread.get_absolute_url()).content.decode()
        ) == sees
    client.force_login(other_member)
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "Rude words sentinel" not in page and "Hidden by a moderator." in page
    client.force_login(cast.rep)
    client.post(
        reverse("conversations:moderate_post", args=[post.pk, "restore"]), {"reason": "On appeal"}
    )
    post.refresh_from_db()
    assert post.hidden_at is None and post.hidden_reason == "Restored: On appeal"


def test_members_cannot_moderate(client, cast):
    thread = thread_in(cast.group, by=cast.lead)
    post = thread.posts.get()
    client.force_login(cast.member)
    for step in ("hide", "restore", "mute"):
        url = reverse("conversations:moderate_post", args=[post.pk, step])
        assert client.post(url, {"reason": "x"}).status_code == 403
    assert (
        client.get(reverse("conversations:moderate_post", args=[post.pk, "nope"])).status_code
        == 404
    )


def test_reports_reach_the_reps_queue_and_the_leads_portal(client, cast):
    thread = thread_in(cast.group, by=cast.lead)
    services.reply(thread=thread, by=cast.member, body="Spam spam")
    post = Post.objects.get(body="Spam spam")
    client.force_login(cast.same_region_member)
    assert (
        client.post(
            reverse("conversations:report_post", args=[post.pk]), {"reason": "x"}
        ).status_code
        == 404
    )
    client.force_login(cast.lead)
    response = client.post(
        reverse("conversations:report_post", args=[post.pk]), {"reason": "Advertising"}
    )
    assert response["Location"] == post.get_absolute_url()
    client.post(reverse("conversations:report_post", args=[post.pk]), {"reason": "Again"})
    assert list(Report.objects.values_list("reason", flat=True)) == ["Advertising"]
    assert "Advertising" in client.get(reverse("my_portal")).content.decode()
    client.force_login(cast.rep)
    review = client.get(reverse("review:dashboard")).content.decode()
    assert "Advertising" in review
    client.force_login(cast.other_rep)
    assert "Advertising" not in client.get(reverse("review:dashboard")).content.decode()
    # Hiding deals with the report.
    services.hide_post(post=post, by=cast.rep, reason="Spam")
    assert Report.objects.get().resolved_by == cast.rep


def test_a_muted_member_cannot_post_in_the_place(client, cast):
    thread = thread_in(cast.group, by=cast.lead)
    services.reply(thread=thread, by=cast.member, body="Abuse")
    post = Post.objects.get(body="Abuse")
    client.force_login(cast.lead)
    client.post(
        reverse("conversations:moderate_post", args=[post.pk, "mute"]), {"reason": "Repeated abuse"}
    )
    client.force_login(cast.member)
    response = client.post(
        reverse("conversations:reply", args=[thread.pk]), {"body": "More"}, follow=True
    )
    assert "A moderator has stopped you posting here." in response.content.decode()
    assert Post.objects.filter(body="More").count() == 0
    # Elsewhere they still post.
    with pytest.raises(services.ConversationError):
        services.start_thread(place=Place("group", cast.group), by=cast.member, title="t", body="b")
    services.start_thread(place=Place("region", cast.region), by=cast.member, title="t", body="b")


def test_posting_and_reporting_are_rate_limited(client, cast, settings):
    settings.RATE_LIMITS = {"conversation_posts": "2/h", "conversation_reports": "1/d"}
    from django.core.cache import cache

    cache.clear()
    thread = thread_in(cast.group, by=cast.lead)
    client.force_login(cast.member)
    codes = [
        client.post(reverse("conversations:reply", args=[thread.pk]), {"body": f"n{n}"}).status_code
        for n in range(3)
    ]
    assert codes == [302, 302, 429]
    post = thread.posts.first()
    url = reverse("conversations:report_post", args=[post.pk])
    assert [client.post(url, {"reason": "r"}).status_code for _ in range(2)] == [302, 429]


def test_search_finds_only_readable_threads_and_no_hidden_words(client, cast):
    thread_in(cast.group, by=cast.member, title="Derby thing", body="banana sentinel")
    thread_in(cast.other_group, by=cast.other_lead, title="Leicester thing", body="banana too")
    hidden = thread_in(cast.group, by=cast.lead, title="Other", body="cherry words")
    services.hide_post(post=hidden.posts.get(), by=cast.lead, reason="x")
    client.force_login(cast.member)
    page = client.get(reverse("conversations:search"), {"q": "banana"}).content.decode()
    assert "Derby thing" in page and "Leicester thing" not in page
    page = client.get(reverse("conversations:search"), {"q": "cherry"}).content.decode()
    assert "Nothing found" in page


@pytest.mark.parametrize("count", [1, 3])
def test_lists_query_count_is_constant(client, cast, django_assert_num_queries, count):
    for n in range(count):
        thread = thread_in(cast.group, by=cast.member, title=f"Thread {n}")
    for n in range(count - 1):
        services.reply(thread=thread, by=cast.lead, body=f"Reply {n}")
    client.force_login(cast.lead)
    client.get(reverse("conversations:index"))
    client.get(thread.get_absolute_url())  # the read marker exists: it is updated below
    with django_assert_num_queries(PLACE_QUERIES + SESSION):
        page = client.get(reverse("conversations:place", args=["group", "derby"]))
    assert len(page.context["page"].object_list) == count
    with django_assert_num_queries(THREAD_QUERIES + SESSION):
        page = client.get(thread.get_absolute_url())
    assert len(page.context["page"].object_list) == count
    with django_assert_num_queries(INDEX_QUERIES + SESSION):
        client.get(reverse("conversations:index"))


def test_posts_are_in_the_data_export_and_anonymised_on_erasure(cast):
    thread = thread_in(cast.group, by=cast.lead)
    services.reply(thread=thread, by=cast.member, body="My words")
    data = account_data.collect_personal_data(cast.member)
    assert [p["body"] for p in data["conversation_posts"]] == ["My words"]
    Membership.objects.filter(user=cast.member).delete()
    account_data.delete_account(user=cast.member)
    post = Post.objects.get(body="My words")
    assert post.author is None


def test_each_new_member_gets_one_welcome_thread(client, cast):
    person = UserFactory(display_name="Nia New")
    group_services.join_group(group=cast.group, user=person)
    # Everyone in the test joined just now: each gets one, and a second tick adds none.
    assert welcome_tick() == Membership.objects.current().count()
    assert welcome_tick() == 0
    thread = Thread.objects.get(welcome_for=person)
    assert (thread.group, thread.title) == (cast.group, "Welcome, Nia New!")
    assert thread.posts.get().author == cast.lead
    client.force_login(person)
    assert client.get(thread.get_absolute_url()).status_code == 200
