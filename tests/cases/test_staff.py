import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases.models import Case, CaseUpdate
from tests.cases.factories import CaseFactory, UrgentActionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    return CaseFactory(slug="student", real_name="Sam Student")


def test_staff_publish_an_update_that_changes_the_status(client, people, case):
    client.force_login(people.staff)
    response = client.post(
        reverse("cases:post_update", args=["student"]),
        {"title": "Released!", "body": "Sam is **home**.", "new_status": "released"},
    )
    assert response.status_code == 302
    update = CaseUpdate.objects.get()
    assert (update.title, update.new_status, update.author, update.notify) == (
        "Released!",
        "released",
        people.staff,
        False,  # an unticked box
    )
    before = case.status_changed_at
    case.refresh_from_db()
    assert case.status == Case.Status.RELEASED
    assert case.status_changed_at > before
    page = client.get(reverse("cases:detail", args=["student"])).content.decode()
    assert "<strong>home</strong>" in page
    assert f'id="update-{update.pk}"' in page


def test_update_naming_a_hidden_person_is_refused(client, people):
    CaseFactory(slug="hidden", real_name="Nadia Secretname", hide_real_name=True, pseudonym="N")
    client.force_login(people.staff)
    response = client.post(
        reverse("cases:post_update", args=["hidden"]),
        {"title": "News", "body": "Nadia  secretname was moved.", "notify": "on"},
    )
    assert response.status_code == 400
    assert "names the person" in response.content.decode()
    assert CaseUpdate.objects.count() == 0


def test_only_staff_run_a_case(client, people, case):
    for who in ("lead", "rep", "activist"):
        client.force_login(getattr(people, who))
        assert client.get(reverse("cases:post_update", args=["student"])).status_code == 403
        url = reverse("cases:change_status", args=["student"])
        assert client.post(url, {"status": "paused"}).status_code == 403
        url = reverse("cases:publish", args=["student"])
        assert client.post(url, {"publish": "0"}).status_code == 403
    case.refresh_from_db()
    assert (case.status, case.is_published) == ("active", True)


def test_staff_pause_and_resume(client, people, case):
    client.force_login(people.staff)
    url = reverse("cases:change_status", args=["student"])
    client.post(url, {"status": "paused"})
    case.refresh_from_db()
    assert case.status == "paused"
    client.post(url, {"status": "active"})
    case.refresh_from_db()
    assert case.status == "active"
    assert client.post(url, {"status": "nonsense"}).status_code == 302
    case.refresh_from_db()
    assert case.status == "active"


def test_staff_publish_a_draft_and_take_it_back(client, people):
    draft = CaseFactory(slug="draft", is_published=False, published_at=None)
    client.force_login(people.staff)
    client.post(reverse("cases:publish", args=["draft"]), {"publish": "1"})
    draft.refresh_from_db()
    assert draft.is_published is True
    assert draft.published_at is not None
    client.post(reverse("cases:publish", args=["draft"]), {"publish": "0"})
    draft.refresh_from_db()
    assert draft.is_published is False


def test_figures_csv_uses_public_names_only(client, people):
    CaseFactory(real_name="Open Name", country="Freedonia", letters_online=4, letters_offline=6)
    CaseFactory(real_name="Hidden Realname", hide_real_name=True, pseudonym="Pseudo")
    client.force_login(people.staff)
    response = client.get(reverse("cases:figures_csv"))
    body = response.content.decode("utf-8-sig")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert body.splitlines()[0].startswith("Case,Country,Status,Published,Letters online")
    assert "Open Name,Freedonia,Active,yes,4,6,0,0,0,0" in body
    assert "Pseudo," in body
    assert "Realname" not in body
    client.force_login(people.rep)
    assert client.get(reverse("cases:figures_csv")).status_code == 403


def test_model_refuses_a_hidden_name_in_public_fields():
    case = CaseFactory.build(
        slug="nadia-secretname",
        real_name="Nadia Secretname",
        hide_real_name=True,
        pseudonym="",
        headline="Nadia Secretname was arrested.",
    )
    with pytest.raises(ValidationError) as error:
        case.full_clean()
    assert set(error.value.message_dict) == {"slug", "pseudonym", "headline"}
    case.slug, case.pseudonym, case.headline = "student-n", "N", "A student was arrested."
    case.full_clean()


def test_urgent_action_refuses_a_hidden_name():
    case = CaseFactory(real_name="Nadia Secretname", hide_real_name=True, pseudonym="N")
    urgent_action = UrgentActionFactory.build(
        case=case, letter_template="I write about NADIA SECRETNAME."
    )
    with pytest.raises(ValidationError) as error:
        urgent_action.full_clean()
    assert list(error.value.message_dict) == ["letter_template"]


def test_reserved_slug_is_refused():
    with pytest.raises(ValidationError) as error:
        CaseFactory.build(slug="feed").full_clean()
    assert list(error.value.message_dict) == ["slug"]


def test_admin_shows_staff_the_real_name_and_refuses_it_in_the_slug(client, people):
    people.staff.is_superuser = True
    people.staff.save()
    CaseFactory(real_name="Hidden Realname", hide_real_name=True, pseudonym="Pseudo")
    client.force_login(people.staff)
    assert "Hidden Realname" in client.get("/admin/cases/case/").content.decode()
    response = client.post(
        "/admin/cases/case/add/",
        {
            "real_name": "Other Person",
            "hide_real_name": "on",
            "pseudonym": "O",
            "slug": "other-person",
            "country": "Elbonia",
            "headline": "Held.",
            "story": "Story.",
            "risk": "Risk.",
            "status": "active",
            "urgent_actions-TOTAL_FORMS": "0",
            "urgent_actions-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "The address must not contain the real name." in response.content.decode()
    assert not Case.objects.filter(slug="other-person").exists()
