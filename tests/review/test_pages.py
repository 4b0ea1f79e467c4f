"""The review pages: who may see them, what each reviewer sees, exports, query counts."""

import csv
import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign
from events.models import EventReport
from groups.models import Announcement
from partners.models import Partnership
from tests.campaigns.factories import CampaignFactory, FundingRequestFactory
from tests.events.factories import EventFactory, RSVPFactory
from tests.factories import UserFactory
from tests.groups.factories import (
    AreaFactory,
    LocalGroupFactory,
    MembershipFactory,
    RegionalRoleFactory,
    RegionFactory,
)
from tests.partners.factories import PartnerFactory, PartnerSuggestionFactory
from tests.queries import SESSION, TWO_FACTOR_CHECK

from .conftest import taken

pytestmark = pytest.mark.django_db

REGION_PAGES = ["review:dashboard", "review:trends", "review:summary", "review:groups_csv"]
GROUP_PAGES = ["review:group", "review:group_events_csv"]


def get(client, user, url):
    if user is not None:
        client.force_login(user)
    return client.get(url)


# --- who may see what ----------------------------------------------------------------------


@pytest.mark.parametrize("page", REGION_PAGES)
@pytest.mark.parametrize("who", [None, "activist", "member", "lead", "leicester_lead"])
def test_region_pages_are_404_for_everyone_but_reps_and_staff(client, world, page, who):
    user = getattr(world, who) if who else None

    response = get(client, user, reverse(page))

    assert response.status_code == 404


@pytest.mark.parametrize("page", REGION_PAGES)
@pytest.mark.parametrize("who", ["rep", "area_rep", "derbyshire_rep", "other_rep", "staff"])
def test_region_pages_answer_reps_and_staff(client, world, page, who):
    response = get(client, getattr(world, who), reverse(page))

    assert response.status_code == 200


@pytest.mark.parametrize("page", GROUP_PAGES)
@pytest.mark.parametrize(
    ("who", "status"),
    [
        (None, 404),
        ("activist", 404),
        ("member", 404),
        ("leicester_lead", 404),  # a lead of another group
        ("area_rep", 404),  # covers Leicestershire only
        ("other_rep", 404),  # another region
        ("lead", 200),
        ("derbyshire_rep", 200),
        ("rep", 200),
        ("staff", 200),
    ],
)
def test_group_pages_are_for_the_groups_leads_and_its_reps(client, world, page, who, status):
    user = getattr(world, who) if who else None

    response = get(client, user, reverse(page, args=["derby"]))

    assert response.status_code == status


def test_group_page_of_an_unknown_group_is_404(client, world):
    assert get(client, world.rep, reverse("review:group", args=["atlantis"])).status_code == 404


@pytest.mark.parametrize("page", ["review:dashboard", "review:summary", "review:trends"])
def test_area_rep_never_sees_another_areas_groups_notes_or_people(client, world, page):
    response = get(client, world.area_rep, reverse(page) + "?period=12m")

    content = response.content.decode()
    assert "Leicester" in content
    for secret in ["Derby", "Chesterfield", "Derbyshire", "private note", "Lena Lead"]:
        assert secret not in content.replace("Leicestershire", "")


def test_area_rep_csv_lists_only_their_area(client, world):
    response = get(client, world.area_rep, reverse("review:groups_csv") + "?period=12m")

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == ["Leicester"]


def test_rep_cannot_pick_a_region_they_do_not_cover(client, world):
    response = get(client, world.other_rep, reverse("review:dashboard") + "?region=midlands")

    content = response.content.decode()
    assert response.status_code == 200
    assert "You do not cover a region with that name, so this shows North West." in content
    assert "Manchester" in content
    assert "Derby" not in content


def test_rep_csv_with_another_region_exports_their_own(client, world):
    response = get(client, world.other_rep, reverse("review:groups_csv") + "?region=midlands")

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == ["Manchester"]


def test_staff_choose_any_region(client, world):
    client.force_login(world.staff)

    midlands = client.get(reverse("review:dashboard")).content.decode()
    north_west = client.get(reverse("review:dashboard") + "?region=north-west").content.decode()

    assert "Derby" in midlands and "Manchester" not in midlands
    assert "Manchester" in north_west and "Derby" not in north_west
    assert '<option value="north-west" selected>North West</option>' in north_west


def test_dashboard_lists_active_groups_in_scope_only(client, world):
    content = get(client, world.rep, reverse("review:dashboard")).content.decode()

    assert ">Derby</a>" in content
    assert ">Chesterfield</a>" in content
    assert ">Leicester</a>" in content
    assert "Closed group" not in content
    assert "Manchester" not in content


def test_group_page_shows_private_notes_leads_and_reports(client, world):
    content = get(
        client,
        world.rep,
        reverse("review:group", args=["derby"]) + "?period=custom&from=2025-01-01&to=2025-06-30",
    ).content.decode()

    assert "Derby private note active" in content
    assert "Derby private note prospect" in content
    assert "Leicester private note" not in content
    assert "Lena Lead" in content
    assert "Stall in the Market Place" in content
    assert "Report filed 12 Apr 2025: 12 came" in content
    assert "Derby welcomes" in content


def test_lead_sees_their_own_group_page_without_the_dashboard_link(client, world):
    response = get(client, world.lead, reverse("review:group", args=["derby"]))

    assert response.status_code == 200
    assert "Regional review</a>" not in response.content.decode()


# --- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "?period=custom&from=2025-13-01&to=2025-01-01",
        "?period=custom&from=2025-05-01",
        "?period=custom&from=2025-05-02&to=2025-05-01",
        "?period=custom&from=0001-01-01&to=2025-01-01",
        "?period=custom&from=1999-12-31&to=9999-12-31",
        "?period=whenever",
        "?sort=-password",
        "?sort=",
    ],
)
@pytest.mark.parametrize("page", [*REGION_PAGES, "review:group"])
def test_bad_input_never_breaks_a_page(client, world, query, page):
    args = ["derby"] if page == "review:group" else []

    response = get(client, world.rep, reverse(page, args=args) + query)

    assert response.status_code == 200


@pytest.mark.parametrize("page", [*REGION_PAGES, "review:group"])
def test_nul_in_the_query_string_is_a_bad_request(client, world, page):
    # portal.middleware.MalformedInputMiddleware: no view ever sees a NUL byte.
    args = ["derby"] if page == "review:group" else []
    assert get(client, world.rep, reverse(page, args=args) + "?region=%00").status_code == 400


def test_bad_dates_are_explained(client, world):
    response = get(
        client,
        world.rep,
        reverse("review:dashboard") + "?period=custom&from=2025-05-02&to=2025-05-01",
    )

    content = response.content.decode()
    assert "Those dates did not work, so this shows the last 90 days." in content
    assert "The from date must be on or before the to date." in content


# --- exact figures through the pages -------------------------------------------------------


@pytest.fixture
def recent(db):
    """A region with one group whose figures, relative to the real clock, are known."""
    now = timezone.now()
    region = RegionFactory(name="East", slug="east")
    group = LocalGroupFactory(area=AreaFactory(region=region, name="Norfolk"), name="=Norwich")
    MembershipFactory(group=group, lead=True, joined_at=now - dt.timedelta(days=400))
    MembershipFactory(group=group, joined_at=now - dt.timedelta(days=10))
    held = EventFactory(
        group=group,
        title="Stall",
        starts_at=now - dt.timedelta(days=10),
        ends_at=now - dt.timedelta(days=10, hours=-2),
    )
    RSVPFactory(event=held, checked_in_at=held.starts_at)
    RSVPFactory(event=held)
    reported = EventFactory(
        group=group,
        title="+Talk",
        starts_at=now - dt.timedelta(days=40),
        ends_at=now - dt.timedelta(days=40, hours=-2),
    )
    EventReport.objects.create(event=reported, attendance=9, filed_at=now - dt.timedelta(days=39))
    EventFactory(group=group, title="Next week")
    return {"group": group, "rep": RegionalRoleFactory(region=region).user, "now": now}


def test_groups_csv_has_every_figure_and_is_formula_safe(client, recent):
    response = get(client, recent["rep"], reverse("review:groups_csv") + "?period=30d")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="review-east-30d.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    last = timezone.localtime(recent["now"] - dt.timedelta(days=10)).date().isoformat()
    assert rows == [
        [
            "Group",
            "Area",
            "Members",
            "New members",
            "Events held",
            "RSVPs",
            "People who came",
            "Reports filed",
            "Reports due",
            "Active campaigns",
            "Actions by members",
            "Active partnerships",
            "New partnerships",
            "Letters online",
            "Letters on paper",
            "Cases adopted",
            "Case outcomes",
            "Last activity",
            "Health flags",
        ],
        ["'=Norwich", "Norfolk", "2", "1", "1", "2", "1", "0", "1", "0", "0", "0", "0",
         "0", "0", "0", "0", last, "Reports overdue"],
    ]  # fmt: skip


def test_group_events_csv_lists_the_period_and_is_formula_safe(client, recent):
    response = get(
        client,
        recent["rep"],
        reverse("review:group_events_csv", args=[recent["group"].slug]) + "?period=90d",
    )

    assert response["Content-Disposition"] == (
        f'attachment; filename="{recent["group"].slug}-events-90d.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "Starts (Europe/London)",
        "Event",
        "Status",
        "Kind",
        "Venue or mode",
        "RSVPs",
        "Checked in",
        "People who came",
        "Report filed",
        "Attendance reported",
        "New contacts",
    ]
    # Newest first; the event next week is not in the period.
    assert [row[1:4] + row[5:] for row in rows[1:]] == [
        ["Stall", "Published", "Workshop", "2", "1", "1", "no", "", ""],
        ["'+Talk", "Published", "Workshop", "0", "0", "9", "yes", "9", "0"],
    ]


def test_dashboard_shows_the_figures_of_the_period(client, recent):
    content = get(client, recent["rep"], reverse("review:dashboard") + "?period=90d").content
    row = content.decode().split("=Norwich</a>", 1)[1].split("</tr>", 1)[0]

    # members, new, events, RSVPs, came (9 reported + 1 checked in), filed, due, campaigns,
    # actions, partnerships, new partnerships, letters online, on paper, cases, outcomes
    assert re.findall(r'<td class="text-end">(\d+)</td>', row) == [
        "2", "1", "2", "2", "10", "1", "2", "0", "0", "0", "0", "0", "0", "0", "0",
    ]  # fmt: skip
    assert '<span class="review-flag">Reports overdue</span>' in row


# --- the queue -------------------------------------------------------------------------------


@pytest.fixture
def queue_items(world):
    proposal = CampaignFactory(
        regional=True, region=world.midlands, proposed=True, title="Lift the Ban Midlands"
    )
    CampaignFactory(regional=True, region=world.north_west, proposed=True, title="NW proposal")
    derby_campaign = Campaign.objects.get(title="Derby welcomes")
    funding = FundingRequestFactory(campaign=derby_campaign, purpose="Banners for Peace Week")
    leicester_funding = FundingRequestFactory(
        campaign=CampaignFactory(local=True, group=world.leicester), purpose="Leicester leaflets"
    )
    suggestion = PartnerSuggestionFactory(area=world.derbyshire, name="Derby Refugee Drop-in")
    PartnerSuggestionFactory(area=world.leicestershire, name="Leicester Faith Forum")
    return {
        "proposal": proposal,
        "funding": funding,
        "leicester_funding": leicester_funding,
        "suggestion": suggestion,
    }


def test_queue_for_a_regional_rep_has_every_kind_with_its_action(client, world, queue_items):
    content = get(client, world.rep, reverse("review:dashboard")).content.decode()

    proposal, funding = queue_items["proposal"], queue_items["funding"]
    assert "Lift the Ban Midlands" in content
    assert "NW proposal" not in content
    assert f'action="{reverse("campaigns:approve", args=[proposal.slug])}"' in content
    assert f'action="{reverse("campaigns:decline", args=[proposal.slug])}"' in content
    assert "Banners for Peace Week" in content and "Leicester leaflets" in content
    approve_funding = reverse(
        "campaigns:funding_step", args=[funding.campaign.slug, funding.pk, "approve"]
    )
    assert f'action="{approve_funding}"' in content
    assert "Derby Refugee Drop-in" in content and "Leicester Faith Forum" in content
    suggestion = queue_items["suggestion"]
    assert f'action="{reverse("partners:suggestion_accept", args=[suggestion.pk])}"' in content


def test_queue_for_an_area_rep_is_their_area_only(client, world, queue_items):
    content = get(client, world.area_rep, reverse("review:dashboard")).content.decode()

    assert "Lift the Ban Midlands" not in content  # regional proposals: reps of the region
    assert "Leicester leaflets" in content
    assert "Banners for Peace Week" not in content
    assert "Leicester Faith Forum" in content
    assert "Derby Refugee Drop-in" not in content


def test_queue_for_staff_shows_items_without_decision_forms(client, world, queue_items):
    content = get(client, world.staff, reverse("review:dashboard")).content.decode()

    assert "Lift the Ban Midlands" in content
    assert "A rep of the region decides." in content
    assert "The reps covering the group decide." in content
    assert reverse("campaigns:approve", args=[queue_items["proposal"].slug]) not in content


def test_queue_approve_form_works_against_the_campaigns_view(client, world, queue_items):
    proposal = queue_items["proposal"]
    client.force_login(world.rep)

    response = client.post(reverse("campaigns:approve", args=[proposal.slug]))

    proposal.refresh_from_db()
    assert response.status_code == 302
    assert proposal.status == Campaign.Status.ACTIVE


def test_queue_suggestion_decline_form_fields_match_the_partners_view(client, world, queue_items):
    suggestion = queue_items["suggestion"]
    client.force_login(world.rep)

    client.post(
        reverse("partners:suggestion_decline", args=[suggestion.pk]), {"reason": "Not local"}
    )

    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.decline_reason) == ("declined", "Not local")


def test_queue_lists_overdue_reports_until_they_are_filed(client, recent):
    content = get(client, recent["rep"], reverse("review:dashboard")).content.decode()

    assert "Overdue event reports" in content
    assert "Stall (=Norwich)" in content
    assert "Nothing is waiting for you" not in content
    EventReport.objects.create(event=recent["group"].events.get(title="Stall"), attendance=1)
    content = get(client, recent["rep"], reverse("review:dashboard")).content.decode()
    assert "Nothing is waiting for you in East" in content


# --- charts -----------------------------------------------------------------------------------


def test_charts_are_accessible_inline_svg_without_styles_or_scripts(client, world):
    content = get(client, world.rep, reverse("review:trends")).content.decode()

    assert content.count('role="img"') == 9  # region + two areas, three charts each
    assert 'aria-labelledby="trend-all-events-title trend-all-events-desc"' in content
    assert "<caption>Midlands: figures per month (the charts above)</caption>" in content
    assert "style=" not in content
    assert "<script>" not in content
    assert "cdn" not in content.lower()


# --- query counts ---------------------------------------------------------------------------


def busy_region(n):
    """n groups in one region, each with a bit of everything, and a rep."""
    now = timezone.now()
    region = RegionFactory()
    area = AreaFactory(region=region)
    for _ in range(n):
        group = LocalGroupFactory(area=area)
        lead = MembershipFactory(group=group, lead=True).user
        MembershipFactory(group=group, joined_at=now - dt.timedelta(days=3))
        held = EventFactory(
            group=group,
            starts_at=now - dt.timedelta(days=20),
            ends_at=now - dt.timedelta(days=20, hours=-2),
        )
        RSVPFactory(event=held, checked_in_at=held.starts_at)
        overdue = EventFactory(
            group=group,
            starts_at=now - dt.timedelta(days=30),
            ends_at=now - dt.timedelta(days=30, hours=-2),
        )
        RSVPFactory(event=overdue)
        EventReport.objects.create(event=held, attendance=4)
        campaign = CampaignFactory(local=True, group=group)
        taken(lead, now - dt.timedelta(days=1), campaign)
        FundingRequestFactory(campaign=campaign)
        Partnership.objects.create(group=group, partner=PartnerFactory(), status="active")
        Announcement.objects.create(group=group, title="News", body="News")
        PartnerSuggestionFactory(area=area)
        CampaignFactory(regional=True, region=region, proposed=True)
    return RegionalRoleFactory(region=region).user


@pytest.mark.parametrize("n", [3, 30])
@pytest.mark.parametrize(
    ("page", "queries"),
    [
        # with the regional conference resolutions' queue section (resolutions) and the
        # conversation reports' section and the regional team (conversations)
        ("review:dashboard", 31),
        # the summary adds one for resolutions and one for the regional team
        ("review:summary", 27),
        ("review:trends", 8),
        # the reviewer check is answered by the two-factor check (SESSION)
        ("review:groups_csv", 15),
    ],
)
def test_region_pages_make_the_same_queries_for_3_and_30_groups(
    client, django_assert_num_queries, n, page, queries
):
    client.force_login(busy_region(n))

    with django_assert_num_queries(queries + SESSION):
        response = client.get(reverse(page))

    assert response.status_code == 200


@pytest.mark.parametrize("n", [1, 3])
@pytest.mark.parametrize(
    ("page", "queries"), [("review:group", 24), ("review:group_events_csv", 4)]
)
def test_group_pages_make_the_same_queries_for_1_and_3_events(
    client, django_assert_num_queries, n, page, queries
):
    group = LocalGroupFactory()
    lead = MembershipFactory(group=group, lead=True).user
    now = timezone.now()
    for i in range(n):
        event = EventFactory(
            group=group,
            starts_at=now - dt.timedelta(days=10 + i),
            ends_at=now - dt.timedelta(days=10 + i, hours=-2),
        )
        RSVPFactory(event=event, checked_in_at=event.starts_at)
        EventReport.objects.create(event=event, attendance=3)
        Partnership.objects.create(group=group, partner=PartnerFactory(), private_notes="x")
        FundingRequestFactory(campaign=CampaignFactory(local=True, group=group))
        MembershipFactory(group=group, lead=True, user=UserFactory())
    client.force_login(lead)

    with django_assert_num_queries(queries + SESSION):
        response = client.get(reverse(page, args=[group.slug]))

    assert response.status_code == 200


@pytest.mark.django_db
def test_dashboard_page_is_cached_and_its_figures_are_kept_through_edits(client, world, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from portal import pagecache

    settings.REVIEW_CACHE_SECONDS = 300
    client.force_login(world.rep)
    url = reverse("review:dashboard")

    def queries():
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context.captured_queries)

    computed = queries()
    cached = queries()
    pagecache.bump_everything()  # what a seed does; a write bumps the private scope
    after_edit = queries()
    if settings.REDIS_URL:
        # The whole page is cached: what is left is the user and the two-factor check,
        # which also answers the reviewer check. After an edit the page is built again,
        # but the eleven grouped figure queries (three of them the cases') and the three
        # trend queries are not made: the figures are kept for their five minutes.
        assert (cached, after_edit) == (1 + TWO_FACTOR_CHECK, computed - 14)
    else:  # the database cache's own reads and writes are queries too
        assert cached < after_edit < computed


def test_figures_are_worked_out_again_at_the_next_step(world, settings):
    from review import figures as review

    settings.REVIEW_CACHE_SECONDS = 300
    groups = [world.derby]
    now = review.figures_time(timezone.now())
    period = review.preset_period("90d", now)
    before = review.cached_group_rows(groups, period, now)[0].new_members
    MembershipFactory(group=world.derby, joined_at=now - dt.timedelta(days=1))

    assert review.cached_group_rows(groups, period, now)[0].new_members == before
    later = now + dt.timedelta(seconds=300)
    later_period = review.preset_period("90d", later)
    assert review.cached_group_rows(groups, later_period, later)[0].new_members == before + 1
