from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from members.models import Interest
from pairing.models import Match, MatchMember


class Met(models.TextChoices):
    YES = "yes", "Yes, we met"
    NOT_YET = "not_yet", "Not yet"
    NO = "no", "No, we couldn't meet"


class MeetAgain(models.TextChoices):
    YES = "yes", "Yes"
    MAYBE = "maybe", "Maybe"
    NO = "no", "No"


class ReviewVerdict(models.TextChoices):
    NO_REVISION = "ok", "No revision needed"
    REVISION = "revise", "Revision suggested"
    NOT_APPLICABLE = "na", "Not applicable"


# What a member answers in an evaluation: written by `evaluation_submit`, read by the
# evaluations export (which adds the match, the member and the date).
EVALUATION_ANSWERS = (
    "met",
    "not_met_reason",
    "usefulness",
    "minutes",
    "topics_other",
    "meet_again",
    "next_steps",
    "private_comment",
    "takeaway",
    "share_takeaway",
    "show_name_with_takeaway",
    "review",
)

# What a member typed in an evaluation (besides a takeaway): erased once older than the
# retention period, and when the member deletes their account. The choices (met,
# usefulness, minutes, topics, would meet again) stay, so every count and chart adds up.
EVALUATION_FREE_TEXT = ("not_met_reason", "topics_other", "next_steps", "private_comment")


class CheckIn(models.Model):
    """Where the "did you meet?" conversation with one member about one match stands."""

    seat = models.OneToOneField(MatchMember, on_delete=models.CASCADE, related_name="checkin")
    asked_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    ask_again_on = models.DateField(null=True, blank=True)
    times_asked = models.PositiveSmallIntegerField(default=0)

    def __str__(self) -> str:
        return f"Check-in for seat {self.seat_id}"


class Evaluation(models.Model):
    """One member's feedback on one match. Never shown to the partner; organisers see it;
    reports show counts of 5 or more only."""

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="evaluations")
    # A deleted account keeps its anonymous answers in the programme's totals.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="evaluations"
    )
    met = models.CharField("did you meet?", max_length=10, choices=Met.choices)
    not_met_reason = models.CharField("what got in the way?", max_length=300, blank=True)
    usefulness = models.PositiveSmallIntegerField(
        "how useful was it?",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    minutes = models.PositiveSmallIntegerField(
        "time spent (minutes)",
        null=True,
        blank=True,
        validators=[MinValueValidator(5), MaxValueValidator(600)],
    )
    topics = models.ManyToManyField(Interest, blank=True, related_name="+")
    topics_other = models.CharField("other topics", max_length=200, blank=True)
    meet_again = models.CharField(
        "would you meet again?", max_length=10, choices=MeetAgain.choices, blank=True
    )
    next_steps = models.TextField("what will you do next?", max_length=2000, blank=True)
    private_comment = models.TextField(
        "comments for the organisers only", max_length=2000, blank=True
    )
    takeaway = models.TextField(
        "a takeaway to share with the community", max_length=1000, blank=True
    )
    share_takeaway = models.BooleanField("share my takeaway with members", default=False)
    show_name_with_takeaway = models.BooleanField("show my name with it", default=False)
    review = models.JSONField("search-strategy review", default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["match", "user"], name="feedback_evaluation_one_per_member"
            ),
            models.CheckConstraint(
                condition=models.Q(usefulness__isnull=True)
                | models.Q(usefulness__gte=1, usefulness__lte=5),
                name="feedback_evaluation_usefulness_range",
            ),
        ]

    def __str__(self) -> str:
        return f"Evaluation of match {self.match_id} by {self.user_id}"


# Search-strategy peer review (the search_review kind): each member of a pair shares the
# strategy they want reviewed; each partner reviews it with the PRESS 2015 elements.


class PressVerdict(models.TextChoices):
    NO_REVISION = "none", "No revisions"
    SUGGESTED = "suggested", "Revision suggested"
    REQUIRED = "required", "Revision required"


class Strategy(models.Model):
    """What one member of a search-review match asks their partner to review: versions
    of a strategy, or "review only, nothing of mine this time". Seen by the author and
    their partners in that match only; deleted with the author's account."""

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="strategies")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="strategies"
    )
    review_only = models.BooleanField("chose review only", default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["match", "pk"]
        verbose_name_plural = "strategies"
        constraints = [
            models.UniqueConstraint(
                fields=["match", "author"], name="feedback_strategy_one_per_member"
            ),
        ]

    def __str__(self) -> str:
        profile = getattr(self.author, "profile", None)
        name = profile.display_name if profile else "A member"
        return f"{name}'s search strategy ({self.match.pairing_round})"


class StrategyVersion(models.Model):
    """One shared version: the pasted text and/or an uploaded file, with its context."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    text = models.TextField("search strategy (pasted)", blank=True)
    file = models.FileField(upload_to="strategies/%Y/%m/", blank=True, max_length=255)
    file_name = models.CharField(max_length=120, blank=True)
    file_type = models.CharField(max_length=10, blank=True)  # txt, docx, pdf, ris
    # The text is the plain-text or RIS file's own (nothing else was pasted): recorded
    # when shared, so showing a page never opens the stored file (a read from S3) to say so.
    text_from_file = models.BooleanField(default=False)
    question = models.TextField("research question", max_length=1000, blank=True)
    population = models.CharField("population", max_length=300, blank=True)
    intervention = models.CharField("intervention or exposure", max_length=300, blank=True)
    comparison = models.CharField("comparison", max_length=300, blank=True)
    outcome = models.CharField("outcome", max_length=300, blank=True)
    databases = models.JSONField("databases and interfaces searched", default=list, blank=True)
    databases_other = models.CharField("other databases", max_length=300, blank=True)
    limits = models.TextField("limits and filters used", max_length=1000, blank=True)
    feedback_wanted = models.TextField("feedback you would like", max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["strategy", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["strategy", "number"], name="feedback_strategyversion_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"Version {self.number}"


class StrategyReviewQuerySet(models.QuerySet):
    def kept_by_nobody_without(self, user) -> models.QuerySet:
        """The reviews that would be nobody's once `user`'s account is deleted: of their
        strategies, by a reviewer already gone; by them, of a strategy already gone with
        its author. A review is kept for its author or as its reviewer's record, not for
        its own sake."""
        return self.filter(
            models.Q(strategy__author=user, reviewer__isnull=True)
            | models.Q(reviewer=user, strategy__isnull=True)
        )


class StrategyReview(models.Model):
    """A partner's PRESS review of a strategy: a draft until submitted, then sent to the
    author. Written for the author: shown to them and to its reviewer, nobody else.

    The review is also the reviewer's own work and CPD evidence: when the author deletes
    their account, their strategy (text, file, context) goes with it, and the review stays
    with its reviewer (`strategy` and `version` become empty; `match` and
    `version_number` keep what it was a review of)."""

    strategy = models.ForeignKey(
        Strategy, null=True, on_delete=models.SET_NULL, related_name="reviews"
    )
    version = models.ForeignKey(
        StrategyVersion, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="+")
    version_number = models.PositiveSmallIntegerField("of version")
    # A reviewer who deletes their account leaves the review with its author.
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # {element key: {"verdict": PressVerdict, "comment": text}}, keys of PRESS_ELEMENTS.
    elements = models.JSONField(default=dict, blank=True)
    overall = models.TextField("overall note", max_length=4000, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = StrategyReviewQuerySet.as_manager()

    class Meta:
        ordering = ["strategy", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["strategy", "reviewer"], name="feedback_strategyreview_one_per_reviewer"
            ),
        ]

    def __str__(self) -> str:
        return f"Review of a search strategy ({'submitted' if self.submitted_at else 'draft'})"

    def save(self, *args: object, **kwargs: object) -> None:
        # What it reviews, kept for when the strategy goes with its author's account.
        if self.match_id is None and self.strategy_id is not None:
            self.match_id = self.strategy.match_id
        if self.version_number is None and self.version_id is not None:
            self.version_number = self.version.number
        super().save(*args, **kwargs)
