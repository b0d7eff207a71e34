"""What the organiser does: change the programme's settings, plan and preview a round,
edit the draft, run it, and try to run or preview it again once it has run."""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import precondition, rule

from pairing.models import Match, OutboxEmail, Round, RoundStatus
from pairing.rounds import (
    Preview,
    RoundError,
    round_draft_edit,
    round_plan,
    round_preview,
    round_run,
)
from pairing.rounds.preview import OPEN
from tests.lifecycle.base import LifecycleBase
from tests.lifecycle.draft_edits import groups_changed, rule_breaks

SETTINGS = {
    "repeat_window": st.sampled_from((None, 0, 1, 2, 3, 6)),
    "avoid_same_organisation": st.booleans(),
    "sector_mix": st.sampled_from(("any", "mixed", "same")),
    "randomness": st.integers(0, 10),
    "followup_days": st.sampled_from((1, 3, 7, 14, 21)),
    "signup_open": st.sampled_from((True, True, False)),
    "when_all_met": st.sampled_from(("repeat", "sit_out")),
}
EDITS = ("move", "swap", "lock", "unlock", "merge")  # "merge" is not an edit
NOBODY = ("0", "", "not-a-member")


class RoundRules(LifecycleBase):
    def _planned(self) -> list:
        """Rounds that may still be previewed, edited and run (a failed one again)."""
        return [r for r in self.programme.rounds.order_by("number") if r.status in OPEN]

    def _drafted(self) -> list:
        return [r for r in self._planned() if r.draft]

    def _draw_round(self, data: st.DataObject, rounds: list[Round]) -> Round:
        number = data.draw(st.sampled_from([r.number for r in rounds]), label="round number")
        return next(r for r in rounds if r.number == number)

    def _check_preview(self, preview: Preview) -> None:
        """A preview places or explains everyone eligible today and breaks no rule."""
        eligible = self.world.eligible_on(self.world.today)
        placed = [m.user_id for g in preview.groups for m in g["members"]]
        unplaced = [u["membership"].user_id for u in preview.unplaced]
        assert len(placed) == len(set(placed)), "a member is in two previewed groups"
        assert set(placed).isdisjoint(unplaced), "a member is both placed and unplaced"
        assert set(placed) | set(unplaced) == eligible, "the preview is not of who is eligible"
        broken = [g["violations"] for g in preview.groups if g["violations"]]
        assert not broken, f"the preview breaks a rule: {broken}"

    @precondition(lambda self: self.opened)
    @rule(data=st.data(), setting=st.sampled_from(sorted(SETTINGS)))
    def change_settings(self, data: st.DataObject, setting: str) -> None:
        value = data.draw(SETTINGS[setting], label=setting)
        self.programme.refresh_from_db()
        setattr(self.programme, setting, value)
        self.programme.save()  # what the admin's change form does
        setattr(self.world.settings, setting, value)

    @precondition(lambda self: self.opened)
    @rule(
        when=st.sampled_from(("next", 0, 1, 3, 7, 14, 28)),
        reshuffle=st.booleans(),
    )
    def plan_and_preview(self, when: str | int, reshuffle: bool) -> None:
        self.programme.refresh_from_db()
        if when == "next" and self.programme.next_round_on:
            day = self.programme.next_round_on
        else:
            day = self.world.today + dt.timedelta(days=0 if when == "next" else when)
        pairing_round = round_plan(programme=self.programme, scheduled_for=day)
        if pairing_round.status == RoundStatus.DONE:
            with pytest.raises(RoundError):
                round_preview(pairing_round=pairing_round, today=self.world.today)
            return
        self._preview(pairing_round, reshuffle)

    def _preview(self, pairing_round: Round, reshuffle: bool) -> None:
        preview = round_preview(
            pairing_round=pairing_round, today=self.world.today, reshuffle=reshuffle
        )
        self.previewed_on[pairing_round.pk] = self.world.today
        self._check_preview(preview)

    @precondition(lambda self: self.opened and self._drafted())
    @rule(data=st.data(), reshuffle=st.booleans())
    def preview_again(self, data: st.DataObject, reshuffle: bool) -> None:
        self._preview(self._draw_round(data, self._drafted()), reshuffle)

    @precondition(lambda self: self.opened and self._drafted())
    @rule(data=st.data(), action=st.sampled_from(EDITS))
    def edit_draft(self, data: st.DataObject, action: str) -> None:
        pairing_round = self._draw_round(data, self._drafted())
        groups = pairing_round.draft["groups"]
        ids = [m for g in groups for m in g["members"]]
        ids += [u["id"] for u in pairing_round.draft["unplaced"]]
        member = data.draw(st.sampled_from(ids + list(NOBODY)), label="member")
        other = data.draw(st.sampled_from(ids + list(NOBODY)), label="other")
        group = data.draw(st.integers(-1, len(groups)), label="group")
        changed = groups_changed(pairing_round.draft, action, member, other, group)
        day = self.previewed_on[pairing_round.pk]
        breaks = [] if changed is None else rule_breaks(pairing_round, changed, day)
        try:
            round_draft_edit(
                pairing_round=pairing_round, action=action, member=member, other=other, group=group
            )
        except RoundError as error:
            refused = error
        else:
            refused = None
        if changed is None:
            assert refused, f"a malformed edit was accepted: {action} {member} {other} {group}"
            return
        assert not breaks or refused, f"an edit breaking a rule was accepted: {breaks}"
        assert breaks or not refused, f"a sound edit was refused: {refused}"

    @precondition(lambda self: self.opened and self._planned())
    @rule(data=st.data())
    def run_round(self, data: st.DataObject) -> None:
        pairing_round = self._draw_round(data, self._planned())
        self.a_moment_passes()
        before = self.world.before()
        # A RoundError is a domain refusal: the round is failed, with the reason in words.
        with contextlib.suppress(RoundError):
            round_run(pairing_round=pairing_round, now=self.world.now, run_by=self.organiser)
        pairing_round.refresh_from_db()
        assert pairing_round.status in {RoundStatus.DONE, RoundStatus.FAILED}
        self.record_new_runs(before)

    @precondition(lambda self: self.opened and self.world.runs)
    @rule(data=st.data())
    def run_a_done_round_again(self, data: st.DataObject) -> None:
        round_id = data.draw(st.sampled_from([r.round_id for r in self.world.runs]), label="round")
        pairing_round = self.programme.rounds.get(pk=round_id)
        before = (Match.objects.count(), OutboxEmail.objects.count())
        again = round_run(pairing_round=pairing_round, now=self.world.now)
        assert again.status == RoundStatus.DONE
        assert (Match.objects.count(), OutboxEmail.objects.count()) == before, "it ran twice"
        with pytest.raises(RoundError):
            round_preview(pairing_round=pairing_round, today=self.world.today)
        with pytest.raises(RoundError):
            round_draft_edit(pairing_round=pairing_round, action="lock", group=0)
