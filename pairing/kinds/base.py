"""What a programme kind decides. Every kind is an instance of `Kind` (or a subclass
that overrides a method); shared code reads these attributes and calls these methods."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from pairing.slots import in_holiday_week

# Every kind sends these; a kind may add its own (search review: shared strategy).
STANDARD_EMAILS = ("intro", "left_out", "notice", "followup", "reminder")


@dataclass(frozen=True)
class Kind:
    slug: str
    label: str
    # --- How groups form ----------------------------------------------------------------
    min_group_size: int = 2
    max_group_size: int = 2
    # Mentoring: each pair is one member offering and one seeking (engine option).
    offer_and_seek: bool = False
    # Learning sets keep the same groups for a whole cycle; the others reshuffle.
    stable_groups: bool = False
    # How often it meets, in words, where the programme's cadence does not say it (empty:
    # the cadence, e.g. "Every four weeks").
    schedule_words: str = ""
    # What members sit out or wait for: the next "round" ("cycle" where groups last one).
    round_word: str = "round"
    # What a group is called ("sets of 5" where groups last a cycle).
    group_noun: str = "groups"
    # --- Introduction and match page ----------------------------------------------------
    meeting: dt.timedelta = dt.timedelta(minutes=30)
    meeting_noun: str = "chat"
    calendar_prefix: str = "Coffee"
    intro_lead: str = "You have been introduced for a 30-minute chat."
    # Role words for offer/seek pairs ("mentor", "mentee"); empty for other kinds.
    role_names: dict[str, str] = field(default_factory=dict)
    # Conversation starters of the kind's own, put before those from shared interests
    # (mentoring: walk 46 read coffee-chat questions in a mentoring introduction).
    starters: tuple[str, ...] = ()
    # --- Shared work (search review) -----------------------------------------------------
    # Members share work (a search strategy) for their partners to review under these
    # (key, heading) elements (PRESS 2015), by `share_due_on` of the round.
    review_headings: tuple[tuple[str, str], ...] = ()
    # --- Evaluation and evidence --------------------------------------------------------
    # Said on the evidence page and pack; "{size}", "{fewer}" and "{more}" are the
    # programme's group size and one either side of it.
    evidence_notes: tuple[str, ...] = ()
    # Members answer "did you meet?" and rate each match (usefulness, meet again): the
    # evidence's per-match sections. Learning sets check in after each session instead.
    evaluates_matches: bool = True
    # --- Emails ---------------------------------------------------------------------------
    emails: tuple[str, ...] = STANDARD_EMAILS

    def engine_options(self) -> dict:
        """Kind-specific options of the engine's `programme` block (matching.md)."""
        return {"mentoring": self.offer_and_seek}

    def fixed_place(self, programme: object, pairing_round: object = None) -> str:
        """Where `pairing_round`'s groups (by default the next round's) meet when the
        programme decides it (in words), so members' own meeting formats do not restrict
        who is grouped; empty when each group agrees its own place."""
        return ""

    def group_size_error(self, group_size: int) -> str:
        """Why `group_size` does not suit this kind, in words; empty when it does."""
        if self.min_group_size == self.max_group_size == group_size:
            return ""
        if self.min_group_size == self.max_group_size:
            return f"{self.label} programmes use pairs: set the group size to 2."
        if not self.min_group_size <= group_size <= self.max_group_size:
            return (
                f"{self.label} programmes use groups of {self.min_group_size} to "
                f"{self.max_group_size}."
            )
        return ""

    def ineligible_reason(self, membership: object) -> str:
        """A reason this kind alone has for leaving a member out of a round."""
        if self.offer_and_seek and not getattr(membership, "mentoring_role", ""):
            return "has not said whether they offer or seek mentoring"
        return ""

    @property
    def group_word(self) -> str:
        """One group, in the kind's word: "group", or "set" for a learning set."""
        return self.group_noun.removesuffix("s")

    @property
    def shares_work(self) -> bool:
        return bool(self.review_headings)

    def share_due_on(self, pairing_round: object) -> dt.date | None:
        """The day members of this kind are asked to share their work by: the round's
        introduction day plus the programme's `strategy_due_days`, moved out of the holiday
        week; None for kinds that share nothing."""
        if not self.shares_work:
            return None
        due = pairing_round.held_on + dt.timedelta(days=pairing_round.programme.strategy_due_days)
        # Most members are away and libraries closed in the holiday week (slots skip it
        # too): a due day in it moves on to 2 January, never earlier, so nobody's notice
        # is shortened. Weekends stay: a share takes minutes online, the days count as the
        # programme says, and the meeting is suggested from the second day after the
        # programme's due days (rounds.save): a weekend due day moved to Monday would
        # leave the reviewer one day, or none after the holiday week.
        while in_holiday_week(due):
            due += dt.timedelta(days=1)
        return due

    def role_of(self, mentoring_role: str) -> str:
        """What a member is in a match of this kind ("mentor"), or empty."""
        return self.role_names.get(mentoring_role, "")

    @property
    def meeting_words(self) -> str:
        """The suggested meeting's length in words: "30 minutes", "3 hours"."""
        minutes = int(self.meeting.total_seconds() // 60)
        if minutes % 60:
            return f"{minutes} minutes"
        hours = minutes // 60
        return "1 hour" if hours == 1 else f"{hours} hours"

    def calendar_title(self, names: str) -> str:
        return f"{self.calendar_prefix}: {names}"
