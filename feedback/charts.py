"""Chart geometry for server-rendered inline SVG: no JavaScript, no CDN. These helpers only
compute positions and text; the templates in `templates/feedback/includes/` draw them (and
escape every label). Each chart is shown beside a table with the same numbers.

Sizes are in SVG units drawn at about 1:1: the chart is at most 24rem wide and at least
the 328 px a 360 px screen leaves, so 14-unit text is never drawn below 12 px."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field

from feedback.reports import WITHHELD_TEXT, Cell, TrendRow
from feedback.small_numbers import ROUNDED_MARK

WIDTH = 360
LABEL_WIDTH = 132
VALUE_WIDTH = 124  # "12 (about 60%†)" at 14 units
ROW_HEIGHT = 24
LINE_HEIGHT = 16  # each further line of a wrapped label
BAR_HEIGHT = 16
PAD = 10
# Characters per label line: 14-unit text averages under 8 units a character, and the
# label has LABEL_WIDTH - 8 units; longer labels wrap onto more lines, never cut off.
LABEL_CHARS = 15
MAX_X_LABELS = 8


@dataclass(frozen=True)
class Bar:
    label: str
    lines: list[str]  # the label, wrapped to LABEL_CHARS a line
    value_text: str
    y: int
    width: int  # 0 when the value is hidden: nothing is drawn
    text_x: int
    hidden: bool


@dataclass(frozen=True)
class BarChart:
    id: str
    title: str
    description: str
    bars: list[Bar]
    height: int
    width: int = WIDTH
    label_x: int = LABEL_WIDTH - 8
    bar_x: int = LABEL_WIDTH
    bar_height: int = BAR_HEIGHT


def _wrap(label: str) -> list[str]:
    return textwrap.wrap(label, LABEL_CHARS, break_on_hyphens=True) or [""]


def _describe(title: str, pairs: list[tuple[str, str]]) -> str:
    return f"{title}: " + "; ".join(f"{label}: {text}" for label, text in pairs) + "."


def bar_chart(*, id: str, title: str, cells: list[Cell]) -> BarChart:
    """Horizontal bars, one per cell; a hidden cell draws no bar and says why it is hidden."""
    top = max((c.value or 0 for c in cells), default=0) or 1
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    bars = []
    y = PAD
    for cell in cells:
        width = round(span * cell.value / top) if cell.value else 0
        text = cell.text + (f" ({cell.percent_text})" if cell.percent is not None else "")
        lines = _wrap(cell.label)
        bars.append(
            Bar(
                label=cell.label,
                lines=lines,
                value_text=text,
                y=y,
                width=width,
                text_x=LABEL_WIDTH + width + 6,
                hidden=cell.value is None,
            )
        )
        y += ROW_HEIGHT + LINE_HEIGHT * (len(lines) - 1)
    return BarChart(
        id=id,
        title=title,
        description=_describe(title, [(c.label, c.text) for c in cells]),
        bars=bars,
        height=PAD + max(y, PAD + ROW_HEIGHT),
    )


@dataclass(frozen=True)
class Point:
    x: int
    y: int
    label: str


@dataclass(frozen=True)
class Tick:
    x: int
    y: int
    label: str


@dataclass(frozen=True)
class LineChart:
    id: str
    title: str
    description: str
    segments: list[str]  # SVG polyline "x,y x,y" strings; gaps where a value is hidden
    points: list[Point]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    left: int
    right: int
    top: int
    bottom: int
    width: int = WIDTH
    height: int = 150
    note: str = ""  # said instead of the chart when no point can be drawn
    # Rounds with no value: an open ring on the axis, and the key says what it means.
    gaps: list[Point] = field(default_factory=list)
    gap_key: str = ""


def _value_text(value: float, suffix: str) -> str:
    if getattr(value, "rounded", False):  # a Share rounded to the nearest 10
        return f"about {value:g}{suffix}{ROUNDED_MARK}"
    return f"{value:g}{suffix}"


def line_chart(
    *,
    id: str,
    title: str,
    values: list[tuple[str, float | None]],
    y_max: float,
    suffix: str = "",
    note: str = "",
    gap_key: str = "",
) -> LineChart:
    """One value per round, joined by lines; a hidden value leaves a gap in the line and
    an open ring on the axis, which `gap_key` explains under the chart. When every value
    is hidden, `note` says why, in place of empty axes."""
    left, right, top, bottom = 54, WIDTH - 20, 10, 120
    step = (right - left) / max(len(values) - 1, 1)
    segments: list[str] = []
    points: list[Point] = []
    gaps: list[Point] = []
    current: list[str] = []
    for i, (label, value) in enumerate(values):
        x = round(left + i * step) if len(values) > 1 else (left + right) // 2
        if value is None:
            if current:
                segments.append(" ".join(current))
            current = []
            gaps.append(Point(x, bottom, f"{label}: {WITHHELD_TEXT}"))
            continue
        y = round(bottom - (bottom - top) * value / y_max)
        current.append(f"{x},{y}")
        points.append(Point(x, y, f"{label}: {_value_text(value, suffix)}"))
    if current:
        segments.append(" ".join(current))
    every = -(-len(values) // MAX_X_LABELS)  # thin the labels so they never overlap
    x_ticks = [
        Tick(
            round(left + i * step) if len(values) > 1 else (left + right) // 2,
            bottom + 20,
            lbl if i % every == 0 else "",
        )
        for i, (lbl, _v) in enumerate(values)
    ]
    y_ticks = [
        Tick(left - 8, round(bottom - (bottom - top) * f), f"{y_max * f:g}{suffix}")
        for f in (0, 0.5, 1)
    ]
    description = _describe(
        title, [(lbl, WITHHELD_TEXT if v is None else _value_text(v, suffix)) for lbl, v in values]
    )
    return LineChart(
        id=id,
        title=title,
        description=description,
        segments=[s for s in segments if " " in s],
        points=points,
        x_ticks=x_ticks,
        y_ticks=y_ticks,
        left=left,
        right=right,
        top=top,
        bottom=bottom,
        note="" if points else note,
        gaps=gaps if points else [],
        gap_key=gap_key if points and gaps else "",
    )


def _trend_notes(report: dict) -> tuple[str, str]:
    """What the by-round charts say when no round's figure is shown: in the pack, hidden
    figures; on the organiser page (exact), rounds with nothing to show yet."""
    trend: list[TrendRow] = report["trend"]
    if all(row.evaluations == 0 for row in trend):
        return "No answers yet in any round.", "No answers yet in any round."
    if report["exact"]:
        return "No answers yet in any round.", "No ratings yet in any round."
    unanswered = ", or has no answers yet" if any(row.evaluations == 0 for row in trend) else ""
    return (
        f"Not shown for any round: each would tell about fewer than 5 people{unanswered}.",
        "Not shown for any round: a round's mean needs at least 5 ratings and must not "
        "give away another's.",
    )


def _gap_keys(exact: bool) -> tuple[str, str]:
    """What an open ring on a by-round chart's axis means, under the chart."""
    if exact:
        return (
            "○ on the axis: no answers in that round: none yet, or nobody was matched in it.",
            "○ on the axis: no ratings in that round: none yet, or nobody was matched in it.",
        )
    return (
        "○ on the axis: not shown for that round (it would tell about fewer than 5 people).",
        "○ on the axis: not shown for that round (a mean needs at least 5 ratings and must "
        "not give another away).",
    )


def report_charts(report: dict) -> dict[str, BarChart | LineChart]:
    """The charts for one programme report, built from its already-suppressed numbers."""
    trend: list[TrendRow] = report["trend"]
    labels = [f"R{row.number}" for row in trend]
    met_note, usefulness_note = _trend_notes(report)
    met_key, usefulness_key = _gap_keys(report["exact"])
    return {
        "signups": bar_chart(
            id="chart-signups", title="Sign-ups by month", cells=report["signups"]
        ),
        "usefulness": bar_chart(
            id="chart-usefulness", title="How useful members found it", cells=report["usefulness"]
        ),
        "meet_again": bar_chart(
            id="chart-meet-again", title="Would meet again", cells=report["meet_again"]
        ),
        # Only when feedback named a topic: a chart of bars all at 0 says nothing.
        "topics": bar_chart(
            id="chart-topics",
            title="Topics members talked about",
            # In the table's order, which is that of the numbers drawn.
            cells=[Cell(t.name, t.talked_about) for t in report["topics"]],
        )
        if any(t.talked_about for t in report["topics"])
        else None,
        "trend_met": line_chart(
            id="chart-trend-met",
            title="Percentage who met, by round",
            values=[(lbl, r.met_percent) for lbl, r in zip(labels, trend, strict=True)],
            y_max=100,
            suffix="%",
            note=met_note,
            gap_key=met_key,
        ),
        "trend_usefulness": line_chart(
            id="chart-trend-usefulness",
            title="Mean usefulness (1-5), by round",
            values=[(lbl, r.mean_usefulness) for lbl, r in zip(labels, trend, strict=True)],
            y_max=5,
            note=usefulness_note,
            gap_key=usefulness_key,
        ),
    }
