"""Pairing's emails: the introduction (with starters and a calendar invitation), the
left-out message and the day-before notice. Each module registers its renderers with
the outbox (`pairing.outbox.render`) when imported; `PairingConfig.ready` imports them."""

from __future__ import annotations

from pairing.emails import intro, notices

__all__ = ["intro", "notices"]
