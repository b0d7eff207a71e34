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
    # A hidden cell gets no share either: with the others' shares it could be narrowed
    # down; nor, when their number must stay unknown, does one that is not 0 (count over
    # share would tell it).
    return [
        Cell(
            label,
            value,
            rules.share(value, total) if value == 0 or (value and not linked) else None,
            text,
            "no answers" if value == 0 else WITHHELD_TEXT,
        )
        for (label, _n), value, text in zip(labelled, shown, hidden, strict=True)
    ]
