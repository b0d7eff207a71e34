"""Conversation starters read as one sentence (walk 15: "What got you interested in
Working as a solo librarian..." kept the interest's capital mid-sentence)."""

from __future__ import annotations

import importlib

import pytest

from pairing.emails.starters import conversation_starters

SEEDED = importlib.import_module("members.migrations.0002_seed_interests_and_site").INTERESTS


def _about(interest: str) -> list[str]:
    # Several seeds: each interest has two questions, one drawn for a single interest.
    return sorted({s for seed in range(6) for s in conversation_starters(interests=[interest],
                                                                          seed=seed)})  # fmt: skip


def test_an_interest_reads_in_lower_case_mid_sentence():
    starters = _about("Working as a solo librarian")

    assert (
        "What got you interested in working as a solo librarian, and what are you working on "
        "in it now?" in starters
    )
    assert not any("Working as" in s for s in starters)


@pytest.mark.parametrize("interest", ["AI and machine learning", "NHS libraries", "ORCID"])
def test_an_acronym_keeps_its_capitals(interest):
    assert any(interest in s for s in _about(interest))


def test_a_proper_noun_keeps_its_capital():
    assert any("Chartership and CPD" in s for s in _about("Chartership and CPD"))


@pytest.mark.parametrize("interest", SEEDED)
def test_every_seeded_interest_reads_well_mid_sentence(interest):
    first = interest.split()[0]
    keeps = any(c.isupper() for c in first[1:])

    for starter in _about(interest):
        assert starter[0].isupper() and starter.endswith("?")
        if interest in starter or interest[0].lower() + interest[1:] in starter:
            assert (interest in starter) == keeps, starter
