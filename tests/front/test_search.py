from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign
from events.models import Event
from front.search import clean_query, highlight, search_all
from partners.models import Partner, PartnerKind
from tests.factories import UserFactory
from tests.groups.factories import LocalGroupFactory, MembershipFactory


def make_campaign(title, summary="", **extra):
    return Campaign.objects.create(
        title=title,
        slug=title.lower().replace(" ", "-"),
        summary=summary or title,
        scope=Campaign.Scope.NATIONAL,
        status=extra.pop("status", Campaign.Status.ACTIVE),
        target_name="Home Office",
        target_kind=Campaign.TargetKind.GOVERNMENT,
        goal="Change the rules",
        **extra,
    )


def make_event(group, title, **extra):
    start = timezone.now() + timedelta(days=3)
    return Event.objects.create(
        title=title,
        slug=title.lower().replace(" ", "-"),
        group=group,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        status=extra.pop("status", Event.Status.PUBLISHED),
        **extra,
    )


def titles(sections, key):
    for section in sections:
        if section["key"] == key:
            return [getattr(obj, "title", None) or obj.name for obj in section["results"]]
    return []


@pytest.fixture
def world(db):
    group = LocalGroupFactory(name="Derby", slug="derby", description="We campaign on asylum.")
    make_campaign("Refugees Welcome", "Make every town a place of welcome")
    make_campaign("Think Twice", "Before you share, think about refugees and rights")
    make_campaign("Secret proposal", "refugee plans", status=Campaign.Status.PROPOSED)
    kind = PartnerKind.objects.create(name="City of Sanctuary", slug="city-of-sanctuary")
    Partner.objects.create(name="Coventry City of Sanctuary", slug="cov-cos", kind=kind)
    make_event(group, "Refugee welcome picnic")
    make_event(group, "Members refugee meeting", visibility=Event.Visibility.MEMBERS)
    make_event(group, "Draft refugee stall", status=Event.Status.DRAFT)
    return group


@pytest.mark.postgres
def test_search_finds_by_stem(world):
    _, sections = search_all("refugee", UserFactory())
    assert "Refugees Welcome" in titles(sections, "campaigns")


@pytest.mark.postgres
def test_search_tolerates_a_typo(world):
    _, sections = search_all("sanctuery", UserFactory())
    assert titles(sections, "partners") == ["Coventry City of Sanctuary"]


@pytest.mark.postgres
def test_search_ranks_title_matches_above_body_matches(world):
    _, sections = search_all("refugees", UserFactory())
    assert titles(sections, "campaigns") == ["Refugees Welcome", "Think Twice"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", ["Refugee welcome picnic"]),
        ("activist", ["Refugee welcome picnic"]),
        ("lead of another group", ["Refugee welcome picnic"]),
        ("member", ["Members refugee meeting", "Refugee welcome picnic"]),
        ("lead", ["Members refugee meeting", "Refugee welcome picnic"]),
    ],
)
def test_search_hides_private_events_from_outsiders(world, client, who, expected):
    from django.contrib.auth.models import AnonymousUser

    if who == "anonymous":
        user = AnonymousUser()
    elif who == "activist":
        user = UserFactory()
    elif who == "lead of another group":
        user = MembershipFactory(group=LocalGroupFactory(), lead=True).user
    else:
        user = MembershipFactory(group=world, lead=(who == "lead")).user
    _, sections = search_all("refugee", user)
    assert sorted(titles(sections, "events")) == expected
    assert "Secret proposal" not in titles(sections, "campaigns")
    assert "Draft refugee stall" not in titles(sections, "events")


@pytest.mark.django_db
def test_search_page_answers_empty_long_and_odd_queries_calmly(world, client):
    for query in ["", "   ", "x" * 5000, "'; DROP TABLE--", "<script>alert(1)</script>", "%00"]:
        response = client.get(reverse("search"), {"q": query})
        assert response.status_code == 200
        assert "<script>alert(1)</script>" not in response.content.decode()
    # A NUL byte never reaches a view (portal.middleware.MalformedInputMiddleware).
    assert client.get(reverse("search"), {"q": "a\x00"}).status_code == 400


@pytest.mark.django_db
def test_search_page_highlights_matching_words(world, client):
    response = client.get(reverse("search"), {"q": "picnic"})
    assert response.status_code == 200
    assert "Refugee welcome <mark>picnic</mark>" in response.content.decode()


def test_clean_query_keeps_words_and_bounds_length():
    assert clean_query("  refugee  <b>welcome</b>!! ") == "refugee b welcome b"
    assert len(clean_query("word " * 500)) <= 100
    assert clean_query("!!!") == ""


def test_highlight_escapes_before_marking():
    assert highlight("<i>Refugees</i> & friends", "refugee") == (
        "&lt;i&gt;<mark>Refugees</mark>&lt;/i&gt; &amp; friends"
    )
