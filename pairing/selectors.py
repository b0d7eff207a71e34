"""Read-only queries: a member's memberships and matches. Partners are handed to
templates as `SharedProfile`s, never as users, so an email or a hidden organisation
cannot leak."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from feedback.closing import feedback_closed
from feedback.models import Evaluation, Strategy, StrategyReview, StrategyVersion
from members.models import Profile, User
from pairing.kinds import kind_of
from pairing.models import (
    Block,
    Concern,
    LeftOut,
    Match,
    MatchMember,
    Membership,
    MembershipStatus,
    Programme,
    Round,
    RoundStatus,
)

# Before any round: orders a round not marked finished (made directly in tests) first.
NEVER = dt.datetime.min.replace(tzinfo=dt.UTC)


def memberships_for_dashboard(*, user: User, today: dt.date) -> list[Membership]:
    memberships = list(
        Membership.objects.filter(user=user)
        .exclude(status=MembershipStatus.LEFT)
        .select_related("programme")
    )
    left_out = _left_out_last_round(user, [m.programme_id for m in memberships])
    for membership in memberships:
        membership.current_status = membership.effective_status(today)
        # Learning sets form once a cycle: "skip the next cycle", not "the next round".
        membership.round_word = kind_of(membership.programme).round_word
        # Not matched in the programme's last round: the member is told why here too.
        membership.left_out = left_out.get(membership.programme_id)
    return memberships


def _left_out_last_round(user: User, programme_ids: list[int]) -> dict[int, LeftOut]:
    """The member's LeftOut row in each programme's most recent finished round, if any."""
    done = Round.objects.filter(status=RoundStatus.DONE)
    newest = done.filter(programme_id=OuterRef("programme_id")).order_by("-number")
    latest = done.filter(programme_id__in=programme_ids, pk=Subquery(newest.values("pk")[:1]))
    rows = (
        LeftOut.objects.filter(user=user, pairing_round__in=latest)
        .select_related("pairing_round")
        .defer("pairing_round__draft")
    )
    return {row.pairing_round.programme_id: row for row in rows}


def active_membership_exists(*, user: User) -> bool:
    """Whether the member already takes part in a programme (joined, not left or paused)."""
    return Membership.objects.filter(user=user, status=MembershipStatus.ACTIVE).exists()


def membership_of(*, user: User, pk: int) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user, pk=pk).select_related("programme")


@dataclass(frozen=True)
class SharedProfile:
    """What one partner shares with the people they are matched with."""

    user_id: int | None
    display_name: str
    pronouns: str = ""
    role: str = ""
    job_title: str = ""
    sector: str = ""
    region: str = ""
    about: str = ""
    access_notes: str = ""
    organisation: str = ""  # empty unless the partner chose to show it
    match_role: str = ""  # mentoring: "mentor" or "mentee" in this match
    meets: str = ""  # "in person only": how they would like to meet (``meets_words``)


# How a member would like to meet, as their partners read it (walk 43: a member who meets
# only in person was introduced with nothing saying so, and the meeting never happened).
MEETS = {"online": "online only", "in_person": "in person only", "either": "online or in person"}


def meets_words(profile: Profile) -> str:
    return MEETS.get(profile.meeting_format, "")


@dataclass
class MemberMatches:
    """A member's matches, newest first, split into current (the latest round of each
    programme, and any earlier one where the member still has work due) and past.
    Iterating gives all of them."""

    current: list[Match] = field(default_factory=list)
    past: list[Match] = field(default_factory=list)

    def __iter__(self) -> Iterator[Match]:
        return iter(self.current + self.past)

    def __len__(self) -> int:
        return len(self.current) + len(self.past)


def shared_profile(user: User | None, match_role: str = "") -> SharedProfile:
    """What `user` shares with a partner; `match_role` is what they are in the match
    ("mentor"), from `seat_role`."""
    # A deleted account leaves a seat with no user: show that someone was there, no more.
    profile: Profile | None = getattr(user, "profile", None) if user else None
    if user is None or profile is None:
        return SharedProfile(
            user_id=user.pk if user else None,
            display_name="A former member",
            match_role=match_role,
        )
    return SharedProfile(
        match_role=match_role,
        user_id=user.pk,
        display_name=profile.display_name or "A member",
        pronouns=profile.pronouns,
        role=profile.get_role_band_display() if profile.role_band else "",
        job_title=profile.job_title,
        sector=profile.get_sector_display() if profile.sector else "",
        region=profile.get_region_display() if profile.region else "",
        about=profile.about,
        access_notes=profile.access_notes,
        organisation=profile.organisation if profile.show_organisation else "",
        meets=meets_words(profile),
    )


def seat_role(seat: MatchMember, programme: Programme) -> str:
    """What the seat's member is in the match, in the kind's words ("mentee"), or ""."""
    return kind_of(programme).role_of(seat.role)


def _matches_of(user: User) -> QuerySet[Match]:
    seats = MatchMember.objects.select_related("user__profile").order_by("pk")
    return (
        Match.objects.filter(members__user=user)
        .select_related("pairing_round__programme")
        .prefetch_related(Prefetch("members", queryset=seats))
    )


def _mark(match: Match, user: User) -> Match:
    match.partners = [
        shared_profile(seat.user, seat_role(seat, match.pairing_round.programme))
        for seat in match.members.all()
        if seat.user_id != user.pk
    ]
    return match


def _still_in(match: Match, user: User) -> bool:
    """Whether `user` is still in `match`: always, unless it is a learning set they left
    or one merged into another set. A set they are in lists as partners only those still
    in it (leavers keep their seats, for the set's history)."""
    learning_set = getattr(match, "learning_set", None)
    if learning_set is None:
        return True
    left = {leaver.user_id for leaver in learning_set.leavers.all()}
    if user.pk in left or learning_set.merged_into_id is not None:
        return False
    match.partners = [p for p in match.partners if p.user_id not in left]
    return True


def _left(user_id: str, programme_id: str) -> Exists:
    """Whether the user at `user_id` (an outer reference) has left the programme."""
    return Exists(
        Membership.objects.filter(
            user_id=OuterRef(user_id),
            programme_id=OuterRef(programme_id),
            status=MembershipStatus.LEFT,
        )
    )


def _with_work_due(matches: QuerySet[Match], user: User) -> QuerySet[Match]:
    """Annotate what a search review still asks of `user` in each match: `shared` (their
    strategy, or "review only", is in), `to_review` (shared strategies of partners who
    remain, not yet reviewed), `i_left` (the member left the programme) and `others_remain`
    (a partner kept their account and the programme). Subqueries of the one query, not a
    query per match."""
    theirs = (
        Strategy.objects.filter(match=OuterRef("pk"), review_only=False)
        .exclude(author=user)
        .exclude(_left("author_id", "match__pairing_round__programme_id"))
    )
    reviewed = StrategyReview.objects.filter(
        strategy=OuterRef("pk"), reviewer=user, submitted_at__isnull=False
    )
    waiting = (
        theirs.filter(Exists(StrategyVersion.objects.filter(strategy=OuterRef("pk"))))
        .exclude(Exists(reviewed))
        .order_by()
        .values("match")
        .annotate(n=Count("pk"))
        .values("n")
    )
    mine = Strategy.objects.filter(match=OuterRef("pk"), author=user).filter(
        Q(review_only=True) | Q(versions__isnull=False)
    )
    others = (
        MatchMember.objects.filter(match=OuterRef("pk"), user__isnull=False)
        .exclude(user=user)
        .exclude(_left("user_id", "pairing_round__programme_id"))
    )
    return matches.annotate(
        shared=Exists(mine),
        to_review=Coalesce(Subquery(waiting, output_field=IntegerField()), 0),
        i_left=Exists(
            Membership.objects.filter(
                user=user,
                programme_id=OuterRef("pairing_round__programme_id"),
                status=MembershipStatus.LEFT,
            )
        ),
        others_remain=Exists(others),
    )


def _work_due(match: Match, today: dt.date) -> bool:
    """Whether the member still owes something in a search review to someone who remains:
    their share (by the due day, not passed yet) or a review of a remaining partner's
    shared strategy. A member who left the programme owes nothing. Sets `share_due_on`
    (for "share yours by 8 December") and `share_owed` on the match."""
    due_on = kind_of(match.pairing_round.programme).share_due_on(match.pairing_round)
    match.share_due_on = due_on
    if due_on is None or match.i_left:
        match.share_owed, match.to_review = False, 0
        return False
    match.share_owed = today <= due_on and not match.shared and match.others_remain
    return match.share_owed or match.to_review > 0


def matches_for_member(*, user: User, today: dt.date | None = None) -> MemberMatches:
    """The member's matches, newest first, each with `partners` (SharedProfile list) and
    `is_current`, and what the member has told us (`_mark_feedback`). Four queries
    whatever the number of matches (five with a learning set: who left it). A set the
    member left, or one merged away, is past, never current. An earlier round's search
    review stays current while the member has work due in it (an early next round, or a
    pause, must not hide a strategy still to share or review)."""
    today = today or timezone.localdate()
    matches = [
        _mark(match, user)
        for match in _with_work_due(_matches_of(user), user)
        .annotate(
            my_met=Subquery(
                Evaluation.objects.filter(match=OuterRef("pk"), user=user).values("met")[:1]
            )
        )
        .select_related("learning_set")
        .prefetch_related("learning_set__leavers")
        # By the day each round ran (an early run is dated by it, not by its plan).
        .order_by(
            F("pairing_round__finished_at").desc(nulls_last=True),
            "-pairing_round__scheduled_for",
            "-pairing_round__number",
            "-pk",
        )
    ]
    programme_ids = {match.pairing_round.programme_id for match in matches}
    # "Current" is the round that last produced matches (the last to run: a round run
    # early may have run after a later-numbered one); a planned round has none yet.
    # One probe of the match index per round, not a scan of every match ever made.
    has_matches = Exists(Match.objects.filter(pairing_round=OuterRef("pk")))
    newest: dict[int, tuple] = {}
    for programme_id, number, finished_at in (
        Round.objects.filter(has_matches, programme_id__in=programme_ids)
        .order_by()
        .values_list("programme_id", "number", "finished_at")
    ):
        key = (finished_at or NEVER, number)
        newest[programme_id] = max(key, newest.get(programme_id, (NEVER, 0)))
    latest = {programme_id: number for programme_id, (_, number) in newest.items()}
    _mark_feedback(matches)
    result = MemberMatches()
    for match in matches:
        pairing_round = match.pairing_round
        latest_round = latest.get(pairing_round.programme_id) == pairing_round.number
        work_due = _work_due(match, today)
        match.is_current = (latest_round or work_due) and _still_in(match, user)
        (result.current if match.is_current else result.past).append(match)
    return result


def _mark_feedback(matches: list[Match]) -> None:
    """Set on each match what the dashboard says about the member's feedback on it:
    `asks_feedback` (its kind asks "how did it go?"; a learning set checks in per
    session instead), `feedback_given` (their "did you meet?" answer, `my_met`, None
    before one) and `feedback_open` (the form still takes answers: one query for when
    each round's feedback closes)."""
    asked = [m for m in matches if kind_of(m.pairing_round.programme).evaluates_matches]
    closed = feedback_closed([m.pairing_round for m in asked], now=timezone.now())
    asked_ids = {m.pk for m in asked}
    for match in matches:
        match.asks_feedback = match.pk in asked_ids
        match.feedback_given = match.my_met
        match.feedback_open = match.asks_feedback and match.pairing_round_id not in closed


def match_of(*, user: User, pk: int) -> QuerySet[Match]:
    """The match `pk` if `user` is in it; empty otherwise (the caller turns that into 404)."""
    return _matches_of(user).filter(pk=pk)


def match_partner_ids(*, match: Match, user: User) -> set[int]:
    return {
        seat.user_id
        for seat in match.members.all()
        if seat.user_id is not None and seat.user_id != user.pk
    }


def blocked_ids(*, user: User, among: set[int]) -> set[int]:
    """Whom `user` asked not to be paired with again. Only ever shown to `user`."""
    return set(
        Block.objects.filter(user=user, blocked_id__in=among).values_list("blocked_id", flat=True)
    )


def local_start(*, match: Match, user: User) -> dt.datetime | None:
    """The suggested start in the viewer's own time zone."""
    if match.suggested_start is None:
        return None
    return timezone.localtime(match.suggested_start, _zone_of(user))


def _zone_of(user: User) -> dt.tzinfo:
    profile = getattr(user, "profile", None)
    try:
        return zoneinfo.ZoneInfo(profile.time_zone if profile else "")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return timezone.get_current_timezone()


@dataclass(frozen=True)
class ConcernTrace:
    """That the viewer reported a concern about a match, and when: dates only, in their
    own time zone. Never the text, the status or the organisers' notes."""

    first_on: dt.date
    last_on: dt.date


def concern_trace(*, user: User, match: Match) -> ConcernTrace | None:
    """The viewer's own concerns about `match` (one query), or None. Only ever shown to
    the reporter: partners are never told a concern exists."""
    dates = Concern.objects.filter(reporter=user, match=match).aggregate(
        first=Min("created_at"), last=Max("created_at")
    )
    if dates["first"] is None:
        return None
    zone = _zone_of(user)
    return ConcernTrace(
        first_on=timezone.localtime(dates["first"], zone).date(),
        last_on=timezone.localtime(dates["last"], zone).date(),
    )
