"""Issue 16 leftover: walk-ins added at the door count among "People who came" until a
report gives the attendance, in the table, on the group's page and in the trends."""

import pytest

from events.models import Event, EventReport, WalkIn
from groups.models import LocalGroup
from review import figures as review
from review import trends

from .conftest import NOW

pytestmark = pytest.mark.django_db


def _walk_ins(event, n):
    for i in range(n):
        WalkIn.objects.create(event=event, name=f"Walk-in {i}", created_at=event.starts_at)


def _derby_row(world):
    groups = list(LocalGroup.objects.filter(pk=world.derby.pk).select_related("area"))
    return review.group_rows(groups, review.preset_period("90d", NOW), NOW)[0]


def test_walk_ins_count_among_people_who_came_before_a_report(world):
    film_night = Event.objects.get(title="Film night")  # 2 checked in, no report
    vigil = Event.objects.get(title="Vigil")  # reported: 5 came
    _walk_ins(film_night, 3)
    _walk_ins(vigil, 4)  # the report's attendance stands

    # 19 before: 12 and 5 reported, 2 checked in; now 3 walk-ins more.
    assert _derby_row(world).came == 22
    events = {
        e.title: e.came
        for e in review.group_events(world.derby, review.preset_period("90d", NOW), NOW)
    }
    assert (events["Film night"], events["Vigil"]) == (5, 5)
    months, by_group = trends.monthly_trends([world.derby.pk], key="group_id", now=NOW)
    assert by_group[world.derby.pk][-1].reached == 5 + 5  # June: Vigil 5, Film night 2 + 3


def test_a_filed_report_replaces_the_walk_ins(world):
    film_night = Event.objects.get(title="Film night")
    _walk_ins(film_night, 3)
    EventReport.objects.create(event=film_night, attendance=30, filed_at=NOW)

    assert _derby_row(world).came == 19 - 2 + 30
