"""Pasted addresses: every pasted line is one person (or several, separated by commas or
semicolons on that line), a line is never merged into its neighbour, and a bad line is
reported with its number and its text, never lost."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.urls import reverse

from members.invitations.models import Invitation
from members.invitations.reading import read_pasted
from pairing.models import OutboxEmail

pytestmark = pytest.mark.django_db
FORMULA = "The name starts like a spreadsheet formula (=, +, -, @): correct it."
NOT_AN_EMAIL = "Not an email address."
TWO = "More than one email address: put each on its own line, or separate them with commas."


def people(reading) -> list[tuple[int, str, str]]:
    return [(r["row"], r["name"], r["email"]) for r in reading.rows]


def problems(reading) -> list[tuple[int, str, str]]:
    return [(p["row"], p["text"], p["problem"]) for p in reading.problems]


def check_page(client, programme, pasted: str) -> str:
    """The organiser pastes, presses "Check the list" and reads the check page."""
    url = reverse("admin:members_invitation_programme", args=[programme.pk])
    response = client.post(url, {"pasted": pasted}, follow=True)
    assert response.redirect_chain, "the paste was refused instead of checked"
    return response.content.decode()


def table_rows(page: str, heading: str) -> list[list[str]]:
    """The cells of each body row of the table after `heading`, as the organiser reads them."""
    table = page.split(f"<h2>{heading}</h2>", 1)[1].split("</table>", 1)[0]
    body = table.split("<tbody>", 1)[1]
    return [
        [unescape(cell) for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


# --- The two pastes of the browser walk ------------------------------------------------


def test_a_line_without_an_address_is_not_merged_into_the_named_address_below_it():
    reading = read_pasted("oops-typo\nJane Doe <jane@example.net>")

    assert people(reading) == [(2, "Jane Doe", "jane@example.net")]
    assert problems(reading) == [(1, "oops-typo", NOT_AN_EMAIL)]


def test_a_line_above_a_formula_name_does_not_hide_the_formula():
    reading = read_pasted('not-an-email\n=HYPERLINK("x") <evil@example.net>')

    assert people(reading) == []
    assert problems(reading) == [
        (1, "not-an-email", NOT_AN_EMAIL),
        (2, '=HYPERLINK("x") <evil@example.net>', FORMULA),
    ]


def test_a_hyphenated_mistake_before_an_address_is_not_taken_for_its_name():
    """Walk 28: "not-an-email" became the name of the address after it, and went unflagged."""
    reading = read_pasted("member01@example.org; not-an-email, nina.new@example.org")

    assert people(reading) == [
        (1, "", "member01@example.org"),
        (1, "", "nina.new@example.org"),
    ]
    assert problems(reading) == [(1, "not-an-email", NOT_AN_EMAIL)]
    # A real name of two words still names the address after it.
    named = read_pasted("Mary-Jane Smith, mj@example.org")
    assert people(named) == [(1, "Mary-Jane Smith", "mj@example.org")]


def test_the_check_page_shows_the_bad_line_and_the_person_apart(organiser_client, programme):
    page = check_page(organiser_client, programme, "oops-typo\nJane Doe <jane@example.net>")

    assert table_rows(page, "Addresses that will not be invited") == [
        ["1", "oops-typo", NOT_AN_EMAIL]
    ]
    assert table_rows(page, "Who will be invited") == [
        ["2", "Jane Doe", "jane@example.net", "", ""]
    ]
    assert "Jane Doe oops-typo" not in page
    assert page.count('<th scope="col">Line</th>') == 2  # a paste is numbered by line


def test_the_check_page_refuses_the_formula_and_nothing_can_be_sent(organiser_client, programme):
    url = reverse("admin:members_invitation_programme", args=[programme.pk])
    response = organiser_client.post(
        url, {"pasted": 'not-an-email\n=HYPERLINK("x") <evil@example.net>'}, follow=True
    )

    page = response.content.decode()
    assert table_rows(page, "Addresses that will not be invited") == [
        ["1", "not-an-email", NOT_AN_EMAIL],
        ["2", '=HYPERLINK("x") <evil@example.net>', FORMULA],
    ]
    assert "Nobody on this list can be invited." in page
    organiser_client.post(response.redirect_chain[-1][0])
    assert not Invitation.objects.exists() and not OutboxEmail.objects.exists()


# --- Neighbours -------------------------------------------------------------------------


def test_blank_lines_are_skipped_and_rows_keep_the_line_numbers():
    reading = read_pasted("ada@example.org\n\n   \nnope\r\nJane Doe <jane@example.net>\n\n")

    assert people(reading) == [(1, "", "ada@example.org"), (5, "Jane Doe", "jane@example.net")]
    assert problems(reading) == [(4, "nope", NOT_AN_EMAIL)]


def test_name_comma_address_lines_keep_their_names_and_a_bad_line_above_stays_apart():
    reading = read_pasted(
        "Jane Doe, jane@example.net\noops-typo\nJohn Roe, john@example.net\nSmith, John"
    )

    assert people(reading) == [
        (1, "Jane Doe", "jane@example.net"),
        (3, "John Roe", "john@example.net"),
    ]
    assert problems(reading) == [
        (2, "oops-typo", NOT_AN_EMAIL),
        (4, "Smith", NOT_AN_EMAIL),
        (4, "John", NOT_AN_EMAIL),
    ]


@pytest.mark.parametrize(
    ("text", "name", "line"),
    [
        ("oops-typo\nDoe, Jane <jane@example.net>", "Jane Doe", 2),
        ("oops-typo;Jane Doe <jane@example.net>", "Jane Doe", 1),
        ("oops-typo\nJane <jane@example.net>", "Jane", 2),
    ],
    ids=["new line, then Outlook's last, first", "semicolon", "new line, then a first name"],
)
def test_only_a_comma_on_the_same_line_joins_outlook_last_first_names(text, name, line):
    reading = read_pasted(text)

    assert people(reading) == [(line, name, "jane@example.net")]
    assert problems(reading) == [(1, "oops-typo", NOT_AN_EMAIL)]


@pytest.mark.parametrize(
    "text",
    [
        'Smith, =HYPERLINK("x") <evil@example.net>',
        '"Smith, =HYPERLINK(""x"")" <evil@example.net>',
        "+Plus <plus@example.net>",
        '"@Sum" <sum@example.net>',
        "@SUM <z@example.net>",
        "@bob <bob2@example.net>",
        "@SUM(A1) <z@example.net>",
        "@ bob <bob@example.net>",
        "Smith, @bob <bob@example.net>",
        "@bob, Smith <bob@example.net>",
    ],
)
def test_a_formula_anywhere_a_name_part_starts_is_refused(text):
    reading = read_pasted(text)

    assert reading.rows == []
    assert problems(reading) == [(1, text, FORMULA)]


@pytest.mark.parametrize(
    "line",
    [
        "jane@example.net bob@example.net",
        "Jane <jane@example.net> <bob@example.net>",
        "jane@example.net <bob@example.net>",
        "x@bob <bob@example.net>",
        "@SUM <z@example.net> <y@example.net>",
        "@bob jane@example.net bob@example.net",
        "jane@example.net@example.org",
    ],
)
def test_a_line_with_two_addresses_and_no_separator_is_a_bad_row_not_half_invited(line):
    reading = read_pasted(f"ada@example.org\n{line}")

    assert people(reading) == [(1, "", "ada@example.org")]
    assert problems(reading) == [(2, line, TWO)]


def test_quotes_name_people_and_an_unclosed_quote_stops_at_its_line():
    reading = read_pasted(
        '"Doe, Jane" <jane@example.net>\n"Roe, John\nbob@example.net\n"Lee; Ann" <ann@example.org>'
    )

    assert people(reading) == [
        (1, "Jane Doe", "jane@example.net"),
        (3, "", "bob@example.net"),
        (4, "Lee; Ann", "ann@example.org"),
    ]
    assert problems(reading) == [(2, '"Roe, John', NOT_AN_EMAIL)]


def test_nothing_pasted_is_lost_every_line_is_a_person_or_a_reported_row():
    lines = [
        "oops-typo",
        "Jane Doe <jane@example.net>",
        "not-an-email",
        '=HYPERLINK("x") <evil@example.net>',
        "Doe, John <john@example.net>",
        "grace@example.org",
        "Fresh Person, fresh@example.net",
        "x y z",
    ]

    reading = read_pasted("\n".join(lines))

    seen = {r["row"]: r["email"] for r in reading.rows} | {
        p["row"]: p["text"] for p in reading.problems
    }
    assert sorted(seen) == list(range(1, len(lines) + 1))
    assert all(seen[n].lower() in lines[n - 1].lower() for n in seen)


def test_the_check_page_counts_blank_lines_above_the_first_address(organiser_client, programme):
    page = check_page(organiser_client, programme, "\r\n  \r\nada@example.org\r\nnope\r\n")

    assert table_rows(page, "Addresses that will not be invited") == [["4", "nope", NOT_AN_EMAIL]]
    assert table_rows(page, "Who will be invited") == [
        ["3", "(no name)", "ada@example.org", "", ""]
    ]


def test_csv_rows_keep_their_spreadsheet_numbers_after_a_blank_row():
    from members.invitations.reading import read_csv

    reading = read_csv(
        b"Name,Email\r\nAda Lovelace,ada@example.org\r\n,\r\n\r\nNo Address,\r\n"
        b"Grace Hopper,not-an-address\r\n"
    )

    assert [r["email"] for r in reading.rows] == ["ada@example.org"]
    assert {p["row"]: p["problem"] for p in reading.problems} == {
        5: "No email address.",
        6: "Not an email address.",
    }


# --- Numbers are line numbers -----------------------------------------------------------


def test_every_person_and_bad_row_carries_the_line_it_was_pasted_on():
    reading = read_pasted("a1@example.net, b1@example.net\noops-typo")

    assert people(reading) == [(1, "", "a1@example.net"), (1, "", "b1@example.net")]
    assert problems(reading) == [(2, "oops-typo", NOT_AN_EMAIL)]


def test_lines_holding_several_people_do_not_shift_the_lines_below():
    reading = read_pasted(
        "Doe, Jane <jane@example.net>; x@example.net, y@example.net\n"
        "\n"
        "Fresh Person, fresh@example.net, nope; Roe, John <john@example.net>\n"
        "oops-typo\n"
        "x@example.net"
    )

    assert people(reading) == [
        (1, "Jane Doe", "jane@example.net"),
        (1, "", "x@example.net"),
        (1, "", "y@example.net"),
        (3, "Fresh Person", "fresh@example.net"),
        (3, "John Roe", "john@example.net"),
    ]
    assert problems(reading) == [
        (3, "nope", NOT_AN_EMAIL),
        (4, "oops-typo", NOT_AN_EMAIL),
        (5, "x@example.net", "The same address as line 1: it is invited once, from line 1."),
    ]


def test_the_check_page_numbers_people_by_the_line_they_are_on(organiser_client, programme):
    page = check_page(organiser_client, programme, "a1@example.net, b1@example.net\r\noops-typo")

    assert table_rows(page, "Addresses that will not be invited") == [
        ["2", "oops-typo", NOT_AN_EMAIL]
    ]
    assert table_rows(page, "Who will be invited") == [
        ["1", "(no name)", "a1@example.net", "", ""],
        ["1", "(no name)", "b1@example.net", "", ""],
    ]


# --- A name that starts with @ ----------------------------------------------------------


def test_the_check_page_gives_a_name_starting_with_at_the_formula_reason(
    organiser_client, programme
):
    page = check_page(
        organiser_client, programme, "@SUM <z@example.net>\n@bob <bob2@example.net>\nok@example.org"
    )

    assert table_rows(page, "Addresses that will not be invited") == [
        ["1", "@SUM <z@example.net>", FORMULA],
        ["2", "@bob <bob2@example.net>", FORMULA],
    ]
    assert TWO not in page
    assert table_rows(page, "Who will be invited") == [["3", "(no name)", "ok@example.org", "", ""]]


def test_addresses_and_names_with_an_at_inside_them_are_not_mistaken():
    reading = read_pasted(
        "bob@example.net\n<carol@example.net>\nDan <dan@example.net>\n"
        '"dee@example.net" <dee@example.net>\nAnn @Home <ann@example.net>'
    )

    assert people(reading) == [
        (1, "", "bob@example.net"),
        (2, "", "carol@example.net"),
        (3, "Dan", "dan@example.net"),
        (4, "dee@example.net", "dee@example.net"),
        (5, "Ann @Home", "ann@example.net"),
    ]
    assert problems(reading) == []


def test_a_word_starting_with_at_before_a_bare_address_is_one_bad_row_not_two_addresses():
    reading = read_pasted("@bob jane@example.net")

    assert problems(reading) == [(1, "@bob jane@example.net", NOT_AN_EMAIL)]


SPACED = "A space inside the email address: remove it, or check the address."


@pytest.mark.parametrize("line", ['"Eve Smith" <eve@exa mple.org>', "eve@exa mple.org"])
def test_a_space_inside_an_address_is_reported_not_silently_closed_up(line):
    """Walk 32: it was invited as eve@example.org, with no word of the change."""
    reading = read_pasted(f"ada@example.org\n{line}")

    assert people(reading) == [(1, "", "ada@example.org")]
    assert problems(reading) == [(2, line, SPACED)]


def test_a_stray_bracket_either_side_of_an_address_is_read_alike():
    """Walk 32: "<gina@example.org" was taken and "frank@example.org>" refused."""
    reading = read_pasted("<gina@example.org\nfrank@example.org>\nGina gina@example.org>")

    assert people(reading) == [(1, "", "gina@example.org"), (2, "", "frank@example.org")]
    assert problems(reading) == [(3, "Gina gina@example.org>", NOT_AN_EMAIL)]


def test_an_address_twice_on_one_line_does_not_point_at_its_own_line():
    reading = read_pasted("ada@example.org\ndave@example.org, dave@example.org\nada@example.org")

    assert problems(reading) == [
        (2, "dave@example.org", "The same address twice on this line: it is invited once."),
        (3, "ada@example.org", "The same address as line 1: it is invited once, from line 1."),
    ]
