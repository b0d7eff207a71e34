"""``{{ programme|schedule }}``: how often a programme meets, in words. The cadence for
kinds that reshuffle each round; a kind's own words where groups last a cycle (a learning
set's sessions follow its cycle, not the programme's cadence)."""

from __future__ import annotations

from django import template

from pairing.kinds import kind_of
from pairing.models import Programme

register = template.Library()


@register.filter
def schedule(programme: Programme) -> str:
    return kind_of(programme).schedule_words or programme.get_cadence_days_display()


@register.filter
def looking_back(reason: str) -> str:
    """A left-out reason, written for the email sent as the round ran ("... this round"),
    read later on the dashboard: "... that round"."""
    return reason.replace(" this round", " that round")
