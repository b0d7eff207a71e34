"""Learning-set models: a cycle, its sets (one per match of the forming round), sessions,
presenters (the rota), turn swaps, who left or joined a set, check-ins and set evaluations.
Imported at the bottom of `pairing.models`, so they belong to the pairing app."""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


class Facilitation(models.TextChoices):
    ROTATING = "rotating", "Rotating: a different member facilitates each session"
    EXTERNAL = "external", "An external facilitator (by email)"
    MEMBER = "member", "A named member of each set (chosen once the sets are formed)"


class SessionLength(models.IntegerChoices):
    TWO_HOURS = 120, "2 hours"
    HALF_DAY = 180, "3 hours (half day)"
    FOUR_HOURS = 240, "4 hours"
    FULL_DAY = 360, "6 hours (full day)"


def _new_uid() -> str:
    return uuid.uuid4().hex


class Cycle(models.Model):
    """One cycle of a learning-set programme: formed by one round, whose matches are the
    sets for every session of the cycle."""

    programme = models.ForeignKey(
        "pairing.Programme", on_delete=models.CASCADE, related_name="cycles"
    )
    forming_round = models.OneToOneField(
        "pairing.Round", null=True, blank=True, on_delete=models.SET_NULL, related_name="cycle"
    )
    sessions = models.PositiveSmallIntegerField(
        "number of sessions", default=6, validators=[MinValueValidator(2), MaxValueValidator(12)]
    )
    interval_weeks = models.PositiveSmallIntegerField(
        "weeks between sessions",
        default=8,
        validators=[MinValueValidator(1), MaxValueValidator(26)],
    )
    session_minutes = models.PositiveSmallIntegerField(
        "session length", choices=SessionLength.choices, default=SessionLength.HALF_DAY
    )
    first_session_on = models.DateField(
        "first session week starts on",
        help_text="Each set's first session falls in the seven days from this date (from a "
        "Tuesday: Tuesday to the Monday after), on the weekday most of its members said they "
        "are free; each later session the same weekday, every interval after. Choose a "
        "Monday to keep each session within a Monday-to-Sunday week.",
    )
    start_time = models.TimeField(
        default=dt.time(10, 0),
        help_text="Used when members' availability does not choose a time.",
    )
    online_link = models.URLField(blank=True, max_length=300)
    venue = models.CharField(max_length=200, blank=True)
    facilitation = models.CharField(
        max_length=10, choices=Facilitation.choices, default=Facilitation.ROTATING
    )
    facilitator_email = models.EmailField(
        "external facilitator's email", blank=True, help_text="Invited to every session."
    )
    facilitator_name = models.CharField("external facilitator's name", max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["programme", "-first_session_on"]

    def __str__(self) -> str:
        return f"{self.programme}: cycle from {self.first_session_on:%-d %B %Y}"

    @property
    def length(self) -> dt.timedelta:
        return dt.timedelta(minutes=self.session_minutes)

    @property
    def length_words(self) -> str:
        """ "3 hours": the session length in sentences, where the form's "3 hours (half
        day)" put brackets inside brackets (walk 44: "YOUR SESSIONS (3 hours (half day)
        each; ...)")."""
        hours, minutes = divmod(self.session_minutes, 60)
        if minutes:
            return f"{self.session_minutes} minutes"
        return f"{hours} hour{'s' if hours != 1 else ''}"

    @property
    def every_words(self) -> str:
        """ "every week" or "every 4 weeks" (walk 45 read "every 1 week")."""
        weeks = self.interval_weeks
        return "every week" if weeks == 1 else f"every {weeks} weeks"

    @property
    def place(self) -> str:
        return " / ".join(p for p in (self.venue, self.online_link) if p)


class LearningSet(models.Model):
    """A set: one match of the cycle's forming round, kept for the whole cycle."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="sets")
    match = models.OneToOneField(
        "pairing.Match", on_delete=models.CASCADE, related_name="learning_set"
    )
    number = models.PositiveSmallIntegerField(default=1)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    facilitator_email = models.EmailField(blank=True)
    facilitator_name = models.CharField(max_length=80, blank=True)
    # The organisers saw the set below the minimum size and chose to carry on smaller.
    continue_smaller = models.BooleanField(default=False)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cycle", "number"]

    def __str__(self) -> str:
        return f"Set {self.number} of {self.cycle}"


class SetLeaver(models.Model):
    """A member who left a set mid-cycle: out of its future sessions, the set goes on."""

    learning_set = models.ForeignKey(LearningSet, on_delete=models.CASCADE, related_name="leavers")
    # Kept when the account goes (deleting an account leaves its sets first), so the set
    # still knows someone left: a deleted account's seat is never listed as in the set.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    left_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["learning_set", "user"], name="pairing_setleaver_once_per_set"
            )
        ]

    def __str__(self) -> str:
        return f"A member left {self.learning_set}"


class SetJoiner(models.Model):
    """A member who joined a set mid-cycle (a merge): part of its sessions from
    `joined_at` on only, so never checked in, offered or counted for one held before."""

    learning_set = models.ForeignKey(LearningSet, on_delete=models.CASCADE, related_name="joiners")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    joined_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["learning_set", "user"], name="pairing_setjoiner_once_per_set"
            )
        ]

    def __str__(self) -> str:
        return f"A member joined {self.learning_set}"


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    CANCELLED = "cancelled", "Cancelled"


class Session(models.Model):
    """One dated session of a set. `uid` never changes, so every calendar update and
    cancellation replaces the same event; `sequence` rises with each change."""

    learning_set = models.ForeignKey(LearningSet, on_delete=models.CASCADE, related_name="sessions")
    number = models.PositiveSmallIntegerField()
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    time_zone = models.CharField(max_length=64, default="Europe/London")
    status = models.CharField(
        max_length=10, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED
    )
    uid = models.CharField(max_length=40, unique=True, default=_new_uid, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    # Rotating facilitation: the member who facilitates this session.
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The member who facilitated this session (held) deleted their account since: it
    # shows "A former member", never as if nobody had facilitated.
    facilitator_gone = models.BooleanField(default=False)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    checkin_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["learning_set", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["learning_set", "number"], name="pairing_session_number_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="pairing_session_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"Session {self.number} ({self.starts_at:%-d %B %Y})"

    @property
    def cancelled(self) -> bool:
        return self.status == SessionStatus.CANCELLED


class Presenter(models.Model):
    """The rota: a member who brings an issue to a session."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="presenters")
    # Kept when the account goes: a session held still shows someone presented ("A former
    # member"); deleting an account takes it out of the sessions to come first.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="pairing_presenter_once")
        ]

    def __str__(self) -> str:
        return f"A presenter at {self.session}"


class SwapStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


class RotaSwap(models.Model):
    """A proposal to swap turns: `proposer` presents at `proposer_session` and `partner`
    at `partner_session`; when the partner accepts, the two turns change hands."""

    learning_set = models.ForeignKey(LearningSet, on_delete=models.CASCADE, related_name="swaps")
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    proposer_session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="+")
    partner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    partner_session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(
        max_length=10, choices=SwapStatus.choices, default=SwapStatus.PROPOSED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"A proposed swap of turns ({self.get_status_display()})"


SCORE = [MinValueValidator(1), MaxValueValidator(5)]


class SessionCheckIn(models.Model):
    """A member's short check-in after a session. The reflection is private: only its
    author sees it (in their CPD record and their data); nothing said in the session is
    stored unless they write it here. When its author deletes their account the
    reflection goes and the answers with choices stay, without a name, so the
    programme's totals still add up."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="checkins")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="session_checkins",
    )
    attended = models.BooleanField()
    usefulness = models.PositiveSmallIntegerField(null=True, blank=True, validators=SCORE)
    reflection = models.TextField(blank=True)
    minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="pairing_checkin_once"),
            models.CheckConstraint(
                condition=models.Q(usefulness__isnull=True)
                | models.Q(usefulness__gte=1, usefulness__lte=5),
                name="pairing_sessioncheckin_usefulness_range",
            ),
        ]

    def __str__(self) -> str:
        return f"A check-in for {self.session}"


class Recommend(models.TextChoices):
    YES = "yes", "Yes"
    NOT_SURE = "not_sure", "Not sure"
    NO = "no", "No"


class SetEvaluation(models.Model):
    """A member's evaluation of their set at the end of the cycle, with optional
    before/after scores (1-5) for confidence and professional isolation. Only choices:
    kept, without a name, when its author deletes their account."""

    learning_set = models.ForeignKey(
        LearningSet, on_delete=models.CASCADE, related_name="evaluations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="set_evaluations",
    )
    usefulness = models.PositiveSmallIntegerField(validators=SCORE)
    would_recommend = models.CharField(max_length=10, choices=Recommend.choices)
    confidence_before = models.PositiveSmallIntegerField(null=True, blank=True, validators=SCORE)
    confidence_after = models.PositiveSmallIntegerField(null=True, blank=True, validators=SCORE)
    isolation_before = models.PositiveSmallIntegerField(null=True, blank=True, validators=SCORE)
    isolation_after = models.PositiveSmallIntegerField(null=True, blank=True, validators=SCORE)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["learning_set", "user"], name="pairing_setevaluation_once"
            )
        ]

    def __str__(self) -> str:
        return f"An evaluation of {self.learning_set}"
