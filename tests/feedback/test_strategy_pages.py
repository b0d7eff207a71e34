"""Search-strategy pages through HTTP: who may see what (author, partner, another
member, an organiser, nobody logged in), what the match page shows each of them, bad
input that keeps what was typed, and how files are served."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from feedback.models import Strategy, StrategyReview, StrategyVersion
from feedback.strategies.services import review_save, strategy_share
from pairing.models import OutboxEmail
from tests.factories import UserFactory
from tests.feedback.strategy_helpers import (
    REVISED,
    STRATEGY,
    pdf_bytes,
    review_match,
    review_programme,
    upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def match(member, other_member):
    return review_match(review_programme(), member, other_member)


@pytest.fixture
def shared(match, member):
    """Ada's strategy, shared as text and a PDF."""
    from feedback.strategies.forms import StrategyForm

    form = StrategyForm(
        data={"text": STRATEGY, "question": "Does exercise help in cancer?"},
        files={"file": upload("Ada's <strategy>.pdf", pdf_bytes())},
    )
    assert form.is_valid(), form.errors
    return strategy_share(
        match=match,
        author=member,
        context=form.context(),
        text=form.cleaned_data["text"],
        upload=form.cleaned_data["file"],
        checked=form.checked,
    )


def _detail(match):
    return reverse("pairing:match_detail", args=[match.pk])


def _share(match):
    return reverse("feedback:strategy_share", args=[match.pk])


def _review(match, strategy_id):
    return reverse("feedback:strategy_review", args=[match.pk, strategy_id])


def _file(match, version_id):
    return reverse("feedback:strategy_file", args=[match.pk, version_id])


# --- The match page ----------------------------------------------------------------------------


def test_the_match_page_asks_for_a_strategy_by_the_date(member_client, match):
    page = member_client.get(_detail(match)).content.decode()

    assert "Search strategies" in page
    # (Its round ran on 2 November 2026: the date has passed, and no later round has run.)
    assert "It was due by <strong>7 November 2026</strong>: you can still share it." in page
    assert "Review only, nothing of mine this time" in page
    assert "Grace Hopper has not shared a strategy yet" in page


def test_a_coffee_match_page_has_no_strategies(member_client, programme, member, other_member):
    coffee = review_match(programme, member, other_member)

    assert "Search strategies" not in member_client.get(_detail(coffee)).content.decode()


def test_the_partner_sees_the_strategy_monospaced_with_line_numbers(other_client, match, shared):
    page = other_client.get(_detail(match)).content.decode()

    assert "Ada Lovelace\u2019s strategy" in page
    assert "<code>2. (cancer* or tumour* or tumor*).ti,ab.</code>" in page
    # The strategy carries its own line numbers: the page adds none, and says to cite them.
    assert "Line numbers are the strategy's own: cite those." in page
    assert '<td class="line-no">' not in page
    assert "Does exercise help in cancer?" in page
    assert "Download Adas_strategy.pdf" in page
    assert "Review Ada Lovelace\u2019s strategy" in page


def test_another_member_and_an_organiser_never_see_the_content(organiser_client, match, shared):
    stranger = UserFactory(email="eve@example.org")
    from django.test import Client

    client = Client()
    client.force_login(stranger)
    strategy = shared.strategy
    for c in (client, organiser_client):
        assert c.get(_detail(match)).status_code == 404
        assert c.get(_share(match)).status_code == 404
        assert c.get(_review(match, strategy.pk)).status_code == 404
        assert c.get(_file(match, shared.pk)).status_code == 404


def test_nobody_logged_in_is_sent_to_log_in(client, match, shared):
    for url in (_share(match), _review(match, shared.strategy_id), _file(match, shared.pk)):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]


def test_an_author_cannot_review_their_own_strategy(member_client, match, shared):
    assert member_client.get(_review(match, shared.strategy_id)).status_code == 404


def test_a_strategy_of_another_match_is_a_404_even_for_a_partner(
    other_client, member, other_member, shared, match
):
    second = review_match(match.pairing_round.programme, member, other_member, number=2)

    assert other_client.get(_review(second, shared.strategy_id)).status_code == 404
    assert other_client.get(_file(second, shared.pk)).status_code == 404


# --- Sharing through the page ---------------------------------------------------------------


def test_sharing_through_the_page(member_client, match, other_member):
    response = member_client.post(
        _share(match),
        {
            "text": STRATEGY,
            "question": "Exercise?",
            "databases": ["medline_ovid", "embase"],
            "limits": "English only",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == _detail(match)  # the confirmation at the top, in view
    version = StrategyVersion.objects.get()
    assert version.databases == ["medline_ovid", "embase"]
    assert OutboxEmail.objects.filter(kind="strategy_shared", user=other_member).count() == 1
    page = member_client.get(_detail(match)).content.decode()
    assert "You shared version 1" in page
    assert "MEDLINE via Ovid, Embase" in page


def test_a_rejected_share_keeps_every_field_and_asks_for_the_file_again(member_client, match):
    response = member_client.post(
        _share(match),
        {
            "text": STRATEGY,
            "question": "Kept question",
            "databases": ["cinahl"],
            "file": upload("notes.pdf", b"just text pretending"),
        },
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "is not a PDF" in page
    assert "Kept question" in page
    assert "1. exp Neoplasms/" in page
    assert re.search(r'value="cinahl"[^>]*checked', page)
    assert not StrategyVersion.objects.exists()


def test_review_only_and_back(member_client, match, member):
    url = reverse("feedback:strategy_review_only", args=[match.pk])
    member_client.post(url, {"review_only": "1"})
    assert Strategy.objects.get(author=member).review_only
    assert "nothing of yours this time" in member_client.get(_detail(match)).content.decode()

    member_client.post(url, {"review_only": "0"})
    assert not Strategy.objects.get(author=member).review_only


def test_the_revision_form_starts_from_the_last_version(member_client, match, shared):
    page = member_client.get(_share(match)).content.decode()

    assert "Add a revised version of your strategy" in page
    assert "Does exercise help in cancer?" in page
    assert "This will be version 2" in page


# --- Reviewing through the page -------------------------------------------------------------


def _verdicts(**extra):
    keys = ("translation", "operators", "subject_headings", "text_words", "spelling", "limits")
    return {f"{k}_verdict": "none" for k in keys} | extra


def test_a_draft_then_a_sent_review_reaches_the_author(
    member_client, other_client, match, shared, member
):
    url = _review(match, shared.strategy_id)
    other_client.post(
        url, {"action": "draft", "overall": "Half done", "limits_verdict": "required"}
    )
    review = StrategyReview.objects.get()
    assert review.submitted_at is None
    assert "Half done" in other_client.get(url).content.decode()
    # A draft is the reviewer's alone.
    assert "Half done" not in member_client.get(_detail(match)).content.decode()

    response = other_client.post(
        url,
        _verdicts(
            action="submit",
            limits_verdict="required",
            limits_comment="Line 8: drop the English limit.",
            overall="Well built.",
        ),
    )

    assert response.status_code == 302
    page = member_client.get(_detail(match)).content.decode()
    assert "Review by Grace Hopper" in page
    assert "Revision required" in page
    assert "Line 8: drop the English limit." in page
    assert OutboxEmail.objects.filter(kind="review_received", user=member).count() == 1
    # Sent once: the page now shows it, and a second send changes nothing.
    assert "You sent this review" in other_client.get(url).content.decode()
    other_client.post(url, _verdicts(action="submit", overall="Rewritten"))
    assert StrategyReview.objects.get().overall == "Well built."


def test_sending_an_incomplete_review_keeps_what_was_typed(other_client, match, shared):
    response = other_client.post(
        _review(match, shared.strategy_id),
        {"action": "submit", "translation_verdict": "suggested", "overall": "Typed note"},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose a verdict for “Subject headings” before sending." in page
    assert "Typed note" in page
    assert not StrategyReview.objects.exists()


def test_the_reviewer_sees_what_changed_in_a_revision(other_client, match, shared, member):
    strategy_share(match=match, author=member, context={}, text=REVISED)

    page = other_client.get(_review(match, shared.strategy_id)).content.decode()

    assert "What changed since version 1" in page
    assert '<tr class="diff-removed">' in page
    assert "8. 7 not (animals/ not humans/)" in page


# --- Files --------------------------------------------------------------------------------------


def test_files_are_served_to_the_pair_as_private_attachments(other_client, match, shared):
    response = other_client.get(_file(match, shared.pk))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="Adas_strategy.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_the_organiser_sees_that_it_was_shared_not_what(organiser_client, match, shared):
    review_save(
        strategy=shared.strategy,
        reviewer=match.members.exclude(user=shared.strategy.author).get().user,
        elements={},
        overall="",
        submit=False,
        now=shared.created_at,
    )
    pk = match.pairing_round.programme.pk
    page = organiser_client.get(reverse("feedback:programme_report", args=[pk])).content.decode()

    assert "exp Neoplasms" not in page
    assert "Does exercise help in cancer?" not in page


def test_the_admin_lists_who_shared_without_any_content(organiser_client, match, shared):
    page = organiser_client.get(reverse("admin:feedback_strategy_changelist")).content.decode()
    detail = organiser_client.get(
        reverse("admin:feedback_strategy_change", args=[shared.strategy_id])
    ).content.decode()

    assert "Ada Lovelace" in page
    assert "Yes (1 version)" in page
    for text in (page, detail):
        assert "exp Neoplasms" not in text
        assert "Does exercise help in cancer?" not in text
        assert ".pdf" not in text


def test_staff_who_do_not_organise_the_programme_see_no_strategies(match, shared):
    from django.contrib.auth.models import Permission
    from django.test import Client

    staff = UserFactory(email="staff@example.org", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_strategy"))
    client = Client()
    client.force_login(staff)

    page = client.get(reverse("admin:feedback_strategy_changelist")).content.decode()

    assert "Ada Lovelace" not in page
    assert "0 strategies" in page


def test_text_without_its_own_numbers_gets_numbered(member_client, other_client, match, member):
    strategy_share(match=match, author=member, context={}, text="cancer\nexercise\nfatigue")

    page = other_client.get(_detail(match)).content.decode()

    assert '<td class="line-no">3</td><td><code>fatigue</code></td>' in page
    assert "Line numbers count every line" in page


def test_a_revision_keeps_the_file_unless_untick(member_client, match, shared):
    member_client.post(_share(match), {"text": REVISED, "keep_file": "on"})
    member_client.post(_share(match), {"text": REVISED + "\n9. 8 and humans/"})

    versions = list(StrategyVersion.objects.order_by("number"))
    assert [v.file_name for v in versions] == ["Adas_strategy.pdf", "Adas_strategy.pdf", ""]
    assert versions[1].file.name == versions[0].file.name


def test_sharing_the_same_version_again_is_refused_in_words(member_client, match, shared):
    response = member_client.post(
        _share(match),
        {"text": STRATEGY, "question": "Does exercise help in cancer?", "keep_file": "on"},
    )

    assert response.status_code == 200
    assert "This is the same as version 1" in response.content.decode()
    assert StrategyVersion.objects.count() == 1


def test_a_text_file_with_nothing_pasted_is_shown_as_text(member_client, other_client, match):
    member_client.post(
        _share(match), {"text": "", "file": upload("s.txt", b"1. falls/\n2. exp Aged/")}
    )

    page = other_client.get(_detail(match)).content.decode()

    assert "<code>2. exp Aged/</code>" in page
    assert "Download s.txt" in page


def test_a_form_that_comes_back_asks_for_the_file_again(member_client, match):
    response = member_client.post(
        _share(match),
        {"text": "", "databases": ["other"], "file": upload("good.txt", b"1. falls/")},
    )

    page = response.content.decode()
    assert "Choose good.txt again" in page
    assert not StrategyVersion.objects.exists()


def test_a_second_tab_sending_after_the_first_is_told_nothing_changed(other_client, match, shared):
    url = _review(match, shared.strategy_id)
    other_client.post(url, _verdicts(action="submit", overall="First tab"))

    response = other_client.post(url, _verdicts(action="submit", overall="Second tab"), follow=True)

    assert "the changes on that page were not sent" in response.content.decode()
    assert StrategyReview.objects.get().overall == "First tab"


def test_opening_the_review_only_address_goes_back_to_the_match(member_client, match):
    url = reverse("feedback:strategy_review_only", args=[match.pk])

    response = member_client.get(url)

    assert response.status_code == 302
    assert response["Location"] == _detail(match)
    assert not Strategy.objects.exists()


def test_a_reviewer_is_told_of_a_revision_without_being_asked_again(
    other_client, match, shared, member, other_member
):
    from pairing.outbox import build_message

    other_client.post(_review(match, shared.strategy_id), _verdicts(action="submit"))
    strategy_share(match=match, author=member, context={}, text=REVISED)

    revision = OutboxEmail.objects.filter(kind="strategy_shared", user=other_member).last()
    message = build_message(revision)

    assert "has revised the search strategy you reviewed" in message.subject
    assert "There is nothing more you need to do." in message.body


def test_two_strategies_on_one_match_page_have_distinct_region_names(
    other_client, match, shared, other_member
):
    """Both at version 1: a screen reader's list of regions tells them apart (axe's
    landmark-unique)."""
    strategy_share(match=match, author=other_member, context={}, text=STRATEGY)

    page = other_client.get(_detail(match)).content.decode()

    assert 'aria-label="Your search strategy, version 1"' in page
    assert 'aria-label="Ada Lovelace\u2019s search strategy, version 1"' in page


def test_a_partners_missing_strategy_is_told_by_the_date_and_the_round(
    member_client, match, member, other_member
):
    # Walk 44: "has not shared a strategy yet (due 12 December). You will be emailed when
    # they do." long after the date, and after a later round had closed the matter.
    late = member_client.get(_detail(match)).content.decode()
    review_match(match.pairing_round.programme, UserFactory(), UserFactory(), number=2)

    over = member_client.get(_detail(match)).content.decode()

    assert (
        "Grace Hopper has not shared a strategy yet: it was due on 7 November 2026. If they "
        "still share it, you will be emailed."
    ) in late
    assert (
        "Grace Hopper did not share a strategy, and none is asked for now: a later round has run."
    ) in over
    assert "You will be emailed when they do" not in late + over
