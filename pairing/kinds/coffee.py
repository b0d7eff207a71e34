"""Coffee chat: pairs (one trio when the count is odd), new partners every round."""

from __future__ import annotations

from pairing.kinds.base import Kind

COFFEE = Kind(slug="coffee", label="Coffee chat")
