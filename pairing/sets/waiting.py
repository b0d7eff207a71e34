"""The cycle a learning-set programme's next round will form, and where its sets meet.
Only the models: the kinds ask it without importing the rest of ``pairing.sets``."""

from __future__ import annotations

from pairing.sets.models import Cycle

# What a cycle nobody set up takes from the programme's last cycle: how often and where its
# sets met, and who facilitated (walk 39: the second cycle formed on the model's defaults,
# with no venue or online link, and its invitations said nowhere where to meet).
CARRIED = (
    "sessions",
    "interval_weeks",
    "session_minutes",
    "start_time",
    "online_link",
    "venue",
    "facilitation",
    "facilitator_email",
    "facilitator_name",
)


def last_cycle(programme_id: int) -> Cycle | None:
    """The programme's most recent cycle that a round formed."""
    return (
        Cycle.objects.filter(programme_id=programme_id, forming_round__isnull=False)
        .order_by("-first_session_on", "-pk")
        .first()
    )


def unplanned_cycle(programme_id: int, first_session_on: object = None, **defaults) -> Cycle:
    """The cycle a round forms when nobody set one up (unsaved): the last cycle's settings
    (``CARRIED``), else ``defaults`` over the model's own. ``follows_last`` says which."""
    last = last_cycle(programme_id)
    carried = {name: getattr(last, name) for name in CARRIED} if last else {}
    cycle = Cycle(
        programme_id=programme_id, first_session_on=first_session_on, **{**defaults, **carried}
    )
    cycle.follows_last = last is not None
    return cycle


def waiting_cycle(programme: object) -> Cycle | None:
    """The cycle the programme's next round will form: the oldest one waiting for its
    sets (``forming.cycle_for`` takes the same one, locked)."""
    return (
        Cycle.objects.filter(programme=programme, forming_round__isnull=True)
        .order_by("created_at", "pk")
        .first()
    )


def place_words(cycle: Cycle) -> str:
    """Where a cycle's sets meet: "at <venue> or online", "at <venue>", "online", or
    empty when it has neither yet."""
    if cycle.venue and cycle.online_link:
        return f"at {cycle.venue} or online"
    if cycle.venue:
        return f"at {cycle.venue}"
    return "online" if cycle.online_link else ""


def round_cycle(programme: object, pairing_round: object = None) -> Cycle:
    """The cycle `pairing_round` formed (a merge or a member's move in a formed cycle is
    judged by where that cycle meets), else the one waiting for the next round, else the
    one the round would form (``unplanned_cycle``, unsaved)."""
    if pairing_round is not None and getattr(pairing_round, "pk", None):
        formed = Cycle.objects.filter(forming_round=pairing_round).first()
        if formed is not None:
            return formed
    return waiting_cycle(programme) or unplanned_cycle(programme.pk)
