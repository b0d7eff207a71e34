"""The demo's round seeds: fixed, so `make run` on a fresh database pairs the same people
every time (a real round draws its seed at random)."""

from __future__ import annotations

import zlib

from pairing.models import Programme


def demo_seed(programme: Programme, days_ago: int) -> int:
    """The seed of the demo round held `days_ago` days ago in this programme."""
    return zlib.crc32(f"{programme.slug}:{days_ago}".encode()) % 2**31
