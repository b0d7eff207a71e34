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
