"""A measure's trend as a small server-side SVG line chart, readable without JavaScript.

The vertical scale is the measure's whole valid range, so a change looks as big as it is on the
scale. The numbers are in a table beside the chart; the SVG has a text alternative too.
"""

from __future__ import annotations

from markupsafe import Markup

from planner.services.evaluations import Trend
from planner.services.measures import number
from planner.web.charts import line_chart


def describe(trend: Trend) -> str:
    """The chart in one sentence, for screen readers and as the SVG's title."""
    m, points = trend.measure, trend.points
    first, last = points[0], points[-1]
    if len(points) == 1:
        return f"{m.name}: {number(first[1])} {m.unit} on {first[0]}."
    better = "lower" if m.better == "lower" else "higher"
    return (
        f"{m.name}: from {number(first[1])} on {first[0]} to {number(last[1])} {m.unit} on {last[0]}, "
        f"{len(points)} measurements ({better} is better)."
    )


def trend_svg(trend: Trend, element_id: str) -> Markup:
    m = trend.measure
    return line_chart(trend.points, m.low, m.high, describe(trend), element_id)
