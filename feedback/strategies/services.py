"""Sharing a strategy, saying "review only", reviewing with PRESS, and the reminder:
each change and the email it causes are written in one transaction (the outbox sends
each email once). Callers have already checked that the member is in the match."""

from __future__ import annotations

import datetime as dt
import difflib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone

from feedback.models import PressVerdict, Strategy, StrategyReview, StrategyVersion
from feedback.strategies.uploads import CheckedFile
from members.models import User
from pairing.kinds import KINDS, kind_of
from pairing.models import (
    Match,
    MatchMember,
    Membership,
    MembershipStatus,
    OutboxEmail,
    OutboxKind,
    Round,
    RoundStatus,
)
from pairing.outbox import outbox_queue

# Versions keep their context fields; the text and file are set separately.
CONTEXT_FIELDS = (
    "question",
    "population",
    "intervention",
    "comparison",
    "outcome",
    "databases",
    "databases_other",
    "limits",
    "feedback_wanted",
)
REMIND_DAYS_BEFORE = 2
TEXT_TYPES = {"txt", "ris"}


class StrategyError(Exception):
    """A change refused, with the reason in words for the member."""


def left_programme(*, programme_id: int, user_ids: Iterable[int | None]) -> set[int]:
    """Those of `user_ids` who have left the programme: still in past matches, but no
    longer sharing or reviewing work in them."""
    return set(
        Membership.objects.filter(
            programme_id=programme_id, user_id__in=[i for i in user_ids if i is not None]
        )
        .filter(status=MembershipStatus.LEFT)
        .values_list("user_id", flat=True)
    )


def _partners(match: Match, user: User) -> list[int]:
    """The partners who remain in `match`: not `user`, account kept, programme not left."""
    ids = list(
        MatchMember.objects.filter(match=match, user__isnull=False)
        .exclude(user=user)
        .order_by("pk")
        .values_list("user_id", flat=True)
    )
    left = left_programme(programme_id=match.pairing_round.programme_id, user_ids=ids)
    return [i for i in ids if i not in left]


def _refuse_leaver(match: Match, author: User, outcome: str) -> None:
    """A member who left the programme shares nothing more: nobody is asked to review it."""
    programme = match.pairing_round.programme
    if left_programme(programme_id=programme.pk, user_ids=[author.pk]):
        raise StrategyError(f"You have left {programme.name}, {outcome}.")


def strategy_share(
    *,
    match: Match,
    author: User,
    context: dict,
    text: str,
    upload: UploadedFile | None = None,
    checked: CheckedFile | None = None,
    keep_file: bool = True,
) -> StrategyVersion:
    """Add a version of `author`'s strategy in `match` (the first, or a revision) and
    email each partner once about it. A revision without a new upload keeps the previous
    version's file unless `keep_file` is False; a plain-text or RIS upload with nothing
    pasted is shown as the text, as it is in a revision whose box still holds the previous
    file's text. A revision identical to the last version is refused."""
    _refuse_leaver(match, author, "so your strategy was not shared and nobody was emailed")
    partners = _partners(match, author)
    if not partners:
        raise StrategyError(
            "Nobody else remains in this introduction to review it: everyone else has left "
            "the programme or deleted their account, so it was not shared."
        )
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # a browser sends CRLF lines
    file_text = None
    if upload is not None and checked is not None:
        # Read before the upload is stored: a storage may close it once it is saved.
        file_text = uploaded_text(upload, checked.file_type)
        if not text.strip():
            text = file_text
    with transaction.atomic():
        strategy, _created = Strategy.objects.select_for_update().get_or_create(
            match=match, author=author
        )
        previous = strategy.versions.order_by("-number").first()
        if file_text and _holds_file_text(text, previous):
            text = file_text  # the new file's text replaces the old file's, left as filled in
        version = StrategyVersion(
            strategy=strategy,
            number=(previous.number if previous else 0) + 1,
            text=text.rstrip(),
            **{name: context.get(name, "") for name in CONTEXT_FIELDS if name != "databases"},
            databases=list(context.get("databases") or []),
        )
        if upload is not None and checked is not None:
            version.file.save(checked.name, upload, save=False)
            version.file_name = checked.name
            version.file_type = checked.file_type
        elif previous is not None and previous.file and keep_file:
            # The same stored file, shared by both versions (deleted with the last one).
            version.file, version.file_name = previous.file.name, previous.file_name
            version.file_type = previous.file_type
        if not version.text.strip() and not version.file:
            raise StrategyError("Paste your search strategy or upload it as a file.")
        if previous is not None and upload is None and same_as(previous, version):
            raise StrategyError(
                f"This is the same as version {previous.number}: change the strategy or its "
                "details before sharing it again."
            )
        version.text_from_file = _text_from_file(version, file_text=file_text, previous=previous)
        if strategy.review_only:
            strategy.review_only = False
            strategy.save(update_fields=["review_only", "updated_at"])
        version.save()
        outbox_queue(
            [
                OutboxEmail(
                    key=f"strategy_shared:{version.pk}:{partner_id}",
                    kind=OutboxKind.STRATEGY_SHARED,
                    pairing_round_id=match.pairing_round_id,
                    match=match,
                    user_id=partner_id,
                )
                for partner_id in partners
            ]
        )
    return version


def uploaded_text(upload: UploadedFile, file_type: str) -> str:
    """The text of a plain-text or RIS upload (UTF-8, else Windows-1252); "" otherwise."""
    if file_type not in TEXT_TYPES:
        return ""
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _holds_file_text(text: str, previous: StrategyVersion | None) -> bool:
    """`text` is still the text the share form filled in from the previous version's file
    (compared without the blank space around it, which the form strips)."""
    if previous is None or not previous.text_from_file:
        return False
    return text.strip() == previous.text.strip()


def _text_from_file(
    version: StrategyVersion, *, file_text: str | None, previous: StrategyVersion | None
) -> bool:
    """The text shown is the version's own plain-text or RIS file's text (nothing else was
    pasted). Worked out once here, so pages never open the stored file to say so."""
    if not version.text or version.file_type not in TEXT_TYPES:
        return False
    if file_text is not None:  # a new upload
        return file_text.rstrip() == version.text
    # The previous version's file, kept: its answer holds while the text is unchanged.
    if previous.text_from_file or previous.text == version.text:
        return previous.text_from_file and previous.text == version.text
    try:
        with version.file.open("rb") as stored:
            return uploaded_text(stored, version.file_type).rstrip() == version.text
    except OSError:
        return False


def same_as(old: StrategyVersion, new: StrategyVersion) -> bool:
    """Nothing a reviewer would see differs between two versions."""
    fields = ("text", "file_name", *CONTEXT_FIELDS)
    return all(getattr(old, f) == getattr(new, f) for f in fields)


def changed_context(old: StrategyVersion, new: StrategyVersion) -> list[str]:
    """The details (not the text) that changed between two versions, in words."""
    names = {
        "question": "research question",
        "population": "population",
        "intervention": "intervention",
        "comparison": "comparison",
        "outcome": "outcome",
        "databases": "databases",
        "databases_other": "other databases",
        "limits": "limits and filters",
        "feedback_wanted": "feedback wanted",
        "file_name": "file",
    }
    return [words for f, words in names.items() if getattr(old, f) != getattr(new, f)]


def strategy_review_only(*, match: Match, author: User, review_only: bool = True) -> Strategy:
    """ "Review only, nothing of mine this time" (or undo it). Versions already shared
    stay, so a member who changes their mind loses nothing."""
    _refuse_leaver(match, author, "so nothing more is asked of you here")
    strategy, _created = Strategy.objects.get_or_create(match=match, author=author)
    strategy.review_only = review_only
    strategy.save(update_fields=["review_only", "updated_at"])
    return strategy


def review_save(
    *,
    strategy: Strategy,
    reviewer: User,
    elements: dict[str, dict[str, str]],
    overall: str,
    submit: bool,
    now: dt.datetime,
) -> StrategyReview:
    """Save `reviewer`'s review of `strategy` as a draft, or submit it (once: the author
    is emailed). A submitted review cannot be changed."""
    latest = strategy.versions.order_by("-number").first()
    if latest is None:
        raise StrategyError("There is no strategy to review yet.")
    with transaction.atomic():
        review, _created = StrategyReview.objects.select_for_update().get_or_create(
            strategy=strategy,
            reviewer=reviewer,
            defaults={"version": latest, "match_id": strategy.match_id},
        )
        if review.submitted_at is not None:
            raise StrategyError("You have already sent this review; it can no longer change.")
        review.version, review.version_number = latest, latest.number
        review.elements = elements
        review.overall = overall.strip()
        fields = ["version", "version_number", "elements", "overall", "updated_at"]
        if submit:
            review.submitted_at = now
            fields.append("submitted_at")
        review.save(update_fields=fields)
        if submit:
            outbox_queue(
                [
                    OutboxEmail(
                        key=f"review_received:{review.pk}",
                        kind=OutboxKind.REVIEW_RECEIVED,
                        pairing_round_id=strategy.match.pairing_round_id,
                        match_id=strategy.match_id,
                        user_id=strategy.author_id,
                    )
                ]
            )
    return review


def needs_revision(review: StrategyReview) -> list[str]:
    """The PRESS element keys this review says need a revision (suggested or required)."""
    wanted = {PressVerdict.SUGGESTED, PressVerdict.REQUIRED}
    return [key for key, entry in (review.elements or {}).items() if entry.get("verdict") in wanted]


# --- Reminders -------------------------------------------------------------------------


def strategy_reminders_send_due(*, now: dt.datetime) -> int:
    """Remind, once, each member of a recent search-review match who has neither shared a
    strategy nor chosen "review only", from REMIND_DAYS_BEFORE days before the due day
    until it. Returns how many reminders were queued."""
    today = timezone.localdate(now)
    slugs = [slug for slug, kind in KINDS.items() if kind.shares_work]
    rounds = (
        Round.objects.filter(
            programme__kind__in=slugs,
            status=RoundStatus.DONE,
            finished_at__gte=now - dt.timedelta(days=40),
        )
        .select_related("programme")
        .defer("draft")
    )
    rows = []
    for pairing_round in rounds:
        due = kind_of(pairing_round.programme).share_due_on(pairing_round)
        if due is None or not today >= due - dt.timedelta(days=REMIND_DAYS_BEFORE):
            continue
        if today > due:
            continue
        done = set(
            Strategy.objects.filter(match__pairing_round=pairing_round)
            .filter(Q(review_only=True) | Q(versions__isnull=False))
            .values_list("match_id", "author_id")
            .distinct()
        )
        seats = list(
            MatchMember.objects.filter(pairing_round=pairing_round).values_list(
                "match_id", "user_id"
            )
        )
        left = left_programme(
            programme_id=pairing_round.programme_id, user_ids=[u for _m, u in seats]
        )
        # Nobody is asked for work that nobody remains to review.
        remaining = Counter(m for m, u in seats if u is not None and u not in left)
        rows += [
            OutboxEmail(
                key=f"strategy_reminder:{match_id}:{user_id}",
                kind=OutboxKind.STRATEGY_REMINDER,
                pairing_round=pairing_round,
                match_id=match_id,
                user_id=user_id,
            )
            for match_id, user_id in seats
            if user_id is not None
            and user_id not in left
            and remaining[match_id] > 1
            and (match_id, user_id) not in done
        ]
    with transaction.atomic():
        outbox_queue(rows)
    return len(rows)


# --- Changes between versions ----------------------------------------------------------


@dataclass(frozen=True)
class DiffLine:
    change: str  # "added", "removed" or "same"
    text: str
    old_number: int | None
    new_number: int | None


def version_diff(old: StrategyVersion, new: StrategyVersion) -> list[DiffLine]:
    """What changed between two pasted versions, line by line, with line numbers."""
    before, after = old.text.splitlines(), new.text.splitlines()
    lines: list[DiffLine] = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            lines += [
                DiffLine("same", before[i], i + 1, j + 1)
                for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
            ]
            continue
        lines += [DiffLine("removed", before[i], i + 1, None) for i in range(i1, i2)]
        lines += [DiffLine("added", after[j], None, j + 1) for j in range(j1, j2)]
    return lines


# --- Files go with their version -------------------------------------------------------


@receiver(post_delete, sender=StrategyVersion, dispatch_uid="strategy_file_delete")
def _delete_file(sender: type, instance: StrategyVersion, **kwargs: object) -> None:
    """A version's file leaves storage when the last version using it goes (with the
    author's account, or a deleted match), once the deletion has committed."""
    if instance.file:
        name, storage = instance.file.name, instance.file.storage

        def delete_if_unused() -> None:
            # Versions of one strategy may share a file (a revision that kept it).
            if not StrategyVersion.objects.filter(file=name).exists():
                storage.delete(name)

        transaction.on_commit(delete_if_unused)
