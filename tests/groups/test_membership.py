import threading

import pytest
from django.db import connection
from django.urls import reverse

from groups import services
from groups.models import LocalGroup, Membership
from tests.factories import UserFactory

from .factories import LocalGroupFactory, MembershipFactory


def test_group_page_shows_leads_names_never_emails(client, people):
    people.group.description = "We **meet** <script>alert(1)</script>"
    people.group.save()
    response = client.get(people.group.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Lena Lead" in html
    assert people.lead.email not in html
    assert people.member.email not in html
    assert "<strong>meet</strong>" in html
    assert "<script>alert(1)" not in html
    assert "Second Tuesday, 7pm, Friends Meeting House" in html
    assert "2 members" in html


def test_group_page_inactive_is_404_to_outsiders(client, people):
    LocalGroup.objects.filter(pk=people.group.pk).update(is_active=False)
    assert client.get(people.group.get_absolute_url()).status_code == 404
    client.force_login(people.member)
    assert client.get(people.group.get_absolute_url()).status_code == 200


def test_group_page_announcements_only_for_members(client, people):
    services.post_announcement(group=people.group, author=people.lead, title="Stall", body="*Sat*")
    assert "Stall" not in client.get(people.group.get_absolute_url()).content.decode()
    client.force_login(people.member)
    html = client.get(people.group.get_absolute_url()).content.decode()
    assert "Stall" in html
    assert "<em>Sat</em>" in html


def test_join_anonymous_is_sent_to_login(client, people):
    url = reverse("groups:join", args=["derby"])
    response = client.post(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert people.group.memberships.count() == 2


def test_join_unverified_user_is_refused(client, people):
    user = UserFactory(email_verified=False)
    client.force_login(user)
    response = client.post(reverse("groups:join", args=["derby"]))
    assert response.status_code == 302
    assert response.url == reverse("account_email")
    assert not Membership.objects.filter(user=user).exists()


def test_join_get_shows_confirmation_and_post_joins(client, people):
    client.force_login(people.activist)
    url = reverse("groups:join", args=["derby"])
    response = client.get(url)
    assert response.status_code == 200
    assert b"Yes, join Derby" in response.content
    assert not Membership.objects.filter(user=people.activist).exists()
    response = client.post(url)
    assert response.status_code == 302
    membership = Membership.objects.get(user=people.activist)
    assert (membership.group, membership.role, membership.left_at) == (
        people.group,
        "member",
        None,
    )
    people.group.refresh_from_db()
    assert people.group.member_count == 3


def test_join_twice_counts_once(people):
    services.join_group(group=people.group, user=people.activist)
    services.join_group(group=people.group, user=people.activist)
    people.group.refresh_from_db()
    assert people.group.member_count == 3


def test_leave_keeps_row_and_rejoin_clears_it(client, people):
    client.force_login(people.member)
    url = reverse("groups:leave", args=["derby"])
    assert client.get(url).status_code == 200
    response = client.post(url)
    assert response.status_code == 302
    membership = Membership.objects.get(user=people.member)
    assert membership.left_at is not None
    people.group.refresh_from_db()
    assert people.group.member_count == 1
    client.post(reverse("groups:join", args=["derby"]))
    membership.refresh_from_db()
    assert membership.left_at is None
    assert Membership.objects.filter(user=people.member).count() == 1
    people.group.refresh_from_db()
    assert people.group.member_count == 2


def test_leave_by_non_member_changes_nothing(client, people):
    client.force_login(people.activist)
    response = client.post(reverse("groups:leave", args=["derby"]))
    assert response.status_code == 302
    people.group.refresh_from_db()
    assert people.group.member_count == 2


def test_last_lead_cannot_leave(client, people):
    client.force_login(people.lead)
    response = client.post(reverse("groups:leave", args=["derby"]), follow=True)
    assert "A group must always have at least one lead" in response.content.decode()
    membership = Membership.objects.get(user=people.lead)
    assert (membership.role, membership.left_at) == ("lead", None)
    people.group.refresh_from_db()
    assert people.group.member_count == 2


def test_last_lead_cannot_step_down(client, people):
    client.force_login(people.lead)
    response = client.post(reverse("groups:step_down", args=["derby"]), follow=True)
    assert "A group must always have at least one lead" in response.content.decode()
    assert Membership.objects.get(user=people.lead).role == "lead"


def test_lead_can_step_down_when_a_co_lead_remains(client, people):
    member = Membership.objects.get(user=people.member)
    services.promote_to_lead(group=people.group, membership=member)
    client.force_login(people.lead)
    client.post(reverse("groups:step_down", args=["derby"]))
    assert Membership.objects.get(user=people.lead).role == "member"
    with pytest.raises(services.MembershipError):
        services.step_down_as_lead(group=people.group, user=people.member)


def test_leaving_lead_loses_lead_role_on_rejoin(people):
    services.promote_to_lead(
        group=people.group, membership=Membership.objects.get(user=people.member)
    )
    services.leave_group(group=people.group, user=people.lead)
    membership = services.join_group(group=people.group, user=people.lead)
    assert membership.role == "member"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_leads_stepping_down_at_once_keep_one_lead():
    group = LocalGroupFactory()
    leads = [MembershipFactory(group=group, lead=True).user for _ in range(2)]
    barrier = threading.Barrier(2)
    errors = []

    def step_down(user):
        try:
            barrier.wait()
            services.step_down_as_lead(group=group, user=user)
        except services.MembershipError as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=step_down, args=(u,)) for u in leads]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(errors) == 1
    assert Membership.objects.leads().filter(group=group).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_joins_count_every_member():
    group = LocalGroupFactory()
    users = [UserFactory() for _ in range(4)]
    barrier = threading.Barrier(4)

    def join(user):
        try:
            barrier.wait()
            services.join_group(group=group, user=user)
        finally:
            connection.close()

    threads = [threading.Thread(target=join, args=(u,)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    group.refresh_from_db()
    assert group.member_count == 4
