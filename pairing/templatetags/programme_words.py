"""``{{ programme|schedule }}``: how often a programme meets, in words. The cadence for
kinds that reshuffle each round; a kind's own words where groups last a cycle (a learning
set's sessions follow its cycle, not the programme's cadence)."""

from __future__ import annotations

from django import template
from django.utils import timezone

from pairing.commitment import commitment as commitment_words
from pairing.kinds import kind_of
from pairing.models import Programme, Round
from pairing.rounds.unplaced import in_noun, in_round_words
from pairing.sets.waiting import waiting_cycle

register = template.Library()


@register.filter
def schedule(programme: Programme) -> str:
    return kind_of(programme).schedule_words or programme.get_cadence_days_display()


@register.filter
def group_words(programme: Programme) -> str:
    """ "pairs", "groups of 3", "sets of 5" (a learning set's groups are its sets)."""
    if programme.group_size == 2:
        return "pairs"
    return f"{kind_of(programme).group_noun} of {programme.group_size}"


@register.filter
def one_group(programme: Programme) -> str:
    """What the organiser's pages call one group: "set" for a learning set (walks 38 and
    39: its preview said "1 group" and "Lock group 1" beside "This saves 1 set"), else
    "group"."""
    return kind_of(programme).group_word


def in_group_words(text: str, programme: Programme) -> str:
    """A message about groups in the programme's own word ("set 2", "the unlocked sets")."""
    return in_noun(text, one_group(programme))


@register.filter
def looking_back(reason: str, programme: Programme) -> str:
    """A left-out reason, written for the email sent as the round ran ("... this round"),
    read later on the dashboard: "... that round", in the programme's own words ("that
    cycle", "priority next cycle", "the sets with room" for a learning set: walk 32 read
    "in the last cycle ...: ... that round")."""
    past = reason.replace(" this round", " that round")
    # "are taking part that round" for a round that is over (walk 43): the past tense.
    for now, then in (("are taking part that", "were taking part that"),
                      ("is taking part that", "was taking part that"),
                      ("so one is left", "so one was left")):  # fmt: skip
        past = past.replace(now, then)
    return in_round_words(past, round_word(programme), one_group(programme))


@register.filter
def in_words_of(reason: str, programme: Programme) -> str:
    """A left-out reason as the member was sent it: in the programme's word for a round
    ("this cycle" for a learning set), where the organiser's preview said "this round"
    (walk 33)."""
    return in_round_words(reason, round_word(programme), one_group(programme))


@register.filter
def commitment(programme: Programme) -> str:
    """What taking part involves (``pairing.commitment``)."""
    return commitment_words(programme)


@register.filter
def next_date(programme: Programme) -> str:
    """ "next round 7 December 2026"; where groups last a cycle (the sessions start weeks
    later) "sets will be formed on ..." before the day, "sets formed on ..." from it."""
    day = programme.next_round_on
    if not day:
        return ""
    if not kind_of(programme).stable_groups:
        words = "next round"
    elif day > timezone.localdate():
        words = "sets will be formed on"
    else:
        words = "sets formed on"
    return f"{words} {day:%-d %B %Y}"


@register.filter
def when_previewed(programme: Programme) -> str:
    """The next-round page's "not set (...)" with no date: "the round runs when you
    preview and run it" (a preview alone runs nothing: walk 45);
    for learning sets with a cycle set up, that they are formed then for that cycle
    (walk 42 read "not set" as though the saved cycle had been lost)."""
    if kind_of(programme).stable_groups:
        cycle = cycle_set_up(programme)
        if cycle:
            return f"formed today when you preview and run them, {cycle}"
        return "the sets form when you preview and run them"
    return "the round runs when you preview and run it"


@register.filter
def cycle_set_up(programme: Programme) -> str:
    """ "for the cycle you set up: first session week from Monday 4 January 2027", or ""
    when no cycle waits for the programme's next sets (walk 45: named before the first
    cycle only)."""
    cycle = waiting_cycle(programme) if kind_of(programme).stable_groups else None
    if cycle is None:
        return ""
    first = cycle.first_session_on
    return f"for the cycle you set up: first session week from {first:%A} {first.day} {first:%B %Y}"


@register.filter
def round_word(programme: Programme) -> str:
    """What the organiser's pages call a round: "round", or "cycle" where each round
    forms a cycle's sets (walk 33 read "Next round" on a learning set's pages)."""
    return kind_of(programme).round_word


@register.filter
def lasts_a_cycle(programme: Programme) -> bool:
    """Whether the programme's groups are sets that meet for a cycle (learning sets): the
    pages' own test, rather than comparing the word "cycle"."""
    return kind_of(programme).stable_groups


def match_count(programme: Programme, count: int) -> str:
    """ "3 matches"; "3 sets" where each match is a set that lasts a cycle (walk 36)."""
    if lasts_a_cycle(programme):
        return f"{count} set{'' if count == 1 else 's'}"
    return f"{count} match{'' if count == 1 else 'es'}"


@register.filter
def round_name(pairing_round: Round) -> str:
    """ "Round 3"; "Cycle 3" for a learning set's round (it forms that cycle's sets)."""
    return f"{round_word(pairing_round.programme).capitalize()} {pairing_round.number}"
