"""The pairing app's fixed vocabularies (Django choices), kept apart from the models so
pairing/models.py stays within the house size. pairing.models re-exports every one."""

from __future__ import annotations

from django.db import models


class ProgrammeKind(models.TextChoices):
    COFFEE = "coffee", "Coffee chat"
    SEARCH_REVIEW = "search_review", "Search-strategy peer review"
    MENTORING = "mentoring", "Mentoring"
    LEARNING_SET = "learning_set", "Action learning set"


# On the programme form (walk 39 set "every ten weeks" on a learning-set programme and read
# sessions "every 8 weeks" on its page: the cycle sets that rhythm).
CADENCE_HELP = (
    "How often a new round matches members. Not used by action learning sets: each cycle "
    "sets how often its sessions meet, and the next cycle's sets form a week after its last "
    "session."
)
# Walk 43 left the date empty and no round followed the first: it now moves on by the
# cadence after each round, and the form says so.
NEXT_ROUND_HELP = (
    "Empty: the first round runs when you preview and run it. After each round this moves "
    "on by the cadence (action learning sets: to a week after the cycle's last session)."
)
# Walk 43 expected "Meet again" to place a member whose past partners still had someone new.
WHEN_ALL_MET_HELP = (
    "Only with an empty repeat window (a window is a hard rule). “Meet again” pairs two "
    "members again only when neither has anyone new left to meet."
)
PROGRAMME_HELP = {
    # Walk 46: the programme form left these without a word of help.
    "kind": "Coffee chat: pairs meet for 30 minutes. Search-strategy peer review: pairs "
    "review each other's literature-search strategy, then talk it through. Mentoring: each "
    "pair is a mentee and a mentor at least as experienced. Action learning set: sets of 4 "
    "to 7 meet for a cycle of sessions. It cannot change once a round has run.",
    "signup_open": "While ticked, members can join from the programme's page.",
    "avoid_same_organisation": "Never put two members of the same organisation together "
    "(organisations are compared ignoring case and spaces at the ends).",
    "followup_days": "Each member is asked \u201cdid you meet?\u201d this many days after "
    "the introduction. Keep it shorter than the cadence, so the question comes before the "
    "next round's introduction.",
    "cadence_days": CADENCE_HELP,
    "next_round_on": NEXT_ROUND_HELP,
    "when_all_met": WHEN_ALL_MET_HELP,
}


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


class WhenAllMet(models.TextChoices):
    REPEAT = "repeat", "Meet again the partner met longest ago"
    SIT_OUT = "sit_out", "Sit out until someone new joins"


class MembershipStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    PAUSED = "paused", "Paused"
    LEFT = "left", "Left"


class MentoringRole(models.TextChoices):
    OFFER = "offer", "Offer mentoring"
    SEEK = "seek", "Seek a mentor"


class RoundStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class ConcernStatus(models.TextChoices):
    NEW = "new", "New"
    IN_PROGRESS = "in_progress", "In progress"
    CLOSED = "closed", "Closed"


class OutboxStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class OutboxKind(models.TextChoices):
    INTRO = "intro", "Introduction"
    LEFT_OUT = "left_out", "Left out"
    NOTICE = "notice", "Round notice"
    FOLLOWUP = "followup", "Did you meet?"
    REMINDER = "reminder", "Did you meet? (reminder)"
    # To the others in a current introduction when a member deletes their account.
    PARTNER_GONE = "partner_gone", "Partner deleted their account"
    # Search-strategy review (feedback/strategies): to the partner, the author, the author.
    STRATEGY_SHARED = "strategy_shared", "Search strategy shared"
    STRATEGY_REMINDER = "strategy_reminder", "Search strategy due (reminder)"
    REVIEW_RECEIVED = "review_received", "Search-strategy review received"
    # Action learning sets: calendar invitations (new, moved, cancelled), the reminder
    # before a session, the check-in after it, and notices to organisers about a set.
    SESSION_INVITE = "session_invite", "Learning set session invitation"
    SESSION_CANCEL = "session_cancel", "Learning set session cancelled"
    SESSION_REMINDER = "session_reminder", "Learning set session reminder"
    SESSION_CHECKIN = "session_checkin", "Learning set session check-in"
    SET_NOTICE = "set_notice", "Learning set notice to organisers"
    # Organisers' own messages: an invitation to join a programme (to an address that may
    # have no account yet) and an announcement to a programme's active members.
    INVITATION = "invitation", "Invitation to a programme"
    ANNOUNCEMENT = "announcement", "Announcement to a programme"


# The emails a round's run itself sends (pairing.rounds.save): what its delivery page and
# the organiser home's "Last round" count, not the later follow-ups and strategy emails.
RUN_KINDS = (OutboxKind.INTRO, OutboxKind.LEFT_OUT)
