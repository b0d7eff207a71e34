"""The evidence page's figures: each one true, none a count of 1-4 (directly, or as the
rest of a total it is shown beside), and the parts add up to their totals."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db.models import Count, Q

from feedback.models import Evaluation, MeetAgain, Met
from feedback.reports import programme_report
from pairing.models import MembershipStatus, Programme, RoundStatus

SMALL = range(1, 5)


def check_report(programme: Programme, today: dt.date) -> None:
    report = programme_report(programme=programme, today=today)
    evaluations = Evaluation.objects.filter(match__pairing_round__programme=programme)
    rounds = programme.rounds.filter(status=RoundStatus.DONE).order_by("number")
    assert report["rounds_run"] == rounds.count()
    active = programme.memberships.filter(
        Q(status=MembershipStatus.ACTIVE)
        | Q(status=MembershipStatus.PAUSED, paused_until__lte=today)
    ).count()
    _shown_true("members", report["members"], active)
    total = evaluations.count()
    met = evaluations.filter(met=Met.YES).count()
    _shown_true("evaluations", report["evaluations"], total)
    _shown_beside("met", report["met"], met, total)
    _percent("met_percent", report["met_percent"], met, total)
    _check_trend(report["trend"], rounds, evaluations, total, report["evaluations"] is not None)
    ratings = Counter(evaluations.exclude(usefulness=None).values_list("usefulness", flat=True))
    true = [ratings[k] for k in range(1, 6)]
    _check_cells("usefulness", _cells(report["usefulness"]), true, total_shown=False)
    _mean("mean_usefulness", report["mean_usefulness"], list(ratings.elements()))
    again = Counter(evaluations.values_list("meet_again", flat=True))
    true = [again[c.value] for c in MeetAgain]
    _check_cells("meet_again", _cells(report["meet_again"]), true, total_shown=False)
    for cell in report["signups"]:
        assert cell.value is None or cell.value not in SMALL, f"signups {cell}"
    for topic in report["topics"]:
        for value in (topic.talked_about, topic.shared):
            assert value is None or value not in SMALL, f"topic {topic}"
    for figure in ("intros_delivered", "members_introduced"):
        assert report[figure] is None or report[figure] not in SMALL, figure


def _shown_true(name: str, shown: int | None, true: int) -> None:
    assert shown in (None, true), f"{name}: shows {shown}, truly {true}"
    assert shown is not None or true < 5, f"{name}: hides {true}"
    assert shown not in SMALL, f"{name}: shows a small count {shown}"


def _shown_beside(name: str, shown: int | None, part: int, whole: int) -> None:
    """A part shown beside its whole must not give away a small rest."""
    assert shown in (None, part), f"{name}: shows {shown}, truly {part}"
    if shown is not None:
        assert shown not in SMALL and whole - shown not in SMALL, f"{name}: {part} of {whole}"


def _percent(name: str, shown: int | None, part: int, whole: int) -> None:
    if shown is None:
        return
    if getattr(shown, "rounded", False):  # the pack's "about 90%†"
        assert whole >= 5 and (part in SMALL or whole - part in SMALL), f"{name} {shown!r}"
        assert abs(shown - 100 * part / whole) <= 5, f"{name}: {shown!r} of {part}/{whole}"
        return
    assert whole >= 5 and part not in SMALL and whole - part not in SMALL, f"{name} {shown}"
    assert shown == round(100 * part / whole), f"{name}: {shown}% of {part}/{whole}"


def _mean(name: str, shown: float | None, ratings: list[int]) -> None:
    if shown is None:
        return
    assert len(ratings) >= 5, f"{name} shown from {len(ratings)} ratings"
    assert shown == round(sum(ratings) / len(ratings), 1), f"{name}: {shown}"


Shown = tuple[str, int | None, int | None]  # label, value shown, percent shown


def _cells(cells: list) -> list[Shown]:
    return [(cell.label, cell.value, cell.percent) for cell in cells]


def _check_cells(name: str, cells: list[Shown], true: list[int], total_shown: bool) -> None:
    """A distribution: shown cells are true, and what is hidden adds up to 0 or 5+
    unless nothing is shown to subtract it from (no cell above 0, no total)."""
    assert len(cells) == len(true), name
    for (label, value, share), n in zip(cells, true, strict=True):
        assert value in (None, n), f"{name} {label}: shows {value}, truly {n}"
        assert value not in SMALL, f"{name} {label}: shows a small count"
        if value is not None:
            _percent(f"{name} {label} %", share, n, sum(true))
    hidden = sum(n for (_label, value, _share), n in zip(cells, true, strict=True) if value is None)
    if hidden in SMALL:
        # A cell shown as 0 subtracts nothing: the hidden cells still add up to the total.
        shown = [label for label, value, _share in cells if value]
        assert not shown and not total_shown, f"{name}: hidden cells add up to {hidden}"


def _check_trend(
    trend: list, rounds: object, evaluations: object, total: int, total_shown: bool
) -> None:
    rounds = list(rounds.annotate(n_matches=Count("matches")))
    assert [row.number for row in trend] == [r.number for r in rounds]
    answers = list(evaluations.values_list("match__pairing_round", "met"))
    per_round = Counter(round_id for round_id, _met in answers)
    met_per_round = Counter(round_id for round_id, met in answers if met == Met.YES)
    assert sum(per_round[r.pk] for r in rounds) == total, "rounds' evaluations != the total"
    for row, pairing_round in zip(trend, rounds, strict=True):
        matches = pairing_round.n_matches
        assert row.matches in (None, matches) and row.matches not in SMALL, f"trend {row}"
        assert row.matches is not None or matches < 5, f"trend hides {matches} matches"
        n, met = per_round[pairing_round.pk], met_per_round[pairing_round.pk]
        _percent(f"round {row.number} met %", row.met_percent, met, n)
    shown = [(f"round {row.number}", row.evaluations, None) for row in trend]
    _check_cells("trend evaluations", shown, [per_round[r.pk] for r in rounds], total_shown)
