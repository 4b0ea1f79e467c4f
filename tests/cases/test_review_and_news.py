from datetime import timedelta

import pytest
from django.utils import timezone

from cases import news, services
from cases.models import Case
from cases.review import group_figures
from tests.cases.factories import AdoptionFactory, CaseFactory, TargetFactory, no_limit
from tests.factories import UserFactory
from tests.groups.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_group_figures_count_letters_online_and_offline_adoptions_and_outcomes(
    people, django_assert_num_queries
):
    now = timezone.now()
    freed = CaseFactory(status=Case.Status.RELEASED, status_changed_at=now - timedelta(days=3))
    held = CaseFactory()
    for case in (freed, held):
        AdoptionFactory(case=case, group=people.group)
    AdoptionFactory(case=held, group=people.other_group)
    target = TargetFactory(urgent_action__case=held)
    outsider = UserFactory()
    for writer in (people.member, people.lead, outsider):
        services.send_letter(
            urgent_action=target.urgent_action,
            target=target,
            user=writer,
            body="Dear.",
            within_limits=no_limit,
        )
    for days_ago, letters, cards in ((2, 30, 12), (200, 99, 99)):
        services.record_offline_tally(
            case=held,
            group=people.group,
            source_key=f"event:{days_ago}",
            label="Stall",
            on=timezone.localdate() - timedelta(days=days_ago),
            letters=letters,
            cards=cards,
            by=None,
        )
    ids = [people.group.pk, people.other_group.pk]
    with django_assert_num_queries(3):
        figures = group_figures(ids, start=now - timedelta(days=30), end=now + timedelta(minutes=1))
    assert figures == {
        people.group.pk: {
            "letters_online": 2,
            "letters_offline": 30,
            "cards_offline": 12,
            "cases_adopted": 2,
            "outcomes": 1,
        },
        people.other_group.pk: {
            "letters_online": 0,
            "letters_offline": 0,
            "cards_offline": 0,
            "cases_adopted": 1,
            "outcomes": 0,
        },
    }


def test_letters_count_for_the_group_only_while_the_writer_was_a_member(people):
    now = timezone.now()
    target = TargetFactory()
    joiner = MembershipFactory(group=people.group, joined_at=now + timedelta(seconds=1)).user
    services.send_letter(
        urgent_action=target.urgent_action,
        target=target,
        user=joiner,
        body="Before joining.",
        within_limits=no_limit,
    )
    figures = group_figures(
        [people.group.pk], start=now - timedelta(days=1), end=now + timedelta(days=1)
    )
    assert figures[people.group.pk]["letters_online"] == 0


def test_good_news_lists_recently_released_or_improved_published_cases(django_assert_num_queries):
    now = timezone.now()
    CaseFactory(
        real_name="Old News", status="released", status_changed_at=now - timedelta(days=200)
    )
    CaseFactory(real_name="Improved", status="improved", status_changed_at=now - timedelta(days=5))
    CaseFactory(real_name="Freed", status="released", status_changed_at=now - timedelta(days=1))
    CaseFactory(real_name="Still Held", status="active", status_changed_at=now)
    CaseFactory(
        real_name="Draft Freed", status="released", status_changed_at=now, is_published=False
    )
    CaseFactory(real_name="Secret Name", hide_real_name=True, pseudonym="Kay", status="released")
    with django_assert_num_queries(1):
        names = [case.public_name for case in news.good_news()]
    assert names == ["Kay", "Freed", "Improved"]
