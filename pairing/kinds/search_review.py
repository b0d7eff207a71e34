"""Search-strategy peer review: pairs (or a trio) who review one another's literature-search
strategies with the PRESS 2015 elements, and have the chat too."""

from __future__ import annotations

import datetime as dt

from pairing.kinds.base import Kind

# The PRESS 2015 Evidence-Based Checklist elements (McGowan et al. 2016).
PRESS_ELEMENTS = (
    ("translation", "Translation of the research question"),
    ("operators", "Boolean and proximity operators"),
    ("subject_headings", "Subject headings"),
    ("text_words", "Text-word searching"),
    ("spelling", "Spelling, syntax and line numbers"),
    ("limits", "Limits and filters"),
)

SEARCH_REVIEW = Kind(
    slug="search_review",
    label="Search-strategy peer review",
    meeting=dt.timedelta(minutes=45),
    meeting_noun="search-strategy review",
    calendar_prefix="Search review",
    # Said to a pair or a group of three alike.
    intro_lead=(
        "You have been introduced to peer review one another's literature-search strategies."
    ),
    review_headings=PRESS_ELEMENTS,
    evidence_notes=("Reviews use the PRESS 2015 elements.",),
)
