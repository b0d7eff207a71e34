"""The organiser home: how each of an organiser's programmes is doing, on one page (the
admin index). Every figure is a database aggregate over all the programmes at once, so
the page makes the same number of queries for 1 programme or 100, and never reads a
round's engine input (`snapshot`) or draft."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from feedback.models import Evaluation, Met
from members.invitations.selectors import invitations_pending
from members.models import User
from pairing.choices import RUN_KINDS
from pairing.kinds import KINDS, kind_of
from pairing.models import (
    Concern,
    ConcernStatus,
    LeftOut,
    MatchMember,
    Membership,
    MembershipStatus,
    MentoringRole,
    OutboxEmail,
    Programme,
    Round,
    RoundStatus,
)
from pairing.outbox.delivery import delivery_counts
from pairing.rounds.unplaced import AGAIN
from pairing.sets.models import Session, SessionCheckIn

# Rounds whose introductions have gone out (or are going out): "the last round".
RUN = (RoundStatus.RUNNING, RoundStatus.DONE)


def programmes_organised_by(user: User) -> QuerySet[Programme]:
    """The programmes `user` organises; a superuser's are all of them."""
    programmes = Programme.objects.all()
    if user.is_superuser:
        return programmes
    if not user.is_staff:
        return programmes.none()
    return programmes.filter(organisers=user)


def eligible_memberships(*, today: dt.date) -> QuerySet[Membership]:
    """The memberships a round planned `today` would match: the same rules as
    `pairing.rounds.round_eligibility`, written as one filter so it can be counted."""
    verified = EmailAddress.objects.filter(user=OuterRef("user_id"), verified=True)
    role_needed = [slug for slug, kind in KINDS.items() if kind.offer_and_seek]
    return (
        Membership.objects.exclude(status=MembershipStatus.LEFT)
        .filter(
            Exists(verified),
            user__is_active=True,
            user__profile__complete=True,
            skip_next_round=False,
        )
        .exclude(status=MembershipStatus.PAUSED, paused_until__gt=today)
        .exclude(programme__kind__in=role_needed, mentoring_role="")
    )


@dataclass
class Rate:
    """`part` of `whole`, with the whole-number percentage (None when whole is 0)."""

    part: int
    whole: int

    @property
    def percent(self) -> int | None:
        # Half up, as the evidence page rounds: 62.5 % reads 63 %.
        return math.floor(100 * self.part / self.whole + 0.5) if self.whole else None


@dataclass
class ProgrammeSummary:
    programme: Programme
    eligible: int
    last_round: Round | None
    sent: int = 0
    failed: int = 0
    waiting: int = 0  # emails of the last round not yet sent
    not_sent: int = 0  # not sent on purpose: unsubscribed or a bounced address
    left_out: int = 0
    left_out_again: int = 0  # of them, left out in the round before too
    mentors: int = 0  # eligible members offering mentoring (offer-and-seek kinds only)
    mentees: int = 0
    met: Rate | None = None  # evaluations saying they met, of evaluations
    # Evaluations, of seats, in the rounds whose "did you meet?" has been asked
    # (`followup_days` after they ran): members introduced minutes ago are not yet
    # "not answering". `rounds_asked` of them; `rounds_waiting` ran but not yet asked,
    # the first of them asked on `next_ask_on`.
    responses: Rate | None = None
    rounds_asked: int = 0
    rounds_waiting: int = 0
    next_ask_on: dt.date | None = None
    # Learning sets meet in sessions: check-ins saying they attended, of check-ins, and
    # the sessions whose check-in has been asked for.
    attended: Rate | None = None
    sessions_asked: int = 0
    new_concerns: int = 0
    open_concerns: int = 0  # in progress
    invitations_pending: int = 0  # sent or opened sign-up, not yet joined or expired

    @property
    def answered_early(self) -> int:
        """Answers given before their "did you meet?" was asked (from the match page): said
        beside "0 of the 17 members asked answered", or the figures seem to disagree with
        "1 answer so far" (walk 29)."""
        if self.met is None or self.responses is None:
            return 0
        return max(self.met.whole - self.responses.part, 0)

    @property
    def mentoring(self) -> bool:
        return kind_of(self.programme).offer_and_seek

    @property
    def sessions(self) -> bool:
        """Members meet in a set's sessions (learning sets), not once per match."""
        return kind_of(self.programme).stable_groups

    @property
    def mentoring_waiting(self) -> int:
        """Eligible members who cannot all be paired: mentors and mentees out of balance."""
        return abs(self.mentors - self.mentees) if self.mentoring else 0

    @property
    def mentoring_short(self) -> str:
        """Who is short: "mentors" when mentees will wait, else "mentees"."""
        return "mentors" if self.mentees > self.mentors else "mentees"


def _by(rows: QuerySet, key: str) -> dict[int, dict]:
    return {row[key]: row for row in rows}


def _asked(programmes: list[Programme], now: dt.datetime, prefix: str = "") -> Q:
    """Rounds whose "did you meet?" has been asked by `now`: ran (finished, else
    started, else on the day planned) `followup_days` or more before it, as
    `feedback.services.followups_send_due` asks. One condition per distinct delay."""
    asked = Q(pk__in=[])
    for days in {p.followup_days for p in programmes}:
        by = now - dt.timedelta(days=days)
        asked |= Q(**{f"{prefix}programme__followup_days": days}) & (
            Q(**{f"{prefix}finished_at__lte": by})
            | Q(**{f"{prefix}finished_at__isnull": True, f"{prefix}started_at__lte": by})
            | Q(
                **{
                    f"{prefix}finished_at__isnull": True,
                    f"{prefix}started_at__isnull": True,
                    f"{prefix}scheduled_for__lte": timezone.localdate(by),
                }
            )
        )
    return asked


def _next_ask_on(rounds: dict, followup_days: int) -> dt.date | None:
    """When the first round not yet asked will be: the earliest it ran, plus the delay."""
    zone = timezone.get_current_timezone()
    ran = [rounds.get("first_finished"), rounds.get("first_started")]
    if rounds.get("first_planned"):
        ran.append(dt.datetime.combine(rounds["first_planned"], dt.time(), tzinfo=zone))
    ran = [at for at in ran if at is not None]
    if not rounds.get("waiting") or not ran:
        return None
    return timezone.localdate(min(ran) + dt.timedelta(days=followup_days))


def programme_summaries(
    *, user: User, today: dt.date, now: dt.datetime | None = None
) -> list[ProgrammeSummary]:
    """One summary per programme `user` organises, by name. A fixed number of queries."""
    now = now or timezone.now()
    last_run = Round.objects.filter(programme=OuterRef("pk"), status__in=RUN).order_by("-number")
    programmes = list(
        programmes_organised_by(user)
        .only("name", "slug", "kind", "next_round_on", "signup_open", "followup_days")
        .annotate(last_round_id=Subquery(last_run.values("pk")[:1]))
        .order_by("name")
    )
    ids = [p.pk for p in programmes]
    round_ids = [p.last_round_id for p in programmes if p.last_round_id]
    eligible = _by(
        eligible_memberships(today=today)
        .filter(programme_id__in=ids)
        .values("programme_id")
        .annotate(
            n=Count("pk"),
            offer=Count("pk", filter=Q(mentoring_role=MentoringRole.OFFER)),
            seek=Count("pk", filter=Q(mentoring_role=MentoringRole.SEEK)),
        )
        .order_by(),
        "programme_id",
    )
    # finished_at: a round that ran is dated by that day (`Round.held_on`), not the planned one.
    rounds = {
        r.pk: r
        for r in Round.objects.filter(pk__in=round_ids).only(
            "number", "scheduled_for", "finished_at", "status", "programme_id"
        )
    }
    delivery = _by(
        OutboxEmail.objects.filter(pairing_round_id__in=round_ids, kind__in=RUN_KINDS)
        .values("pairing_round_id")
        .annotate(**{k: v for k, v in delivery_counts().items() if k != "total"})
        .order_by(),
        "pairing_round_id",
    )
    left_out = {
        round_id: (n, again)
        for round_id, n, again in LeftOut.objects.filter(pairing_round_id__in=round_ids)
        .values_list("pairing_round_id")
        # Told "the organisers have been told" (``unplaced.told_again``): the home says so
        # too, for a round that ran on its day with no preview (walk 48).
        .annotate(n=Count("pk"), again=Count("pk", filter=Q(reason__contains=AGAIN)))
        .order_by()
    }
    asked = _asked(programmes, now, "pairing_round__")
    run_rounds = Q(pairing_round__programme_id__in=ids, pairing_round__status__in=RUN) & asked
    seats = dict(
        MatchMember.objects.filter(run_rounds)
        .values_list("pairing_round__programme_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    evaluations = _by(
        Evaluation.objects.filter(
            match__pairing_round__programme_id__in=ids,
            match__pairing_round__status__in=RUN,
        )
        .values("match__pairing_round__programme_id")
        .annotate(
            n=Count("pk"),
            met=Count("pk", filter=Q(met=Met.YES)),
            asked=Count("pk", filter=_asked(programmes, now, "match__pairing_round__")),
        )
        .order_by(),
        "match__pairing_round__programme_id",
    )
    concerns = _by(
        Concern.objects.filter(match__pairing_round__programme_id__in=ids)
        .values("match__pairing_round__programme_id")
        .annotate(
            new=Count("pk", filter=Q(status=ConcernStatus.NEW)),
            open=Count("pk", filter=Q(status=ConcernStatus.IN_PROGRESS)),
        )
        .order_by(),
        "match__pairing_round__programme_id",
    )
    set_programme = "session__learning_set__cycle__programme_id"
    checkins = _by(
        SessionCheckIn.objects.filter(**{f"{set_programme}__in": ids})
        .values(set_programme)
        .annotate(n=Count("pk"), attended=Count("pk", filter=Q(attended=True)))
        .order_by(),
        set_programme,
    )
    sessions_asked = dict(
        Session.objects.filter(
            learning_set__cycle__programme_id__in=ids, checkin_sent_at__isnull=False
        )
        .values_list("learning_set__cycle__programme_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    invitations = invitations_pending(ids)
    # Rounds run, and those not yet asked "did you meet?" with when they ran (the first
    # of them is the next to be asked).
    waiting = ~_asked(programmes, now)
    rounds_run = _by(
        Round.objects.filter(programme_id__in=ids, status__in=RUN)
        .values("programme_id")
        .annotate(
            n=Count("pk"),
            waiting=Count("pk", filter=waiting),
            first_finished=Min("finished_at", filter=waiting),
            first_started=Min("started_at", filter=waiting & Q(finished_at__isnull=True)),
            first_planned=Min(
                "scheduled_for",
                filter=waiting & Q(finished_at__isnull=True, started_at__isnull=True),
            ),
        )
        .order_by(),
        "programme_id",
    )
    summaries = []
    for programme in programmes:
        pk, last = programme.pk, programme.last_round_id
        e = eligible.get(pk, {})
        d = delivery.get(last, {})
        ev = evaluations.get(pk, {"n": 0, "met": 0})
        c = concerns.get(pk, {})
        ch = checkins.get(pk, {"n": 0, "attended": 0})
        r = rounds_run.get(pk, {})
        out, again = left_out.get(last, (0, 0))
        summaries.append(
            ProgrammeSummary(
                programme=programme,
                eligible=e.get("n", 0),
                mentors=e.get("offer", 0),
                mentees=e.get("seek", 0),
                last_round=rounds.get(last),
                sent=d.get("sent", 0),
                failed=d.get("failed", 0),
                not_sent=d.get("not_sent", 0),
                waiting=d.get("waiting", 0),
                left_out=out,
                left_out_again=again,
                met=Rate(ev["met"], ev["n"]),
                responses=Rate(ev.get("asked", 0), seats.get(pk, 0)),
                rounds_asked=r.get("n", 0) - r.get("waiting", 0),
                rounds_waiting=r.get("waiting", 0),
                next_ask_on=_next_ask_on(r, programme.followup_days),
                attended=Rate(ch["attended"], ch["n"]),
                sessions_asked=sessions_asked.get(pk, 0),
                new_concerns=c.get("new", 0),
                open_concerns=c.get("open", 0),
                invitations_pending=invitations.get(pk, 0),
            )
        )
    return summaries
