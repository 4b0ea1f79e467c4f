import datetime as dt

import pytest

from review.charts import BOTTOM, HEIGHT, TOP, bar_chart, nice_ceiling, trend_block
from review.trends import TREND_SERIES, MonthFigures


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, 1), (1, 1), (2, 2), (3, 5), (7, 10), (10, 10), (11, 20), (28, 50), (51, 100)],
)
def test_nice_ceiling(value, expected):
    assert nice_ceiling(value) == expected


def test_bar_chart_scales_bars_to_the_axis_and_describes_itself():
    points = [(dt.date(2025, 12, 1), 0), (dt.date(2026, 1, 1), 5), (dt.date(2026, 2, 1), 10)]

    chart = bar_chart(chart_id="c", title="Events", points=points, unit="events held")

    plot_height = HEIGHT - TOP - BOTTOM
    assert [bar["height"] for bar in chart["bars"]] == [0, plot_height / 2, plot_height]
    assert [bar["y"] + bar["height"] for bar in chart["bars"]] == [chart["baseline"]] * 3
    assert [line["value"] for line in chart["gridlines"]] == [0, 5, 10]
    assert [bar["show_year"] for bar in chart["bars"]] == [True, True, False]
    assert chart["description"] == (
        "Bar chart of events held per month, December 2025 to February 2026: 15 in all, "
        "most in February 2026 (10). The figures are in the table that follows."
    )


def test_bar_chart_of_nothing():
    chart = bar_chart(
        chart_id="c", title="Events", points=[(dt.date(2026, 1, 1), 0)], unit="events held"
    )

    assert [line["value"] for line in chart["gridlines"]] == [0, 1]
    assert chart["bars"][0]["height"] == 0
    assert chart["description"].startswith(
        "Bar chart of events held per month, January 2026 to January 2026: 0 in all."
    )


def test_trend_block_has_three_charts_with_unique_ids():
    months = [MonthFigures(dt.date(2026, m, 1), events=m, reached=2 * m, joined=1) for m in (1, 2)]

    block = trend_block(block_id="trend-x", heading="Derby", months=months, series=TREND_SERIES)

    assert [chart["id"] for chart in block["charts"]] == [
        "trend-x-events",
        "trend-x-reached",
        "trend-x-joined",
    ]
    assert [bar["value"] for bar in block["charts"][1]["bars"]] == [2, 4]
    assert block["charts"][2]["title"] == "New members per month, Derby"
