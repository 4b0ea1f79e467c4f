import pytest
from django.core.management import call_command

from cases.models import Case, CaseAdoption, OfflineTally
from events.models import Event


@pytest.mark.django_db
def test_seed_demo_creates_three_cases_and_the_write_for_rights_evening(settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)
    cases = {case.slug: case for case in Case.objects.all()}
    assert {slug: case.status for slug, case in cases.items()} == {
        "jonah-vell": "released",
        "student-n": "active",
        "teo-marsh": "paused",
    }
    student = cases["student-n"]
    assert (student.public_name, student.hide_real_name) == ("Student N.", True)
    assert student.urgent_actions.get().is_open() is True
    assert list(CaseAdoption.objects.values_list("case__slug", "group__slug")) == [
        ("student-n", "derby")
    ]
    evening = Event.objects.get(slug="derby-write-for-rights")
    assert evening.group.slug == "derby"
    assert sorted(evening.cases.values_list("slug", flat=True)) == ["jonah-vell", "student-n"]
    # Seeding twice counts the evening's paper letters once.
    assert OfflineTally.objects.count() == 2
    assert (student.letters_offline, student.cards_offline, student.groups_count) == (38, 52, 1)
    tally = OfflineTally.objects.get(case=student)
    assert tally.urgent_action == student.urgent_actions.get()
