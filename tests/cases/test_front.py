"""Cases on the pages that compose the apps: home, search, sitemap, digests, data export
and erasure."""

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import AppealLetter, Case, CaseModerator, SolidarityMessage
from front import account_data
from front.search import search_all
from tests.cases.factories import CaseFactory, TargetFactory, no_limit
from tests.factories import UserFactory
from tests.queries import SESSION

pytestmark = pytest.mark.django_db


def test_home_celebrates_a_recently_released_case(client):
    CaseFactory(
        real_name="Hidden Realname",
        hide_real_name=True,
        pseudonym="Kay",
        status=Case.Status.RELEASED,
        status_changed_at=timezone.now() - timedelta(days=2),
        country="Freedonia",
    )
    body = client.get(reverse("home")).content.decode()
    assert "Good news" in body
    assert "<strong>Kay</strong></a> (Freedonia) is released." in body
    assert "Realname" not in body


def test_home_has_no_good_news_section_without_good_news(client):
    CaseFactory(status=Case.Status.ACTIVE)
    assert "Good news" not in client.get(reverse("home")).content.decode()


@pytest.mark.postgres
def test_site_search_finds_cases_by_public_name_never_by_a_hidden_one():
    CaseFactory(real_name="Hidden Realname", hide_real_name=True, pseudonym="Student Kay")
    CaseFactory(real_name="Open Person", headline="A journalist jailed for reporting.")
    CaseFactory(real_name="Draft Person", is_published=False)

    def found(text):
        _, sections = search_all(text, UserFactory())
        return [obj.public_name for s in sections if s["key"] == "cases" for obj in s["results"]]

    assert found("Realname") == []
    assert found("student") == ["Student Kay"]
    assert found("journalists") == ["Open Person"]
    assert found("Draft") == []


def test_sitemap_lists_published_cases(client):
    CaseFactory(slug="open-case")
    CaseFactory(slug="draft-case", is_published=False)
    body = client.get(reverse("sitemap")).content.decode()
    assert "/cases/open-case/" in body
    assert "/cases/</loc>" in body
    assert "draft-case" not in body


def _acted(user):
    case = CaseFactory(real_name="Open Person")
    target = TargetFactory(urgent_action__case=case, name="Minister")
    services.send_letter(
        urgent_action=target.urgent_action,
        target=target,
        user=user,
        body="D",
        within_limits=no_limit,
    )
    other = TargetFactory(urgent_action=target.urgent_action, name="Ambassador")
    services.print_letter(
        urgent_action=target.urgent_action, target=other, user=user, body="Printed text"
    )
    approved = services.write_message(
        case=case, user=user, first_name="Ada", surname="Lovelace", body="Courage."
    )
    services.approve_message(message=approved, by=UserFactory(is_staff=True))
    pending_case = CaseFactory()
    services.write_message(case=pending_case, user=user, first_name="Ada", body="Pending.")
    return case, pending_case


def test_data_download_holds_my_letters_and_messages(client):
    ada = UserFactory()
    _acted(ada)
    client.force_login(ada)
    archive = zipfile.ZipFile(io.BytesIO(client.post(reverse("my_data_download")).content))
    data = json.loads(archive.read("my-data.json"))
    assert sorted((row["to"], row["status"]) for row in data["case_letters"]) == [
        ("Public Prosecutor, Ambassador", "printed"),
        ("Public Prosecutor, Minister", "sent"),
    ]
    assert {row["message"] for row in data["solidarity_messages"]} == {"Courage.", "Pending."}
    assert len(data["cases_acted_on"]) == 2
    assert "Printed text" in archive.read("case_letters.csv").decode()


def test_erasure_keeps_the_counts_and_nothing_of_the_person():
    ada = UserFactory()
    case, pending_case = _acted(ada)
    account_data.delete_account(user=ada)
    case.refresh_from_db()
    assert (case.letters_online, case.messages_approved, case.people_count) == (1, 1, 0)
    assert list(AppealLetter.objects.values_list("user", "body")) == [(None, ""), (None, "")]
    message = SolidarityMessage.objects.get()
    assert (message.user, message.signature, message.surname) == (None, "A supporter", "")
    assert message.case == case
    pending_case.refresh_from_db()
    assert pending_case.people_count == 0


@pytest.mark.parametrize("n", [1, 3])
def test_my_portal_lists_letters_to_post_and_my_messages(client, django_assert_num_queries, n):
    ada = UserFactory()
    CaseModerator.objects.create(user=ada)
    for i in range(n):
        target = TargetFactory(name=f"Minister {i}")
        services.print_letter(
            urgent_action=target.urgent_action, target=target, user=ada, body="Dear."
        )
        case = target.urgent_action.case
        services.write_message(case=case, user=ada, first_name="Ada", body="Courage.")
    client.force_login(ada)
    client.get(reverse("my_portal"))
    # 15, the resolutions block's 3, and the conversations block's unread threads (with
    # their total)
    with django_assert_num_queries(20 + SESSION):
        html = client.get(reverse("my_portal")).content.decode()
    assert html.count("tell us once it's in the post") == n
    assert html.count(": waiting for moderation</li>") == n
    assert f"{n} message{'s' if n > 1 else ''} to moderate" in html
