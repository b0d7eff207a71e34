"""What members do: sign up, fill in and change their profile, join, leave, pause,
resume, skip, block a partner, report a concern, give feedback, delete their account."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from allauth.account.models import EmailAddress
from django.core import mail
from hypothesis import strategies as st
from hypothesis.stateful import precondition, rule

from feedback.services import EvaluationError, evaluation_submit
from members.models import Interest
from members.services import member_delete, profile_update
from pairing.models import Match
from pairing.services import (
    MembershipError,
    block_create,
    concern_report,
    membership_join,
    membership_leave,
    membership_pause,
    membership_resume,
    membership_skip_next_round,
)
from tests.lifecycle.base import (
    FORMATS,
    ORGANISATIONS,
    REGIONS,
    LifecycleBase,
    interests,
    profiles,
    some_interests,
)
from tests.lifecycle.world import ACTIVE, LEFT, PAUSED, Person, Seat

PAUSE_DAYS = (-1, 0, 1, 5, 20, 45, 120, 366, 367)
PROFILE_CHANGES = {
    "organisation": st.sampled_from(ORGANISATIONS),
    "region": st.sampled_from(REGIONS),
    "meeting_format": st.sampled_from(FORMATS),
    "experience": st.integers(0, 3),
    "interests": interests,
}


class MemberRules(LifecycleBase):
    # --- Choosing who acts --------------------------------------------------------------

    def _anyone(self, data: st.DataObject) -> Person:
        return self._someone(data, lambda _person: True)

    def _someone(self, data: st.DataObject, test: Callable[[Person], bool]) -> Person:
        # Drawn by id, so a failing example reads "member: 7", not a whole record.
        ids = [p.user_id for p in self.world.alive() if test(p)]
        return self.world.people[data.draw(st.sampled_from(ids), label="member")]

    def _has_seat(self, person: Person) -> bool:
        return person.user_id in self.world.seats

    def _in_programme(self, person: Person) -> bool:
        return self._has_seat(person) and self.world.seats[person.user_id].status != LEFT

    def _was_matched(self, person: Person) -> bool:
        return bool(self.world.matches_of(person.user_id))

    # --- Account and profile ------------------------------------------------------------

    @precondition(lambda self: self.opened and len(self.world.people) < self.max_people)
    @rule(profile=profiles())
    def sign_up(self, profile: dict) -> None:
        self.create_member(profile)

    @precondition(lambda self: self.opened and any(not p.verified for p in self.world.alive()))
    @rule(data=st.data())
    def verify_email(self, data: st.DataObject) -> None:
        person = self._someone(data, lambda p: not p.verified)
        # What allauth does when the member enters the code from their email.
        EmailAddress.objects.filter(user_id=person.user_id).update(verified=True)
        person.verified = True

    @precondition(lambda self: self.opened and any(not p.complete for p in self.world.alive()))
    @rule(data=st.data(), chosen=some_interests)
    def complete_profile(self, data: st.DataObject, chosen: frozenset[str]) -> None:
        person = self._someone(data, lambda p: not p.complete)
        profile_update(
            profile=self.user(person.user_id).profile,
            data={"role_band": person.role_band or "professional"},
            interests=Interest.objects.filter(name__in=chosen),
            finish_wizard=True,
            now=self.world.now,
        )
        person.role_band, person.interests = person.role_band or "professional", chosen

    @precondition(lambda self: self.opened and self.world.alive())
    @rule(data=st.data(), field=st.sampled_from(sorted(PROFILE_CHANGES)))
    def change_profile(self, data: st.DataObject, field: str) -> None:
        person = self._anyone(data)
        value = data.draw(PROFILE_CHANGES[field], label=field)
        profile = self.user(person.user_id).profile
        if field == "interests":
            chosen = Interest.objects.filter(name__in=value)
            profile_update(profile=profile, data={}, interests=chosen, now=self.world.now)
        else:
            profile_update(profile=profile, data={field: value}, now=self.world.now)
        setattr(person, field, value)

    @precondition(lambda self: self.opened and self.world.alive())
    @rule(data=st.data())
    def delete_account(self, data: st.DataObject) -> None:
        person = self._anyone(data)
        member_delete(user=self.user(person.user_id))
        self.world.delete(person.user_id, mail_count=len(mail.outbox))

    # --- Membership ---------------------------------------------------------------------

    @precondition(lambda self: self.opened and not all(map(self._in_programme, self.world.alive())))
    @rule(
        data=st.data(),
        role=st.sampled_from(("offer", "seek", "offer", "seek", "")),
        accept=st.sampled_from((True, True, True, False)),
    )
    def join(self, data: st.DataObject, role: str, accept: bool) -> None:
        person = self._someone(data, lambda p: not self._in_programme(p))
        self.join_as(person, role, accept)

    def join_as(self, person: Person, role: str, accept: bool) -> None:
        """The member's own action: the only way anyone is enrolled."""
        self.world.joined_by_self.add(person.user_id)
        refused = (
            not self.world.settings.signup_open
            or (self.mentoring and not role)
            or (bool(self.ground_rules) and not accept)
        )
        try:
            membership_join(
                user=self.user(person.user_id),
                programme=self.programme,
                mentoring_role=role,
                accept_ground_rules=accept,
                now=self.world.now,
            )
        except MembershipError:
            assert refused, "a member who may join was refused"
            return
        assert not refused, "a member who may not join was let in"
        self.world.seats[person.user_id] = Seat(role=role if self.mentoring else "")

    @precondition(lambda self: self.opened and self.world.seats)
    @rule(data=st.data())
    def leave(self, data: st.DataObject) -> None:
        person = self._someone(data, self._has_seat)
        membership_leave(membership=self.membership(person.user_id), now=self.world.now)
        seat = self.world.seats[person.user_id]
        seat.status, seat.paused_until, seat.skip = LEFT, None, False

    @precondition(lambda self: self.opened and self.world.seats)
    @rule(data=st.data(), days=st.sampled_from(PAUSE_DAYS))
    def pause(self, data: st.DataObject, days: int) -> None:
        person = self._someone(data, self._has_seat)
        seat = self.world.seats[person.user_id]
        until = self.world.today + dt.timedelta(days=days)
        refused = not 0 < days <= 366 or seat.status == LEFT
        try:
            membership_pause(
                membership=self.membership(person.user_id), until=until, today=self.world.today
            )
        except MembershipError:
            assert refused, f"a pause of {days} days was refused"
            return
        assert not refused, f"a pause of {days} days (status {seat.status}) was accepted"
        # A pause past the next round drops a skip (it keeps the member out of that round
        # already); one that ends before it keeps the skip.
        self.programme.refresh_from_db()
        next_on = self.programme.next_round_on
        if next_on is not None and until > next_on:
            seat.skip = False
        seat.status, seat.paused_until = PAUSED, until

    @precondition(lambda self: self.opened and self.world.seats)
    @rule(data=st.data())
    def resume(self, data: st.DataObject) -> None:
        person = self._someone(data, self._has_seat)
        membership_resume(membership=self.membership(person.user_id))
        seat = self.world.seats[person.user_id]
        # "Resume now" puts the member back in: a pause ends and a skip goes with it.
        if seat.status != LEFT:
            seat.status, seat.paused_until, seat.skip = ACTIVE, None, False

    @precondition(lambda self: self.opened and self.world.seats)
    @rule(data=st.data(), skip=st.booleans())
    def skip_next_round(self, data: st.DataObject, skip: bool) -> None:
        person = self._someone(data, self._has_seat)
        membership_skip_next_round(membership=self.membership(person.user_id), skip=skip)
        self.world.seats[person.user_id].skip = skip

    # --- After a match --------------------------------------------------------------------

    def _a_match(self, data: st.DataObject) -> tuple[Person, Match]:
        person = self._someone(data, self._was_matched)
        match_ids = [match_id for _run, match_id in self.world.matches_of(person.user_id)]
        match_id = data.draw(st.sampled_from(match_ids), label="match")
        return person, Match.objects.select_related("pairing_round").get(pk=match_id)

    @precondition(lambda self: self.opened and any(map(self._was_matched, self.world.alive())))
    @rule(data=st.data())
    def block_a_partner(self, data: st.DataObject) -> None:
        person, match = self._a_match(data)
        partners = [
            p.user_id
            for p in self.world.alive()
            if p.user_id != person.user_id and match.members.filter(user_id=p.user_id).exists()
        ]
        if not partners:
            return  # every partner has deleted their account
        blocked = data.draw(st.sampled_from(partners), label="blocked")
        block_create(user=self.user(person.user_id), blocked=self.user(blocked))
        self.world.blocks.add((person.user_id, blocked))

    @precondition(lambda self: self.opened and any(map(self._was_matched, self.world.alive())))
    @rule(data=st.data())
    def report_a_concern(self, data: st.DataObject) -> None:
        person, match = self._a_match(data)
        sent = len(mail.outbox)
        # Each report in its own words: the same words again within a minute are one
        # concern by design (tests/test_holes.py), and these steps are seconds apart.
        self.concerns_reported = getattr(self, "concerns_reported", 0) + 1
        text = f"They were rude (report {self.concerns_reported})."
        concern_report(reporter=self.user(person.user_id), match=match, text=text)
        assert len(mail.outbox) == sent + 1, "the organisers were not told of a concern"
        assert self.organiser.email in mail.outbox[-1].recipients()

    @precondition(lambda self: self.opened and any(map(self._was_matched, self.world.alive())))
    @rule(
        data=st.data(),
        met=st.sampled_from(("yes", "yes", "not_yet", "no")),
        usefulness=st.integers(1, 5),
        meet_again=st.sampled_from(("yes", "maybe", "no", "")),
        topics=interests,
    )
    def give_feedback(
        self,
        data: st.DataObject,
        met: str,
        usefulness: int,
        meet_again: str,
        topics: frozenset[str],
    ) -> None:
        person, match = self._a_match(data)
        run = next(r for r in self.world.runs if r.round_id == match.pairing_round_id)
        open_ = self.world.now < self.world.feedback_closes_at(run)
        answer = {
            "met": met,
            "usefulness": usefulness if met == "yes" else None,
            "meet_again": meet_again,
        }
        try:
            evaluation_submit(
                match=match,
                user=self.user(person.user_id),
                data=answer,
                topics=Interest.objects.filter(name__in=topics),
                now=self.world.now,
            )
        except EvaluationError as error:
            refused = error
        else:
            refused = None
        assert open_ or refused, "feedback accepted after it closed"
        assert not open_ or not refused, f"feedback refused while open: {refused}"
