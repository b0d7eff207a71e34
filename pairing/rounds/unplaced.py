"""The record of a member a round could not place, and the words every reason shares
(coffee and groups in `reasons`, mentoring in `reasons_mentoring`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Said at the end of a reason where a partner could exist next round: what the engine
# honours (matching.md: a member left out last round adds to each of their pairs' score,
# after placing as many members as possible), never a promise of an introduction.
FIRST_IN_LINE = "you have priority next round"
SMALL_COUNT = 5  # counts below this are never shown to members
# The left-out email offers the profile link only where the reason is the meeting format
# ("in person" or "online"): word other reasons without them. A list of rules that may
# have kept someone out ("the same organisation, the meeting format, ...") offers none.


@dataclass(frozen=True)
class Unplaced:
    id: str
    reason: str  # what the member is told
    cause: str  # what organisers see, counted
    first_in_line: bool


def where(me: dict, region_names: dict[str, str]) -> str:
    region = me.get("region")
    return f"in {region_names.get(region, region)}" if region else "in your region"


RULE_WORDS = {
    "organisation": ("the same organisation", "organisation"),
    "format": ("the meeting format", "format"),
    "choice": ("an earlier choice", "an earlier choice"),
}


def rules_in_order(kept: list[str]) -> list[str]:
    """The rules of `kept` (``Rules.kept_by``'s names) in the order `RULE_WORDS` says them."""
    return [rule for rule in RULE_WORDS if rule in kept]


def rules_listed(rules: list[str], column: int, joiner: str) -> str:
    words = [RULE_WORDS[rule][column] for rule in rules]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + joiner + words[-1]


def third_rules(kept: list[str], met_before: bool) -> str:
    """The rules keeping an odd one out from the others (`kept`, in order, and whether they
    have met any of them): "the rules (the same organisation or meeting before)", "a rule
    (meeting before)" (walk 48: all four were named where only meeting before applied)."""
    words = [RULE_WORDS[r][0] for r in kept if r != "choice"]
    words += ["meeting before"] if met_before else []
    words += [RULE_WORDS["choice"][0]] if "choice" in kept else []
    if not words:  # the engine's proof, with no rule found here: say them all
        words = ["the same organisation", "the meeting format", "meeting before"]
        words.append(RULE_WORDS["choice"][0])
    listed = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]
    return f"a rule ({listed})" if len(words) == 1 else f"the rules ({listed})"


_ORDINALS = {2: "second", 3: "third", 4: "fourth", 5: "fifth"}
AGAIN = "round running that we could not match you, and the organisers have been told"


def told_again(item: dict, waited: int) -> dict:
    """`item` (an unplaced entry) for a member also left out in the round before
    (`waited` rounds in a row) and given priority next round: their reason says this is
    the second round running and that the organisers know (the preview tells them, with
    what they can do). The email still says what priority does."""
    reason = item["reason"]
    if not waited or not item.get("first_in_line") or AGAIN in reason:
        return item
    count = waited + 1
    base = reason.removesuffix(f": {FIRST_IN_LINE}")
    note = f"This is the {_ORDINALS.get(count, f'{count}th')} {AGAIN}"
    return {**item, "reason": f"{base}. {note}"}  # whole: LeftOut.reason has no limit


# A member's reason, read by organisers: in the third person, with "priority next round"
# for the member's "you have priority next round". In order: the longer phrases first.
_FOR_ORGANISERS = [
    (re.escape(f": {FIRST_IN_LINE}"), "; priority next round"),
    (rf"This is the (\w+) {AGAIN}", r"This is the \1 round running they could not be matched"),
    (r"\bnothing for you to change", "nothing for them to change"),
    (r"\bchoose online or either\b", "they could choose online or either"),
    (r"\bwe will introduce you\b", "they will be introduced"),
    (r"\bwe can introduce you again\b", "they can be introduced again"),
    (r"\byou (have|were|can|cannot|are|will)\b", r"they \1"),
    (r"\byour\b", "their"),
    (r"\byou\b", "them"),
]


def for_organisers(reason: str) -> str:
    """What a member was told, as organisers read it: "everyone ... who could be matched
    with them already had a partner; priority next round" (never "you")."""
    for pattern, words in _FOR_ORGANISERS:
        reason = re.sub(pattern, words, reason)
    return reason


def in_round_words(reason: str, round_word: str, noun: str = "group") -> str:
    """A left-out reason ("... this round", "priority next round", "the groups with
    room") in the programme's own words for a round and a group ("this cycle", "the sets
    with room" where sets form once a cycle)."""
    for when in ("this", "that", "next"):
        reason = reason.replace(f" {when} round", f" {when} {round_word}")
    # "This is the second round running ..." (walk 41 read it beside "this cycle").
    reason = reason.replace(" round running ", f" {round_word} running ")
    return in_noun(reason, noun)


def in_noun(text: str, noun: str) -> str:
    """``text`` with "group(s)" in the programme's own word ("set 2", "the sets")."""
    if noun == "group":
        return text
    for old, new in (("group", noun), ("Group", noun.capitalize())):
        text = re.sub(rf"\b{old}(s?)\b", rf"{new}\1", text)
    return text
