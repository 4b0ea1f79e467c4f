from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases.models import Case
from tests.cases.factories import (
    AdoptionFactory,
    CaseFactory,
    CaseUpdateFactory,
    TargetFactory,
    ThemeFactory,
    UrgentActionFactory,
)
from tests.queries import SESSION

pytestmark = pytest.mark.django_db


def _case_with(n: int) -> Case:
    """A case with n of everything its page lists."""
    case = CaseFactory(slug="the-case")
    case.themes.set([ThemeFactory() for _ in range(n)])
    for _ in range(n):
        TargetFactory.create_batch(n, urgent_action=UrgentActionFactory(case=case))
        CaseUpdateFactory(case=case)
        AdoptionFactory(case=case)
    return case


@pytest.mark.parametrize("n", [1, 3])
def test_case_list_query_count_does_not_grow(client, django_assert_num_queries, n):
    for _ in range(n):
        CaseFactory().themes.set([ThemeFactory(), ThemeFactory()])
    # countries, count, page, themes of the page, the theme filter's choices
    with django_assert_num_queries(5):
        response = client.get(reverse("cases:list"))
    assert response.status_code == 200
    assert response.content.count(b'class="card mb-3 case-card"') == n


@pytest.mark.parametrize("n", [1, 3])
def test_case_page_query_count_does_not_grow(client, django_assert_num_queries, n):
    _case_with(n)
    # case, actions, their targets, adoptions, themes, updates, related events
    with django_assert_num_queries(7):
        response = client.get(reverse("cases:detail", args=["the-case"]))
    assert response.status_code == 200
    assert response.content.count(b"Write to them") == n * n


@pytest.mark.parametrize("n", [1, 3])
def test_case_page_query_count_for_a_lead(client, django_assert_num_queries, people, n):
    _case_with(n)
    client.force_login(people.lead)
    # user, the 7 above, my letters, my message, groups I lead, moderator?
    with django_assert_num_queries(SESSION + 1 + 7 + 4):
        response = client.get(reverse("cases:detail", args=["the-case"]))
    assert b"Adopt this case for" in response.content


def test_case_list_filters_by_country_status_theme_and_search(client):
    theme = ThemeFactory(name="Death penalty", slug="death-penalty")
    wanted = CaseFactory(
        real_name="Ana Example", country="Freedonia", headline="Sentenced to death."
    )
    wanted.themes.add(theme)
    CaseFactory(real_name="Ben Example", country="Freedonia", status=Case.Status.RELEASED)
    CaseFactory(real_name="Cy Example", country="Ruritania")

    def names(**query):
        response = client.get(reverse("cases:list"), query)
        return sorted(case.public_name for case in response.context["page"].object_list)

    assert names(country="Freedonia") == ["Ana Example", "Ben Example"]
    assert names(status="released") == ["Ben Example"]
    assert names(theme="death-penalty") == ["Ana Example"]
    assert names(q="sentenced") == ["Ana Example"]
    assert names(q="ruritania") == ["Cy Example"]
    assert names(country="Freedonia", status="active") == ["Ana Example"]


def test_case_list_search_never_matches_a_hidden_real_name(client):
    CaseFactory(real_name="Dana Hiddenname", hide_real_name=True, pseudonym="Dee")
    response = client.get(reverse("cases:list"), {"q": "Hiddenname"})
    assert list(response.context["page"].object_list) == []
    response = client.get(reverse("cases:list"), {"q": "Dee"})
    assert [c.public_name for c in response.context["page"].object_list] == ["Dee"]


def test_case_list_offers_only_countries_of_published_cases(client):
    CaseFactory(country="Freedonia")
    CaseFactory(country="Elbonia", is_published=False)
    response = client.get(reverse("cases:list"))
    assert response.context["form"].fields["country"].choices == [
        ("", "Any country"),
        ("Freedonia", "Freedonia"),
    ]


def test_draft_case_is_a_404_for_everyone_but_staff(client, people):
    CaseFactory(slug="draft", is_published=False)
    url = reverse("cases:detail", args=["draft"])
    assert client.get(url).status_code == 404
    client.force_login(people.lead)
    assert client.get(url).status_code == 404
    assert b"draft" not in client.get(reverse("cases:list")).content
    client.force_login(people.staff)
    assert client.get(url).status_code == 200
    assert b"Draft: only staff see it" in client.get(url).content


def test_paused_case_hides_its_actions_and_says_so(client, people):
    case = CaseFactory(slug="paused", status=Case.Status.PAUSED)
    urgent_action = UrgentActionFactory(case=case)
    target = TargetFactory(urgent_action=urgent_action, address="7 Secret Prison Road")
    client.force_login(people.activist)
    for url in [
        reverse("cases:detail", args=["paused"]),
        reverse("cases:action", args=["paused", urgent_action.pk]),
        reverse("cases:write", args=["paused", urgent_action.pk, target.pk]),
        reverse("cases:message", args=["paused"]),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"Action is paused for" in response.content, url
        assert b"7 Secret Prison Road" not in response.content, url
        assert target.email.encode() not in response.content, url
        assert b"Send it by email" not in response.content, url
    detail = client.get(reverse("cases:detail", args=["paused"])).content
    assert urgent_action.reference.encode() not in detail


def test_pausing_a_case_hides_its_actions_at_once(client, people):
    case = CaseFactory(slug="soon-paused")
    urgent_action = UrgentActionFactory(case=case)
    url = reverse("cases:detail", args=["soon-paused"])
    assert urgent_action.reference.encode() in client.get(url).content
    client.force_login(people.staff)
    client.post(reverse("cases:change_status", args=["soon-paused"]), {"status": "paused"})
    client.logout()
    body = client.get(url).content
    assert urgent_action.reference.encode() not in body
    assert b"Action is paused for" in body


def test_urgent_action_closes_after_its_deadline_but_stays_readable(client, people):
    yesterday = timezone.localdate() - timedelta(days=1)
    urgent_action = UrgentActionFactory(
        case=CaseFactory(slug="late"),
        issued_on=yesterday - timedelta(days=30),
        deadline=yesterday,
        recommended_actions="Ask for **a fair trial**.",
    )
    target = TargetFactory(urgent_action=urgent_action)
    client.force_login(people.activist)
    page = client.get(reverse("cases:action", args=["late", urgent_action.pk])).content
    assert b"This urgent action is closed" in page
    assert b"<strong>a fair trial</strong>" in page
    assert target.address.splitlines()[0].encode() in page
    assert b"Write to " not in page
    write = client.get(reverse("cases:write", args=["late", urgent_action.pk, target.pk]))
    assert b"This urgent action is closed" in write.content
    assert b'name="body"' not in write.content


def test_urgent_action_is_open_through_its_deadline_day(client):
    urgent_action = UrgentActionFactory(deadline=timezone.localdate())
    assert urgent_action.is_open() is True


def test_case_photo_is_shown_only_with_consent(client):
    case = CaseFactory(slug="photo", photo="cases/abc.jpg", photo_alt="Smiling at a rally")
    url = reverse("cases:detail", args=["photo"])
    assert b"cases/abc.jpg" not in client.get(url).content
    Case.objects.filter(pk=case.pk).update(photo_consent=True)
    body = client.get(url).content
    assert b'alt="Smiling at a rally"' in body
    assert b'property="og:image" content="http://127.0.0.1:8000/media/cases/abc.jpg"' in body


def test_group_page_shows_the_cases_it_adopts(client, people):
    AdoptionFactory(case=CaseFactory(real_name="Eve Adopted"), group=people.group)
    AdoptionFactory(case=CaseFactory(real_name="Fay Draft", is_published=False), group=people.group)
    body = client.get(reverse("groups:detail", args=["derby"])).content
    assert b"Eve Adopted" in body
    assert b"Fay Draft" not in body


def test_case_list_never_answers_500_to_odd_query_strings(client):
    CaseFactory()
    url = reverse("cases:list")
    text = st.one_of(st.text(max_size=40), st.sampled_from(["", "0", "-1", "a" * 3000, "%"]))

    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(st.dictionaries(st.sampled_from(["q", "country", "status", "theme", "page"]), text))
    def check(query):
        response = client.get(url, {k: v.replace("\x00", "") for k, v in query.items()})
        assert response.status_code == 200, query

    check()
