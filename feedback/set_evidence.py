"""The learning-set section of a programme's evidence, by cycle: sessions held,
attendance, usefulness, would recommend and the before/after change, through the same
small-number rules as every other figure (`feedback.small_numbers`: exact on the
organiser team's own page; in the shared pack no count of 1-4, nothing that gives one away
beside its total). Counted in the database: six grouped queries whatever the number of
cycles, sets, sessions and check-ins."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Avg, Count, Exists, OuterRef, Q
from django.utils import timezone

from feedback.small_numbers import (
    EXACT,
    HIDDEN_TEXT,
    SHAREABLE,
    WITHHELD_TEXT,
    Rules,
    Share,
    hidden_text,
)
from pairing.models import MatchMember, Programme
from pairing.sets.models import (
    Cycle,
    LearningSet,
    Recommend,
    Session,
    SessionCheckIn,
    SessionStatus,
    SetEvaluation,
    SetLeaver,
)


@dataclass(frozen=True)
class Figure:
    label: str
    value: int | float | str | None
    hidden: str = HIDDEN_TEXT
    percent: Share | None = None

    @property
    def text(self) -> str:
        if self.value is None:
            # A count hidden in the pack may still have its share, rounded to the nearest 10.
            return self.percent.text if self.percent is not None else self.hidden
        share = f" ({self.percent.text})" if self.percent is not None else ""
        return f"{self.value}{share}"


@dataclass(frozen=True)
class CycleEvidence:
    title: str
    sets: int  # sets are not people: shown as they are
    sessions_held: int
    sessions_cancelled: int
    figures: list[Figure]


def _mean_hidden(answers: int) -> str:
    """Said in place of an average: none to take, or too few (1-4) to share ("not shown",
    as in the other packs: "fewer than 5" beside a 1-5 scale read as a score, walk 32)."""
    return "no answers yet" if answers == 0 else WITHHELD_TEXT


def _part(label: str, part: int, whole: int, rules: Rules, nothing: str) -> Figure:
    """A count of `whole` answers, with its share; `nothing` when there are no answers
    (walk 32: "Would recommend a learning set 0" before any set evaluation)."""
    if whole == 0:
        return Figure(label, None, nothing)
    return Figure(label, rules.part(part, whole), hidden_text(part), rules.share(part, whole))


CHANGE_LABELS = {
    "confidence": "Confidence, mean before → now (1-5)",
    "isolation": "Professional isolation, mean before → now (1-5)",
}


def _change(e: dict, topic: str, rules: Rules) -> Figure:
    n = e[f"{topic}_n"]
    before = rules.mean(e[f"{topic}_mean_before"], n)
    after = rules.mean(e[f"{topic}_mean_after"], n)
    if before is None or after is None:
        return Figure(CHANGE_LABELS[topic], None, _mean_hidden(n))
    return Figure(CHANGE_LABELS[topic], f"{before} → {after}")


def _by_cycle(rows: object, key: str) -> dict[int, dict]:
    return {row[key]: row for row in rows}


def _figures_of(cycles: list[Cycle], now: object) -> dict[str, dict[int, dict]]:
    """Every count behind the figures, grouped by cycle: one query each."""
    ids = [cycle.pk for cycle in cycles]
    left = SetLeaver.objects.filter(learning_set__match=OuterRef("match"), user=OuterRef("user"))
    # A set merged into another keeps its history: its held sessions and check-ins count.
    held = Q(status=SessionStatus.SCHEDULED, starts_at__lte=now)
    evaluations = SetEvaluation.objects.filter(learning_set__cycle__in=ids)
    changes = {}
    for topic in CHANGE_LABELS:
        both = Q(**{f"{topic}_before__isnull": False, f"{topic}_after__isnull": False})
        changes |= {
            f"{topic}_n": Count("id", filter=both),
            f"{topic}_mean_before": Avg(f"{topic}_before", filter=both),
            f"{topic}_mean_after": Avg(f"{topic}_after", filter=both),
        }
    return {
        "sets": _by_cycle(
            LearningSet.objects.filter(cycle__in=ids, merged_into__isnull=True)
            .values("cycle")
            .annotate(n=Count("id")),
            "cycle",
        ),
        # Members in the sets now: leavers and deleted accounts left out.
        "members": _by_cycle(
            MatchMember.objects.filter(
                match__learning_set__cycle__in=ids,
                match__learning_set__merged_into__isnull=True,
                user__isnull=False,
            )
            .exclude(Exists(left))
            .values("match__learning_set__cycle")
            .annotate(n=Count("id")),
            "match__learning_set__cycle",
        ),
        "sessions": _by_cycle(
            Session.objects.filter(learning_set__cycle__in=ids)
            .values("learning_set__cycle")
            .annotate(
                held=Count("id", filter=held),
                cancelled=Count("id", filter=Q(status=SessionStatus.CANCELLED)),
            ),
            "learning_set__cycle",
        ),
        "checkins": _by_cycle(
            SessionCheckIn.objects.filter(
                session__learning_set__cycle__in=ids,
                session__status=SessionStatus.SCHEDULED,
                session__starts_at__lte=now,
            )
            .values("session__learning_set__cycle")
            .annotate(
                n=Count("id"),
                attended=Count("id", filter=Q(attended=True)),
                rated=Count("id", filter=Q(usefulness__isnull=False)),
                mean=Avg("usefulness"),
            ),
            "session__learning_set__cycle",
        ),
        "evaluations": _by_cycle(
            evaluations.values("learning_set__cycle").annotate(
                n=Count("id"),
                yes=Count("id", filter=Q(would_recommend=Recommend.YES)),
                mean=Avg("usefulness"),
                **changes,
            ),
            "learning_set__cycle",
        ),
    }


NO_CHECKINS = {"n": 0, "attended": 0, "rated": 0, "mean": None}
NO_EVALUATIONS = {
    "n": 0,
    "yes": 0,
    "mean": None,
    **{f"{topic}_n": 0 for topic in CHANGE_LABELS},
    **{f"{topic}_mean_{end}": None for topic in CHANGE_LABELS for end in ("before", "after")},
}


def _cycle(cycle: Cycle, counts: dict[str, dict[int, dict]], rules: Rules) -> CycleEvidence:
    c = counts["checkins"].get(cycle.pk, NO_CHECKINS)
    e = counts["evaluations"].get(cycle.pk, NO_EVALUATIONS)
    sessions = counts["sessions"].get(cycle.pk, {"held": 0, "cancelled": 0})
    members = counts["members"].get(cycle.pk, {"n": 0})["n"]
    figures = [
        Figure("Members in the sets now", rules.count(members)),
        Figure("Session check-ins", rules.count(c["n"])),
        _part("Check-ins saying they attended", c["attended"], c["n"], rules, "no check-ins yet"),
        Figure(
            "Mean usefulness of sessions (1-5)",
            rules.mean(c["mean"], c["rated"]),
            _mean_hidden(c["rated"]),
        ),
        Figure("Set evaluations at the end of the cycle", rules.count(e["n"])),
        Figure(
            "Mean usefulness of the set (1-5)", rules.mean(e["mean"], e["n"]), _mean_hidden(e["n"])
        ),
        _part("Would recommend a learning set", e["yes"], e["n"], rules, "no answers yet"),
        _change(e, "confidence", rules),
        _change(e, "isolation", rules),
    ]
    return CycleEvidence(
        title=f"Cycle from {cycle.first_session_on:%-d %B %Y}",
        sets=counts["sets"].get(cycle.pk, {"n": 0})["n"],
        sessions_held=sessions["held"],
        sessions_cancelled=sessions["cancelled"],
        figures=figures,
    )


def set_evidence(
    *, programme: Programme, now: object = None, exact: bool = False
) -> list[CycleEvidence]:
    """One entry per cycle whose sets have formed, newest first; empty for other kinds.
    `exact` for the organiser team's own page, else the pack's small-number rules."""
    now = now or timezone.now()
    rules = EXACT if exact else SHAREABLE
    cycles = list(
        Cycle.objects.filter(programme=programme, forming_round__isnull=False)
        .order_by("-first_session_on")
        .only("first_session_on")
    )
    if not cycles:
        return []
    counts = _figures_of(cycles, now)
    return [_cycle(cycle, counts, rules) for cycle in cycles]
