import pytest
from django.core.management import call_command

from campaigns.models import Participation
from conversations.demo import NOTICEBOARD_TITLE
from conversations.models import Post, Thread
from events.models import CohostInvitation
from groups.models import TeamRole
from resolutions.demo import AGM_TITLE
from resolutions.models import Resolution


@pytest.mark.django_db
def test_seed_demo_seeds_the_silo_breaking_data_once(settings):
    settings.DEBUG = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)
    board = Thread.objects.get(title=NOTICEBOARD_TITLE)
    assert board.region.slug == "midlands" and board.post_count == 3
    groups = [
        post.author.memberships.get().group.slug
        for post in Post.objects.filter(thread=board).order_by("created_at")
    ]
    assert groups == ["derby", "birmingham", "malvern"]
    assert sorted(
        Participation.objects.filter(campaign__slug="lift-the-ban").values_list(
            "group__slug", flat=True
        )
    ) == ["coventry", "derby"]
    invitation = CohostInvitation.objects.get()
    assert (invitation.group.slug, invitation.status) == ("birmingham", "pending")
    assert invitation.event.cohost_groups.count() == 0
    assert Thread.objects.filter(welcome_for__email="activist@example.org").count() == 1
    team = TeamRole.objects.filter(region__slug="midlands").select_related("holder")
    assert [(r.title, r.holder.email) for r in team] == [
        ("Regional rep", "rep@example.org"),
        ("Campaigns coordinator", "demo-coventry-1@example.org"),
        ("Refugee-network link", "demo-birmingham-2@example.org"),
    ]
    # Every public resolution has its discussion; the AGM's on non-state actors, three posts.
    assert Thread.objects.filter(resolution__isnull=False).count() == (
        Resolution.objects.public().count()
    )
    discussion = Thread.objects.get(resolution__title=AGM_TITLE)
    assert discussion.post_count == 3
    assert [p.author.email for p in discussion.posts.order_by("created_at")] == [
        "demo-welwyn-lead@example.org",
        "demo-banbury-1@example.org",
        "demo-agm-supporter-5@example.org",
    ]
