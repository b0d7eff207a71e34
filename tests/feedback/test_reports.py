"""The programme evidence page (exact, for the organiser team), its CSV and the printable
pack (small groups protected): numbers, charts with tables, formula-safe CSV, and who may
open them. The small-number rules themselves: tests/feedback/test_evidence_rules.py."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback import reports
from feedback.charts import bar_chart, line_chart, report_charts
from feedback.models import Evaluation
from feedback.reports import Cell
from pairing.models import MatchMember, Membership, Programme
from pairing.sets.models import Session, SessionCheckIn
from tests.factories import InterestFactory, MembershipFactory, UserFactory
from tests.feedback.builders import evaluate, evaluations, make_match, make_round, send_intro
from tests.pairing.set_helpers import form_cycle, join, learning_set_programme

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 4, 15)


def _report(programme, exact=False):
    return reports.programme_report(programme=programme, today=TODAY, exact=exact)


def _url(name, programme):
    return reverse(f"feedback:{name}", args=[programme.pk])


def _html(client, programme, name="programme_report"):
    response = client.get(_url(name, programme))
    assert response.status_code == 200
    return response.content.decode()


def _headline(html, label):
    match = re.search(rf"<dt>{re.escape(label)}</dt>(<dd[^>]*>[^<]*</dd>)", html)
    assert match, label
    return match.group(1)


def _csv(response):
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


# The numbers match the data


@pytest.fixture
def busy_programme(programme):
    """Six active members (one past pause), one left, one still paused; two rounds done,
    one planned; five intros sent (to pairs sharing "Open access") and two not; ten
    evaluations."""
    for _ in range(5):
        MembershipFactory(programme=programme)
    MembershipFactory(programme=programme, status="paused", paused_until=dt.date(2026, 4, 1))
    MembershipFactory(programme=programme, status="paused", paused_until=dt.date(2099, 5, 1))
    MembershipFactory(programme=programme, status="left")
    first, second = make_round(programme, 1), make_round(programme, 2)
    make_round(programme, 3, status="planned")
    for _ in range(5):
        send_intro(
            make_match(first, UserFactory(), UserFactory(), shared_interests=["Open access"])
        )
    send_intro(make_match(second, UserFactory(), UserFactory()), status="pending")
    send_intro(make_match(second, UserFactory(), UserFactory()), status="failed")
    evaluations(first, 5, usefulness=5, meet_again="yes", minutes=30)
    evaluations(second, 3, usefulness=4, meet_again="maybe")
    evaluations(second, 2, met="not_yet")
    return programme


def test_report_counts_active_members_including_ended_pauses(busy_programme):
    assert _report(busy_programme)["members"] == 6


def test_report_counts_rounds_done_only(busy_programme):
    assert _report(busy_programme)["rounds_run"] == 2


def test_report_counts_sent_intros_and_the_members_they_introduced(busy_programme):
    report = _report(busy_programme)

    assert report["intros_delivered"] == 5
    assert report["members_introduced"] == 10


def test_the_pack_hides_members_introduced_when_it_would_tell_a_few_did_not_answer(
    programme, client, organiser
):
    pairing_round = make_round(programme, 1)
    members = [UserFactory() for _ in range(12)]
    matches = [
        make_match(pairing_round, a, b) for a, b in zip(members[::2], members[1::2], strict=True)
    ]
    for match in matches:
        send_intro(match)
    for user, match in zip(members[:11], [m for m in matches for _ in (0, 1)], strict=False):
        evaluate(match, user, usefulness=4, meet_again="yes")

    pack, own = _report(programme), _report(programme, exact=True)

    # 12 introduced beside 11 evaluations would tell that 1 did not answer.
    assert pack["evaluations"] == 11
    assert pack["members_introduced"] is None
    assert pack["members_introduced_hidden"] == "not shown"
    assert own["members_introduced"] == 12
    client.force_login(organiser)
    html = _html(client, programme, "evidence_pack")
    assert 'Members introduced</dt><dd class="hidden-count">not shown' in html
    assert "“evaluations” beside “members introduced”) is “not shown”, or the total is" in html


def test_report_counts_evaluations_and_share_who_met(busy_programme):
    report = _report(busy_programme)

    assert report["evaluations"] == 10
    # 8 of 10 met, so 2 did not: showing 8 beside 10 would give that away, and so would
    # "about 80%" (of 10, only 8 rounds to 80).
    assert report["met"] is None and report["met_hidden"] == "not shown"
    assert report["met_percent"] is None
    assert report["mean_usefulness"] == 4.6


def test_the_organisers_own_report_is_exact(busy_programme):
    report = _report(busy_programme, exact=True)

    assert (report["evaluations"], report["met"], report["met_percent"]) == (10, 8, 80)
    assert not report["met_percent"].rounded
    assert [c.value for c in report["usefulness"]] == [0, 0, 0, 3, 5]
    assert report["trend"][1].met_percent == 60 and report["trend"][1].mean_usefulness == 4.0


def test_report_shows_who_met_when_neither_part_is_small(programme):
    pairing_round = make_round(programme, 1)
    evaluations(pairing_round, 5, met="yes")
    evaluations(pairing_round, 5, met="no")

    report = _report(programme)

    assert (report["evaluations"], report["met"], report["met_percent"]) == (10, 5, 50)


def test_report_usefulness_distribution_hides_small_buckets(busy_programme):
    usefulness = _report(busy_programme)["usefulness"]

    # 3 rated it 4 and 5 rated it 5: the 5 would give the 3 away beside the total.
    # Nobody rated it 1-3: those read 0.
    assert [c.value for c in usefulness] == [0, 0, 0, None, None]
    assert [c.text for c in usefulness] == ["0", "0", "0", "fewer than 5", "not shown"]
    assert [c.percent for c in usefulness] == [0, 0, 0, None, None]


def test_report_trend_gives_each_round_its_own_numbers(busy_programme):
    first, second = _report(busy_programme)["trend"]

    assert (first.number, first.matches, first.evaluations) == (1, 10, 5)
    # Round 1's 5.0 beside the headline's 4.6 from 8 ratings gave round 2's 3 away (about
    # 4): in the pack both go (walk 18); the page shows them.
    assert first.mean_usefulness is None
    assert _report(busy_programme, exact=True)["trend"][0].mean_usefulness == 5.0
    # Round 2 introduced 9 members and 5 answered: its 7 matches beside its 5 evaluations
    # would tell that 4 did not, so the pack leaves the matches out; the page shows them.
    assert (second.number, second.matches, second.evaluations) == (2, None, 5)
    assert second.matches_text == "not shown"
    assert _report(busy_programme, exact=True)["trend"][1].matches == 7
    # 3 of 5 met: a count below 5. Round by round a share is exact or not shown; and
    # round 1's 100% goes too, or the 8 who met in all would give round 2's 3 away.
    assert second.met_percent is None and first.met_percent is None
    assert second.mean_usefulness is None  # only 3 ratings


def test_trend_hides_a_rounds_evaluations_that_the_total_would_give_away(programme):
    first, second = make_round(programme, 1), make_round(programme, 2)
    evaluations(first, 6)
    evaluations(second, 3)

    report = _report(programme)

    # 9 in all: showing round 1's 6 would tell that round 2 had 3.
    assert report["evaluations"] == 9
    assert [row.evaluations for row in report["trend"]] == [None, None]
    assert [row.evaluations_text for row in report["trend"]] == ["not shown", "fewer than 5"]


def test_organiser_page_shows_the_headline_numbers_exactly(organiser_client, busy_programme):
    html = _html(organiser_client, busy_programme)

    assert _headline(html, "Members (active)") == "<dd>6</dd>"
    assert _headline(html, "Introductions delivered") == "<dd>5</dd>"
    assert _headline(html, "Members introduced") == "<dd>10</dd>"
    assert _headline(html, "Evaluations received") == "<dd>10</dd>"
    assert _headline(html, "Said they met") == "<dd>8</dd>"
    assert _headline(html, "Share who met") == "<dd>80%</dd>"
    assert _headline(html, "Mean usefulness (1-5)") == "<dd>4.6</dd>"
    assert "For the organiser team only." in html


def test_the_pack_hides_what_would_give_away_the_two_who_did_not_meet(
    organiser_client, busy_programme
):
    html = _html(organiser_client, busy_programme, "evidence_pack")

    assert _headline(html, "Evaluations received") == "<dd>10</dd>"
    assert _headline(html, "Said they met") == '<dd class="hidden-count">not shown</dd>'
    assert _headline(html, "Share who met") == '<dd class="hidden-count">not shown</dd>'
    assert "80%" not in html


def test_four_evaluations_are_fewer_than_five_in_the_pack_and_4_for_organisers(
    organiser_client, programme
):
    evaluations(make_round(programme, 1), 4, usefulness=3)

    pack = _html(organiser_client, programme, "evidence_pack")
    page = _html(organiser_client, programme)

    assert _headline(pack, "Evaluations received") == '<dd class="hidden-count">fewer than 5</dd>'
    assert _headline(pack, "Said they met") == '<dd class="hidden-count">fewer than 5</dd>'
    assert _headline(pack, "Share who met") == '<dd class="hidden-count">not shown</dd>'
    assert _headline(pack, "Mean usefulness (1-5)") == '<dd class="hidden-count">not shown</dd>'
    assert _headline(page, "Evaluations received") == "<dd>4</dd>"
    assert _headline(page, "Share who met") == "<dd>100%</dd>"
    assert _headline(page, "Mean usefulness (1-5)") == "<dd>3.0</dd>"


def test_five_evaluations_are_shown(organiser_client, programme):
    evaluations(make_round(programme, 1), 5)

    html = _html(organiser_client, programme, "evidence_pack")

    assert _headline(html, "Evaluations received") == "<dd>5</dd>"
    assert _headline(html, "Share who met") == "<dd>100%</dd>"


def test_no_evaluations_read_0_and_no_answers_yet(organiser_client, programme):
    make_round(programme, 1)

    html = _html(organiser_client, programme, "evidence_pack")

    assert _headline(html, "Evaluations received") == "<dd>0</dd>"
    assert _headline(html, "Said they met") == "<dd>0</dd>"
    assert _headline(html, "Share who met") == '<dd class="hidden-count">no answers yet</dd>'
    assert (
        _headline(html, "Mean usefulness (1-5)") == '<dd class="hidden-count">no ratings yet</dd>'
    )


def test_share_who_met_is_rounded_and_marked_in_the_pack(organiser_client, programme):
    pairing_round = make_round(programme, 1)
    evaluations(pairing_round, 22, met="yes")
    evaluations(pairing_round, 3, met="no")

    pack = _html(organiser_client, programme, "evidence_pack")
    page = _html(organiser_client, programme)

    # 3 did not meet: 22 and 88% would tell; "about 90%" fits 22 or 23 of 25.
    assert _headline(pack, "Said they met") == '<dd class="hidden-count">not shown</dd>'
    assert _headline(pack, "Share who met") == "<dd>about 90%†</dd>"
    assert "† Rounded to the nearest 10 %" in pack
    assert "88%" not in pack
    assert _headline(page, "Said they met") == "<dd>22</dd>"
    assert _headline(page, "Share who met") == "<dd>88%</dd>"


def test_share_who_met_is_not_shown_in_the_pack_when_fewer_than_five_met(
    organiser_client, programme
):
    pairing_round = make_round(programme, 1)
    evaluations(pairing_round, 4, met="yes")
    evaluations(pairing_round, 6, met="no")

    report = _report(programme)
    html = _html(organiser_client, programme, "evidence_pack")

    # 40% of 10 could only be 4: not even a rounded share is safe.
    assert report["met"] is None and report["met_percent"] is None
    assert "not shown" in _headline(html, "Share who met")
    assert "40%" not in html


def test_rare_topics_are_left_out_and_common_ones_counted(programme):
    pairing_round = make_round(programme, 1)
    common = InterestFactory(name="Systematic searching")
    rare = InterestFactory(name="Prison libraries")
    for e in evaluations(pairing_round, 5):
        e.topics.add(common)
    evaluate(make_match(pairing_round)).topics.add(rare)
    for _ in range(6):
        make_match(pairing_round, shared_interests=["Open access", "Systematic searching"])

    topics = {t.name: (t.talked_about, t.shared) for t in _report(programme)["topics"]}
    exact = {t.name: (t.talked_about, t.shared) for t in _report(programme, True)["topics"]}

    assert topics == {"Systematic searching": (5, 6), "Open access": (0, 6)}
    assert exact == {**topics, "Prison libraries": (1, 0)}


def test_signups_are_counted_by_month_small_months_hidden_empty_ones_0(programme):
    # A programme older than the window: every one of the last 12 months has a row.
    Programme.objects.filter(pk=programme.pk).update(
        created_at=dt.datetime(2024, 1, 1, 12, tzinfo=dt.UTC)
    )
    programme.refresh_from_db()
    for _ in range(5):
        MembershipFactory(programme=programme)
    Membership.objects.update(joined_at=dt.datetime(2026, 3, 10, 12, tzinfo=dt.UTC))
    april = MembershipFactory(programme=programme)
    Membership.objects.filter(pk=april.pk).update(
        joined_at=dt.datetime(2026, 4, 2, 12, tzinfo=dt.UTC)
    )

    signups = _report(programme)["signups"]
    exact = _report(programme, exact=True)["signups"]

    assert len(signups) == 12
    assert (signups[-2].label, signups[-2].value) == ("Mar 2026", 5)
    assert [c.text for c in signups[:-2]] == ["0"] * 10  # nobody joined: 0, not "fewer than 5"
    assert signups[-1].text == "fewer than 5" and exact[-1].text == "1"


def test_signups_start_the_month_the_programme_was_created_in_the_table_too(programme):
    Programme.objects.filter(pk=programme.pk).update(
        created_at=dt.datetime(TODAY.year, TODAY.month, 1, 12, tzinfo=dt.UTC)
    )
    programme.refresh_from_db()

    signups = _report(programme, exact=True)["signups"]

    assert [(c.label, c.text) for c in signups] == [(TODAY.strftime("%b %Y"), "0")]


# Charts and tables


def test_bar_chart_draws_no_bar_for_a_hidden_count():
    chart = bar_chart(id="c", title="T", cells=[Cell("Yes", 8), Cell("No", None)])

    shown, hidden = chart.bars
    assert shown.width > 0 and shown.value_text == "8"
    assert hidden.width == 0 and hidden.value_text == "fewer than 5"
    assert chart.description == "T: Yes: 8; No: fewer than 5."


def test_line_chart_leaves_a_gap_for_a_hidden_value():
    chart = line_chart(
        id="c", title="T", values=[("R1", 50), ("R2", 60), ("R3", None), ("R4", 80)], y_max=100
    )

    assert len(chart.segments) == 1  # R1-R2; R4 stands alone as a point
    assert len(chart.points) == 3


def test_report_page_has_accessible_svg_charts_each_with_a_table(organiser_client, busy_programme):
    html = _html(organiser_client, busy_programme)

    assert html.count("<h1") == 1
    svgs = re.findall(r"<svg [^>]*>", html)
    # Sign-ups, usefulness, meet again, two trends; no feedback named a topic: no chart.
    assert len(svgs) == 5
    assert all('role="img"' in svg and "aria-labelledby" in svg for svg in svgs)
    assert html.count("<title id=") == 5
    assert html.count("<caption>") == 5
    assert '<th scope="row">5 (very useful)</th><td class="num">5</td>' in html
    pack = _html(organiser_client, busy_programme, "evidence_pack")
    assert '<th scope="row">5 (very useful)</th><td class="num">not shown</td>' in pack
    assert "<script src" not in html


def test_report_page_links_css_for_charts_and_print(organiser_client, programme):
    html = _html(organiser_client, programme)

    assert "/static/css/reports.css" in html
    assert 'class="no-print"' in html


# Comments


def test_organiser_sees_private_comments_newest_first_with_author(organiser_client, programme):
    pairing_round = make_round(programme, 1)
    author = UserFactory(profile__display_name="Katherine Johnson")
    older = evaluate(make_match(pairing_round), private_comment="The intro was late.")
    newer = evaluate(make_match(pairing_round), author, private_comment="Great pairing!")
    older.created_at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    older.save(update_fields=["created_at"])

    comments = reports.programme_comments(programme=programme)
    html = _html(organiser_client, programme)

    assert [c.text for c in comments] == [newer.private_comment, older.private_comment]
    assert comments[0].author == "Katherine Johnson" and comments[0].round_number == 1
    assert html.index("Great pairing!") < html.index("The intro was late.")


def test_comments_come_fifty_to_a_page_newest_first(organiser_client, programme):
    pairing_round = make_round(programme, 1)
    for i in range(55):
        evaluate(make_match(pairing_round), private_comment=f"Comment number {i}.")

    first = _html(organiser_client, programme)
    second = organiser_client.get(_url("programme_report", programme) + "?comments=2")
    second = second.content.decode()

    assert (
        "55 answers with a comment or what got in the way; showing 1 to 50, newest first." in first
    )
    assert "Comment number 54." in first and "Comment number 4." not in first
    assert "Comment number 4." in second and "Comment number 5." not in second
    assert "Page 2 of 2" in second and "Newer comments" in second


def test_evidence_pack_leaves_out_private_comments(organiser_client, programme):
    evaluate(make_match(make_round(programme, 1)), private_comment="Only for organisers")

    assert "Only for organisers" not in _html(organiser_client, programme, "evidence_pack")


# Evidence pack


def test_evidence_pack_shows_only_shared_takeaways_without_site_navigation(
    organiser_client, busy_programme
):
    pairing_round = busy_programme.rounds.get(number=1)
    evaluate(make_match(pairing_round), takeaway="Ask for the protocol first.", share_takeaway=True)
    evaluate(make_match(pairing_round), takeaway="Kept to myself.", share_takeaway=False)

    html = _html(organiser_client, busy_programme, "evidence_pack")

    assert "Ask for the protocol first." in html and "A member" in html
    assert "Kept to myself." not in html
    assert 'aria-label="Main"' not in html
    assert html.count("<h1") == 1
    assert "2 rounds, from 6 January 2026 to 3 February 2026" in html
    assert 'role="img"' in html


# CSV


def test_csv_has_a_header_and_one_row_per_evaluation(organiser_client, programme):
    pairing_round = make_round(programme, 1)
    author = UserFactory(email="kj@example.org", profile__display_name="Katherine Johnson")
    match = make_match(pairing_round)
    evaluate(match, author, usefulness=4, minutes=45, meet_again="yes", next_steps="Read it")
    evaluate(match, met="no", not_met_reason="Illness")

    response = organiser_client.get(_url("programme_csv", programme))
    header, *rows = everything = _csv(response)

    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert header == reports.EVALUATION_HEADER
    assert len(rows) == 2
    row = dict(zip(header, rows[0], strict=True))
    assert row["Member"] == "Katherine Johnson" and row["Met"] == "Yes, we met"
    # The group by its members' names, in seat order (never a database id).
    seats = match.members.order_by("pk").select_related("user__profile")
    assert row["Group"] == "; ".join(s.user.profile.display_name for s in seats)
    assert (row["Usefulness (1-5)"], row["Minutes"], row["Next steps"]) == ("4", "45", "Read it")
    assert rows[1][header.index("What got in the way")] == "Illness"
    assert "kj@example.org" not in str(everything)


def test_csv_says_when_a_changed_answer_was_last_changed(organiser_client, programme):
    """Walk 31: "not yet" on 7 December, then "yes" on 15 December; the CSV gave only
    the 7th."""
    import datetime as dt

    from django.utils import timezone

    from feedback.models import Evaluation

    evaluation = evaluate(make_match(make_round(programme, 1)), met="not_yet")
    first = timezone.now() - dt.timedelta(days=8)
    Evaluation.objects.filter(pk=evaluation.pk).update(created_at=first, updated_at=first)
    evaluation.refresh_from_db()
    evaluation.met = "yes"
    evaluation.save()

    header, row = _csv(organiser_client.get(_url("programme_csv", programme)))
    cells = dict(zip(header, row, strict=True))

    changed = Evaluation.objects.get(pk=evaluation.pk).updated_at
    assert cells["Submitted"] == f"{timezone.localtime(first):%Y-%m-%d %H:%M}"
    assert cells["Last changed"] == f"{timezone.localtime(changed):%Y-%m-%d %H:%M}"
    assert cells["Last changed"] > cells["Submitted"]


@pytest.mark.parametrize(
    "text", ['=HYPERLINK("http://evil.example","click")', "+1", "-1", "@SUM(A1:A9)"]
)
def test_csv_prefixes_formula_cells_with_a_quote(organiser_client, programme, text):
    evaluate(make_match(make_round(programme, 1)), private_comment=text, takeaway=text)

    header, row = _csv(organiser_client.get(_url("programme_csv", programme)))

    assert row[header.index("Comment for organisers")] == "'" + text
    assert row[header.index("Takeaway")] == "'" + text


def test_csv_safe_leaves_numbers_and_plain_text_alone():
    assert reports.csv_safe(-1) == -1
    assert reports.csv_safe("Plain words") == "Plain words"
    assert reports.csv_safe(None) == ""


# Who may open the evidence


PAGES = ["programme_report", "programme_csv", "evidence_pack"]


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_is_sent_to_log_in(client, programme, name):
    response = client.get(_url(name, programme))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("name", PAGES)
def test_member_gets_404(member_client, member, programme, name):
    MembershipFactory(user=member, programme=programme)

    assert member_client.get(_url(name, programme)).status_code == 404


@pytest.mark.parametrize("name", PAGES)
def test_staff_user_not_organising_this_programme_gets_404(client, programme, name):
    other = UserFactory(is_staff=True)
    programme.organisers.add(UserFactory(is_staff=True))
    client.force_login(other)

    assert client.get(_url(name, programme)).status_code == 404


@pytest.mark.parametrize("name", PAGES)
def test_organiser_of_this_programme_opens_it(client, programme, name):
    organiser = UserFactory(is_staff=True)
    programme.organisers.add(organiser)
    client.force_login(organiser)

    assert client.get(_url(name, programme)).status_code == 200


@pytest.mark.parametrize("name", PAGES)
def test_superuser_opens_it(organiser_client, programme, name):
    assert organiser_client.get(_url(name, programme)).status_code == 200


def test_missing_programme_is_404(organiser_client):
    assert organiser_client.get(reverse("feedback:programme_report", args=[999])).status_code == 404


def test_admin_programme_list_links_to_the_evidence(organiser_client, programme):
    html = organiser_client.get(reverse("admin:pairing_programme_changelist")).content.decode()

    assert _url("programme_report", programme) in html


def test_a_learning_set_pack_shows_its_sets_and_not_the_match_sections(client):
    programme = learning_set_programme(group_size=6)
    users = join(programme, 6)
    _cycle, sets = form_cycle(programme, now=timezone.now())
    first = Session.objects.get(learning_set=sets[0], number=1)
    held = timezone.now() - dt.timedelta(days=1)
    Session.objects.filter(pk=first.pk).update(starts_at=held - dt.timedelta(hours=3), ends_at=held)
    for user in users:
        SessionCheckIn.objects.create(session=first, user=user, attended=True, usefulness=4)
    organiser = UserFactory(is_staff=True)
    programme.organisers.add(organiser)
    client.force_login(organiser)

    pack = _html(client, programme, "evidence_pack")
    page = _html(client, programme)

    for html in (pack, page):
        assert "Learning sets, by cycle" in html
        assert '<td class="num">6 (100%)</td>' in html  # check-ins saying they attended
        # No "did you meet?" for learning sets: none of the per-match sections.
        for section in ("What members said", "Would meet again", "Over rounds", "Share who met"):
            assert section not in html


def test_topics_named_by_nobody_draw_no_chart(programme, client, organiser):
    pairing_round = make_round(programme, 1)
    for _ in range(5):
        make_match(pairing_round, UserFactory(), UserFactory(), shared_interests=["Open access"])
    client.force_login(organiser)

    html = _html(client, programme)

    assert "Open access" in html  # in the table: matches shared it
    assert 'id="chart-topics' not in html
    assert "No topics recorded yet" in html


@pytest.mark.parametrize("name", ["programme_report", "evidence_pack"])
def test_a_single_round_is_not_a_range_of_dates(programme, organiser_client, name):
    make_round(programme, 1)

    html = _html(organiser_client, programme, name)

    assert "One round, on 6 January 2026." in html
    assert "rounds, from" not in html
    make_round(programme, 2)
    assert "2 rounds, from 6 January 2026 to 3 February 2026." in _html(
        organiser_client, programme, name
    )


def test_chart_labels_wrap_instead_of_being_cut_off():
    chart = bar_chart(
        id="c",
        title="T",
        cells=[
            Cell("1 (not useful)", 12, reports.percent(12, 20)),
            Cell("Evidence synthesis and systematic searching", 8),
        ],
    )

    short, long = chart.bars
    assert short.lines == ["1 (not useful)"]
    assert long.lines == ["Evidence", "synthesis and", "systematic", "searching"]
    assert not any("…" in line for bar in chart.bars for line in bar.lines)
    # Each line fits the label column at 14 units (under 8 a character); the longer
    # label's row is taller, and the chart with it.
    assert all(len(line) * 8 <= chart.label_x for bar in chart.bars for line in bar.lines)
    assert long.y - short.y == 24
    assert chart.height == 10 + 24 + (24 + 3 * 16) + 10
    # The longest value text ("12 (60%)", or "12 (about 60%†)") fits right of the bar.
    assert chart.bars[0].text_x + len("12 (about 60%†)") * 8 <= chart.width + 8


def test_the_topics_chart_and_table_share_one_order_by_their_numbers(programme):
    pairing_round = make_round(programme, 1)
    talked = {"Cataloguing": 2, "Open access": 2, "Copyright": 3}
    for name, n in talked.items():
        interest = InterestFactory(name=name)
        for e in evaluations(pairing_round, n):
            e.topics.add(interest)
    # Matches sharing Open access put it before Cataloguing, not before Copyright (walk 32:
    # the table ordered by both columns together, the chart by the first).
    for _ in range(3):
        make_match(pairing_round, UserFactory(), UserFactory(), shared_interests=["Open access"])

    report = _report(programme, exact=True)
    chart = report_charts(report)["topics"]

    order = ["Copyright", "Open access", "Cataloguing"]
    assert [t.name for t in report["topics"]] == order
    assert [b.label for b in chart.bars] == order
    assert [b.value_text for b in chart.bars] == ["3", "2", "2"]


def test_the_packs_topic_order_tells_nothing_of_hidden_counts(programme):
    pairing_round = make_round(programme, 1)
    for name, n in {"Zines": 4, "Archives": 1, "Copyright": 6}.items():
        interest = InterestFactory(name=name)
        for e in evaluations(pairing_round, n):
            e.topics.add(interest)
    for _ in range(6):  # shown in the pack by the matches sharing them
        make_match(
            pairing_round, UserFactory(), UserFactory(), shared_interests=["Zines", "Archives"]
        )

    pack, page = _report(programme), _report(programme, exact=True)

    # 4 and 1 are both "fewer than 5": by name, not by the hidden counts.
    assert [t.name for t in pack["topics"]] == ["Copyright", "Archives", "Zines"]
    assert [t.name for t in page["topics"]] == ["Copyright", "Zines", "Archives"]


def test_the_pack_hides_introductions_that_would_tell_a_few_did_not_answer(programme):
    pairing_round = make_round(programme, 1)
    for _ in range(13):
        send_intro(make_match(pairing_round, UserFactory(), UserFactory()))
    seats = list(MatchMember.objects.filter(match__pairing_round=pairing_round))
    for seat in seats[:25]:  # 26 introduced, 25 answered: 1 did not
        Evaluation.objects.create(match=seat.match, user=seat.user, met="yes", usefulness=4)

    pack, page = _report(programme), _report(programme, exact=True)

    assert pack["evaluations"] == 25
    assert pack["intros_delivered"] is None and pack["members_introduced"] is None
    assert pack["trend"][0].matches is None and pack["trend"][0].matches_text == "not shown"
    assert (page["intros_delivered"], page["members_introduced"]) == (13, 26)
    assert page["trend"][0].matches == 13


def test_what_got_in_the_way_is_on_the_organisers_page(organiser_client, programme):
    # Walks 43 and 46: "Only the organisers read this", and it was only in the CSV.
    pairing_round = make_round(programme, 1)
    author = UserFactory(profile__display_name="Nadia Haddad")
    evaluate(make_match(pairing_round), author, met="no",
             not_met_reason="My mentor did not reply to my emails.")  # fmt: skip

    (comment,) = reports.programme_comments(programme=programme)
    html = _html(organiser_client, programme)

    assert comment.got_in_the_way == "My mentor did not reply to my emails."
    assert "<strong>What got in the way:</strong> My mentor did not reply to my emails." in html
    assert "Nadia Haddad, round 1" in html
