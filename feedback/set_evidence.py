"""The learning-set section of a programme's evidence, by cycle: sessions held,
attendance, usefulness, would recommend and the before/after change, through the same
small-number rules as every other figure (`feedback.reports`: no count of 1-4, nothing
that gives one away beside its total)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Avg, Count, Q
from django.utils import timezone

from feedback.reports import hidden_text, part_of, percent, suppress
from pairing.models import Programme
from pairing.sets.models import Cycle, Recommend, SessionCheckIn, SessionStatus, SetEvaluation
from pairing.sets.selectors import set_member_ids


@dataclass(frozen=True)
class Figure:
    label: str
    value: int | float | None
    hidden: str = "fewer than 5"
    percent: int | None = None

    @property
    def text(self) -> str:
        if self.value is None:
            return self.hidden
        share = f" ({self.percent}%)" if self.percent is not None else ""
        return f"{self.value}{share}"


@dataclass(frozen=True)
class CycleEvidence:
    title: str
    sets: int  # sets are not people: shown as they are
    sessions_held: int
    sessions_cancelled: int
    figures: list[Figure]


def _mean(value: float | None, n: int) -> float | None:
    return None if value is None or suppress(n) is None else round(value, 1)


def _change(evaluations: object, topic: str) -> Figure:
    both = evaluations.filter(**{f"{topic}_before__isnull": False, f"{topic}_after__isnull": False})
    agg = both.aggregate(n=Count("id"), before=Avg(f"{topic}_before"), after=Avg(f"{topic}_after"))
    label = {
        "confidence": "Confidence, mean before → now (1-5)",
        "isolation": "Professional isolation, mean before → now (1-5)",
    }[topic]
    before, after = _mean(agg["before"], agg["n"]), _mean(agg["after"], agg["n"])
    if before is None or after is None:
        return Figure(label, None)
    return Figure(f"{label}", f"{before} → {after}")


def _cycle(cycle: Cycle, now: object) -> CycleEvidence:
    sets = list(cycle.sets.filter(merged_into__isnull=True))
    members = sum(len(set_member_ids(s)) for s in sets)
    # A set merged into another keeps its history: its held sessions and check-ins count.
    sessions = [s for learning_set in cycle.sets.all() for s in learning_set.sessions.all()]
    held = [s for s in sessions if s.status == SessionStatus.SCHEDULED and s.starts_at <= now]
    cancelled = [s for s in sessions if s.status == SessionStatus.CANCELLED]
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
        Figure("Members in the sets now", suppress(members)),
        Figure("Session check-ins", suppress(c["n"])),
        Figure(
            "Check-ins saying they attended",
            part_of(c["attended"], c["n"]),
            hidden_text(c["attended"]),
            percent(c["attended"], c["n"]),
        ),
        Figure("Mean usefulness of sessions (1-5)", _mean(c["mean"], c["rated"])),
        Figure("Set evaluations at the end of the cycle", suppress(e["n"])),
        Figure("Mean usefulness of the set (1-5)", _mean(e["mean"], e["n"])),
        Figure(
            "Would recommend a learning set",
            part_of(e["yes"], e["n"]),
            hidden_text(e["yes"]),
            percent(e["yes"], e["n"]),
        ),
        _change(evaluations, "confidence"),
        _change(evaluations, "isolation"),
    ]
    return CycleEvidence(
        title=f"Cycle from {cycle.first_session_on:%-d %B %Y}",
        sets=len(sets),
        sessions_held=len(held),
        sessions_cancelled=len(cancelled),
        figures=figures,
    )


def set_evidence(*, programme: Programme, now: object = None) -> list[CycleEvidence]:
    """One entry per cycle whose sets have formed, newest first; empty for other kinds."""
    now = now or timezone.now()
    cycles = Cycle.objects.filter(programme=programme, forming_round__isnull=False).order_by(
        "-first_session_on"
    )
    return [_cycle(cycle, now) for cycle in cycles]
