"""A bar chart drawn as inline SVG on the server: a picture that needs no JavaScript.

Geometry is computed here and written out by ``workspace/stats/bar_chart.svg.html``.
Horizontal positions are percentages of the chart's width and vertical ones are pixels, so
the chart fills any screen while its text keeps one legible size (a scaled view box would
shrink the labels to specks on a phone). Every number is formatted here in ASCII, so a
locale with other digits or decimal separators (Farsi) cannot break the SVG.
"""

from collections.abc import Sequence
from dataclasses import dataclass

HEIGHT = 220
TOP = 18
BOTTOM = 28
# Room on the start side for the value labels, as a share of the width.
START_PERCENT = 8.0
END_PERCENT = 1.0
# Five dates on the axis; the second and fourth are "minor" and hidden on narrow screens
# by the stylesheet, leaving the first, middle and last.
MAX_AXIS_LABELS = 5


def _number(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _percent(value: float) -> str:
    return _number(value) + "%"


@dataclass(frozen=True)
class ChartPoint:
    short_label: str
    long_label: str
    value: int


@dataclass(frozen=True)
class Bar:
    x: str
    y: str
    width: str
    height: str
    value: int
    label: str


@dataclass(frozen=True)
class AxisLabel:
    x: str
    text: str
    anchor: str
    minor: bool = False


@dataclass(frozen=True)
class GridLine:
    y: str
    label: str


@dataclass(frozen=True)
class BarChart:
    title: str
    description: str
    bars: list[Bar]
    x_labels: list[AxisLabel]
    grid: list[GridLine]
    height: int = HEIGHT
    plot_start: str = _percent(START_PERCENT)
    plot_end: str = _percent(100 - END_PERCENT)
    baseline: str = _number(HEIGHT - BOTTOM)
    label_y: str = _number(HEIGHT - BOTTOM + 18)


def _label_indexes(count: int) -> list[int]:
    """Evenly spaced bars to name on the x axis, always the first and the last."""
    if count <= MAX_AXIS_LABELS:
        return list(range(count))
    step = (count - 1) / (MAX_AXIS_LABELS - 1)
    return sorted({round(step * n) for n in range(MAX_AXIS_LABELS)})


def bar_chart(*, points: Sequence[ChartPoint], title: str, description: str) -> BarChart:
    """Lay out one bar per point, scaled to the largest value."""
    plot_width = 100 - START_PERCENT - END_PERCENT
    plot_height = HEIGHT - TOP - BOTTOM
    baseline = HEIGHT - BOTTOM
    top_value = max((point.value for point in points), default=0) or 1
    slot = plot_width / max(len(points), 1)
    gap = slot * 0.2
    bars = []
    for index, point in enumerate(points):
        height = plot_height * point.value / top_value
        bars.append(
            Bar(
                x=_percent(START_PERCENT + index * slot + gap / 2),
                y=_number(baseline - height),
                width=_percent(slot - gap),
                height=_number(height),
                value=point.value,
                label=point.long_label,
            )
        )
    x_labels = []
    indexes = _label_indexes(len(points))
    for position, index in enumerate(indexes):
        # The outermost labels hang inwards from their bar so they never leave the picture.
        if index == 0 and len(points) > 1:
            x, anchor = START_PERCENT + index * slot + gap / 2, "start"
        elif index == len(points) - 1 and len(points) > 1:
            x, anchor = START_PERCENT + (index + 1) * slot - gap / 2, "end"
        else:
            x, anchor = START_PERCENT + (index + 0.5) * slot, "middle"
        x_labels.append(
            AxisLabel(
                x=_percent(x),
                text=points[index].short_label,
                anchor=anchor,
                minor=len(indexes) == MAX_AXIS_LABELS and position % 2 == 1,
            )
        )
    grid = [GridLine(y=_number(baseline - plot_height), label=str(top_value))]
    if top_value >= 2:
        half = top_value // 2
        grid.append(GridLine(y=_number(baseline - plot_height * half / top_value), label=str(half)))
    return BarChart(title=title, description=description, bars=bars, x_labels=x_labels, grid=grid)
