from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.text import slugify


class ProgrammeKind(models.TextChoices):
    COFFEE = "coffee", "Coffee chat"
    SEARCH_REVIEW = "search_review", "Search-strategy peer review"
    MENTORING = "mentoring", "Mentoring"
    LEARNING_SET = "learning_set", "Action learning set"


class Cadence(models.IntegerChoices):
    WEEKLY = 7, "Every week"
    FORTNIGHTLY = 14, "Every two weeks"
    MONTHLY = 28, "Every four weeks"
    SIX_WEEKLY = 42, "Every six weeks"
    TEN_WEEKLY = 70, "Every ten weeks"
    QUARTERLY = 91, "Every quarter"


class SectorMix(models.TextChoices):
    ANY = "any", "Any mix"
    MIXED = "mixed", "Prefer different sectors"
    SAME = "same", "Prefer the same sector"


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
    randomness = models.PositiveSmallIntegerField(
        default=3, help_text="0 makes rounds fully predictable; higher adds variety."
    )
    signup_open = models.BooleanField("sign-up open", default=True)
    followup_days = models.PositiveSmallIntegerField(
        "days before the 'did you meet?' email", default=14
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

    @property
    def is_mentoring(self) -> bool:
        return self.kind == ProgrammeKind.MENTORING

    @property
    def group_label(self) -> str:
        return "pairs" if self.group_size == 2 else f"groups of {self.group_size}"


class MembershipStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    PAUSED = "paused", "Paused"
    LEFT = "left", "Left"


class MentoringRole(models.TextChoices):
    OFFER = "offer", "Offer mentoring"
    SEEK = "seek", "Seek a mentor"


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
