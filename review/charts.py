"""Bar charts drawn on the server as inline SVG (no CDN, no script): this module works out
the geometry, templates/review/_bar_chart.html draws it, and each chart comes with
a data table for screen readers and anyone who prefers numbers."""

from __future__ import annotations

import math

WIDTH = 360
HEIGHT = 200
LEFT = 34  # room for the y-axis labels
RIGHT = 6
TOP = 16  # room for the value above the tallest bar
BOTTOM = 34  # room for month and year labels


def nice_ceiling(value: float) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50, ... at least ``value`` (a tidy axis top)."""
    if value <= 1:
        return 1
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * magnitude >= value:
            return int(step * magnitude)
    return int(10 * magnitude)  # pragma: no cover (the loop always returns)


def bar_chart(*, chart_id: str, title: str, points: list[tuple], unit: str) -> dict:
    """``points`` are (month as a date, value). Returns what the template needs."""
    values = [value for _month, value in points]
    top = nice_ceiling(max(values, default=0))
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    slot = plot_width / max(len(points), 1)
    bar_width = round(slot * 0.7, 1)
    baseline = TOP + plot_height
    bars = []
    for i, (month, value) in enumerate(points):
        height = round(plot_height * value / top, 1)
        x = round(LEFT + i * slot + (slot - bar_width) / 2, 1)
        bars.append(
            {
                "x": x,
                "y": round(baseline - height, 1),
                "width": bar_width,
                "height": height,
                "centre": round(x + bar_width / 2, 1),
                "value": value,
                "value_y": round(baseline - height - 3, 1),
                "month": month,
                "show_year": i == 0 or month.month == 1,
            }
        )
    # Counts are whole numbers, so a halfway line is drawn only where it is one too.
    steps = (0, top // 2, top) if top % 2 == 0 else (0, top)
    gridlines = [{"value": v, "y": round(baseline - plot_height * v / top, 1)} for v in steps]
    total = sum(values)
    if points:
        peak_month, peak = max(points, key=lambda p: p[1])
        span = f"{points[0][0]:%B %Y} to {points[-1][0]:%B %Y}"
        summary = f"Bar chart of {unit} per month, {span}: {total} in all" + (
            f", most in {peak_month:%B %Y} ({peak})." if peak else "."
        )
    else:
        summary = f"No {unit} to show."
    return {
        "id": chart_id,
        "title": title,
        "description": summary + " The figures are in the table that follows.",
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "baseline": baseline,
        "month_y": baseline + 13,
        "year_y": baseline + 25,
        "bars": bars,
        "gridlines": gridlines,
    }


def trend_block(*, block_id: str, heading: str, months: list, series: list) -> dict:
    """Three charts (events, people reached, new members) over the same months, and the
    rows of the one table under them. ``months`` is a list of review.MonthFigures."""
    charts = [
        bar_chart(
            chart_id=f"{block_id}-{name}",
            title=f"{label} per month, {heading}",
            points=[(m.month, getattr(m, name)) for m in months],
            unit=label.lower(),
        )
        for name, label in series
    ]
    return {"id": block_id, "heading": heading, "charts": charts, "months": months}
