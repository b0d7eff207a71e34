"""What search-strategy review adds to a programme's evidence page: strategies shared,
reviews completed, which PRESS elements most often needed revision, and the share of
authors who revised after a review, under the same small-number rules as every figure
(`feedback.reports`)."""

from __future__ import annotations

from collections import Counter

from django.db.models import Count, F, Max, Min, Q

from feedback.models import PressVerdict, Strategy, StrategyReview
from feedback.reports import Cell, hidden_text, part_of, percent, suppress
from pairing.kinds import kind_of
from pairing.kinds.search_review import PRESS_ELEMENTS
from pairing.models import Programme

NEEDS_REVISION = (PressVerdict.SUGGESTED, PressVerdict.REQUIRED)


def strategy_evidence(*, programme: Programme) -> dict | None:
    """The figures, with every count below 5 (or one a shown figure would give away)
    already hidden; None for kinds that share no work."""
    if not kind_of(programme).shares_work:
        return None
    strategies = Strategy.objects.filter(match__pairing_round__programme=programme)
    counts = strategies.aggregate(
        shared=Count("id", filter=Q(versions__isnull=False), distinct=True),
        review_only=Count("id", filter=Q(review_only=True, versions__isnull=True), distinct=True),
    )
    reviews = StrategyReview.objects.filter(
        strategy__match__pairing_round__programme=programme, submitted_at__isnull=False
    )
    completed = reviews.count()
    needing = Counter()
    for elements in reviews.values_list("elements", flat=True):
        for key, entry in (elements or {}).items():
            if isinstance(entry, dict) and entry.get("verdict") in NEEDS_REVISION:
                needing[key] += 1
    reviewed = strategies.annotate(
        first_review=Min("reviews__submitted_at"), last_version=Max("versions__created_at")
    ).filter(first_review__isnull=False)
    reviewed_n = reviewed.count()
    revised_n = reviewed.filter(last_version__gt=F("first_review")).count()
    elements = sorted(
        (
            # Shown beside the reviews completed: hidden too when the rest is 1-4.
            Cell(
                heading,
                part_of(needing[key], completed),
                percent(needing[key], completed),
                hidden_text(needing[key]),
            )
            for key, heading in PRESS_ELEMENTS
        ),
        key=lambda cell: -(cell.value or 0),
    )
    return {
        "shared": suppress(counts["shared"]),
        "review_only": suppress(counts["review_only"]),
        "reviews": suppress(completed),
        "elements": elements,
        "authors_reviewed": suppress(reviewed_n),
        "revised": part_of(revised_n, reviewed_n),
        "revised_hidden": hidden_text(revised_n),
        "revised_percent": percent(revised_n, reviewed_n),
    }
