"""Action learning sets: stable groups of 4-7 who meet several times over a cycle, with
ground rules accepted at joining. A round forms a cycle's sets (`pairing.sets`): their
sessions, rota, reminders and check-ins live there; no round reshuffles them while a
cycle is running."""

from __future__ import annotations

import datetime as dt

from pairing.kinds.base import Kind


class LearningSetKind(Kind):
    def engine_options(self) -> dict:
        # A cycle's sets of 4-7 drawn from a small cohort cannot always avoid everyone a
        # member has met, and a hard rule would leave whole cohorts out of the next
        # cycle: former co-members are avoided where possible (each earlier meeting
        # costs points), never forbidden.
        return {**super().engine_options(), "repeat_window": 0}

    def fixed_place(self, programme: object, pairing_round: object = None) -> str:
        # The round's cycle (the one it formed, else the one waiting to be formed) says
        # where every set meets (its venue, its online link, or both): a member who said
        # "in person only" joins an online set like everyone else, and the region rule
        # for in-person meetings does not split the cohort. With none set up, the cycle
        # the round would form (the last one's place); a cycle with neither leaves the
        # members' formats in force.
        from pairing.sets.waiting import place_words, round_cycle

        return place_words(round_cycle(programme, pairing_round))


LEARNING_SET = LearningSetKind(
    slug="learning_set",
    label="Action learning set",
    min_group_size=4,
    max_group_size=7,
    stable_groups=True,
    round_word="cycle",
    group_noun="sets",
    schedule_words="A series of sessions each cycle",
    meeting=dt.timedelta(hours=3),
    meeting_noun="learning set session",
    calendar_prefix="Learning set",
    intro_lead="You have been placed in an action learning set.",
    evidence_notes=(
        "Sets of {size} members (a few of {fewer} or {more} when the numbers need it) meet "
        "several times over a cycle.",
    ),
    evaluates_matches=False,
    # A check-in after each session (pairing.sets) instead of "did you meet?".
    emails=("intro", "left_out", "notice"),
)
