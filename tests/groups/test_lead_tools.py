import csv
import io

import pytest
from django.urls import reverse

from groups.models import Announcement, LocalGroup, Membership
from tests.queries import SESSION

from .conftest import login_as
from .factories import LocalGroupFactory, MembershipFactory

OUTSIDERS = ["activist", "member", "other_lead", "rep", "other_rep", "staff"]
LEAD_PAGES = ["groups:edit", "groups:members", "groups:members_csv", "groups:announce"]


@pytest.mark.parametrize("page", LEAD_PAGES)
def test_lead_pages_send_anonymous_to_login(client, people, page):
    response = client.get(reverse(page, args=["derby"]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("who", OUTSIDERS)
@pytest.mark.parametrize("page", LEAD_PAGES)
def test_lead_pages_are_404_to_outsiders(client, people, who, page):
    login_as(client, people, who)
    assert client.get(reverse(page, args=["derby"])).status_code == 404


@pytest.mark.parametrize("page", LEAD_PAGES)
def test_lead_pages_open_for_the_lead(client, people, page):
    client.force_login(people.lead)
    assert client.get(reverse(page, args=["derby"])).status_code == 200


@pytest.mark.parametrize("who", OUTSIDERS)
@pytest.mark.parametrize("action", ["groups:promote", "groups:remove"])
def test_member_actions_are_404_to_outsiders(client, people, who, action):
    target = Membership.objects.get(user=people.member)
    login_as(client, people, who)
    response = client.post(reverse(action, args=["derby", target.pk]))
    assert response.status_code == 404
    target.refresh_from_db()
    assert (target.role, target.left_at) == ("member", None)


@pytest.mark.parametrize("who", OUTSIDERS)
def test_step_down_is_404_to_outsiders(client, people, who):
    login_as(client, people, who)
    assert client.post(reverse("groups:step_down", args=["derby"])).status_code == 404


def test_member_actions_refuse_get(client, people):
    target = Membership.objects.get(user=people.member)
    client.force_login(people.lead)
    assert client.get(reverse("groups:promote", args=["derby", target.pk])).status_code == 405
    assert client.get(reverse("groups:remove", args=["derby", target.pk])).status_code == 405


def test_lead_cannot_act_on_another_groups_member(client, people):
    other_member = MembershipFactory(group=people.other_group)
    client.force_login(people.lead)
    response = client.post(reverse("groups:remove", args=["derby", other_member.pk]))
    assert response.status_code == 404


def test_member_list_shows_name_email_and_joined(client, people):
    client.force_login(people.lead)
    response = client.get(reverse("groups:members", args=["derby"]))
    html = response.content.decode()
    assert "Mo Member" in html
    assert people.member.email in html
    assert Membership.objects.get(user=people.member).joined_at.strftime("%Y") in html


def test_member_list_search(client, people):
    client.force_login(people.lead)
    response = client.get(reverse("groups:members", args=["derby"]), {"q": "mo mem"})
    assert [m.user for m in response.context["page"].object_list] == [people.member]
    response = client.get(reverse("groups:members", args=["derby"]), {"q": people.lead.email})
    assert [m.user for m in response.context["page"].object_list] == [people.lead]


@pytest.mark.parametrize("extra", [0, 2])
def test_member_list_query_count_is_constant(client, people, extra, django_assert_num_queries):
    for _ in range(extra):
        MembershipFactory(group=people.group)
    client.force_login(people.lead)
    with django_assert_num_queries(4 + SESSION):
        response = client.get(reverse("groups:members", args=["derby"]), {"page": "abc"})
    assert len(response.context["page"].object_list) == 2 + extra


def test_member_list_leaves_out_former_members(client, people):
    Membership.objects.filter(user=people.member).update(left_at="2024-01-01T00:00Z")
    client.force_login(people.lead)
    response = client.get(reverse("groups:members", args=["derby"]))
    assert [m.user for m in response.context["page"].object_list] == [people.lead]


def test_promote_makes_co_lead(client, people):
    target = Membership.objects.get(user=people.member)
    client.force_login(people.lead)
    response = client.post(reverse("groups:promote", args=["derby", target.pk]))
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.role == "lead"


def test_remove_member_keeps_row(client, people):
    target = Membership.objects.get(user=people.member)
    client.force_login(people.lead)
    client.post(reverse("groups:remove", args=["derby", target.pk]))
    target.refresh_from_db()
    assert target.left_at is not None
    people.group.refresh_from_db()
    assert people.group.member_count == 1


def test_lead_cannot_remove_self(client, people):
    own = Membership.objects.get(user=people.lead)
    client.force_login(people.lead)
    response = client.post(reverse("groups:remove", args=["derby", own.pk]), follow=True)
    assert "use &#x27;Leave this group&#x27;" in response.content.decode()
    own.refresh_from_db()
    assert own.left_at is None


def test_csv_export_escapes_formula_cells(client, people):
    MembershipFactory(group=people.group, user__display_name='=HYPERLINK("http://x")')
    client.force_login(people.lead)
    response = client.get(reverse("groups:members_csv", args=["derby"]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Name", "Email", "Role", "Joined"]
    names = sorted(row[0] for row in rows[1:])
    assert names == ['\'=HYPERLINK("http://x")', "Lena Lead", "Mo Member"]
    assert people.member.email in [row[1] for row in rows]


def test_edit_profile_looks_up_postcode(client, people):
    client.force_login(people.lead)
    data = {
        "name": "Derby and District",
        "kind": "local",
        "town": "Derby",
        "postcode_district": "ng1 5aw",
        "description": "Hello",
        "meeting_note": "Mondays",
        "contact_email": "derby@groups.example.org",
        "founded": "2001-05-01",
    }
    response = client.post(reverse("groups:edit", args=["derby"]), data)
    assert response.status_code == 302
    group = LocalGroup.objects.get(slug="derby")
    assert (group.name, group.postcode_district) == ("Derby and District", "NG1")
    assert (group.latitude, group.longitude) == (52.95476, -1.1484)


def test_edit_profile_bad_postcode_is_a_form_error(client, people):
    client.force_login(people.lead)
    data = {"name": "X", "kind": "local", "town": "Derby", "postcode_district": "nonsense"}
    response = client.post(reverse("groups:edit", args=["derby"]), data)
    assert response.status_code == 200
    assert response.context["form"].errors["postcode_district"] == [
        "That doesn't look like a UK postcode."
    ]
    assert LocalGroup.objects.get(slug="derby").name == "Derby"


def test_post_announcement(client, people):
    client.force_login(people.lead)
    response = client.post(
        reverse("groups:announce", args=["derby"]), {"title": "Stall", "body": "**Sat**"}
    )
    assert response.status_code == 302
    announcement = Announcement.objects.get()
    assert (announcement.group, announcement.author, announcement.title) == (
        people.group,
        people.lead,
        "Stall",
    )


def test_post_announcement_needs_title(client, people):
    client.force_login(people.lead)
    response = client.post(reverse("groups:announce", args=["derby"]), {"body": "x"})
    assert response.status_code == 200
    assert not Announcement.objects.exists()


SCOPE = reverse("groups:scope")


def test_scope_sends_anonymous_to_login(client, people):
    response = client.get(SCOPE)
    assert response.status_code == 302


@pytest.mark.parametrize("who", ["activist", "member", "lead"])
def test_scope_is_403_to_non_reps(client, people, who):
    login_as(client, people, who)
    assert client.get(SCOPE).status_code == 403


def test_scope_rep_sees_own_region_only(client, people):
    client.force_login(people.rep)
    response = client.get(SCOPE)
    html = response.content.decode()
    assert [g.name for g in response.context["page"].object_list] == ["Derby"]
    assert "Lena Lead" in html
    client.force_login(people.other_rep)
    response = client.get(SCOPE)
    assert [g.name for g in response.context["page"].object_list] == ["Leicester"]


def test_scope_staff_sees_everything(client, people):
    client.force_login(people.staff)
    response = client.get(SCOPE)
    assert sorted(g.name for g in response.context["page"].object_list) == ["Derby", "Leicester"]


@pytest.mark.parametrize("count", [1, 3])
def test_scope_query_count_is_constant(client, people, count, django_assert_num_queries):
    for _ in range(count - 1):
        group = LocalGroupFactory(area=people.group.area)
        MembershipFactory(group=group, lead=True)
    client.force_login(people.rep)
    # whether they are a rep is answered by the two-factor check (in SESSION)
    with django_assert_num_queries(4 + SESSION):
        response = client.get(SCOPE)
    assert len(response.context["page"].object_list) == count
