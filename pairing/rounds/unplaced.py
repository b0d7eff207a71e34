"""The record of a member a round could not place, and the words every reason shares
(coffee and groups in `reasons`, mentoring in `reasons_mentoring`)."""

from __future__ import annotations

from dataclasses import dataclass

# Said at the end of a reason where a partner could exist next round: what the engine
# honours (matching.md: a member left out last round adds to each of their pairs' score,
# after placing as many members as possible), never a promise of an introduction.
FIRST_IN_LINE = "you have priority next round"
SMALL_COUNT = 5  # counts below this are never shown to members
# The left-out email offers the profile link only where the reason names the meeting
# format ("in person", "online" or "meeting format"): word other reasons without them.


@dataclass(frozen=True)
class Unplaced:
    id: str
    reason: str  # what the member is told
    cause: str  # what organisers see, counted
    first_in_line: bool


def where(me: dict, region_names: dict[str, str]) -> str:
    region = me.get("region")
    return f"in {region_names.get(region, region)}" if region else "in your region"
