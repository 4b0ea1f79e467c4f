import random

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Q
from django.utils import timezone

from bench.scale import apportion, plan_for, zipf_weights
from campaigns.models import Action, ActionTaken, Campaign, CampaignSupporter
from events.models import RSVP, Event, Festival
from groups.models import Area, LocalGroup, Membership, Region
from partners.models import Partner
from portal.models import User

TINY = 0.001


def test_plan_for_national_scale_is_the_issue_numbers():
    assert plan_for(1).as_dict() == {
        "regions": 12,
        "areas": 60,
        "groups": 600,
        "partners": 2_000,
        "users": 200_000,
        "memberships": 600_000,
        "campaigns": 500,
        "events": 60_000,
        "upcoming_events": 4_000,
        "rsvps": 1_500_000,
        "actions_taken": 2_000_000,
        "supporters": 300_000,
        "festivals": 60,
    }


def test_plan_for_tiny_scale_keeps_every_kind_of_row():
    assert plan_for(TINY).as_dict() == {
        "regions": 12,
        "areas": 60,
        "groups": 60,
        "partners": 20,
        "users": 200,
        "memberships": 600,
        "campaigns": 24,
        "events": 120,
        "upcoming_events": 8,
        "rsvps": 1_500,
        "actions_taken": 2_000,
        "supporters": 300,
        "festivals": 2,
    }


def test_apportion_sums_exactly_within_min_and_cap():
    weights = zipf_weights(600, random.Random(1), exponent=1.1, offset=3.0)
    sizes = apportion(600_000, weights, minimum=2, cap=20_000)
    assert sum(sizes) == 600_000
    assert min(sizes) >= 2
    assert max(sizes) == 20_000
    # Zipf-like: the biggest tenth of groups hold most of the members.
    assert sum(sorted(sizes, reverse=True)[:60]) > 300_000


def test_apportion_refuses_an_impossible_share():
    with pytest.raises(ValueError):
        apportion(10, [1.0, 1.0], cap=4)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_seed_scale_makes_exact_counts_with_consistent_counters():
    call_command("seed_scale", scale=TINY, seed=7, verbosity=0)
    plan = plan_for(TINY)

    assert Region.objects.count() == 12
    assert Area.objects.count() == 60
    assert LocalGroup.objects.count() == plan.groups == 60
    assert Partner.objects.count() == 20
    assert User.objects.count() == 200
    assert Membership.objects.count() == 600
    assert Campaign.objects.count() == 24
    assert Event.objects.count() == 120
    assert Event.objects.filter(ends_at__gte=timezone.now()).count() == 8
    assert RSVP.objects.count() == 1_500
    assert ActionTaken.objects.count() == 2_000
    assert CampaignSupporter.objects.count() == 300
    assert Festival.objects.count() == 2

    current = Count("memberships", filter=Q(memberships__left_at__isnull=True))
    groups = LocalGroup.objects.annotate(current=current)
    assert groups.exclude(member_count=F("current")).count() == 0
    assert groups.filter(member_count__gt=0).count() == 60
    leads = Count("memberships", filter=Q(memberships__role="lead", memberships__left_at=None))
    assert LocalGroup.objects.annotate(leads=leads).filter(leads=0).count() == 0

    events = Event.objects.annotate(
        confirmed=Count("rsvps", filter=Q(rsvps__status="confirmed")),
        waiting=Count("rsvps", filter=Q(rsvps__status="waitlisted")),
    )
    assert events.exclude(confirmed_count=F("confirmed")).count() == 0
    assert events.exclude(waitlist_count=F("waiting")).count() == 0
    assert Event.objects.filter(capacity__lt=F("confirmed_count")).count() == 0
    assert Event.objects.filter(status="draft", confirmed_count__gt=0).count() == 0

    actions = Action.objects.annotate(
        taken_count=Count("taken", distinct=True),
        arrivals=Count("share_arrivals", distinct=True),
    )
    assert actions.exclude(kind="share").exclude(count=F("taken_count")).count() == 0
    assert actions.filter(kind="share").exclude(count=F("arrivals")).count() == 0
    assert Action.objects.aggregate(total=Count("taken"))["total"] == 2_000

    campaigns = Campaign.objects.annotate(supporters_n=Count("supporters"))
    assert campaigns.exclude(supporter_count=F("supporters_n")).count() == 0

    # Accounts share one unusable password, and the id sequences moved past the copied
    # ids, so the next ordinary insert works.
    assert User.objects.filter(password__startswith="!").count() == 200
    assert not User.objects.get(pk=1).has_usable_password()
    newcomer = User.objects.create_user("newcomer@example.org", "correct horse battery")
    assert newcomer.pk == 201
    assert LocalGroup.objects.create(area_id=1, name="New", slug="new", town="X").pk == 61


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_seed_scale_refuses_a_database_with_data():
    User.objects.create_user("someone@example.org", "correct horse battery")
    with pytest.raises(CommandError, match="already has users or groups"):
        call_command("seed_scale", scale=TINY, verbosity=0)
    assert LocalGroup.objects.count() == 0


def test_the_documented_commands_fill_a_fresh_database_without_redis():
    """docs/performance.md followed literally: a new database, DATABASE_URL set and no
    REDIS_URL (so the cache is the database table that only `make run` used to create),
    `migrate`, then `seed_scale`."""
    import os
    import subprocess
    import sys
    import uuid
    from pathlib import Path

    import psycopg2
    from django.conf import settings

    db = settings.DATABASES["default"]
    name = f"pp_fresh_{uuid.uuid4().hex[:8]}"
    server = {k.lower(): db[k] for k in ("HOST", "PORT", "USER", "PASSWORD") if db.get(k)}
    admin = psycopg2.connect(dbname="postgres", **server)
    admin.autocommit = True
    admin.cursor().execute(f'CREATE DATABASE "{name}"')
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    env["DATABASE_URL"] = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{name}"
    env["DEV_TOOLS"] = "1"
    root = Path(__file__).resolve().parents[2]
    try:
        for command in (["migrate"], ["seed_scale", "--scale", "0.001"]):
            result = subprocess.run(  # noqa: S603
                [sys.executable, "manage.py", *command],
                cwd=root,
                env=env,
                capture_output=True,
                text=True,
                timeout=900,
            )
            assert result.returncode == 0, result.stderr[-3000:]
        assert "seed_scale finished" in result.stdout
        count = psycopg2.connect(dbname=name, **server)
        with count, count.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM groups_localgroup")
            assert cursor.fetchone() == (60,)
            cursor.execute("SELECT count(*) FROM portal_cache")  # the version it bumped
            assert cursor.fetchone()[0] >= 1
        count.close()
    finally:
        admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
