"""A round whose figure is not drawn on a by-round chart shows as an open ring on the
axis, with a key under the chart saying why; before, the point was simply missing and
only a screen reader's description said "not shown" (walk 19)."""

from __future__ import annotations

import html
import re

import pytest

from feedback.charts import line_chart
from tests.feedback.builders import evaluations, make_round
from tests.feedback.test_reports import _html

pytestmark = pytest.mark.django_db


def test_a_hidden_value_is_a_ring_on_the_axis_with_its_key():
    chart = line_chart(
        id="c",
        title="T",
        values=[("R1", 50), ("R2", 60), ("R3", None), ("R4", 80)],
        y_max=100,
        gap_key="○ on the axis: not shown.",
    )

    (gap,) = chart.gaps
    assert (gap.x, gap.y) == (round(54 + 2 * (340 - 54) / 3), chart.bottom)
    assert chart.gap_key == "○ on the axis: not shown."


def test_a_chart_with_nothing_hidden_has_no_key_and_one_with_nothing_shown_has_its_note():
    shown = line_chart(id="c", title="T", values=[("R1", 50), ("R2", 60)], y_max=100, gap_key="k")
    hidden = line_chart(
        id="c", title="T", values=[("R1", None), ("R2", None)], y_max=100, note="n", gap_key="k"
    )

    assert shown.gaps == [] and shown.gap_key == ""
    assert hidden.gaps == [] and hidden.gap_key == "" and hidden.note == "n"


def test_the_pack_draws_the_round_it_hides_and_says_why(organiser_client, programme):
    evaluations(make_round(programme, 1), 10, met="yes", usefulness=4)
    evaluations(make_round(programme, 2), 3, met="yes", usefulness=5)
    evaluations(make_round(programme, 3), 10, met="yes", usefulness=3)

    pack = html.unescape(_html(organiser_client, programme, "evidence_pack"))
    page = html.unescape(_html(organiser_client, programme))

    for chart, key in (
        ("chart-trend-met", "(it would tell about fewer than 5 people)."),
        ("chart-trend-usefulness", "(a mean needs at least 5 ratings and must not give "),
    ):
        drawn = pack[pack.index(f'id="{chart}-title"') :]
        drawn = drawn[: drawn.index("</figure>")]
        # Round 2 had 3 answers (and another round goes too, or the total would give
        # round 2 away): a ring on the axis for each round not drawn, and the key.
        desc = re.search(r"<desc [^>]*>([^<]*)</desc>", drawn).group(1)
        points = len(re.findall(r'<circle class="chart-point"', drawn))
        rings = len(re.findall(r'<circle class="chart-gap"', drawn))
        assert "R2: not shown" in desc and points >= 1
        assert rings == desc.count(": not shown") and points + rings == 3, desc
        assert "○ on the axis: not shown for that round " + key in drawn
    # The organiser's own page shows round 2 exactly: no ring, no key.
    assert 'class="chart-gap"' not in page and "○ on the axis" not in page
