"""Learning sets in the lifecycle machine: the organiser sets up short cycles, members
leave their set, hosts move and cancel sessions, members swap turns and check in. The
invariants: sets stay together for their cycle (a leaver leaves only their own set), the
rota keeps everyone presenting, and no cycle's sets form while another cycle meets."""

from __future__ import annotations

import datetime as dt
import itertools
from unittest import mock

from hypothesis import strategies as st
from hypothesis.stateful import invariant, precondition, rule

from members.models import User
from pairing.models import MatchMember, OutboxEmail, OutboxKind
from pairing.sets import forming, services
from pairing.sets.models import Cycle, LearningSet, Presenter, Session, SessionStatus
from pairing.sets.selectors import set_host_id, set_member_ids
from tests.lifecycle.base import LifecycleBase
from tests.lifecycle.world import LEFT


def _clashes(session: Session, starts_at: dt.datetime) -> bool:
    """Whether `session` at `starts_at` would overlap another set's session at the cycle's
    venue or online room, or another session of one of its members (checked here from the
    rows, not by the service's own query)."""
    ends_at = starts_at + (session.ends_at - session.starts_at)
    cycle = session.learning_set.cycle
    members = set(set_member_ids(session.learning_set))
    for other in Session.objects.filter(status=SessionStatus.SCHEDULED).exclude(
        learning_set=session.learning_set
    ):
        if not (other.starts_at < ends_at and starts_at < other.ends_at):
            continue
        if cycle.place and other.learning_set.cycle_id == cycle.pk:
            return True
        if members & set(set_member_ids(other.learning_set)):
            return True
    return False


class SetRules(LifecycleBase):
    """Mixed into the learning-set machine only."""

    def __init__(self) -> None:
        super().__init__()
        # (set, member) for each "leave this set" the machine did.
        self.set_leavers: set[tuple[int, int]] = set()
        # A cycle nobody set up is short here, as the organiser's are: a default one (six
        # sessions every eight weeks) would take the simulated years past what the
        # machine models (accounts idle for two years are deleted by retention).
        self._short_cycles = mock.patch.dict(
            forming.DEFAULT_CYCLE, {"sessions": 2, "interval_weeks": 2}
        )
        self._short_cycles.start()

    def teardown(self) -> None:
        self._short_cycles.stop()
        super().teardown()

    def _future_sessions(self) -> list[Session]:
        return list(
            Session.objects.filter(
                learning_set__cycle__programme=self.programme,
                status=SessionStatus.SCHEDULED,
                starts_at__gt=self.world.now,
            )
            .select_related("learning_set__match")
            .order_by("pk")
        )

    def _draw_session(self, data: st.DataObject) -> Session:
        sessions = self._future_sessions()
        pk = data.draw(st.sampled_from([s.pk for s in sessions]), label="session")
        return next(s for s in sessions if s.pk == pk)

    # --- Rules ----------------------------------------------------------------------------

    @precondition(
        lambda self: (
            self.opened
            and not Cycle.objects.filter(
                programme=self.programme, forming_round__isnull=True
            ).exists()
        )
    )
    @rule(
        sessions=st.sampled_from((2, 3)),
        weeks=st.sampled_from((1, 2, 4)),
        external=st.booleans(),
    )
    def organiser_sets_up_a_cycle(self, sessions: int, weeks: int, external: bool) -> None:
        self.programme.refresh_from_db()
        base = self.programme.next_round_on or self.world.today
        Cycle.objects.create(
            programme=self.programme,
            sessions=sessions,
            interval_weeks=weeks,
            first_session_on=base + dt.timedelta(days=7),
            venue="Library meeting room",
            facilitation="external" if external else "rotating",
            facilitator_email="facilitator@example.org" if external else "",
        )

    @precondition(lambda self: self.opened and self._future_sessions())
    @rule(data=st.data())
    def a_member_leaves_their_set(self, data: st.DataObject) -> None:
        learning_set = self._draw_session(data).learning_set
        members = set_member_ids(learning_set)
        if not members:
            return
        user_id = data.draw(st.sampled_from(members), label="leaver")
        services.set_leave(
            learning_set=learning_set, user=User.objects.get(pk=user_id), now=self.world.now
        )
        self.set_leavers.add((learning_set.pk, user_id))

    @precondition(lambda self: self.opened and self._future_sessions())
    @rule(data=st.data(), days=st.sampled_from((-400, -1, 1, 3, 14)))
    def the_host_moves_a_session(self, data: st.DataObject, days: int) -> None:
        session = self._draw_session(data)
        host_id = set_host_id(session.learning_set)
        if host_id is None:
            return
        new_start = session.starts_at + dt.timedelta(days=days)
        invites = OutboxEmail.objects.filter(kind=OutboxKind.SESSION_INVITE)
        before = invites.count()
        try:
            services.session_move(
                session=session,
                by=User.objects.get(pk=host_id),
                starts_at=new_start,
                now=self.world.now,
            )
        except services.SetError as error:
            refusable = new_start <= self.world.now or _clashes(session, new_start)
            assert refusable, f"a move to a free future time was refused: {error}"
            return
        assert new_start > self.world.now, "a move into the past was accepted"
        assert not _clashes(session, new_start), "a move onto a taken room or member was accepted"
        expected = len(set_member_ids(session.learning_set))
        expected += bool(session.learning_set.facilitator_email)
        assert invites.count() - before == expected, "a move was not announced once to each"

    @precondition(lambda self: self.opened and self._future_sessions())
    @rule(data=st.data())
    def the_host_cancels_a_session(self, data: st.DataObject) -> None:
        session = self._draw_session(data)
        host_id = set_host_id(session.learning_set)
        if host_id is None:
            return
        services.session_cancel(
            session=session, by=User.objects.get(pk=host_id), now=self.world.now
        )

    @precondition(lambda self: self.opened and self._future_sessions())
    @rule(data=st.data())
    def two_members_swap_turns(self, data: st.DataObject) -> None:
        learning_set = self._draw_session(data).learning_set
        turns = [
            (p.session, p.user_id)
            for p in Presenter.objects.filter(
                session__learning_set=learning_set,
                session__status=SessionStatus.SCHEDULED,
                session__starts_at__gt=self.world.now,
            ).select_related("session__learning_set")
        ]
        pairs = [
            (a, b)
            for a in turns
            for b in turns
            if a[1] != b[1]
            and a[0] != b[0]
            and not a[0].presenters.filter(user_id=b[1]).exists()
            and not b[0].presenters.filter(user_id=a[1]).exists()
        ]
        if not pairs:
            return
        (mine, me), (theirs, them) = data.draw(st.sampled_from(pairs), label="swap")
        users = User.objects.in_bulk([me, them])
        swap = services.swap_propose(
            learning_set=learning_set,
            proposer=users[me],
            my_session=mine,
            partner=users[them],
            their_session=theirs,
            now=self.world.now,
        )
        services.swap_decide(swap=swap, by=users[them], accept=True, now=self.world.now)
        assert mine.presenters.filter(user_id=them).exists()
        assert theirs.presenters.filter(user_id=me).exists()

    # --- Invariants ------------------------------------------------------------------------

    @precondition(lambda self: self.opened)
    @invariant()
    def sets_stay_together_and_a_leaver_leaves_only_their_set(self) -> None:
        alive = {p.user_id for p in self.world.alive()}
        for learning_set in LearningSet.objects.filter(cycle__programme=self.programme):
            seats = set(
                MatchMember.objects.filter(match_id=learning_set.match_id).values_list(
                    "user_id", flat=True
                )
            )
            now_in = set(set_member_ids(learning_set))
            assert now_in <= seats, "someone joined a set mid-cycle"
            gone = {u for s, u in self.set_leavers if s == learning_set.pk}
            assert not now_in & gone, "a member who left a set is still in it"
            # Leaving the programme also leaves its sets (then rejoining does not undo it).
            gone |= set(learning_set.leavers.values_list("user_id", flat=True))
            stayed = {
                u
                for u in seats & alive
                if u not in gone and self.world.seats.get(u) and self.world.seats[u].status != LEFT
            }
            assert stayed <= now_in, f"{stayed - now_in} lost their set without leaving it"

    @precondition(lambda self: self.opened)
    @invariant()
    def the_rota_keeps_everyone_presenting(self) -> None:
        for learning_set in LearningSet.objects.filter(cycle__programme=self.programme):
            sessions = learning_set.sessions.filter(status=SessionStatus.SCHEDULED)
            future = sessions.filter(starts_at__gt=self.world.now)
            if not future.exists():
                continue
            members = set(set_member_ids(learning_set))
            turns = set(
                Presenter.objects.filter(session__in=sessions).values_list("user_id", flat=True)
            )
            assert members <= turns, f"{members - turns} have no turn to present"
            later = set(
                Presenter.objects.filter(session__in=future).values_list("user_id", flat=True)
            )
            assert later <= members, "someone no longer in the set presents later"

    @precondition(lambda self: self.opened)
    @invariant()
    def a_cycle_forms_only_after_the_last_one_met(self) -> None:
        cycles = list(
            Cycle.objects.filter(programme=self.programme, forming_round__isnull=False)
            .select_related("forming_round")
            .order_by("forming_round__finished_at")
        )
        for earlier, later in itertools.pairwise(cycles):
            last = (
                Session.objects.filter(learning_set__cycle=earlier, status=SessionStatus.SCHEDULED)
                .order_by("-starts_at")
                .first()
            )
            if last is not None:
                assert later.forming_round.finished_at > last.starts_at, (
                    "a cycle formed while the previous one was still meeting"
                )
