from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _no_retention_in_the_simulated_years(settings: object) -> None:
    # A long run (LIFECYCLE_STEPS=120) can simulate more than two years, and the tick
    # would then warn and delete members who left, which the world model does not track.
    # Retention has its own tests (tests/members/test_retention.py).
    settings.RETENTION_INACTIVE_DAYS = 100 * 365
