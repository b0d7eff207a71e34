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
    intro_lead=(
        "You have been introduced as mentor and mentee. In your first conversation the "
        "mentee says what they would like help with, and together you agree what you will "
        "work on and how often you will meet."
    ),
    starters=(
        "What would the mentee like to be able to do in a year's time that they cannot now?",
        "Which part of the mentee's work would most benefit from a second opinion?",
        "What has the mentor found useful when facing something similar?",
        "How will you both know the mentoring is working?",
        "What is one thing the mentee could try before you next meet?",
    ),
    role_names={"offer": "mentor", "seek": "mentee"},
    evidence_notes=("Pairs are one mentor (offering) and one mentee (seeking).",),
)
