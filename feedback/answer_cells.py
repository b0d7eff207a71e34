"""One question's answers as the evidence shows them, cell by cell (a rating, "would meet
again"): each count and its share, exact on the organiser team's own page, protected in
the pack (`feedback.small_numbers`). Used by `feedback.reports`, which re-exports `Cell`."""

from __future__ import annotations

from dataclasses import dataclass

from feedback.small_numbers import (
    HIDDEN_TEXT,
    WITHHELD_TEXT,
    Rules,
    Share,
    answers_withheld,
    distribution_hidden_texts,
)


@dataclass(frozen=True)
class Cell:
    """One reported figure: the number shown (None when hidden) and its share."""

    label: str
    value: int | None
    percent: Share | None = None
    hidden: str = HIDDEN_TEXT  # said instead of the value when it is None
    share_hidden: str = WITHHELD_TEXT  # said instead of the share when it is None

    @property
    def text(self) -> str:
        return self.hidden if self.value is None else str(self.value)

    @property
    def percent_text(self) -> str:
        return "" if self.percent is None else self.percent.text


def answer_cells(
    labelled: list[tuple[str, int]], rules: Rules, beside: list[int | None] = ()
) -> list[Cell]:
    total = sum(n for _label, n in labelled)
    counts = [n for _label, n in labelled]
    shown = rules.distribution(counts)
    hidden = distribution_hidden_texts(counts)
    linked = not rules.exact and answers_withheld(total, beside)
    if linked and None not in shown:
        # Every count shown adds up to the number of answers: none can be shown.
        return [Cell(label, None, None, WITHHELD_TEXT) for label, _n in labelled]
    return [
        Cell(
            label,
            value,
            _share(value, total, rules, linked),
            text,
            "no answers" if total == 0 else WITHHELD_TEXT,
        )
        for (label, _n), value, text in zip(labelled, shown, hidden, strict=True)
    ]


def _share(value: int | None, total: int, rules: Rules, linked: bool) -> Share | None:
    """A hidden cell gets no share: with the others' shares it could be narrowed down;
    nor, when the number of answers must stay unknown (`linked`), does one that is not 0
    (count over share would tell it). Shared, none is shown of 1-4 answers, not even 0%
    (the table then says "not shown", and "no answers" only when there are none)."""
    if value is None or (linked and value):
        return None
    return rules.share(value, total)
