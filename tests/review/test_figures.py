"""Every figure of the review, computed on the known dataset of conftest.world."""

import datetime as dt

import pytest

from groups.models import LocalGroup
from review import figures as review
from review import trends
from review.figures import Flag, PeriodForm

from .conftest import NOW, at

pytestmark = pytest.mark.django_db

FIGURES = [
    "members",
    "new_members",
    "left_members",
    "leads",
    "events",
    "rsvps",
    "came",
    "reports_filed",
    "reports_due",
    "reports_overdue",
    "campaigns",
    "actions",
    "partnerships",
    "new_partnerships",
    "last_event_at",
    "last_activity",
    "flags",
]


def figures(rows):
    return {row.group.slug: {name: getattr(row, name) for name in FIGURES} for row in rows}


def midlands_rows(world, period):
    groups = list(
        LocalGroup.objects.filter(area__region=world.midlands, is_active=True).select_related(
            "area"
        )
    )
    return review.group_rows(groups, period, NOW)


def test_group_rows_last_90_days_match_the_hand_count(world):
    rows = midlands_rows(world, review.preset_period("90d", NOW))

    assert figures(rows) == {
        "derby": {
            "members": 3,
            "new_members": 2,
            "left_members": 2,
            "leads": 1,
            "events": 3,
            "rsvps": 7,
            "came": 19,
            "reports_filed": 2,
            "reports_due": 2,
            "reports_overdue": 2,
            "campaigns": 1,
            "actions": 3,
            "partnerships": 2,
            "new_partnerships": 2,
            "last_event_at": at(2025, 6, 12),
            "last_activity": at(2025, 6, 14, 10),
            "flags": [Flag.REPORTS_OVERDUE],
        },
        "chesterfield": {
            "members": 1,
            "new_members": 0,
            "left_members": 1,
            "leads": 0,
            "events": 0,
            "rsvps": 0,
            "came": 0,
            "reports_filed": 0,
            "reports_due": 0,
            "reports_overdue": 0,
            "campaigns": 0,
            "actions": 0,
            "partnerships": 0,
            "new_partnerships": 0,
            "last_event_at": at(2025, 2, 1),
            "last_activity": at(2025, 2, 3),
            "flags": [Flag.NO_RECENT_EVENT, Flag.NO_LEAD, Flag.SHRINKING],
        },
        "leicester": {
            "members": 2,
            "new_members": 2,
            "left_members": 0,
            "leads": 1,
            "events": 2,
            "rsvps": 0,
            "came": 0,
            "reports_filed": 0,
            "reports_due": 2,
            "reports_overdue": 2,
            "campaigns": 0,
            "actions": 1,
            "partnerships": 1,
            "new_partnerships": 0,
            "last_event_at": at(2025, 5, 20),
            "last_activity": at(2025, 5, 20),
            "flags": [Flag.REPORTS_OVERDUE],
        },
    }


def test_group_rows_custom_range_uses_whole_london_days(world):
    form = PeriodForm(
        {"period": "custom", "from": "2025-04-01", "to": "2025-04-30"}, today=NOW.date()
    )
    period = form.get_period(NOW)
    assert (period.start, period.end) == (at(2025, 3, 31, 23), at(2025, 4, 30, 23))

    result = figures(midlands_rows(world, period))

    # Leicester's "Late one" starts 1 May 00:30 in London (30 April 23:30 UTC): outside.
    assert result["leicester"]["events"] == 0
    assert result["leicester"]["reports_due"] == 0
    assert result["derby"]["events"] == 1
    assert result["derby"]["rsvps"] == 3
    assert result["derby"]["came"] == 12
    assert result["derby"]["new_members"] == 1
    assert result["derby"]["left_members"] == 0
    assert result["derby"]["actions"] == 1  # m2 on 15 April; m1 had not joined on 20 April


def test_group_rows_last_12_months(world):
    result = figures(midlands_rows(world, review.preset_period("12m", NOW)))

    assert {slug: row["events"] for slug, row in result.items()} == {
        "derby": 4,
        "chesterfield": 1,
        "leicester": 2,
    }
    assert result["chesterfield"]["came"] == 7
    assert result["chesterfield"]["reports_filed"] == 1
    assert result["derby"]["actions"] == 4  # and the lead's action of 1 February


def test_group_rows_of_no_groups_make_no_queries(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert review.group_rows([], review.preset_period("30d", NOW), NOW) == []


def test_totals_and_flag_counts(world):
    rows = midlands_rows(world, review.preset_period("90d", NOW))

    assert review.totals(rows) == {
        "members": 6,
        "new_members": 4,
        "events": 5,
        "rsvps": 7,
        "came": 19,
        "reports_filed": 2,
        "reports_due": 4,
        "campaigns": 1,
        "actions": 4,
        "partnerships": 3,
        "new_partnerships": 2,
        "groups": 3,
        "flagged": 3,
    }
    assert review.flag_counts(rows) == [
        (Flag.NO_RECENT_EVENT, 1),
        (Flag.NO_LEAD, 1),
        (Flag.REPORTS_OVERDUE, 2),
        (Flag.SHRINKING, 1),
    ]


@pytest.mark.parametrize(
    ("sort", "expected_order", "expected_sort"),
    [
        ("name", ["chesterfield", "derby", "leicester"], "name"),
        ("-name", ["leicester", "derby", "chesterfield"], "-name"),
        ("-members", ["derby", "leicester", "chesterfield"], "-members"),
        ("members", ["chesterfield", "leicester", "derby"], "members"),
        ("-events", ["derby", "leicester", "chesterfield"], "-events"),
        ("-flags", ["chesterfield", "derby", "leicester"], "-flags"),
        ("-last_activity", ["derby", "leicester", "chesterfield"], "-last_activity"),
        ("area", ["chesterfield", "derby", "leicester"], "area"),
        ("-area", ["leicester", "chesterfield", "derby"], "-area"),
        ("password", ["chesterfield", "derby", "leicester"], "name"),
        ("-__class__", ["chesterfield", "derby", "leicester"], "name"),
    ],
)
def test_sort_rows_by_whitelisted_columns(world, sort, expected_order, expected_sort):
    rows = midlands_rows(world, review.preset_period("90d", NOW))

    ordered, used = review.sort_rows(rows, sort)

    assert [row.group.slug for row in ordered] == expected_order
    assert used == expected_sort


def test_sort_rows_puts_groups_without_activity_last(world):
    empty = LocalGroup.objects.create(
        area=world.derbyshire, name="Aardvark", slug="aardvark", town="Ashbourne"
    )
    groups = [*LocalGroup.objects.filter(pk__in=[world.derby.pk, empty.pk]).select_related("area")]
    rows = review.group_rows(groups, review.preset_period("90d", NOW), NOW)

    for sort in ("last_activity", "-last_activity"):
        ordered, _ = review.sort_rows(rows, sort)
        assert [row.group.slug for row in ordered] == ["derby", "aardvark"]
    aardvark = next(row for row in rows if row.group == empty)
    assert (aardvark.last_activity, aardvark.flags) == (None, [Flag.NO_RECENT_EVENT, Flag.NO_LEAD])


def test_monthly_trends_per_area(world):
    groups = [world.derby.pk, world.chesterfield.pk, world.leicester.pk]

    months, by_area = trends.monthly_trends(groups, key="group__area_id", now=NOW)

    assert months[0] == dt.date(2024, 7, 1)
    assert months[-1] == dt.date(2025, 6, 1)

    def series(points):
        return {
            p.month.strftime("%Y-%m"): (p.events, p.reached, p.joined)
            for p in points
            if (p.events, p.reached, p.joined) != (0, 0, 0)
        }

    assert series(by_area[world.derbyshire.pk]) == {
        "2025-01": (1, 0, 1),
        "2025-02": (1, 7, 0),
        "2025-04": (1, 12, 1),
        "2025-05": (0, 0, 1),
        "2025-06": (2, 7, 0),
    }
    # "Late one" (30 April 23:30 UTC) is a May event in London.
    assert series(by_area[world.leicestershire.pk]) == {
        "2025-03": (0, 0, 1),
        "2025-05": (2, 0, 1),
    }
    overall = trends.sum_months(list(by_area.values()), months)
    assert series(overall) == {
        "2025-01": (1, 0, 1),
        "2025-02": (1, 7, 0),
        "2025-03": (0, 0, 1),
        "2025-04": (1, 12, 1),
        "2025-05": (2, 0, 2),
        "2025-06": (2, 7, 0),
    }
    assert len(overall) == 12


def test_monthly_trends_per_group(world):
    months, by_group = trends.monthly_trends([world.derby.pk], key="group_id", now=NOW)

    assert [(p.events, p.reached, p.joined) for p in by_group[world.derby.pk]][-6:] == [
        (1, 0, 1),  # January
        (0, 0, 0),
        (0, 0, 0),
        (1, 12, 1),
        (0, 0, 1),
        (2, 7, 0),  # June
    ]
    assert list(by_group) == [world.derby.pk]


def test_last_12_months_crosses_the_year():
    assert trends.last_12_months(dt.date(2025, 2, 28)) == [
        dt.date(2024, m, 1) for m in range(3, 13)
    ] + [dt.date(2025, 1, 1), dt.date(2025, 2, 1)]


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"period": "custom"}, "For custom dates, give both a from and a to date."),
        (
            {"period": "custom", "from": "2025-05-01"},
            "For custom dates, give both a from and a to date.",
        ),
        (
            {"period": "custom", "from": "2025-05-02", "to": "2025-05-01"},
            "The from date must be on or before the to date.",
        ),
        (
            {"period": "custom", "from": "2025-05-02", "to": "2025-06-16"},
            "The to date cannot be in the future.",
        ),
        (
            {"period": "custom", "from": "0001-01-01", "to": "2025-06-01"},
            "Choose dates from 2000 onwards.",
        ),
        ({"period": "custom", "from": "yesterday", "to": "2025-06-01"}, "Enter a date like"),
        ({"period": "custom", "from": "2025-02-30", "to": "2025-06-01"}, "Enter a date like"),
        ({"period": "forever"}, "Select a valid choice"),
    ],
)
def test_period_form_rejects_bad_input_and_falls_back(data, error):
    form = PeriodForm(data, today=NOW.date())

    period = form.get_period(NOW)

    assert not form.is_valid()
    assert error in str(form.errors)
    assert (period.key, period.start, period.end) == ("90d", NOW - dt.timedelta(days=90), NOW)


def test_period_form_presets_and_custom_label():
    assert PeriodForm({}, today=NOW.date()).get_period(NOW).key == "90d"
    thirty = PeriodForm({"period": "30d"}, today=NOW.date()).get_period(NOW)
    assert (thirty.start, thirty.end) == (NOW - dt.timedelta(days=30), NOW)
    year = PeriodForm({"period": "12m"}, today=NOW.date()).get_period(NOW)
    assert year.start == NOW - dt.timedelta(days=365)
    custom = PeriodForm(
        {"period": "custom", "from": "2025-01-01", "to": "2025-06-15"}, today=NOW.date()
    ).get_period(NOW)
    assert custom.label == "1 Jan 2025 to 15 Jun 2025"
    # Winter dates are GMT: midnight in London is midnight UTC.
    assert (custom.start, custom.end) == (at(2025, 1, 1, 0), at(2025, 6, 15, 23))
    assert custom.params == {"period": "custom", "from": "2025-01-01", "to": "2025-06-15"}
