"""Search-strategy review services, uploads and forms: sharing (text, file, revisions),
"review only", PRESS reviews (draft, send once), the one reminder, the line diff, and
files that leave storage with their author's account."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from feedback.models import Strategy, StrategyReview, StrategyVersion
from feedback.strategies.forms import ReviewForm, StrategyForm
from feedback.strategies.services import (
    StrategyError,
    review_save,
    strategy_reminders_send_due,
    strategy_review_only,
    strategy_share,
    version_diff,
)
from feedback.strategies.uploads import MAX_BYTES, check_upload, detect, safe_name
from members.services import member_delete
from pairing.models import OutboxEmail, OutboxKind
from pairing.outbox import build_message
from tests.feedback.strategy_helpers import (
    REVISED,
    STRATEGY,
    docx_bytes,
    pdf_bytes,
    review_match,
    review_programme,
    ris_bytes,
    upload,
)

pytestmark = pytest.mark.django_db
NOW = timezone.make_aware(dt.datetime(2026, 11, 4, 10, 0))


@pytest.fixture
def match(member, other_member):
    return review_match(review_programme(), member, other_member)


def _share(match, author, text=STRATEGY, **context):
    return strategy_share(
        match=match,
        author=author,
        context={"question": "Exercise in cancer?", **context},
        text=text,
    )


# --- Uploads: the type comes from the content ---------------------------------------------


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (pdf_bytes(), "pdf"),
        (docx_bytes(), "docx"),
        (ris_bytes(), "ris"),
        (STRATEGY.encode(), "txt"),
        ("1. Krebs und Übung".encode("cp1252"), "txt"),
        (b"PK\x03\x04not really a zip", ""),
        (b"\x89PNG\r\n\x1a\n\x00\x00", ""),
        (b"MZ\x90\x00\x03\x00\x00\x00", ""),
    ],
)
def test_detect_reads_the_content(content, expected):
    assert detect(content) == expected


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("strategy.pdf", b"<html><script>alert(1)</script></html>", "is not a PDF"),
        ("strategy.docx", pdf_bytes(), "is not a Word (.docx) document"),
        ("strategy.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "is not a plain-text file"),
        ("strategy.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "Upload a .txt"),
        ("strategy.html", b"<html></html>", "Upload a .txt"),
        ("strategy", STRATEGY.encode(), "Upload a .txt"),
        ("empty.txt", b"", "This file is empty"),
    ],
)
def test_a_file_that_lies_about_its_type_is_refused_in_words(name, content, words):
    form = StrategyForm(data={"text": ""}, files={"file": upload(name, content)})

    assert not form.is_valid()
    assert words in form.errors["file"][0]


def test_an_oversized_file_is_refused_with_the_limit():
    big = upload("huge.pdf", pdf_bytes() + b"0" * MAX_BYTES)

    form = StrategyForm(data={"text": "", "question": "Kept?"}, files={"file": big})

    assert not form.is_valid()
    assert "the limit is 5 MB" in form.errors["file"][0]
    assert form["question"].value() == "Kept?"


def test_file_names_are_sanitised_and_take_the_type_of_the_content():
    checked = check_upload(upload("../../etc/My strategy (final).PDF", pdf_bytes()))

    assert checked.file_type == "pdf"
    assert checked.name == "My_strategy_final.pdf"
    assert safe_name("..", "txt") == "search-strategy.txt"


# --- The share form -------------------------------------------------------------------------


def test_an_empty_share_form_says_what_is_needed():
    form = StrategyForm(data={"text": "   "})

    assert not form.is_valid()
    assert form.errors["text"] == ["Paste your search strategy, or upload it as a file."]


def test_other_databases_must_be_named_and_what_was_typed_is_kept():
    form = StrategyForm(data={"text": STRATEGY, "databases": ["embase", "other"]})

    assert not form.is_valid()
    assert form.errors["databases_other"] == ["Name the other databases or interfaces."]
    assert form["text"].value() == STRATEGY
    assert form["databases"].value() == ["embase", "other"]


def test_a_too_long_paste_is_refused_and_kept_whole():
    text = "x" * 100_001
    form = StrategyForm(data={"text": text})

    assert not form.is_valid()
    assert "at most 100,000 characters" in form.errors["text"][0]
    assert form["text"].value() == text


# --- Sharing ----------------------------------------------------------------------------------


def test_sharing_keeps_layout_and_emails_the_partner_once(match, member, other_member):
    version = _share(match, member, text=STRATEGY + "\n\n", databases=["medline_ovid"])

    assert version.number == 1
    assert version.text == STRATEGY
    assert version.databases == ["medline_ovid"]
    emails = OutboxEmail.objects.filter(kind=OutboxKind.STRATEGY_SHARED)
    assert [e.user for e in emails] == [other_member]
    message = build_message(emails.get())
    assert message.to == [other_member.email]
    assert "Ada Lovelace has shared" in message.subject
    assert "exp Neoplasms" not in message.body  # the strategy stays behind login


def test_a_revision_is_a_new_version_and_the_diff_shows_the_change(match, member, other_member):
    first = _share(match, member)
    second = _share(match, member, text=REVISED)

    assert (first.number, second.number) == (1, 2)
    assert StrategyVersion.objects.filter(strategy__author=member).count() == 2
    changed = [(d.change, d.text) for d in version_diff(first, second) if d.change != "same"]
    assert changed == [
        ("removed", "8. limit 7 to english language"),
        ("added", "8. 7 not (animals/ not humans/)"),
    ]
    assert OutboxEmail.objects.filter(kind=OutboxKind.STRATEGY_SHARED).count() == 2
    revised_mail = build_message(OutboxEmail.objects.filter(kind="strategy_shared").last())
    assert "a revised search strategy" in revised_mail.subject


def test_sharing_nothing_is_refused(match, member):
    with pytest.raises(StrategyError):
        _share(match, member, text=" ")


def test_review_only_is_undone_by_sharing(match, member):
    strategy = strategy_review_only(match=match, author=member)
    assert strategy.review_only

    _share(match, member)

    assert not Strategy.objects.get(pk=strategy.pk).review_only


# --- Reviewing ----------------------------------------------------------------------------------


def _complete_review_data(**extra):
    data = {f"{key}_verdict": "none" for key in ("translation", "operators", "subject_headings")}
    data |= {f"{key}_verdict": "suggested" for key in ("text_words", "spelling")}
    data |= {"limits_verdict": "required", "limits_comment": "Line 8: the language limit."}
    return data | {"overall": "Clear and well built."} | extra


def test_a_draft_may_be_partial_but_sending_needs_every_verdict():
    draft = ReviewForm(data={"translation_verdict": "none", "overall": "So far so good"})
    assert draft.is_valid()

    form = ReviewForm(data={"translation_verdict": "none", "overall": "So far so good"})
    assert form.is_valid()
    assert not form.check_complete()
    assert (
        "Choose a verdict for “Boolean and proximity operators”"
        in form.errors["operators_verdict"][0]
    )
    assert form["overall"].value() == "So far so good"


def test_a_bad_verdict_and_a_long_comment_are_refused():
    form = ReviewForm(
        data=_complete_review_data(limits_verdict="maybe", spelling_comment="x" * 2001)
    )

    assert not form.is_valid()
    assert "limits_verdict" in form.errors
    assert "at most 2,000 characters" in form.errors["spelling_comment"][0]


def test_a_review_is_saved_as_draft_then_sent_once(match, member, other_member):
    _share(match, member)
    strategy = Strategy.objects.get(author=member)
    form = ReviewForm(data=_complete_review_data())
    assert form.is_valid() and form.check_complete()

    review_save(
        strategy=strategy,
        reviewer=other_member,
        elements=form.elements(),
        overall="Draft",
        submit=False,
        now=NOW,
    )
    assert not OutboxEmail.objects.filter(kind=OutboxKind.REVIEW_RECEIVED).exists()

    review = review_save(
        strategy=strategy,
        reviewer=other_member,
        elements=form.elements(),
        overall="Clear and well built.",
        submit=True,
        now=NOW,
    )
    assert review.submitted_at == NOW
    assert review.elements["limits"] == {
        "verdict": "required",
        "comment": "Line 8: the language limit.",
    }
    received = OutboxEmail.objects.get(kind=OutboxKind.REVIEW_RECEIVED)
    assert received.user == member
    assert "Grace Hopper has reviewed your search strategy" in build_message(received).subject
    with pytest.raises(StrategyError, match="already sent"):
        review_save(
            strategy=strategy,
            reviewer=other_member,
            elements={},
            overall="Changed my mind",
            submit=True,
            now=NOW,
        )
    assert StrategyReview.objects.get().overall == "Clear and well built."


# --- The one reminder ---------------------------------------------------------------------------


def test_members_who_have_not_shared_are_reminded_once_before_the_date(match, member, other_member):
    # Introduced 2 November, due 7 November: reminders from 5 November, once.
    assert strategy_reminders_send_due(now=NOW) == 0  # 4 November: too early
    strategy_review_only(match=match, author=other_member)

    on_the_5th = NOW + dt.timedelta(days=1)
    assert strategy_reminders_send_due(now=on_the_5th) == 1
    strategy_reminders_send_due(now=on_the_5th + dt.timedelta(days=1))

    reminders = OutboxEmail.objects.filter(kind=OutboxKind.STRATEGY_REMINDER)
    assert [r.user for r in reminders] == [member]
    message = build_message(reminders.get())
    assert "Please share your search strategy by 7 November" in message.subject
    assert "This is the only reminder." in message.body
    # Walk 44: "Your partner ... is waiting for" went to members whose partner had not
    # shared either, or had already sent a review.
    assert "is waiting for" not in message.body
    assert "so your partner has time to review it before you meet" in " ".join(message.body.split())


def test_nobody_is_reminded_after_the_date_or_once_shared(match, member, other_member):
    _share(match, member)

    assert strategy_reminders_send_due(now=NOW + dt.timedelta(days=2)) == 1  # Grace only
    assert strategy_reminders_send_due(now=NOW + dt.timedelta(days=10)) == 0


def test_coffee_programmes_get_no_strategy_reminders(programme, member, other_member):
    review_match(programme, member, other_member)  # a coffee programme

    assert strategy_reminders_send_due(now=NOW + dt.timedelta(days=2)) == 0


# --- Files go with the account ------------------------------------------------------------------


def test_a_deleted_account_takes_its_strategies_and_files_with_it(
    match, member, other_member, django_capture_on_commit_callbacks
):
    form = StrategyForm(data={"text": ""}, files={"file": upload("s.pdf", pdf_bytes())})
    assert form.is_valid()
    with django_capture_on_commit_callbacks(execute=True):
        version = strategy_share(
            match=match,
            author=member,
            context=form.context(),
            text="",
            upload=form.cleaned_data["file"],
            checked=form.checked,
        )
    name = version.file.name
    assert default_storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        member_delete(user=member)

    assert not Strategy.objects.exists()
    assert not default_storage.exists(name)
