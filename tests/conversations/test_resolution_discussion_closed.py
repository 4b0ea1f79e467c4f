"""A resolution's discussion is read-only once the resolution has its outcome: the page
says why and has no form, and the service refuses posts and edits (403 on the web)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from conversations import services
from conversations.models import Post, Thread
from resolutions import services as resolution_services
from resolutions.models import Meeting, Resolution
from tests.resolutions.factories import MeetingFactory, ResolutionFactory

pytestmark = pytest.mark.django_db

WHEN = datetime(2027, 3, 4, 12, 0, tzinfo=UTC)
Status, Result = Resolution.Status, Resolution.Result


def _resolution(cast) -> Resolution:
    meeting = MeetingFactory(kind=Meeting.Kind.AGM, members_needed=100)
    draft = ResolutionFactory(meeting=meeting, group=cast.group, proposer=cast.member)
    return resolution_services.endorse(resolution=draft, by=cast.lead)


def _reply(client, thread, body="One more thought"):
    return client.post(reverse("conversations:reply", args=[thread.pk]), {"body": body})


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (
            {"status": Status.ACCEPTED, "decided_at": WHEN},
            "This resolution was accepted onto the agenda on 4 March 2027; "
            "the discussion is closed.",
        ),
        (
            {"status": Status.COMPOSITED, "decided_at": WHEN},
            "This resolution was composited with another resolution on 4 March 2027; "
            "the discussion is closed.",
        ),
        (
            {"status": Status.OUT_OF_ORDER, "decided_at": WHEN},
            "This resolution was ruled out of order on 4 March 2027; the discussion is closed.",
        ),
        (
            {"status": Status.CLOSED},
            "This resolution closed short of the support it needed on 4 March 2027; "
            "the discussion is closed.",
        ),
        (
            {"status": Status.ACCEPTED, "result": Result.WITHDRAWN, "result_at": WHEN},
            "This resolution was withdrawn on 4 March 2027; the discussion is closed.",
        ),
        (
            {"status": Status.ACCEPTED, "result": Result.PASSED, "result_at": WHEN},
            "This resolution was passed on 4 March 2027; the discussion is closed.",
        ),
    ],
)
def test_an_outcome_closes_the_discussion(client, cast, change, reason):
    resolution = _resolution(cast)
    Meeting.objects.filter(pk=resolution.meeting_id).update(submission_deadline=WHEN)
    thread = Thread.objects.get(resolution=resolution)
    post = services.reply(thread=thread, by=cast.member, body="Before the decision")
    Resolution.objects.filter(pk=resolution.pk).update(**change)
    resolution.refresh_from_db()
    assert resolution.discussion_closed_because == reason
    # The service refuses, whatever the page showed.
    with pytest.raises(services.DiscussionClosed) as refused:
        services.reply(thread=thread, by=cast.member, body="After")
    assert str(refused.value) == reason
    with pytest.raises(services.DiscussionClosed):
        services.edit_post(post=post, by=cast.member, body="Changed")
    # The pages say why and have no form to post with.
    client.force_login(cast.member)
    page = client.get(reverse("conversations:resolution", args=[resolution.pk]))
    html = page.content.decode()
    assert reason in html
    assert reverse("conversations:reply", args=[thread.pk]) not in html
    detail = client.get(resolution.get_absolute_url()).content.decode()
    assert reason in detail
    assert reverse("conversations:reply", args=[thread.pk]) not in detail
    assert "Before the decision" in detail
    # A POST anyway: 403, with the reason, and nothing written.
    response = _reply(client, thread)
    assert response.status_code == 403
    assert [str(m) for m in get_messages(response.wsgi_request)] == [reason]
    assert reason in response.content.decode()
    edit = client.post(reverse("conversations:edit_post", args=[post.pk]), {"body": "Changed"})
    assert edit.status_code == 403
    post.refresh_from_db()
    thread.refresh_from_db()
    assert (post.body, post.edited_at, thread.post_count) == ("Before the decision", None, 1)
    assert Post.objects.filter(thread=thread).count() == 1


def test_the_discussion_is_open_until_the_outcome_then_closes_through_the_service(client, cast):
    resolution = _resolution(cast)
    thread = Thread.objects.get(resolution=resolution)
    client.force_login(cast.member)
    reply_url = reverse("conversations:reply", args=[thread.pk])
    # Open (and still while submitted, waiting for the organisers).
    for status in (Status.OPEN, Status.SUBMITTED):
        Resolution.objects.filter(pk=resolution.pk).update(status=status)
        resolution.refresh_from_db()
        assert resolution.discussion_closed_because == ""
        page = client.get(reverse("conversations:resolution", args=[resolution.pk]))
        assert reply_url in page.content.decode()
        assert "the discussion is closed" not in page.content.decode()
        assert _reply(client, thread, body=f"While {status}").status_code == 302
    assert Post.objects.filter(thread=thread).count() == 2
    # The organisers accept it onto the agenda: closed from then on.
    now = timezone.now()
    resolution_services.decide(resolution=resolution, by=cast.staff, decision="accept", now=now)
    day = f"{timezone.localtime(now):%-d %B %Y}"
    reason = f"This resolution was accepted onto the agenda on {day}; the discussion is closed."
    response = _reply(client, thread)
    assert (response.status_code, Post.objects.filter(thread=thread).count()) == (403, 2)
    assert reason in response.content.decode()


def test_a_closed_discussion_still_reads_and_moderates(client, cast):
    resolution = _resolution(cast)
    thread = Thread.objects.get(resolution=resolution)
    post = services.reply(thread=thread, by=cast.member, body="Rude words")
    Resolution.objects.filter(pk=resolution.pk).update(
        status=Status.OUT_OF_ORDER, decided_at=timezone.now() - timedelta(days=1)
    )
    client.force_login(cast.activist)
    assert client.get(reverse("conversations:resolution", args=[resolution.pk])).status_code == 200
    services.hide_post(post=post, by=cast.staff, reason="Abuse")
    post.refresh_from_db()
    assert post.is_hidden
