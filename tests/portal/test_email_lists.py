"""Email lists that apps register (portal.notifications.register_list): the choice on the
email-choices page, the one-click unsubscribe, and the one-query lookup bulk sends use."""

import pytest

from portal import notifications
from portal.models import EmailChoice
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def case_news():
    email_list = notifications.register_list(
        notifications.EmailList(
            name="test_case_news",
            label="news of the cases you acted on",
            choice="Email me news of the cases I acted on",
        )
    )
    yield email_list
    notifications._LISTS.pop(email_list.name)


@pytest.fixture
def lead_only_list():
    email_list = notifications.register_list(
        notifications.EmailList(
            name="test_lead_tips",
            label="tips for leads",
            choice="Email me tips for leads",
            default=False,
            applies_to=lambda user: user.leads_a_group,
        )
    )
    yield email_list
    notifications._LISTS.pop(email_list.name)


def test_registered_list_is_on_by_default_and_stores_nothing_until_changed(case_news):
    ada, bo = UserFactory(), UserFactory()
    assert notifications.is_subscribed(ada, "test_case_news") is True
    assert notifications.subscribed_user_ids("test_case_news", [ada.pk, bo.pk]) == {
        ada.pk,
        bo.pk,
    }
    assert EmailChoice.objects.count() == 0


def test_choices_page_shows_the_list_and_saves_the_choice(client, case_news):
    ada = UserFactory()
    client.force_login(ada)
    page = client.get("/notifications/")
    assert "Email me news of the cases I acted on" in page.content.decode()
    client.post("/notifications/", {"digest_frequency": "weekly", "event_reminders": "on"})
    assert notifications.is_subscribed(ada, "test_case_news") is False
    assert list(EmailChoice.objects.values_list("list_name", "subscribed")) == [
        ("test_case_news", False)
    ]
    client.post(
        "/notifications/",
        {"digest_frequency": "weekly", "list_test_case_news": "on"},
    )
    assert notifications.is_subscribed(ada, "test_case_news") is True


def test_a_list_shows_only_to_the_people_it_applies_to(client, lead_only_list):
    ada = UserFactory()
    client.force_login(ada)
    assert "Email me tips for leads" not in client.get("/notifications/").content.decode()


def test_one_click_unsubscribe_from_a_registered_list(client, case_news):
    ada, bo = UserFactory(), UserFactory()
    token = notifications.unsubscribe_token(ada, "test_case_news")
    page = client.get(f"/notifications/unsubscribe/{token}/")
    assert "Stop getting news of the cases you acted on?" in page.content.decode()
    assert client.post(f"/notifications/unsubscribe/{token}/").status_code == 200
    assert notifications.subscribed_user_ids("test_case_news", [ada.pk, bo.pk]) == {bo.pk}


def test_unsubscribe_token_for_a_list_nobody_registered_is_404(client):
    ada = UserFactory()
    token = notifications.unsubscribe_token(ada, "no_such_list")
    assert client.post(f"/notifications/unsubscribe/{token}/").status_code == 404


def test_subscribed_user_ids_is_one_query(django_assert_num_queries, case_news):
    people = UserFactory.create_batch(3)
    notifications.set_choice(user=people[0], list_name="test_case_news", subscribed=False)
    with django_assert_num_queries(1):
        assert notifications.subscribed_user_ids("test_case_news", [p.pk for p in people]) == {
            people[1].pk,
            people[2].pk,
        }
