"""Rounds: who is eligible, the engine's problem built from the database, preview and
the organiser's draft edits, running a round once, and the schedule that plans and runs
rounds when they are due. One small module per job; this package re-exports the services
views, tasks and commands call."""

from __future__ import annotations

from pairing.rounds.background import (
    PreviewState,
    preview_claim,
    preview_dismiss,
    preview_form,
    preview_is_slow,
    preview_state,
)
from pairing.rounds.edits import round_draft_edit
from pairing.rounds.eligibility import Eligibility, round_eligibility
from pairing.rounds.errors import RoundError
from pairing.rounds.preview import Preview, round_preview
from pairing.rounds.problem import round_problem
from pairing.rounds.recheck import round_draft_recheck
from pairing.rounds.run import round_run, round_run_by_id
from pairing.rounds.save import next_round_on_after
from pairing.rounds.schedule import (
    moved_words,
    notices_send_due,
    round_move_open,
    round_plan,
    rounds_run_due,
    rounds_tick,
)
from pairing.rounds.waits import held_today_words, round_held_today, round_waits

__all__ = [
    "Eligibility",
    "Preview",
    "PreviewState",
    "RoundError",
    "held_today_words",
    "moved_words",
    "next_round_on_after",
    "notices_send_due",
    "preview_claim",
    "preview_dismiss",
    "preview_form",
    "preview_is_slow",
    "preview_state",
    "round_draft_edit",
    "round_draft_recheck",
    "round_eligibility",
    "round_held_today",
    "round_move_open",
    "round_plan",
    "round_preview",
    "round_problem",
    "round_run",
    "round_run_by_id",
    "round_waits",
    "rounds_run_due",
    "rounds_tick",
]
