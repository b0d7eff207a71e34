"""Programme kinds: what differs between coffee chats, mentoring, search-strategy review
and action learning sets lives here and nowhere else.

Each kind is one module with one `Kind` instance (`coffee.COFFEE`, ...). Shared code
asks `kind_of(programme)` (how groups form, what the introduction, match page and
evaluation add, which emails go out) instead of branching on `programme.kind`. Adding a
kind: a `ProgrammeKind` choice in `pairing/models.py`, a module here, one line in KINDS.
"""

from __future__ import annotations

from pairing.kinds.base import Kind
from pairing.kinds.coffee import COFFEE
from pairing.kinds.learning_set import LEARNING_SET
from pairing.kinds.mentoring import MENTORING
from pairing.kinds.search_review import SEARCH_REVIEW
from pairing.models import Programme

KINDS: dict[str, Kind] = {k.slug: k for k in (COFFEE, MENTORING, SEARCH_REVIEW, LEARNING_SET)}


def kind_of(programme: Programme) -> Kind:
    """The kind of `programme` (coffee for an unknown value, so old rows still work)."""
    return KINDS.get(programme.kind, COFFEE)


__all__ = ["KINDS", "Kind", "kind_of"]
