"""Action learning sets: stable groups of 4-7 who meet several times over a cycle, with
ground rules accepted at joining."""

from __future__ import annotations

import datetime as dt

from pairing.kinds.base import Kind

LEARNING_SET = Kind(
    slug="learning_set",
    label="Action learning set",
    min_group_size=4,
    max_group_size=7,
    stable_groups=True,
    meeting=dt.timedelta(hours=3),
    meeting_noun="learning set session",
    calendar_prefix="Learning set",
    intro_lead="You have been placed in an action learning set.",
    evidence_notes=("Sets of 4-7 members meet several times over a cycle.",),
)
