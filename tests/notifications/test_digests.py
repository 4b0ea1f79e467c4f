from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from campaigns.models import (
    Action,
    ActionTaken,
    Campaign,
    CampaignSupporter,
    CampaignUpdate,
    FundingRequest,
)
from events.models import RSVP, EventReport
from front import digests
from groups.models import LocalGroup, Membership, TeamRole
from partners.models import PartnerSuggestion
from portal import bulk
from portal.models import BulkBatch, BulkRun, OutboxMessage
from tests.factories import UserFactory
from tests.groups.factories import LocalGroupFactory, MembershipFactory, RegionalRoleFactory

from .conftest import london, make_event, make_venue, rsvp

pytestmark = pytest.mark.django_db


def campaign(title, **fields):
    defaults = {
        "slug": title.lower().replace(" ", "-"),
        "summary": title,
        "target_name": "The Home Secretary",
        "target_kind": Campaign.TargetKind.GOVERNMENT,
        "goal": "Change the rule",
        "status": Campaign.Status.ACTIVE,
        "scope": Campaign.Scope.NATIONAL,
    }
    return Campaign.objects.create(title=title, **{**defaults, **fields})


@pytest.fixture
def world(derby):
    """A small known dataset: one of everything each digest reports, and one of each thing
    it must leave out."""
    now = timezone.now()
    region = derby.area.region
    belper = LocalGroupFactory(area=derby.area, name="Belper", slug="belper")
    ripley = LocalGroupFactory(area=derby.area, name="Ripley", slug="ripley")
    leeds = LocalGroupFactory(name="Leeds", slug="leeds", latitude=53.8, longitude=-1.55)
    ada = UserFactory(display_name="Ada", postcode_district="DE1", campaign_digest_consent_at=now)
    MembershipFactory(group=derby.group, user=ada, joined_at=now - timedelta(days=30))
    lift = campaign("Lift the Ban", scope=Campaign.Scope.REGIONAL, region=region)
    other = campaign("Think Twice")
    CampaignSupporter.objects.create(campaign=lift, user=ada)
    Action.objects.create(campaign=lift, kind=Action.Kind.SIGN, title="Sign the letter")
    pledge = Action.objects.create(campaign=lift, kind=Action.Kind.PLEDGE, title="Pledge support")
    Action.objects.create(campaign=other, kind=Action.Kind.SIGN, title="Other campaign action")
    ActionTaken.objects.create(action=pledge, user=ada)
    CampaignUpdate.objects.create(
        campaign=lift, title="MPs respond", body="x", created_at=now - timedelta(days=2)
    )
    CampaignUpdate.objects.create(
        campaign=lift, title="Old news", body="x", created_at=now - timedelta(days=10)
    )
    CampaignUpdate.objects.create(
        campaign=other, title="Not my campaign", body="x", created_at=now - timedelta(days=1)
    )
    stall = make_event(
        group=derby.group, title="Derby stall", starts_at=now + timedelta(days=3), capacity=1
    )
    make_event(
        group=derby.group,
        title="Derby planning meeting",
        starts_at=now + timedelta(days=4),
        visibility="members",
    )
    make_event(
        group=belper,
        title="Belper film night",
        starts_at=now + timedelta(days=5),
        venue=make_venue(),
    )
    make_event(
        group=belper,
        title="Belper members only",
        starts_at=now + timedelta(days=5),
        visibility="members",
    )
    make_event(group=leeds, title="Leeds vigil", starts_at=now + timedelta(days=5))
    make_event(group=derby.group, title="Next month", starts_at=now + timedelta(days=40))
    # Lead: a new member, a departure, RSVPs and a waitlist, a report owed, a proposal.
    MembershipFactory(
        group=derby.group, user__display_name="Mo New", joined_at=now - timedelta(days=2)
    )
    MembershipFactory(
        group=derby.group,
        user__display_name="Dee Parted",
        joined_at=now - timedelta(days=100),
        left_at=now - timedelta(days=3),
    )
    rsvp(stall, UserFactory())
    RSVP.objects.create(event=stall, user=UserFactory(), status=RSVP.Status.WAITLISTED)
    stall.__class__.objects.filter(pk=stall.pk).update(waitlist_count=1)
    make_event(group=derby.group, title="Derby vigil", starts_at=now - timedelta(days=10))
    reported = make_event(
        group=derby.group, title="Reported talk", starts_at=now - timedelta(days=9)
    )
    EventReport.objects.create(event=reported, attendance=12)
    campaign(
        "Derby council motion", status=Campaign.Status.PROPOSED, scope="local", group=derby.group
    )
    PartnerSuggestion.objects.create(
        area=derby.area, name="Derby Refugee Centre", reason="They help", town="Derby"
    )
    # Rep: Belper and Ripley have no lead; Ripley has had no event in 90 days.
    rep = RegionalRoleFactory(region=region, user__display_name="Rita Rep").user
    campaign(
        "Midlands Ethical Batteries",
        status=Campaign.Status.PROPOSED,
        scope="regional",
        region=region,
    )
    FundingRequest.objects.create(
        campaign=lift,
        amount=Decimal("150.00"),
        purpose="Banners",
        needed_by=(now + timedelta(days=20)).date(),
    )
    return {"ada": ada, "lead": derby.lead, "rep": rep, "ripley": ripley, "now": now}


def run_digest(kind, now) -> list[OutboxMessage]:
    run = digests.plan_run(kind=kind, period="2027-W09", since=now - timedelta(days=7), now=now)
    for batch in run.batches.all():
        bulk.build_batch(batch_id=batch.pk, now=now)
    return list(OutboxMessage.objects.filter(kind=f"digest_{kind}").order_by("to"))


def test_activist_digest_contents(world):
    (message,) = run_digest(digests.Kind.ACTIVIST_WEEKLY, world["now"])
    assert message.to == world["ada"].email
    assert message.dedupe_key == f"digest:activist:{world['ada'].pk}:2027-W09"
    text = message.body_text
    for wanted in [
        "Derby stall",
        "Derby planning meeting",
        "NEAR DE1",
        "Belper film night",
        "Lift the Ban: MPs respond",
        "Sign the letter",
    ]:
        assert wanted in text, wanted
    for unwanted in [
        "Belper members only",
        "Leeds vigil",
        "Next month",
        "Old news",
        "Not my campaign",
        "Pledge support",
        "Other campaign action",
    ]:
        assert unwanted not in text, unwanted
    assert "Derby stall" in message.body_html


def test_lead_digest_contents(world):
    (message,) = run_digest(digests.Kind.LEAD, world["now"])
    assert message.to == world["lead"].email
    text = message.body_text
    assert "New members: Mo New" in text
    assert "Left: Dee Parted" in text
    assert "Derby stall, 1 coming of 1, 1 on the waitlist" in text
    assert "Derby vigil" in text
    assert "Reported talk" not in text
    assert "Derby council motion" in text
    assert "Derby Refugee Centre (Derby)" in text
    assert "Midlands Ethical Batteries" not in text


def test_rep_digest_contents(world):
    (message,) = run_digest(digests.Kind.REP, world["now"])
    assert message.to == world["rep"].email
    text = message.body_text
    assert "- Derby: 3 members, 2 new, 0 held, 3 coming up\n" in text
    assert (
        "- Ripley: 0 members, 0 new, 0 held, 0 coming up [no event in 90 days] [no active lead]"
        in text
    )
    assert "No event in 90 days: Ripley" in text
    assert "No active lead: Belper, Ripley" in text
    assert "Midlands Ethical Batteries" in text
    assert "£150.00 for Lift the Ban" in text
    assert "Derby Refugee Centre (Derbyshire)" in text
    assert "Leeds" not in text


def test_empty_digests_are_not_sent_and_nobody_gets_one_without_consent(derby):
    now = timezone.now()
    UserFactory(campaign_digest_consent_at=now)  # consented, but nothing to tell
    member = UserFactory()  # no consent
    MembershipFactory(group=derby.group, user=member)
    make_event(group=derby.group, starts_at=now + timedelta(days=2))
    assert run_digest(digests.Kind.ACTIVIST_WEEKLY, now) == []
    run = BulkRun.objects.get(kind=digests.Kind.ACTIVIST_WEEKLY)
    assert (run.recipients, list(run.batches.values_list("status", "queued"))) == (
        1,
        [("queued", 0)],
    )


def test_digest_has_unsubscribe_link_and_rfc8058_headers_and_is_delivered_once(world):
    run_digest(digests.Kind.ACTIVIST_WEEKLY, world["now"])
    batch = BulkBatch.objects.get()
    assert bulk.deliver_batch(batch_id=batch.pk) == {"sent": 1}
    assert bulk.deliver_batch(batch_id=batch.pk) == {}
    (sent,) = mail.outbox
    url = sent.extra_headers["List-Unsubscribe"].strip("<>")
    assert url.startswith("https://portal.example.org/notifications/unsubscribe/")
    assert sent.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"Unsubscribe (one click): {url}" in sent.body
    assert f'href="{url}"' in sent.alternatives[0][0]
    batch.refresh_from_db()
    assert batch.status == BulkBatch.Status.DONE


def test_digest_runs_are_planned_once_in_the_london_morning(settings, derby):
    UserFactory(campaign_digest_consent_at=timezone.now(), digest_frequency="daily")
    monday = london(2027, 3, 29, 7, 5)  # the first Monday of BST
    assert digests.runs_due(london(2027, 3, 29, 6, 59)) == []
    assert [k for k, _, _ in digests.runs_due(london(2027, 3, 30, 7, 0))] == ["activist_daily"]
    assert digests.runs_due(monday) == [
        ("activist_daily", "2027-03-29", london(2027, 3, 28, 7, 0)),
        ("activist_weekly", "2027-W13", london(2027, 3, 22, 7, 0)),
        ("lead", "2027-W13", london(2027, 3, 22, 7, 0)),
        ("rep", "2027-W13", london(2027, 3, 22, 7, 0)),
    ]
    assert digests.run_digest_tick(now=monday) == {"runs": 4, "dispatched": 2}
    assert digests.run_digest_tick(now=monday + timedelta(minutes=15)) == {
        "runs": 4,
        "dispatched": 0,
    }
    assert BulkRun.objects.count() == 4
    # Daily activists and leads; nobody is weekly and there is no rep.
    assert BulkBatch.objects.count() == 2


def test_lost_batch_is_dispatched_again_after_the_redispatch_delay(settings, derby):
    now = london(2027, 3, 29, 7, 0)
    digests.run_digest_tick(now=now)
    assert bulk.dispatch_batches(now=now + timedelta(minutes=5)) == 0
    stale = now + timedelta(seconds=settings.DIGEST_REDISPATCH_SECONDS + 1)
    assert bulk.dispatch_batches(now=stale) == BulkBatch.objects.count() == 1  # the lead


def test_batch_whose_worker_died_is_dispatched_again_after_the_short_stale_time(settings, derby):
    """A worker that started a batch and died: its claim (the batch's started-at time)
    goes stale a little after the task's hard time limit, minutes rather than an hour."""
    assert settings.CELERY_TASK_TIME_LIMIT < settings.BULK_BATCH_STALE_SECONDS <= 600
    now = london(2027, 3, 29, 7, 0)
    digests.run_digest_tick(now=now)
    batch = BulkBatch.objects.get()
    assert bulk.claim_batch(batch_id=batch.pk, now=now)  # a worker starts it, then dies
    # Another copy of the task meanwhile (a redelivered message) does nothing.
    assert not bulk.claim_batch(batch_id=batch.pk, now=now + timedelta(minutes=1))
    just_before = now + timedelta(seconds=settings.BULK_BATCH_STALE_SECONDS - 1)
    assert bulk.dispatch_batches(now=just_before) == 0
    gone = now + timedelta(seconds=settings.BULK_BATCH_STALE_SECONDS + 1)
    assert bulk.dispatch_batches(now=gone) == 1
    assert bulk.dispatch_batches(now=gone + timedelta(minutes=1)) == 0  # handed out once
    assert bulk.claim_batch(batch_id=batch.pk, now=gone + timedelta(minutes=1))


def make_activists(n: int, now):
    """n consenting activists, each in a group with an event, supporting a campaign with an
    update and an action: every section of every digest has something in it."""
    lift = campaign("Lift the Ban")
    action = Action.objects.create(campaign=lift, kind=Action.Kind.SIGN, title="Sign")
    CampaignUpdate.objects.create(campaign=lift, title="News", body="x", created_at=now)
    groups = [LocalGroupFactory() for _ in range(n)]
    users = UserFactory.create_batch(n, campaign_digest_consent_at=now, postcode_district="DE1")
    Membership.objects.bulk_create(
        Membership(group=g, user=u) for g, u in zip(groups, users, strict=True)
    )
    CampaignSupporter.objects.bulk_create(CampaignSupporter(campaign=lift, user=u) for u in users)
    ActionTaken.objects.bulk_create(ActionTaken(action=action, user=u) for u in users[::2])
    for group in groups:
        make_event(group=group, starts_at=now + timedelta(days=3), venue=make_venue())


def give_them_talk_and_resolutions(users, now):
    """For the activists of make_activists (each in a group, all in one region): conversation
    lines from threads in each one's group (they replied, so they follow it), in the
    region's noticeboard and in the festival all their groups host (whole places they
    follow), and in the campaign (a thread they follow), each with posts by someone else
    in the period; and resolution lines: new ones open for support at the AGM and at
    their region's conference, and a result."""
    from conversations import services as talk
    from conversations.permissions import Place
    from resolutions import services as resolutions
    from resolutions.models import Meeting
    from tests.events.factories import FestivalFactory
    from tests.resolutions.factories import MeetingFactory, open_resolution

    groups = [m.group for m in Membership.objects.filter(user__in=users).select_related("group")]
    LocalGroup.objects.filter(pk__in=[g.pk for g in groups]).update(area=groups[0].area)
    region = groups[0].area.region
    poster = UserFactory(display_name="Poster")
    lift = Campaign.objects.get(slug="lift-the-ban")
    festival = FestivalFactory(host_groups=groups)
    places = [Place("region", region), Place("festival", festival)]
    shared = [talk.start_thread(place=p, by=poster, title=f"In {p.kind}", body="x") for p in places]
    campaign_thread = talk.start_thread(
        place=Place("campaign", lift), by=poster, title="Lift the Ban locally", body="x"
    )
    for user, group in zip(users, groups, strict=True):
        thread = talk.start_thread(place=Place("group", group), by=poster, title="Rota", body="x")
        talk.reply(thread=thread, by=user, body="I can do Saturday")
        talk.reply(thread=thread, by=poster, body="Thanks")
        for place in places:
            talk.set_follow(user=user, place=place, mode="follow")
        talk.set_follow(user=user, thread=campaign_thread, mode="follow")
    for thread in [*shared, campaign_thread]:
        talk.reply(thread=thread, by=poster, body="More news")
    agm = MeetingFactory(name="The AGM", members_needed=1, groups_needed=1)
    open_resolution(meeting=agm, title="National one")
    conference = MeetingFactory(kind=Meeting.Kind.REGIONAL, region=region, name="Conference")
    open_resolution(meeting=conference, group=groups[0], title="Regional one")
    decided = open_resolution(meeting=agm, title="Decided one")
    resolutions.support(resolution=decided, user=UserFactory())
    staff = UserFactory(is_staff=True)
    resolutions.decide(resolution=decided, by=staff, decision="accept")
    resolutions.record_result(
        resolution=decided, by=staff, result="passed", votes_for=7, votes_against=1, abstentions=0
    )


# PostgreSQL only: SQLite's 999-parameter limit makes Django split the bulk insert of 100
# outbox rows in two, which is SQLite's limit rather than a query per recipient.
@pytest.mark.postgres
@pytest.mark.parametrize("n", [1, 50])
def test_digest_batch_query_count_does_not_grow_with_recipients(django_assert_num_queries, n):
    now = timezone.now()
    make_activists(n, now)
    run = digests.plan_run(
        kind=digests.Kind.ACTIVIST_WEEKLY, period="2027-W09", since=now - timedelta(days=7)
    )
    batch = run.batches.get()
    # 14, 3 for resolutions (the groups' regions, new ones to support, results), 1 for the
    # conversations' new posts, 1 for the regional teams; the first batch a worker builds
    # for a run also fetches the run's public events, their co-hosts and the good news
    # (front.digests.RunItems), which later batches do not
    with django_assert_num_queries(20):
        assert bulk.build_batch(batch_id=batch.pk, now=now) == n


@pytest.mark.postgres
@pytest.mark.parametrize("n", [1, 50])
def test_digest_batch_with_conversation_and_resolution_lines_has_the_same_query_count(
    django_assert_num_queries, n
):
    """Every reader has a line for each of n + 3 threads' places they follow (their
    group's, the region's, the festival's, the campaign's) and three resolution lines;
    the batch still costs the same queries at 1 and 50 readers."""
    now = timezone.now()
    make_activists(n, now)
    users = list(digests.recipients(digests.Kind.ACTIVIST_WEEKLY).order_by("pk"))
    give_them_talk_and_resolutions(users, now)
    now = timezone.now()
    run = digests.plan_run(
        kind=digests.Kind.ACTIVIST_WEEKLY, period="2027-W11", since=now - timedelta(days=7)
    )
    batch = run.batches.get()
    # The 20 above, and for the conversations (the threads found, then for the whole
    # batch): the period's authors, follows, the readers' posts in those threads, leads of
    # the threads' groups, and who may read: memberships, rep roles, the groups' areas,
    # the campaign, its supporters and participating groups, the festival's hosts.
    with django_assert_num_queries(31):
        assert bulk.build_batch(batch_id=batch.pk, now=now) == n
    for message in OutboxMessage.objects.filter(bulk_batch=batch):
        text = message.body_text
        for line in ("Rota", "In region", "In festival", "Lift the Ban locally"):
            assert line in text, (line, text)
        assert "National one" in text and "Regional one" in text
        assert "Decided one (The AGM): passed, 7 for, 1 against" in text


def test_a_precompiled_digest_is_the_digest_rendered_for_each_person():
    """Two people with the same items share one rendering; each gets their own name
    (escaped as the template would) and unsubscribe link, byte for byte what rendering
    the template for them gives."""
    from types import SimpleNamespace

    from portal import notifications
    from portal.services import render_email

    now = timezone.now()
    make_activists(1, now)
    run = digests.plan_run(
        kind=digests.Kind.ACTIVIST_WEEKLY, period="2027-W10", since=now - timedelta(days=7)
    )
    users = list(digests.recipients(run.kind))
    context = digests.activist_contexts(users, run, now)[users[0].pk]
    template = bulk.PrecompiledEmail("digest_activist", personal=("name", "unsubscribe"))
    url_of = notifications.unsubscribe_url_maker("activist")
    shared = {"run": run, "since": run.since, "weekly": True, "settings_url": "https://x/s"}
    for user_id, name in ((7, 'Ada "A&B" <Lovelace>'), (8, "Ben")):
        assert url_of(user_id) == notifications.unsubscribe_url(user_id, "activist")
        made = template.render(
            shared=bulk.fingerprint(context),
            context=lambda: {
                **context,
                **shared,
                "user": SimpleNamespace(public_name=template.slot("name")),
                "unsubscribe_url": template.slot("unsubscribe"),
            },
            values={"name": name, "unsubscribe": url_of(user_id)},
        )
        expected = render_email(
            "digest_activist",
            {
                **context,
                **shared,
                "user": SimpleNamespace(public_name=name),
                "unsubscribe_url": url_of(user_id),
            },
        )
        assert made == expected
    assert template.renders == 1


def test_activist_digest_names_the_regional_team_of_the_members_region_only(world):
    """Issue 19: the digest of a member of a group in the region carries its team (roles
    held, names, the region page's contact form), never an address; supporters who are
    members of no group there, and members in another region, get no such block."""
    region = world["ada"].memberships.get().group.area.region
    rita = world["rep"]
    TeamRole.objects.create(region=region, title="Regional rep", holder=rita, position=0)
    TeamRole.objects.create(
        region=region, title="Campaigns coordinator", holder=UserFactory(display_name="Cam Co")
    )
    TeamRole.objects.create(region=region, title="Trainer")  # vacant: not listed
    lift = Campaign.objects.get(title="Lift the Ban")
    now = world["now"]
    leeds = LocalGroupFactory(name="Leeds North", slug="leeds-north")
    TeamRole.objects.create(region=leeds.area.region, title="Media", holder=UserFactory())
    for name, group in (("Bea Leeds", leeds), ("Cy Supporter", None)):
        user = UserFactory(display_name=name, campaign_digest_consent_at=now)
        CampaignSupporter.objects.create(campaign=lift, user=user)
        if group is not None:
            MembershipFactory(group=group, user=user)

    messages = {m.user.public_name: m for m in run_digest(digests.Kind.ACTIVIST_WEEKLY, now)}

    assert sorted(messages) == ["Ada", "Bea Leeds", "Cy Supporter"]
    contact = f"{settings.SITE_URL}/regions/{region.slug}/#write-to-the-team"
    assert (
        f"YOUR REGIONAL TEAM: {region.name.upper()}\n"
        "- Regional rep: Rita Rep\n"
        "- Campaigns coordinator: Cam Co\n"
        "Write to the team (your message is passed on; their addresses stay private): "
        f"{contact}\n"
    ) in messages["Ada"].body_text
    assert "Trainer" not in messages["Ada"].body_text
    assert f'<a href="{contact}">Write to the {region.name} team</a>' in messages["Ada"].body_html
    assert rita.email not in messages["Ada"].body_text + messages["Ada"].body_html
    for other in ("Bea Leeds", "Cy Supporter"):
        assert "Rita Rep" not in messages[other].body_text + messages[other].body_html
    assert "REGIONAL TEAM" not in messages["Cy Supporter"].body_text
    leeds_region = leeds.area.region.name.upper()
    assert f"YOUR REGIONAL TEAM: {leeds_region}\n- Media: " in messages["Bea Leeds"].body_text
