import pytest
from django.urls import reverse

from groups import services
from groups.dashboard import my_portal_block
from groups.demo import seed
from groups.models import Announcement, Area, LocalGroup, Membership, RegionalRole
from portal.demo import seed_accounts

from .factories import LocalGroupFactory, MembershipFactory

MY_PORTAL = reverse("my_portal")


def test_my_portal_empty_says_what_to_do(client, people):
    client.force_login(people.activist)
    html = client.get(MY_PORTAL).content.decode()
    assert "You haven't joined a group yet." in html
    assert reverse("groups:list") in html


def test_my_portal_lists_groups_with_latest_announcements(client, people):
    for title in ["First", "Second", "Third"]:
        services.post_announcement(group=people.group, author=people.lead, title=title, body="x")
    client.force_login(people.member)
    html = client.get(MY_PORTAL).content.decode()
    assert "Derby" in html
    assert "Third" in html and "Second" in html
    assert "First" not in html


@pytest.mark.parametrize("count", [1, 3])
def test_my_portal_block_query_count_is_constant(rf, people, count, django_assert_num_queries):
    for _ in range(count - 1):
        group = LocalGroupFactory()
        MembershipFactory(group=group, user=people.member)
        services.post_announcement(group=group, author=people.lead, title="Hi", body="x")
    services.post_announcement(group=people.group, author=people.lead, title="Hi", body="x")
    request = rf.get(MY_PORTAL)
    request.user = people.member
    with django_assert_num_queries(3):
        block = my_portal_block(request)
    assert len(block["memberships"]) == count
    assert [len(m.latest_announcements) for m in block["memberships"]] == [1] * count


@pytest.mark.parametrize(
    "model", ["region", "area", "localgroup", "membership", "regionalrole", "announcement"]
)
def test_admin_changelists_search_and_filter(client, people, model):
    services.post_announcement(group=people.group, author=people.lead, title="Hi", body="x")
    client.force_login(people.staff)
    people.staff.is_superuser = True
    people.staff.save()
    url = reverse(f"admin:groups_{model}_changelist")
    assert client.get(url).status_code == 200
    assert client.get(url, {"q": "derby"}).status_code == 200


def test_demo_seed_is_idempotent_and_places_demo_accounts(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    accounts = seed_accounts(password="x")
    seed(accounts=accounts)
    seed(accounts=accounts)
    assert sorted(Area.objects.values_list("name", flat=True)) == [
        "East Midlands",
        "South Midlands",
        "West Midlands",
    ]
    assert LocalGroup.objects.count() >= 10
    derby = LocalGroup.objects.get(slug="derby")
    assert derby.postcode_district == "DE1"
    assert Membership.objects.get(group=derby, user=accounts["lead"]).role == "lead"
    assert Membership.objects.get(group=derby, user=accounts["activist"]).role == "member"
    assert RegionalRole.objects.get(user=accounts["rep"]).region.name == "Midlands"
    assert sorted(
        RegionalRole.objects.filter(area__isnull=False).values_list("area__slug", flat=True)
    ) == ["east-midlands", "west-midlands"]
    assert all(area.slug for area in Area.objects.all())
    assert Announcement.objects.filter(group=derby).count() == 1
    for group in LocalGroup.objects.all():
        current = Membership.objects.current().filter(group=group)
        assert group.member_count == current.count() >= 3
        assert current.filter(role="lead").exists()
        assert group.latitude is not None
