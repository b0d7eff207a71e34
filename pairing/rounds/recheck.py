"""Before an organiser's run: is the draft they confirmed still what a run would save?
Someone may have left, paused, joined or changed a rule since the confirmation was
shown; then the run stops and the organiser sees the groups as they are now."""

from __future__ import annotations

import datetime as dt

from members.models import Profile
from pairing.emails.text import and_join
from pairing.models import Round
from pairing.rounds.preview import preview_solution


def round_draft_recheck(*, pairing_round: Round, today: dt.date) -> str:
    """Re-check the round's draft against who takes part `today`. Returns "" when a run
    would save exactly the draft's groups (and leave out the same members); otherwise
    saves the re-checked draft (what a run would now save) and says in words what
    changed, for the organiser to confirm again."""
    before = pairing_round.draft
    if not before:
        return ""
    # Only the groups matter here: what the page would show is worked out when it is shown.
    _solution, eligibility = preview_solution(
        pairing_round=pairing_round, today=today, with_view=False
    )
    after = pairing_round.draft
    if _shape(before) == _shape(after):
        pairing_round.draft = before
        return ""
    pairing_round.save(update_fields=["draft"])
    was, now = _people(before), _people(after)
    why = {str(m.user_id): reason for m, reason in eligibility.ineligible}
    names = dict(
        Profile.objects.filter(user_id__in=[int(i) for i in was | now]).values_list(
            "user_id", "display_name"
        )
    )

    def name(member_id: str) -> str:
        return names.get(int(member_id)) or "a former member"

    events = [
        f"{name(m)} stopped taking part ({why.get(m, 'left the programme')})"
        for m in sorted(was - now, key=name)
    ] + [f"{name(m)} started taking part" for m in sorted(now - was, key=name)]
    if not events:
        events = ["a group stopped meeting the matching rules (a changed profile or choice)"]
    return (
        f"Nothing has run yet: since this confirmation was shown, {and_join(events)}, so "
        "the groups have changed. Below is what running the round would save now: check "
        "it, then run the round again."
    )


def _shape(draft: dict) -> tuple[set[frozenset], set[str]]:
    """What a run saves from a draft: its groups, and who it leaves out."""
    return (
        {frozenset(g["members"]) for g in draft.get("groups", [])},
        {u["id"] for u in draft.get("unplaced", [])},
    )


def _people(draft: dict) -> set[str]:
    groups, unplaced = _shape(draft)
    return {m for g in groups for m in g} | unplaced
