from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.text import slugify

# The choices live in pairing/choices.py; `from pairing.models import RoundStatus` works too.
from pairing.choices import (
    Cadence,
    ConcernStatus,
    MembershipStatus,
    MentoringRole,
    OutboxKind,
    OutboxStatus,
    ProgrammeKind,
    RoundStatus,
    SectorMix,
    WhenAllMet,
)


class Programme(models.Model):
    """One scheme with its own members, rhythm and matching preferences."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    kind = models.CharField(
        max_length=20, choices=ProgrammeKind.choices, default=ProgrammeKind.COFFEE
    )
    group_size = models.PositiveSmallIntegerField(
        default=2, help_text="2 for pairs; 4-7 for action learning sets."
    )
    cadence_days = models.PositiveSmallIntegerField(
        "cadence", choices=Cadence.choices, default=Cadence.MONTHLY
    )
    next_round_on = models.DateField("next round date", null=True, blank=True)
    sector_mix = models.CharField(max_length=10, choices=SectorMix.choices, default=SectorMix.ANY)
    avoid_same_organisation = models.BooleanField(default=True)
    repeat_window = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Rounds before the same people may meet again. Empty: never again.",
    )
    when_all_met = models.CharField(
        "when a member has met everyone",
        max_length=10,
        choices=WhenAllMet.choices,
        default=WhenAllMet.REPEAT,
        help_text="Only with an empty repeat window: a window is a hard rule.",
    )
    randomness = models.PositiveSmallIntegerField(
        default=3, help_text="0 makes rounds fully predictable; higher adds variety."
    )
    signup_open = models.BooleanField("sign-up open", default=True)
    followup_days = models.PositiveSmallIntegerField(
        "days before the 'did you meet?' email", default=14
    )
    strategy_due_days = models.PositiveSmallIntegerField(
        "days to share a search strategy",
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text="Search-strategy review: members share the strategy they want reviewed "
        "within this many days of the introduction (1 to 28).",
    )
    ground_rules = models.TextField(
        blank=True, help_text="Shown at joining; members must accept them (learning sets)."
    )
    organisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="organised_programmes",
        limit_choices_to={"is_staff": True},
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(group_size__gte=2, group_size__lte=7),
                name="pairing_programme_group_size_range",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="mentoring") | models.Q(group_size=2),
                name="pairing_programme_mentoring_pairs",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.slug = self.slug or slugify(self.name)[:120]
        super().save(*args, **kwargs)


class Membership(models.Model):
    """A member in a programme. Only the member creates one (joining is their action)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="memberships")
    status = models.CharField(
        max_length=10, choices=MembershipStatus.choices, default=MembershipStatus.ACTIVE
    )
    paused_until = models.DateField(null=True, blank=True)
    skip_next_round = models.BooleanField(default=False)
    mentoring_role = models.CharField(max_length=10, choices=MentoringRole.choices, blank=True)
    ground_rules_accepted_at = models.DateTimeField(null=True, blank=True)
    joined_at = models.DateTimeField(auto_now_add=True)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["programme__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "programme"], name="pairing_membership_one_per_programme"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="paused") | models.Q(paused_until__isnull=False),
                name="pairing_membership_paused_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.programme}"

    def is_paused_on(self, day: dt.date) -> bool:
        # A pause ends by itself: past its date the member is active again, whether or
        # not the daily tidy-up has flipped the status yet.
        return (
            self.status == MembershipStatus.PAUSED
            and self.paused_until is not None
            and self.paused_until > day
        )

    def effective_status(self, day: dt.date) -> str:
        if self.status == MembershipStatus.PAUSED and not self.is_paused_on(day):
            return MembershipStatus.ACTIVE
        return self.status


def round_day(scheduled_for: dt.date, finished_at: dt.datetime | None) -> dt.date:
    """`Round.held_on` from the two fields (for `values()` rows): the local day the round
    finished, else the day it is planned for."""
    return timezone.localdate(finished_at) if finished_at else scheduled_for


class Round(models.Model):
    """One pairing run of a programme. Its `snapshot` (a RoundSnapshot, its own table) is
    the engine's exact input, so any round can be explained and re-run; `draft` holds an
    organiser's edited preview until the round runs."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveIntegerField()
    scheduled_for = models.DateField()
    status = models.CharField(
        max_length=10, choices=RoundStatus.choices, default=RoundStatus.PLANNED
    )
    seed = models.PositiveIntegerField()
    draft = models.JSONField(null=True, blank=True, editable=False)
    objective = models.IntegerField(null=True, blank=True)
    bound = models.FloatField(null=True, blank=True)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    progress_note = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    notice_sent_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["programme", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "number"], name="pairing_round_number_unique"
            ),
            models.UniqueConstraint(
                fields=["programme", "scheduled_for"], name="pairing_round_one_per_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} round {self.number}"

    @property
    def held_on(self) -> dt.date:
        """The day the round ran (its introductions went out; an organiser may run it
        before the planned day), else the day it is planned for."""
        return round_day(self.scheduled_for, self.finished_at)


class RoundSnapshot(models.Model):
    """The engine's exact input for a round that ran: every eligible member's profile,
    history and rules, megabytes at 5,000 members. Kept in its own table so that no list,
    report or export that joins a round can read it by accident: only code that asks for
    it (`pairing_round.snapshot.problem`, one query) does."""

    pairing_round = models.OneToOneField(
        Round,
        primary_key=True,
        on_delete=models.CASCADE,
        db_column="round_id",
        related_name="snapshot",
    )
    problem = models.JSONField()

    def __str__(self) -> str:
        return f"Engine input of {self.pairing_round_id}"


class Match(models.Model):
    """A pair or group produced by a round."""

    pairing_round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="matches", db_column="round_id"
    )
    score = models.IntegerField(default=0)
    shared_interests = models.JSONField(default=list, blank=True)
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hosted_matches",
    )
    suggested_start = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pairing_round", "pk"]
        verbose_name_plural = "matches"

    def __str__(self) -> str:
        # Organisers read this in the admin: names, never database ids.
        names = [
            getattr(getattr(seat.user, "profile", None), "display_name", "") or "a former member"
            for seat in self.members.all()
        ]
        return f"{' and '.join(names) or 'An introduction'} ({self.pairing_round})"


class MatchMember(models.Model):
    """A member in a match. (round, user) is unique: nobody is in two matches of a round."""

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="members")
    pairing_round = models.ForeignKey(
        Round, on_delete=models.CASCADE, db_column="round_id", related_name="+"
    )
    # A deleted account leaves an anonymous seat, so partners' history still adds up.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="match_seats"
    )
    # Mentoring: "offer" or "seek" as it was when the round ran (the kind names it).
    role = models.CharField(max_length=10, choices=MentoringRole.choices, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["pairing_round", "user"], name="pairing_matchmember_once_per_round"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user or 'a deleted account'} in match {self.match_id}"


class LeftOut(models.Model):
    """A member the round could not place, with the reason they were told."""

    pairing_round = models.ForeignKey(
        Round, on_delete=models.CASCADE, db_column="round_id", related_name="left_out"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # Whole, however long: a reason naming the rules can pass 300 characters (walk 47:
    # "... when one of them has me.", cut mid-word in the email and on the round page).
    reason = models.TextField()
    # Promised only where a partner could exist next round (product.md).
    first_in_line = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["pairing_round", "user"], name="pairing_leftout_once_per_round"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} not placed in {self.pairing_round}"


class Block(models.Model):
    """ "Don't pair me with this person again": confidential, never shown to `blocked`."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks"
    )
    blocked = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "blocked"], name="pairing_block_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} asked not to meet {self.blocked}"


class Concern(models.Model):
    """A member's report to organisers about a match. Organisers triage it: a status, who
    handles it and their notes, none of which the reporter or anyone else sees."""

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    match = models.ForeignKey(Match, null=True, on_delete=models.SET_NULL, related_name="concerns")
    text = models.TextField(max_length=2000)
    status = models.CharField(
        max_length=12, choices=ConcernStatus.choices, default=ConcernStatus.NEW
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"is_staff": True},
        help_text="The organiser who handles this concern.",
    )
    notes = models.TextField(
        blank=True, max_length=5000, help_text="Organisers' notes. Members never see them."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"], name="pairing_concern_status_idx")]

    def __str__(self) -> str:
        # In words, as every page writes a date (walk 29: "(2026-12-07)").
        day = timezone.localtime(self.created_at) if self.created_at else None
        when = f" ({day.day} {day:%B %Y})" if day else ""
        return f"Concern from {self.reporter or 'a deleted account'}{when}"


class OutboxEmail(models.Model):
    """One email to send exactly once. Written in the transaction that creates its cause;
    rendered and sent by a worker that first claims it with a conditional UPDATE."""

    key = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=20, choices=OutboxKind.choices)
    pairing_round = models.ForeignKey(
        Round, null=True, on_delete=models.CASCADE, db_column="round_id", related_name="emails"
    )
    match = models.ForeignKey(
        Match, null=True, blank=True, on_delete=models.CASCADE, related_name="emails"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # For kinds sent to someone without an account (an invitation): their address.
    address = models.EmailField(blank=True)
    # For kinds caused by a row of their own (an invitation, an announcement): its id.
    ref = models.PositiveBigIntegerField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # When the sweeper may queue this row again: after a retry's backoff, or a while after
    # it was queued (so a long backlog is not queued twice). Empty: queue when swept.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["status", "created_at"], name="pairing_outbox_status_idx")]

    def __str__(self) -> str:
        return self.key
