"""Issue 19: the header's unread count is right at once: a new post in a place the person
reads puts it up, reading the thread takes it down, posts elsewhere leave it as it is; and
it costs the header three queries at most, whatever the number of threads."""

import re
from contextlib import contextmanager

import pytest
from django.urls import reverse

from conversations import services
from tests.groups.factories import LocalGroupFactory, MembershipFactory
from tests.queries import SESSION

from .factories import thread_in

pytestmark = pytest.mark.django_db

HEADER = re.compile(
    r'Conversations(?: <span class="badge text-bg-light">(\d+)'
    r'<span class="visually-hidden"> unread</span></span>)?</a>'
)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Runs what a block leaves for after the commit (the count's versions are bumped
    then), as the end of a request or a service call's transaction would."""

    @contextmanager
    def block():
        with django_capture_on_commit_callbacks(execute=True):
            yield

    return block


def header_count(client) -> int:
    """The count in the header of an ordinary page (not one that counts unread itself)."""
    html = client.get(reverse("groups:list")).content.decode()
    found = HEADER.search(html)
    assert found, "no conversations link in the header"
    return int(found[1] or 0)


def test_a_new_post_puts_the_count_up_at_once(client, cast, committed):
    client.force_login(cast.lead)
    assert header_count(client) == 0
    with committed():
        first = thread_in(cast.group, by=cast.member, title="Stall on Saturday")
    assert header_count(client) == 1
    with committed():
        thread_in(cast.group, by=cast.member, title="Leaflets")
    assert header_count(client) == 2
    with committed():
        client.get(first.get_absolute_url())
    assert header_count(client) == 1
    with committed():
        services.reply(thread=first, by=cast.member, body="Bring a table")
    assert header_count(client) == 2


def test_reading_a_thread_takes_the_count_down_at_once(client, cast, committed):
    with committed():
        threads = [thread_in(cast.group, by=cast.member, title=f"Thread {n}") for n in range(2)]
    client.force_login(cast.lead)
    assert header_count(client) == 2
    with committed():
        client.get(threads[0].get_absolute_url())
    assert header_count(client) == 1
    with committed():
        client.get(threads[1].get_absolute_url())
    assert header_count(client) == 0


def test_posts_the_person_cannot_read_leave_the_count_alone(client, cast, committed):
    with committed():
        thread_in(cast.group, by=cast.member, title="Ours")
    client.force_login(cast.lead)
    assert header_count(client) == 1
    elsewhere = LocalGroupFactory(name="Far away", slug="far-away")
    stranger = MembershipFactory(group=elsewhere).user
    with committed():
        thread_in(elsewhere, by=stranger, title="Theirs")
        services.reply(thread=thread_in(elsewhere, by=stranger), by=stranger, body="More")
    assert header_count(client) == 1


def test_staff_who_read_every_place_see_every_new_post(client, cast, committed):
    client.force_login(cast.staff)
    before = header_count(client)
    elsewhere = LocalGroupFactory(name="Far away", slug="far-away")
    with committed():
        thread_in(elsewhere, by=MembershipFactory(group=elsewhere).user, title="Anywhere")
    assert header_count(client) == before + 1


def test_deleting_the_unread_post_takes_the_count_down(client, cast, committed):
    with committed():
        thread = thread_in(cast.group, by=cast.lead, title="Mine")
        reply = services.reply(thread=thread, by=cast.member, body="A reply")
    client.force_login(cast.lead)
    assert header_count(client) == 1
    with committed():
        services.delete_post(post=reply, by=cast.member)
    assert header_count(client) == 0


# The groups list's own queries: the header adds none while nothing the person reads
# changed, and three on the first page after a post there or a read (the person's rep
# roles, read once per request, the places they read, and the count).
GROUP_LIST = 4
RECOUNT = 3


@pytest.mark.parametrize("threads", [1, 3])
def test_the_header_counts_again_only_after_a_change_the_person_can_see(
    client, cast, committed, django_assert_num_queries, threads
):
    with committed():
        for n in range(threads):
            thread_in(cast.group, by=cast.member, title=f"Thread {n}")
    client.force_login(cast.lead)
    url = reverse("groups:list")
    client.get(url)
    with django_assert_num_queries(GROUP_LIST + SESSION):
        client.get(url)
    elsewhere = LocalGroupFactory(name="Far away", slug="far-away")
    with committed():
        thread_in(elsewhere, by=MembershipFactory(group=elsewhere).user, title="Not ours")
    with django_assert_num_queries(GROUP_LIST + SESSION):  # nothing to count again
        assert header_count(client) == threads
    with committed():
        thread_in(cast.group, by=cast.member, title="One more")
    with django_assert_num_queries(GROUP_LIST + SESSION + RECOUNT):
        assert header_count(client) == threads + 1
