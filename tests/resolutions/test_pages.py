"""The pages: what each shows, the refusals with their messages, and constant query counts."""

import pytest
from django.urls import reverse

from resolutions import services
from resolutions.models import Meeting, Resolution
from tests.factories import UserFactory
from tests.groups.factories import LocalGroupFactory, MembershipFactory, RegionalRoleFactory
from tests.queries import SESSION
from tests.resolutions.factories import (
    MeetingFactory,
    ResolutionFactory,
    lead_of,
    open_resolution,
)

pytestmark = pytest.mark.django_db


def on_agenda(meeting, n_cosponsors=1) -> Resolution:
    resolution = open_resolution(meeting=meeting)
    for _ in range(n_cosponsors):
        group = LocalGroupFactory()
        services.cosponsor(resolution=resolution, group=group, by=lead_of(group))
    for user in UserFactory.create_batch(meeting.members_needed):
        services.support(resolution=resolution, user=user)
    staff = UserFactory(is_staff=True)
    return services.decide(resolution=resolution, by=staff, decision="accept")


@pytest.mark.parametrize("n", [1, 3])
def test_list_query_count_is_constant(client, django_assert_num_queries, n):
    for _ in range(n):
        open_resolution(meeting=MeetingFactory())
    ResolutionFactory()  # a draft: not listed
    with django_assert_num_queries(4):
        html = client.get(reverse("resolutions:list")).content.decode()
    assert html.count("Open for support</span>") == n
    assert "needs 2 groups (its proposing group and co-sponsors) and 3 members" in html


def test_list_filters_and_searches(client):
    meeting = MeetingFactory(slug="agm-x")
    wanted = open_resolution(meeting=meeting, title="Batteries without abuse")
    open_resolution(meeting=meeting, title="Refugees welcome")
    open_resolution(title="Batteries elsewhere")
    html = client.get(reverse("resolutions:list"), {"q": "battery", "meeting": "agm-x"}).content
    assert wanted.title.encode() in html
    assert b"Refugees welcome" not in html and b"Batteries elsewhere" not in html
    response = client.get(reverse("resolutions:list"), {"status": "nonsense"})
    assert response.status_code == 200
    assert b"Select a valid choice" in response.content


@pytest.mark.parametrize("n", [1, 3])
def test_detail_query_count_is_constant(client, django_assert_num_queries, n):
    resolution = open_resolution(meeting=MeetingFactory(members_needed=10))
    for i in range(n):
        group = LocalGroupFactory(name=f"Cosponsor {i}")
        services.cosponsor(resolution=resolution, group=group, by=lead_of(group))
        services.support(resolution=resolution, user=UserFactory(), comment=f"Comment {i}")
    viewer = MembershipFactory(group=LocalGroupFactory(), lead=True).user
    client.force_login(viewer)
    # 10, and 2 for the discussion (conversations' slot): its thread and latest posts.
    with django_assert_num_queries(12 + SESSION):
        html = client.get(resolution.get_absolute_url()).content.decode()
    assert html.count("Comment ") == n
    assert f"{1 + n} of 2 groups · {n} of 10 members" in html
    assert "Co-sponsor for your group" in html
    assert "Support this resolution" in html


@pytest.mark.parametrize("n", [1, 3])
def test_meeting_and_agenda_pack_query_counts_are_constant(client, django_assert_num_queries, n):
    meeting = MeetingFactory(members_needed=1)
    agenda = [on_agenda(meeting) for _ in range(n)]
    open_resolution(meeting=meeting, title="Still open")
    with django_assert_num_queries(6):
        html = client.get(meeting.get_absolute_url()).content.decode()
    positions = [html.index(r.title) for r in agenda]
    assert positions == sorted(positions)
    assert "Still open" in html and meeting.rule in html
    with django_assert_num_queries(5):
        pack = client.get(reverse("resolutions:agenda_pack", args=[meeting.slug])).content
    for resolution in agenda:
        assert f"{resolution.agenda_position}. {resolution.title}".encode() in pack
        assert resolution.resolves.encode() in pack
    assert b"Co-sponsored by" in pack


def test_draft_endorse_support_through_the_pages(client):
    meeting = MeetingFactory(members_needed=1, groups_needed=1)
    membership = MembershipFactory()
    client.force_login(membership.user)
    response = client.post(
        reverse("resolutions:draft"),
        {
            "meeting": meeting.pk,
            "group": membership.group.pk,
            "title": "Lift the ban",
            "notes": "Asylum seekers *cannot* work.",
            "believes": "<script>alert(1)</script>Work is a right.",
            "resolves": "To campaign.",
        },
    )
    resolution = Resolution.objects.get(title="Lift the ban")
    assert response.status_code == 302
    assert client.get(resolution.get_absolute_url()).status_code == 200
    client.logout()
    assert client.get(resolution.get_absolute_url()).status_code == 404  # a private draft
    lead = lead_of(membership.group)
    client.force_login(lead)
    client.post(reverse("resolutions:endorse", args=[resolution.pk]))
    client.logout()
    html = client.get(resolution.get_absolute_url()).content.decode()
    assert "<em>cannot</em>" in html and "<script>alert" not in html
    supporter = UserFactory()
    client.force_login(supporter)
    client.post(reverse("resolutions:support", args=[resolution.pk]), {"comment": "Yes"})
    resolution.refresh_from_db()
    assert (resolution.status, resolution.support_count) == ("submitted", 1)
    again = client.post(reverse("resolutions:support", args=[resolution.pk]), {})
    assert again.status_code == 400
    assert "each member counts once" in again.content.decode()


def test_edit_after_endorsement_is_refused_with_a_message(client):
    resolution = open_resolution()
    client.force_login(resolution.proposer)
    response = client.post(
        reverse("resolutions:edit", args=[resolution.pk]),
        {"title": "Changed", "notes": "n", "believes": "b", "resolves": "r"},
    )
    assert response.status_code == 400
    assert "its text can no longer change" in response.content.decode()
    resolution.refresh_from_db()
    assert resolution.title != "Changed"


def test_support_for_another_regions_conference_is_refused_with_a_message(client):
    group = LocalGroupFactory()
    meeting = MeetingFactory(kind=Meeting.Kind.REGIONAL, region=group.area.region)
    resolution = open_resolution(meeting=meeting, group=group)
    client.force_login(MembershipFactory().user)
    page = client.get(resolution.get_absolute_url()).content.decode()
    assert f"Only members of a group in the {group.area.region.name} region can support" in page
    assert "Support this resolution</button>" not in page
    response = client.post(reverse("resolutions:support", args=[resolution.pk]), {"comment": ""})
    assert response.status_code == 400
    assert "only members of a group in that region" in response.content.decode()


def test_own_group_cosponsoring_is_refused_with_a_message(client):
    resolution = open_resolution()
    lead = resolution.group.memberships.get(role="lead").user
    client.force_login(lead)
    response = client.post(
        reverse("resolutions:cosponsor", args=[resolution.pk]), {"group": resolution.group.pk}
    )
    assert response.status_code == 400
    assert "already counts once" in response.content.decode()


def test_organisers_decide_record_and_track(client):
    group = LocalGroupFactory()
    meeting = MeetingFactory(
        kind=Meeting.Kind.REGIONAL, region=group.area.region, members_needed=1, groups_needed=1
    )
    resolution = open_resolution(meeting=meeting, group=group)
    other = open_resolution(meeting=meeting, group=group)
    for r in (resolution, other):
        services.support(resolution=r, user=MembershipFactory(group=group).user)
    rep = RegionalRoleFactory(region=group.area.region).user
    client.force_login(UserFactory(is_staff=True))
    assert client.get(reverse("resolutions:decide", args=[resolution.pk])).status_code == 403
    client.force_login(rep)
    url = reverse("resolutions:decide", args=[other.pk])
    no_reason = client.post(url, {"decision": "out_of_order"})
    assert no_reason.status_code == 400
    assert "Give the reason for ruling it out of order." in no_reason.content.decode()
    client.post(reverse("resolutions:decide", args=[resolution.pk]), {"decision": "accept"})
    decided = client.get(reverse("resolutions:decide", args=[resolution.pk])).content.decode()
    assert "is on the agenda: only a submitted resolution waits" in decided
    again = client.post(reverse("resolutions:decide", args=[resolution.pk]), {"decision": "accept"})
    assert again.status_code == 400
    assert "is on the agenda: only a submitted resolution waits" in again.content.decode()
    client.post(url, {"decision": "composite", "into": resolution.pk})
    other.refresh_from_db()
    assert (other.status, other.composited_into_id) == ("composited", resolution.pk)
    client.post(
        reverse("resolutions:result", args=[resolution.pk]),
        {"result": "passed", "votes_for": 30, "votes_against": 2, "abstentions": 1},
    )
    response = client.post(
        reverse("resolutions:progress", args=[resolution.pk]),
        {
            "responsible": "Regional team",
            "dated": "2031-01-05",
            "status": "done",
            "percent": 50,
            "note": "Half way",
        },
    )
    assert response.status_code == 400
    assert "A resolution that is done is 100% done." in response.content.decode()
    client.post(
        reverse("resolutions:progress", args=[resolution.pk]),
        {
            "responsible": "Regional team",
            "dated": "2031-01-05",
            "status": "in_progress",
            "percent": 50,
            "note": "Half way",
        },
    )
    resolution.refresh_from_db()
    assert (resolution.result, resolution.votes_for, resolution.responsible) == (
        "passed",
        30,
        "Regional team",
    )
    html = client.get(resolution.get_absolute_url()).content.decode()
    assert "30 for, 2 against, 1 abstaining" in html
    assert "5 January 2031: In progress, 50%" in html
    leads = set(group.memberships.filter(role="lead").values_list("user_id", flat=True))
    log = list(resolution.log.values_list("action", "by"))
    assert [action for action, _by in log] == [
        "endorsed",
        "submitted",
        "accept",
        "result",
        "responsible",
        "progress",
    ]
    assert log[0][1] in leads
    assert {by for _action, by in log[2:]} == {rep.pk}
    assert all(entry.at for entry in resolution.log.all())


def test_review_queue_shows_submitted_resolutions_to_their_organisers(client):
    group = LocalGroupFactory()
    meeting = MeetingFactory(
        kind=Meeting.Kind.REGIONAL, region=group.area.region, members_needed=1, groups_needed=1
    )
    resolution = open_resolution(meeting=meeting, group=group, title="Queue me")
    services.support(resolution=resolution, user=MembershipFactory(group=group).user)
    agm_resolution = open_resolution(
        meeting=MeetingFactory(members_needed=1, groups_needed=1), title="AGM queue me"
    )
    services.support(resolution=agm_resolution, user=UserFactory())
    rep = RegionalRoleFactory(region=group.area.region).user
    client.force_login(rep)
    html = client.get(reverse("review:dashboard")).content.decode()
    assert "Queue me" in html and "AGM queue me" not in html
    assert reverse("resolutions:decide", args=[resolution.pk]) in html
    client.force_login(UserFactory(is_staff=True))
    html = client.get(reverse("review:dashboard")).content.decode()
    assert "AGM queue me" in html
    assert reverse("resolutions:decide", args=[agm_resolution.pk]) in html


def test_supporting_and_withdrawing_are_rate_limited(client, settings):
    settings.RATE_LIMITS = {"resolution_supports": "3/h"}
    resolution = open_resolution(meeting=MeetingFactory(members_needed=10))
    user = UserFactory()
    client.force_login(user)
    support = reverse("resolutions:support", args=[resolution.pk])
    withdraw = reverse("resolutions:withdraw", args=[resolution.pk])
    statuses = [client.post(url).status_code for url in (support, withdraw, support, withdraw)]
    assert statuses == [302, 302, 302, 429]
    resolution.refresh_from_db()
    assert resolution.support_count == 1


def test_site_search_finds_public_resolutions_never_drafts(client):
    open_resolution(title="Ethical batteries for every council")
    ResolutionFactory(title="Batteries draft kept private")
    html = client.get(reverse("search"), {"q": "batteries"}).content.decode()
    assert 'id="results-resolutions"' in html
    assert "<mark>batteries</mark> for every council" in html.lower()
    assert "kept private" not in html


def test_sitemap_lists_meetings_and_public_resolutions_never_drafts(client):
    public = open_resolution()
    draft = ResolutionFactory()
    xml = client.get("/sitemap.xml").content.decode()
    assert public.get_absolute_url() in xml
    assert public.meeting.get_absolute_url() in xml
    assert f"/resolutions/{draft.pk}/<" not in xml
    assert "/resolutions/</loc>" in xml
