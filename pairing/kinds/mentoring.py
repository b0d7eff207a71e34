"""Mentoring: pairs of one member offering and one seeking, the mentor at least as
experienced; every message says who is the mentor and who the mentee."""

from __future__ import annotations

import datetime as dt

from pairing.kinds.base import Kind

MENTORING = Kind(
    slug="mentoring",
    label="Mentoring",
    offer_and_seek=True,
    meeting=dt.timedelta(minutes=45),
    meeting_noun="mentoring conversation",
    calendar_prefix="Mentoring",
    intro_lead="You have been introduced as mentor and mentee.",
    role_names={"offer": "mentor", "seek": "mentee"},
    evidence_notes=("Pairs are one mentor (offering) and one mentee (seeking).",),
)
