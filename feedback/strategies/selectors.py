"""What one member of a search-review match may see of its strategies: their own (every
version, and the reviews sent to them) and each partner's (every version, what changed,
and their own review of it). Never another match's, never another reviewer's review."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.utils import timezone

from feedback.models import PressVerdict, Strategy, StrategyReview, StrategyVersion
from feedback.strategies.forms import DATABASE_NAMES
from feedback.strategies.services import (
    DiffLine,
    changed_context,
    left_programme,
    version_diff,
)
from members.models import User
from pairing.emails.text import and_join
from pairing.kinds import kind_of
from pairing.kinds.search_review import PRESS_ELEMENTS
from pairing.models import Match, Round, RoundStatus
from pairing.selectors import shared_profile

VERDICT_NAMES = dict(PressVerdict.choices)


@dataclass(frozen=True)
class ReviewView:
    reviewer: str
    submitted_at: dt.datetime | None
    version_number: int
    # (heading, verdict words, verdict key, comment) in PRESS order.
    elements: list[tuple[str, str, str, str]]
    overall: str


@dataclass
class StrategyView:
    author: str
    strategy: Strategy | None
    versions: list[StrategyVersion] = field(default_factory=list)
    diff: list[DiffLine] = field(default_factory=list)
    # Details (question, limits, file...) that changed in the latest version.
    changed: list[str] = field(default_factory=list)
    reviews: list[ReviewView] = field(default_factory=list)  # received (own) or mine
    my_review: StrategyReview | None = None
    # A partner who has left the programme, or whose account is gone (their strategy with
    # it: only the viewer's own review of it is left).
    left: bool = False
    gone: bool = False
    # A partner who has sent their review of the viewer's strategy (walk 45: "they will
    # review yours" after they had).
    reviewed_mine: bool = False

    @property
    def remains(self) -> bool:
        return not (self.left or self.gone)

    @property
    def latest(self) -> StrategyVersion | None:
        return self.versions[-1] if self.versions else None

    @property
    def previous(self) -> StrategyVersion | None:
        """The version the diff starts from."""
        return self.versions[-2] if len(self.versions) > 1 else None

    @property
    def draft_is_stale(self) -> bool:
        """The viewer's unsent draft was written for an older version than the latest."""
        draft, latest = self.my_review, self.latest
        return bool(
            draft and not draft.submitted_at and latest and draft.version_number < latest.number
        )

    @property
    def earlier(self) -> list[StrategyVersion]:
        return list(reversed(self.versions[:-1]))

    @property
    def text_changed(self) -> bool:
        return any(line.change != "same" for line in self.diff)

    @property
    def review_only(self) -> bool:
        return bool(self.strategy and self.strategy.review_only)

    @property
    def revised_after_review(self) -> bool:
        submitted = [r.submitted_at for r in self.reviews if r.submitted_at]
        latest = self.latest
        return bool(submitted and latest and latest.created_at > min(submitted))


def databases_text(version: StrategyVersion) -> str:
    names = [DATABASE_NAMES.get(key, key) for key in version.databases if key != "other"]
    if version.databases_other:
        names.append(version.databases_other)
    return ", ".join(names)


def review_view(review: StrategyReview) -> ReviewView:
    elements = review.elements or {}
    return ReviewView(
        reviewer=shared_profile(review.reviewer).display_name,
        submitted_at=review.submitted_at,
        version_number=review.version_number,
        elements=[
            (
                heading,
                VERDICT_NAMES.get(elements.get(key, {}).get("verdict", ""), "No verdict"),
                elements.get(key, {}).get("verdict", ""),
                elements.get(key, {}).get("comment", ""),
            )
            for key, heading in PRESS_ELEMENTS
        ],
        overall=review.overall,
    )


def _diff(versions: list[StrategyVersion]) -> list[DiffLine]:
    pasted = [v for v in versions if v.text.strip()]
    if len(pasted) < 2 or pasted[-1] is not versions[-1]:
        return []
    return version_diff(pasted[-2], pasted[-1])


def _changed(versions: list[StrategyVersion]) -> list[str]:
    return changed_context(versions[-2], versions[-1]) if len(versions) > 1 else []


# A search line number at the start of a line: "1.", "12", "#3", "S4", "L5", "1)".
SEARCH_LINE = re.compile(r"^\s*(?:#|S|L)?\d+[.)]?\s")


def has_own_numbers(text: str) -> bool:
    """Most lines start with the database's own search line numbers (Ovid, EBSCO,
    PubMed): then the page shows those, not a second numbering of its own."""
    lines = [line for line in text.splitlines() if line.strip()]
    numbered = sum(1 for line in lines if SEARCH_LINE.match(line))
    return bool(lines) and numbered * 2 >= len(lines)


def match_strategies(*, match: Match, viewer: User) -> dict | None:
    """{"due_on", "mine", "partners", ...} for the match page, or None for kinds that share
    nothing. `mine` holds the reviews the viewer received (sent ones only); `closed` says
    nothing more is asked (nobody else remains, or the viewer left the programme)."""
    due_on = kind_of(match.pairing_round.programme).share_due_on(match.pairing_round)
    if due_on is None:
        return None
    strategies = {
        s.author_id: s for s in Strategy.objects.filter(match=match).prefetch_related("versions")
    }
    reviews = list(
        StrategyReview.objects.filter(match=match)
        .select_related("version", "reviewer__profile")
        .order_by("pk")
    )
    mine = strategies.get(viewer.pk)
    own = StrategyView(author="You", strategy=mine)
    if mine:
        own.versions = list(mine.versions.all())
        own.diff, own.changed = _diff(own.versions), _changed(own.versions)
        own.reviews = [
            review_view(r) for r in reviews if r.strategy_id == mine.pk and r.submitted_at
        ]
    seats = [seat for seat in match.members.all() if seat.user_id != viewer.pk]
    left = left_programme(
        programme_id=match.pairing_round.programme_id,
        user_ids=[s.user_id for s in seats] + [viewer.pk],
    )
    i_left = viewer.pk in left
    left.discard(viewer.pk)
    partners = []
    for seat in seats:
        if seat.user_id is None:
            continue
        theirs = strategies.get(seat.user_id)
        view = StrategyView(
            author=shared_profile(seat.user).display_name,
            strategy=theirs,
            left=seat.user_id in left,
        )
        if theirs:
            view.versions = list(theirs.versions.all())
            view.diff, view.changed = _diff(view.versions), _changed(view.versions)
            view.my_review = next(
                (r for r in reviews if r.strategy_id == theirs.pk and r.reviewer_id == viewer.pk),
                None,
            )
            if view.my_review and view.my_review.submitted_at:
                view.reviews = [review_view(view.my_review)]
        view.reviewed_mine = bool(mine) and any(
            r.strategy_id == mine.pk and r.reviewer_id == seat.user_id and r.submitted_at
            for r in reviews
        )
        partners.append(view)
    # The viewer's reviews of strategies that went with their author's account.
    partners += [
        StrategyView(author="A former member", strategy=None, gone=True, reviews=[review_view(r)])
        for r in reviews
        if r.strategy_id is None and r.reviewer_id == viewer.pk and r.submitted_at
    ]
    gone = sum(1 for seat in seats if seat.user_id is None)
    alone = not any(view.remains for view in partners if not view.gone) and bool(left or gone)
    return {
        "due_on": due_on,
        "mine": own,
        "partners": partners,
        # Nobody else remains to review the viewer's strategy or to share one: say why.
        "alone": alone,
        # The viewer left the programme: what they shared stays, nothing more is asked.
        "i_left": i_left,
        "closed": alone or i_left,
        # Past the date and a later round has run: a first strategy is no longer asked
        # for (walk 29: "Please share it by 9 December" on 26 January, round 3 running).
        "share_over": _share_over(match, due_on),
        "late": timezone.localdate() > due_on,
        "departed": _departed_words(partners, gone=gone, group=len(seats) > 1),
    }


def _share_over(match: Match, due_on: dt.date) -> bool:
    pairing_round = match.pairing_round
    if timezone.localdate() <= due_on or pairing_round.finished_at is None:
        return False
    return Round.objects.filter(
        programme_id=pairing_round.programme_id,
        status=RoundStatus.DONE,
        finished_at__gt=pairing_round.finished_at,
    ).exists()


def _departed_words(partners: list[StrategyView], *, gone: int, group: bool) -> str:
    """ "Ada has left the programme and your partner has deleted their account"; "Ada and
    Max have left the programme"."""
    left = [view.author for view in partners if view.left]
    parts = (
        [f"{and_join(left)} {'have' if len(left) > 1 else 'has'} left the programme"]
        if left
        else []
    )
    if gone == 1:
        who = "one of the others has" if group else "your partner has"
        parts.append(f"{who} deleted their account")
    elif gone > 1:
        parts.append(f"{gone} of the others have deleted their accounts")
    return and_join(parts)


def changes_since_draft(view: StrategyView) -> StrategyView | None:
    """What changed between the version the viewer's draft was written for and the
    latest (None unless the draft is stale), shown before the reviewer sends it."""
    if not view.draft_is_stale:
        return None
    drafted = next((v for v in view.versions if v.number == view.my_review.version_number), None)
    if drafted is None:
        return None
    since = StrategyView(
        author=view.author, strategy=view.strategy, versions=[drafted, view.versions[-1]]
    )
    since.diff, since.changed = _diff(since.versions), _changed(since.versions)
    return since


def partner_strategy(*, strategies: dict, strategy_id: int) -> StrategyView | None:
    """A partner's strategy among `match_strategies`' partners; None if it is not one."""
    partners = strategies["partners"]
    return next((p for p in partners if p.strategy and p.strategy.pk == strategy_id), None)


# --- "Download my data" ---------------------------------------------------------------


def _review_export(review: StrategyReview) -> dict:
    view = review_view(review)
    return {
        "of_version": view.version_number,
        "sent_at": review.submitted_at.isoformat() if review.submitted_at else "not sent (draft)",
        "elements": [
            {"element": heading, "verdict": words if key else "", "comment": comment}
            for heading, words, key, comment in view.elements
        ],
        "overall": review.overall,
    }


def strategies_export(*, user: User) -> dict:
    """The member's own strategies (every version, and the reviews they received) and
    the reviews they wrote (not the partner's strategy itself: that is the partner's)."""
    own = (
        Strategy.objects.filter(author=user)
        .select_related("match__pairing_round__programme")
        .prefetch_related("versions")
        .order_by("pk")
    )
    received = StrategyReview.objects.filter(strategy__author=user, submitted_at__isnull=False)
    received = received.select_related("version", "reviewer__profile").order_by("pk")
    # Kept when the author has since deleted their account (`strategy` is then empty).
    written = (
        StrategyReview.objects.filter(reviewer=user)
        .select_related("match__pairing_round__programme")
        .order_by("pk")
    )
    names = ("question", "population", "intervention", "comparison", "outcome", "limits")
    return {
        "search_strategies_shared": [
            {
                "programme": s.match.pairing_round.programme.name,
                "round": s.match.pairing_round.number,
                "review_only": s.review_only,
                "versions": [
                    {
                        "number": v.number,
                        "shared_at": v.created_at.isoformat(),
                        "text": v.text,
                        "file": v.file_name,
                        **{name: getattr(v, name) for name in names},
                        "databases": databases_text(v),
                        "feedback_wanted": v.feedback_wanted,
                    }
                    for v in s.versions.all()
                ],
                "reviews_received": [
                    {"reviewer": shared_profile(r.reviewer).display_name, **_review_export(r)}
                    for r in received
                    if r.strategy_id == s.pk
                ],
            }
            for s in own
        ],
        "search_strategy_reviews_written": [
            {
                "programme": r.match.pairing_round.programme.name,
                "round": r.match.pairing_round.number,
                **_review_export(r),
            }
            for r in written
        ],
    }
