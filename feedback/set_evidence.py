"""The learning-set section of a programme's evidence, by cycle: sessions held,
attendance, usefulness, would recommend and the before/after change, through the same
small-number rules as every other figure (`feedback.small_numbers`: exact on the
organiser team's own page; in the shared pack no count of 1-4, nothing that gives one away
beside its total). Counted in the database, a few queries per cycle whatever the number
of sets, sessions and check-ins."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Avg, Count, Exists, OuterRef, Q
from django.utils import timezone

from feedback.small_numbers import EXACT, HIDDEN_TEXT, SHAREABLE, Rules, Share, hidden_text
from pairing.models import MatchMember, Programme
from pairing.sets.models import (
    Cycle,
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
    """Said in place of an average: none to take, or too few (1-4) to share."""
    return "no answers yet" if answers == 0 else HIDDEN_TEXT


def _change(evaluations: object, topic: str, rules: Rules) -> Figure:
    both = evaluations.filter(**{f"{topic}_before__isnull": False, f"{topic}_after__isnull": False})
    agg = both.aggregate(n=Count("id"), before=Avg(f"{topic}_before"), after=Avg(f"{topic}_after"))
    label = {
        "confidence": "Confidence, mean before → now (1-5)",
        "isolation": "Professional isolation, mean before → now (1-5)",
    }[topic]
    before, after = rules.mean(agg["before"], agg["n"]), rules.mean(agg["after"], agg["n"])
    if before is None or after is None:
        return Figure(label, None, _mean_hidden(agg["n"]))
    return Figure(f"{label}", f"{before} → {after}")


def _members(cycle: Cycle) -> int:
    """Members in the cycle's sets now (leavers and deleted accounts left out), one query."""
    left = SetLeaver.objects.filter(learning_set__match=OuterRef("match"), user=OuterRef("user"))
    return (
        MatchMember.objects.filter(
            match__learning_set__cycle=cycle,
            match__learning_set__merged_into__isnull=True,
            user__isnull=False,
        )
        .exclude(Exists(left))
        .count()
    )


def _cycle(cycle: Cycle, now: object, rules: Rules) -> CycleEvidence:
    sets = cycle.sets.filter(merged_into__isnull=True).count()
    members = _members(cycle)
    # A set merged into another keeps its history: its held sessions and check-ins count.
    sessions = Session.objects.filter(learning_set__cycle=cycle)
    held = sessions.filter(status=SessionStatus.SCHEDULED, starts_at__lte=now)
    counted = sessions.aggregate(
        held=Count("id", filter=Q(status=SessionStatus.SCHEDULED, starts_at__lte=now)),
        cancelled=Count("id", filter=Q(status=SessionStatus.CANCELLED)),
    )
    checkins = SessionCheckIn.objects.filter(session__in=held)
    c = checkins.aggregate(
        n=Count("id"),
        attended=Count("id", filter=Q(attended=True)),
        rated=Count("id", filter=Q(usefulness__isnull=False)),
        mean=Avg("usefulness"),
    )
    evaluations = SetEvaluation.objects.filter(learning_set__cycle=cycle)
    e = evaluations.aggregate(
        n=Count("id"),
        yes=Count("id", filter=Q(would_recommend=Recommend.YES)),
        mean=Avg("usefulness"),
    )
    figures = [
        Figure("Members in the sets now", rules.count(members)),
        Figure("Session check-ins", rules.count(c["n"])),
        Figure(
            "Check-ins saying they attended",
            rules.part(c["attended"], c["n"]),
            hidden_text(c["attended"]),
            rules.share(c["attended"], c["n"]),
        ),
        Figure(
            "Mean usefulness of sessions (1-5)",
            rules.mean(c["mean"], c["rated"]),
            _mean_hidden(c["rated"]),
        ),
        Figure("Set evaluations at the end of the cycle", rules.count(e["n"])),
        Figure(
            "Mean usefulness of the set (1-5)", rules.mean(e["mean"], e["n"]), _mean_hidden(e["n"])
        ),
        Figure(
            "Would recommend a learning set",
            rules.part(e["yes"], e["n"]),
            hidden_text(e["yes"]),
            rules.share(e["yes"], e["n"]),
        ),
        _change(evaluations, "confidence", rules),
        _change(evaluations, "isolation", rules),
    ]
    return CycleEvidence(
        title=f"Cycle from {cycle.first_session_on:%-d %B %Y}",
        sets=sets,
        sessions_held=counted["held"],
        sessions_cancelled=counted["cancelled"],
        figures=figures,
    )


def set_evidence(
    *, programme: Programme, now: object = None, exact: bool = False
) -> list[CycleEvidence]:
    """One entry per cycle whose sets have formed, newest first; empty for other kinds.
    `exact` for the organiser team's own page, else the pack's small-number rules."""
    now = now or timezone.now()
    rules = EXACT if exact else SHAREABLE
    cycles = Cycle.objects.filter(programme=programme, forming_round__isnull=False).order_by(
        "-first_session_on"
    )
    return [_cycle(cycle, now, rules) for cycle in cycles.only("first_session_on")]
