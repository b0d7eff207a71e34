"""The one error a round action raises; its message is shown to the organiser."""

from __future__ import annotations


class RoundError(Exception):
    """A round action that cannot be done; the message is shown to the organiser."""
