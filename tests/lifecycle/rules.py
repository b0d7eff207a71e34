"""The hard rules of pairing (matching.md, product.md), restated from the machine's own
account of the world, so a round is judged independently of the snapshot it saved."""

from __future__ import annotations

from tests.lifecycle.world import Run


def _organisation(name: str) -> str:
    # The engine compares organisations trimmed and case-insensitively.
    return name.strip().casefold()


def pair_problem(run: Run, a: int, b: int) -> str:
    """Why `a` and `b` may not be matched in `run`, or "" when they may."""
    pa, pb = run.people[a], run.people[b]
    if (a, b) in run.blocks or (b, a) in run.blocks:
        return "one asked not to be paired with the other"
    org = _organisation(pa.organisation)
    if run.settings.avoid_same_organisation and org and org == _organisation(pb.organisation):
        return "same organisation"
    formats = {pa.meeting_format, pb.meeting_format}
    apart = "online" in formats or pa.region != pb.region
    if not run.fixed_place and "in_person" in formats and apart:
        return "in person needs the same region and neither online-only"
    if run.settings.mentoring:
        roles = {run.seats[a].role: pa, run.seats[b].role: pb}
        if set(roles) != {"offer", "seek"}:
            return "a mentoring pair needs one offering and one seeking"
        if roles["offer"].experience < roles["seek"].experience:
            return "the mentor is less experienced than the mentee"
    return ""


def repeat_problems(runs: list[Run], kind_options: dict | None = None) -> list[str]:
    """Pairs that met again when they should not have, counting rounds in the order they
    really ran. Inside an explicit repeat window a repeat is never allowed. With no window
    ("never again") a pair repeats only when the programme repeats partners for members
    who have met everyone, and both of the two had met everyone they could meet. A kind
    whose engine options set the window (learning sets: 0, repeats only cost points)
    overrides the programme's."""
    problems = []
    for i, run in enumerate(runs):
        window = (kind_options or {}).get("repeat_window", run.settings.repeat_window)
        met = _partners_met(runs[:i])
        for j, earlier in enumerate(runs[:i]):
            if window is not None and i - j > window:
                continue
            for pair in sorted(run.pairs() & earlier.pairs(), key=sorted):
                if window is None and _may_meet_again(run, pair, met):
                    continue
                problems.append(
                    f"round {run.number} repeats {sorted(pair)} from round {earlier.number} "
                    f"(repeat window {window}, when all met: {run.settings.when_all_met})"
                )
    return problems


def _partners_met(runs: list[Run]) -> dict[int, set[int]]:
    met: dict[int, set[int]] = {}
    for run in runs:
        for pair in run.pairs():
            a, b = tuple(pair)
            met.setdefault(a, set()).add(b)
            met.setdefault(b, set()).add(a)
    return met


def _may_meet_again(run: Run, pair: frozenset[int], met: dict[int, set[int]]) -> bool:
    # "Never while any unmet partner is available": to either of the two.
    if run.settings.when_all_met != "repeat":
        return False
    return all(_could_meet(run, member) <= met.get(member, set()) for member in pair)


def _could_meet(run: Run, member: int) -> set[int]:
    """Who else taking part in `run` `member` could ever be grouped with: every hard rule
    but the repeat one (an "in person only" member, only those nearby who meet in
    person; mentoring, the other role and a mentor at least as experienced)."""
    return {o for o in run.eligible - {member} if not pair_problem(run, member, o)}
