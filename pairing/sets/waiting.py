"""The cycle a learning-set programme's next round will form, and where its sets meet.
Only the models: the kinds ask it without importing the rest of ``pairing.sets``."""

from __future__ import annotations

from pairing.sets.models import Cycle


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


def round_cycle(programme: object, pairing_round: object = None) -> Cycle | None:
    """The cycle `pairing_round` formed (a merge or a member's move in a formed cycle is
    judged by where that cycle meets), else the one waiting for the next round."""
    if pairing_round is not None and getattr(pairing_round, "pk", None):
        formed = Cycle.objects.filter(forming_round=pairing_round).first()
        if formed is not None:
            return formed
    return waiting_cycle(programme)
