"""A bar chart drawn as inline SVG on the server: a picture that needs no JavaScript.

Geometry is computed here and written out by ``workspace/stats/bar_chart.svg.html``. Every
coordinate is formatted here as plain ASCII digits, so a locale with other digits or decimal
separators (Farsi) cannot break the SVG. The view box is phone-sized, so text is legible
when the chart is scaled down to a phone's width and grows with it on wider screens.
"""

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 360
HEIGHT = 200
MARGIN_TOP = 14
MARGIN_BOTTOM = 26
MARGIN_START = 34
MARGIN_END = 8
MAX_AXIS_LABELS = 6


def _number(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


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
    y: str
    text: str


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
    width: int = WIDTH
    height: int = HEIGHT
    plot_start: str = _number(MARGIN_START)
    plot_end: str = _number(WIDTH - MARGIN_END)
    baseline: str = _number(HEIGHT - MARGIN_BOTTOM)


def _label_indexes(count: int) -> list[int]:
    """Evenly spaced bars to name on the x axis, always the first and the last."""
    if count <= MAX_AXIS_LABELS:
        return list(range(count))
    step = (count - 1) / (MAX_AXIS_LABELS - 1)
    return sorted({round(step * n) for n in range(MAX_AXIS_LABELS)})


def bar_chart(*, points: Sequence[ChartPoint], title: str, description: str) -> BarChart:
    """Lay out one bar per point, scaled to the largest value."""
    plot_width = WIDTH - MARGIN_START - MARGIN_END
    plot_height = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    baseline = HEIGHT - MARGIN_BOTTOM
    top_value = max((point.value for point in points), default=0) or 1
    slot = plot_width / max(len(points), 1)
    gap = min(slot * 0.2, 4.0)
    bars = []
    for index, point in enumerate(points):
        height = plot_height * point.value / top_value
        bars.append(
            Bar(
                x=_number(MARGIN_START + index * slot + gap / 2),
                y=_number(baseline - height),
                width=_number(max(slot - gap, 0.5)),
                height=_number(height),
                value=point.value,
                label=point.long_label,
            )
        )
    x_labels = [
        AxisLabel(
            x=_number(MARGIN_START + (index + 0.5) * slot),
            y=_number(baseline + 16),
            text=points[index].short_label,
        )
        for index in _label_indexes(len(points))
    ]
    grid = [GridLine(y=_number(baseline - plot_height), label=str(top_value))]
    if top_value >= 2:
        half = top_value // 2
        grid.append(GridLine(y=_number(baseline - plot_height * half / top_value), label=str(half)))
    return BarChart(title=title, description=description, bars=bars, x_labels=x_labels, grid=grid)
