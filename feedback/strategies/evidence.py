"""What search-strategy review adds to a programme's evidence page: strategies shared,
reviews completed, which PRESS elements most often needed revision, and the share of
authors who revised after a review, under the same small-number rules as every figure
(`feedback.small_numbers`: exact on the organiser team's own page, protected in the pack).
Counted in the database: one aggregate for the PRESS elements, whatever the reviews."""

from __future__ import annotations

from django.db.models import Count, F, Max, Min, Q

from feedback.models import PressVerdict, Strategy, StrategyReview
from feedback.reports import Cell
from feedback.small_numbers import EXACT, SHAREABLE, WITHHELD_TEXT, hidden_text, is_small
from pairing.kinds import kind_of
from pairing.kinds.search_review import PRESS_ELEMENTS
from pairing.models import Programme

NEEDS_REVISION = (PressVerdict.SUGGESTED, PressVerdict.REQUIRED)


def strategy_evidence(*, programme: Programme, exact: bool = False) -> dict | None:
    """The figures: exact for the organiser team's own page (`exact`), else with every
    count of 1-4 (or one a shown figure would give away) hidden; None for kinds that
    share no work."""
    if not kind_of(programme).shares_work:
        return None
    rules = EXACT if exact else SHAREABLE
    strategies = Strategy.objects.filter(match__pairing_round__programme=programme)
    counts = strategies.aggregate(
        shared=Count("id", filter=Q(versions__isnull=False), distinct=True),
        review_only=Count("id", filter=Q(review_only=True, versions__isnull=True), distinct=True),
    )
    reviews = StrategyReview.objects.filter(
        strategy__match__pairing_round__programme=programme, submitted_at__isnull=False
    )
    needing = reviews.aggregate(
        completed=Count("id"),
        **{
            key: Count("id", filter=Q(**{f"elements__{key}__verdict__in": NEEDS_REVISION}))
            for key, _heading in PRESS_ELEMENTS
        },
    )
    completed = needing["completed"]
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
                rules.part(needing[key], completed),
                rules.share(needing[key], completed),
                hidden_text(needing[key]),
            )
            for key, heading in PRESS_ELEMENTS
        ),
        key=lambda cell: -(cell.value or 0),
    )
    # Beside the strategies shared, the reviews and the authors reviewed would tell how
    # many were not reviewed: in the pack they go when that is 1-4, and so do the
    # revisions out of those reviewed (count over share would give them back).
    linked = not exact and is_small(abs(counts["shared"] - completed))
    authors_linked = not exact and is_small(counts["shared"] - reviewed_n)
    return {
        "shared": rules.count(counts["shared"]),
        "review_only": rules.count(counts["review_only"]),
        "reviews": None if linked else rules.count(completed),
        "reviews_hidden": hidden_text(completed) if is_small(completed) else WITHHELD_TEXT,
        "elements": elements,
        "authors_reviewed": None if authors_linked else rules.count(reviewed_n),
        "revised": None if authors_linked else rules.part(revised_n, reviewed_n),
        "revised_hidden": hidden_text(revised_n),
        "revised_percent": None if authors_linked else rules.share(revised_n, reviewed_n),
    }
