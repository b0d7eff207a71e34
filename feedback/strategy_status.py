"""Who in a search-review round has shared a strategy and sent their review, for the
round's page: so organisers can chase a pair (walk 44: the admin's "Strategies" list only
had rows for members who had shared or chosen review only, never those who had done
neither). Never the strategy, the file or the review itself (product.md)."""

from __future__ import annotations

from django.db.models import Count

from feedback.models import Strategy, StrategyReview
from pairing.models import Match


def sharing_lines(matches: list[Match]) -> dict[int, list[str]]:
    """Per match: one line per member still in it, "Ada Lovelace: shared (2 versions),
    review sent" / "review only, no review sent yet" / "not shared yet, ...". Two queries
    for the page, whatever its size. `matches` come with their seats' users' profiles."""
    ids = [m.pk for m in matches]
    shared = {
        (match_id, author_id): (versions, review_only)
        for match_id, author_id, versions, review_only in Strategy.objects.filter(match_id__in=ids)
        .annotate(version_count=Count("versions"))
        .values_list("match_id", "author_id", "version_count", "review_only")
    }
    sent = set(
        StrategyReview.objects.filter(match_id__in=ids, submitted_at__isnull=False).values_list(
            "match_id", "reviewer_id"
        )
    )
    lines: dict[int, list[str]] = {}
    for match in matches:
        # A deleted account has no user (or profile) left: nothing to chase.
        seats = [s for s in match.members.all() if getattr(s.user, "profile", None)]
        for seat in seats:
            versions, review_only = shared.get((match.pk, seat.user_id), (0, False))
            if versions:
                mine = f"shared ({versions} version{'s' if versions != 1 else ''})"
            elif review_only:
                mine = "review only"
            else:
                mine = "not shared yet"
            # Every other member chose review only: there is nothing to review (walk 45).
            others = [shared.get((match.pk, s.user_id), (0, False)) for s in seats if s != seat]
            nothing = bool(others) and all(review and not n for n, review in others)
            if (match.pk, seat.user_id) in sent:
                review = "review sent"
            else:
                review = "nothing to review" if nothing else "no review sent yet"
            name = seat.user.profile.display_name or "A member"
            lines.setdefault(match.pk, []).append(f"{name}: {mine}, {review}")
    return lines
