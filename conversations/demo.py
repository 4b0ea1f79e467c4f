"""Demo data for conversations: the Midlands noticeboard thread "Business and human
rights: a Midlands target?" with replies from Derby, Birmingham and Malvern, a Derby
members' thread, a welcome thread for the demo activist in Derby, the discussion of every
public resolution, and three posts in the AGM resolution's on non-state actors (its
proposer, its co-sponsor's lead and a supporter).

Idempotent: threads are found by place and title, posts by thread and author."""

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from groups.models import LocalGroup, Region
from portal.models import User
from resolutions.demo import AGM_TITLE
from resolutions.models import Resolution

from . import services
from .models import Follow, Post, Thread

log = logging.getLogger(__name__)

NOTICEBOARD_TITLE = "Business and human rights: a Midlands target?"
NOTICEBOARD = [
    (
        "demo-derby-1@example.org",
        "Conference asked us to pick a business and human rights target we can work on "
        "together across the Midlands. Derby suggests the big battery plant near Burton: "
        "where do its minerals come from? Could this be our **Ethical Batteries** pilot?",
    ),
    (
        "demo-birmingham-1@example.org",
        "Birmingham is in. We have two members who work in supply chains and could draft "
        "the questions. Shall we meet online next month?",
    ),
    (
        "demo-malvern-1@example.org",
        "Malvern would like to help with letters and a stall at the Three Counties show. "
        "Please keep it simple for small groups like ours!",
    ),
]


AGM_DISCUSSION = [
    (
        "demo-welwyn-lead@example.org",
        "Welwyn proposes this because our business and human rights work keeps hitting "
        "the same wall: companies say human rights are the government's job. Questions "
        "welcome here before the deadline.",
    ),
    (
        "demo-banbury-1@example.org",
        "Banbury co-sponsors. Could the toolkit in point 2 include a template letter to a "
        "local employer? That is where small groups can start.",
    ),
    (
        "demo-agm-supporter-5@example.org",
        "Supported. Are we overstretched, though? I'd like the campaign to replace an "
        "existing one, not add to the list.",
    ),
]


def _thread(*, author: User, title: str, posts: list[tuple[User, str]], **place) -> Thread:
    thread = Thread.objects.filter(title=title, **place).first()
    start = timezone.now() - timedelta(days=len(posts))
    if thread is None:
        thread = Thread.objects.create(
            title=title, author=author, created_at=start, last_post_at=start, **place
        )
    return _fill(thread, posts, start)


def _fill(thread: Thread, posts: list[tuple[User, str]], start) -> Thread:
    """Each author's post once, a day apart from ``start``; the thread's figures after."""
    for n, (user, body) in enumerate(posts):
        if not Post.objects.filter(thread=thread, author=user).exists():
            Post.objects.create(
                thread=thread, author=user, body=body, created_at=start + timedelta(days=n)
            )
        Follow.objects.get_or_create(user=user, thread=thread)
    last = thread.posts.order_by("-created_at").first()
    Thread.objects.filter(pk=thread.pk).update(
        post_count=thread.posts.count(), last_post_at=last.created_at if last else start
    )
    return thread


@transaction.atomic
def seed(*, accounts: dict) -> None:
    region = Region.objects.filter(slug="midlands").first()
    derby = LocalGroup.objects.filter(slug="derby").first()
    people = User.objects.in_bulk([email for email, _body in NOTICEBOARD], field_name="email")
    if region is None or derby is None or len(people) < len(NOTICEBOARD):
        log.warning("conversations demo skipped: the groups demo is missing")
        return
    posts = [(people[email], body) for email, body in NOTICEBOARD]
    _thread(author=posts[0][0], title=NOTICEBOARD_TITLE, posts=posts, region=region)
    lead, activist = accounts["lead"], accounts["activist"]
    _thread(
        author=lead,
        title="Peace Week: who can help on the Saturday stall?",
        posts=[
            (lead, "We need four people from 10 to 2. Reply here with the hours you can do."),
            (activist, "I can do 10 till 12, and bring a flask."),
        ],
        group=derby,
    )
    services.welcome_member(group=derby, user=activist)
    # Resolutions seeded as public (their demo does not endorse through the service).
    for resolution in Resolution.objects.public():
        thread = services.open_discussion(resolution=resolution)
        if resolution.title == AGM_TITLE:
            authors = User.objects.in_bulk([e for e, _b in AGM_DISCUSSION], field_name="email")
            posts = [(authors[e], body) for e, body in AGM_DISCUSSION if e in authors]
            _fill(thread, posts, timezone.now() - timedelta(days=len(posts)))
