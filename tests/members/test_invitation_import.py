"""Inviting people from a CSV or pasted addresses: every bad row reported in words before
anything is sent, the good rows invited once each through the outbox."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from members.invitations import services
from members.invitations.mailing import email_hash
from members.invitations.models import Invitation, InvitationImport, InvitationOptOut
from members.invitations.reading import ReadError, read_csv, read_pasted
from members.mailing import bounce_record
from pairing.models import MembershipStatus, OutboxEmail, OutboxKind
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
HEADER = "name,email,organisation,sector,region\n"


def csv_bytes(*lines: str, header: str = HEADER, encoding: str = "utf-8") -> bytes:
    return (header + "\n".join(lines) + "\n").encode(encoding)


def upload(client, programme, data: bytes, name: str = "people.csv"):
    url = reverse("admin:members_invitation_programme", args=[programme.pk])
    return client.post(url, {"file": SimpleUploadedFile(name, data, "text/csv")})


def problems_of(reading) -> dict[int, str]:
    return {p["row"]: p["problem"] for p in reading.problems}


# --- Reading the file ----------------------------------------------------------------


def test_a_good_csv_gives_one_row_per_person_with_sector_and_region_by_label_or_code():
    reading = read_csv(
        csv_bytes(
            "Ada Lovelace,Ada@Example.org,Analytical Library,Health / NHS,north-west",
            "Grace Hopper,grace@example.org,,academic,Wales",
        )
    )

    assert [(r["name"], r["email"], r["sector"], r["region"]) for r in reading.rows] == [
        ("Ada Lovelace", "ada@example.org", "health", "north-west"),
        ("Grace Hopper", "grace@example.org", "academic", "wales"),
    ]
    assert reading.problems == []


@pytest.mark.parametrize(
    ("sector", "region", "codes"),
    [
        ("NHS", "North West", ("health", "north-west")),
        ("health / nhs", "NORTH WEST ENGLAND", ("health", "north-west")),
        ("Public", "north_west", ("public", "north-west")),
        ("higher education", "Yorkshire & the Humber", ("academic", "yorkshire")),
        ("Further", "East England", ("further_education", "east")),
    ],
)
def test_common_ways_of_naming_a_sector_or_region_are_understood(sector, region, codes):
    reading = read_csv(csv_bytes(f"Ada,ada@example.org,,{sector},{region}"))

    assert (reading.rows[0]["sector"], reading.rows[0]["region"]) == codes
    assert reading.rows[0]["note"] == ""


def test_an_unknown_or_ambiguous_region_or_sector_says_what_is_accepted():
    reading = read_csv(csv_bytes("Ada,ada@example.org,,Schools,North"))

    note = reading.rows[0]["note"]
    assert (reading.rows[0]["sector"], reading.rows[0]["region"]) == ("", "")
    assert "'North' is not a region we know: left empty. Accepted: North East England, " in note
    assert "North West England" in note and "Outside the UK and Ireland" in note
    assert "'Schools' is not a sector we know: left empty. Accepted: Academic" in note
    assert "Public libraries" in note


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "The file is empty."),
        (b"   \n\n", "The file is empty."),
        (HEADER.encode(), "a header row but no one to invite"),
        (b"PK\x03\x04spreadsheet", "not a CSV file"),
        ("name,email\nAda,ada@example.org\n".encode("utf-16"), "not a CSV file"),
        (b"name,email\nZo\x81,zoe@example.org\n", "could not read the characters"),
    ],
    ids=["empty", "blank lines", "header only", "xlsx", "utf-16", "undecodable"],
)
def test_a_file_that_cannot_be_read_says_why(data, words):
    with pytest.raises(ReadError, match=words):
        read_csv(data)


def test_wrong_columns_name_what_the_first_row_says():
    with pytest.raises(ReadError) as error:
        read_csv(b"first,last,phone\nAda,Lovelace,0161\n")

    assert "name and email" in str(error.value)
    assert "It says: first, last, phone." in str(error.value)


def test_an_excel_csv_in_windows_1252_is_read_with_its_accents():
    reading = read_csv(csv_bytes("Zoë Brontë,zoe@example.org,,,", encoding="cp1252"))

    assert reading.rows[0]["name"] == "Zoë Brontë"


def test_a_byte_order_mark_and_semicolons_from_excel_are_understood():
    data = "\ufeffName;E-mail address\nAda Lovelace;ada@example.org\n".encode()

    reading = read_csv(data)

    assert reading.rows[0]["email"] == "ada@example.org"


def test_every_bad_row_is_reported_with_its_row_number_and_the_good_ones_kept():
    reading = read_csv(
        csv_bytes(
            "Ada Lovelace,ada@example.org,,,",
            "No Address,,,,",
            "Bad Address,not-an-address,,,",
            "Ada Again,ADA@example.org,,,",
            '=HYPERLINK("http://evil"),formula@example.org,,,',
            "+Plus,plus@example.org,,,",
            "@Sum,at@example.org,,,",
            f"{'L' * 81},long@example.org,,,",
            ",,,,",
            "Grace Hopper,grace@example.org,,underwater basket weaving,",
        )
    )

    assert [r["email"] for r in reading.rows] == ["ada@example.org", "grace@example.org"]
    assert problems_of(reading) == {
        3: "No email address.",
        4: "Not an email address.",
        5: "The same address as row 2: it is invited once, from row 2.",
        6: "The name starts like a spreadsheet formula (=, +, -, @): correct it.",
        7: "The name starts like a spreadsheet formula (=, +, -, @): correct it.",
        8: "The name starts like a spreadsheet formula (=, +, -, @): correct it.",
        9: "The name is longer than 80 characters.",
    }
    assert reading.rows[1]["sector"] == ""
    assert "'underwater basket weaving' is not a sector we know" in reading.rows[1]["note"]


def test_extra_columns_are_ignored_and_named():
    reading = read_csv(b"Name,Email,Phone\nAda,ada@example.org,0161\n")

    assert reading.ignored_columns == ["Phone"]
    assert reading.rows[0]["email"] == "ada@example.org"


def test_ten_thousand_rows_are_read_and_one_more_is_refused():
    lines = [f"Person {n},person{n}@example.org,,," for n in range(10_000)]

    reading = read_csv(csv_bytes(*lines))

    assert len(reading.rows) == 10_000 and reading.problems == []
    with pytest.raises(ReadError, match="at most 10,000"):
        read_csv(csv_bytes(*lines, "One More,more@example.org,,,"))


def test_pasted_addresses_keep_names_and_report_bad_entries():
    reading = read_pasted(
        "Ada Lovelace <ada@example.org>, grace@example.org\nnonsense; ada@example.org\n"
    )

    assert [(r["name"], r["email"]) for r in reading.rows] == [
        ("Ada Lovelace", "ada@example.org"),
        ("", "grace@example.org"),
    ]
    # Both are on the second line: a pasted entry carries the number of its line.
    assert [(p["row"], p["problem"]) for p in reading.problems] == [
        (2, "Not an email address."),
        (2, "The same address as line 1: it is invited once, from line 1."),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Smith, John <john.smith@example.net>; Doe, Jane <jane.doe@example.net>",
        '"Smith, John" <john.smith@example.net>, "Doe, Jane" <jane.doe@example.net>',
        "Smith, John <john.smith@example.net>\nDoe, Jane <jane.doe@example.net>",
    ],
)
def test_outlook_last_first_names_are_kept_whole_not_split_at_their_comma(text):
    reading = read_pasted(text)

    assert [(r["name"], r["email"]) for r in reading.rows] == [
        ("John Smith", "john.smith@example.net"),
        ("Jane Doe", "jane.doe@example.net"),
    ]
    assert reading.problems == []


def test_a_name_that_is_not_last_first_is_kept_as_given_and_commas_still_separate():
    reading = read_pasted('"Lee, Ann (NHS)" <ann@example.org>, bob@example.org; c@example.org')

    assert [(r["name"], r["email"]) for r in reading.rows] == [
        ("Lee, Ann (NHS)", "ann@example.org"),
        ("", "bob@example.org"),
        ("", "c@example.org"),
    ]


# --- The report before sending --------------------------------------------------------


def test_the_report_names_members_earlier_invitations_opt_outs_and_bounces(
    organiser_client, organiser, programme
):
    MembershipFactory(user=UserFactory(email="member@example.org"), programme=programme)
    MembershipFactory(
        user=UserFactory(email="left@example.org"),
        programme=programme,
        status=MembershipStatus.LEFT,
    )
    InvitationOptOut.objects.create(email_hash=email_hash("no@example.org"))
    bounce_record(email="gone@example.org", kind="bounced", detail="550", source="smtp")
    Invitation.objects.create(
        programme=programme,
        email="invited@example.org",
        email_hash=email_hash("invited@example.org"),
        expires_at=timezone.now() + dt.timedelta(days=30),
    )
    data = csv_bytes(
        "M,Member@example.org,,,",
        "L,left@example.org,,,",
        "N,no@example.org,,,",
        "G,gone@example.org,,,",
        "I,invited@example.org,,,",
        "New Person,new@example.org,,,",
    )

    response = upload(organiser_client, programme, data)

    invitation_import = InvitationImport.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("admin:members_invitation_import", args=[invitation_import.pk])
    page = organiser_client.get(response.url).content.decode()
    assert "Already a member of this programme." in page
    assert "Asked never to be invited." in page
    assert "Email to this address bounced before." in page
    assert "Already invited on" in page
    assert [r["email"] for r in invitation_import.rows] == ["left@example.org", "new@example.org"]
    assert "Send 2 invitations" in page
    assert not OutboxEmail.objects.exists()  # nothing sent before the button


def test_someone_with_an_account_is_invited_and_the_report_says_they_will_log_in(
    organiser_client, organiser, programme
):
    other = MembershipFactory(user=UserFactory(email="elsewhere@example.org")).user
    data = csv_bytes(
        f"Member Elsewhere,{other.email.upper()},,,",
        "Olive,org@example.org,,,",
        "N,n@example.org,,,",
    )

    response = upload(organiser_client, programme, data)

    invitation_import = InvitationImport.objects.get()
    notes = {r["email"]: r["note"] for r in invitation_import.rows}
    assert notes == {
        "elsewhere@example.org": "Has an account (will be asked to log in).",
        "org@example.org": "Has an account (will be asked to log in).",
        "n@example.org": "",
    }
    page = organiser_client.get(response.url).content.decode()
    assert "Send 3 invitations" in page
    assert page.count("Has an account (will be asked to log in).") == 2


def test_a_formula_like_name_is_shown_as_text_never_as_markup(organiser_client, programme):
    data = csv_bytes("<script>alert(1)</script>,x@example.org,,,", "=1+2,y@example.org,,,")

    response = upload(organiser_client, programme, data)

    page = organiser_client.get(response.url).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "=1+2, y@example.org" in page


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "The submitted file is empty."),
        (b"first,last\nAda,Lovelace\n", "The first row must name the columns"),
        ("name,email\n".encode("utf-16"), "not a CSV file"),
    ],
    ids=["empty", "wrong columns", "bad encoding"],
)
def test_an_unreadable_upload_stays_on_the_page_with_the_reason(
    organiser_client, programme, data, words
):
    response = upload(organiser_client, programme, data)

    assert response.status_code == 200
    assert words in response.content.decode()
    assert not InvitationImport.objects.exists()


def test_nothing_uploaded_or_pasted_asks_for_one(organiser_client, programme):
    url = reverse("admin:members_invitation_programme", args=[programme.pk])

    response = organiser_client.post(url, {"pasted": "  "})

    assert "Choose a CSV file, or paste addresses below." in response.content.decode()


def test_pasted_text_that_is_rejected_is_shown_again(organiser_client, programme):
    url = reverse("admin:members_invitation_programme", args=[programme.pk])
    text = "a@example.org"

    response = organiser_client.post(
        url, {"pasted": text, "file": SimpleUploadedFile("x.csv", b"name,email\nA,a@x.org\n")}
    )

    body = response.content.decode()
    assert "Upload a file or paste addresses, not both at once." in body
    assert text in body


# --- Sending --------------------------------------------------------------------------


def _import(programme, organiser, *emails):
    reading = read_pasted("\n".join(emails))
    return services.invitation_import_create(
        programme=programme, reading=reading, source="pasted", by=organiser
    )


def test_send_invites_each_row_once_through_the_outbox(organiser_client, organiser, programme):
    invitation_import = _import(programme, organiser, "a@example.org", "b@example.org")
    url = reverse("admin:members_invitation_import", args=[invitation_import.pk])

    first = organiser_client.post(url)
    again = organiser_client.post(url)

    rows = OutboxEmail.objects.filter(kind=OutboxKind.INVITATION)
    assert sorted(rows.values_list("address", flat=True)) == ["a@example.org", "b@example.org"]
    assert all(row.user_id is None for row in rows)
    assert set(rows.values_list("ref", flat=True)) == set(
        Invitation.objects.values_list("pk", flat=True)
    )
    assert first.url == reverse("admin:members_invitation_programme", args=[programme.pk])
    messages = [str(m) for m in again.wsgi_request._messages]
    assert "These invitations were sent already; nothing was sent again." in messages


def test_someone_who_joined_between_report_and_send_is_left_out(organiser, programme):
    invitation_import = _import(programme, organiser, "a@example.org", "b@example.org")
    MembershipFactory(user=UserFactory(email="b@example.org"), programme=programme)

    sent = services.invitation_import_send(invitation_import=invitation_import, by=organiser)

    assert sent == 1
    assert list(Invitation.objects.values_list("email", flat=True)) == ["a@example.org"]


def test_ten_thousand_invitations_are_written_in_a_few_queries(
    organiser, programme, django_assert_max_num_queries
):
    reading = read_csv(csv_bytes(*[f"P {n},p{n}@example.org,,," for n in range(10_000)]))
    with django_assert_max_num_queries(150):
        invitation_import = services.invitation_import_create(
            programme=programme, reading=reading, source="big.csv", by=organiser
        )
        sent = services.invitation_import_send(invitation_import=invitation_import, by=organiser)

    assert sent == 10_000
    assert OutboxEmail.objects.filter(kind=OutboxKind.INVITATION).count() == 10_000


def test_a_closed_programme_sends_nothing_and_says_why(organiser_client, organiser, programme):
    programme.signup_open = False
    programme.save()
    invitation_import = _import(programme, organiser, "a@example.org")
    url = reverse("admin:members_invitation_import", args=[invitation_import.pk])

    response = organiser_client.post(url, follow=True)

    assert "Sign-up for this programme is closed" in response.content.decode()
    assert not Invitation.objects.exists() and not OutboxEmail.objects.exists()


def test_after_sending_the_list_itself_is_not_kept(organiser, programme):
    InvitationOptOut.objects.create(email_hash=email_hash("no@example.org"))
    invitation_import = _import(programme, organiser, "a@example.org", "no@example.org")
    assert invitation_import.problems  # the opted-out address, shown before sending

    services.invitation_import_send(invitation_import=invitation_import, by=organiser)

    invitation_import.refresh_from_db()
    assert invitation_import.rows == [] and invitation_import.problems == []
    assert invitation_import.sent_count == 1


@pytest.mark.parametrize(
    ("header", "words"),
    [
        ("Name,Email,Phone", "Column not used: Phone."),
        ("Name,Email,Phone,Fax", "Columns not used: Phone, Fax."),
    ],
)
def test_the_organiser_is_told_which_columns_were_not_used(
    organiser_client, programme, header, words
):
    data = f"{header}\nAda,ada@example.org,0161,0162\n".encode()

    response = upload(organiser_client, programme, data)

    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == [words]


def test_the_report_of_pasted_addresses_speaks_of_what_was_pasted_in_singular_or_plural(
    organiser_client, programme
):
    url = reverse("admin:members_invitation_programme", args=[programme.pk])

    one = organiser_client.post(url, {"pasted": "nonsense, a@example.org"}, follow=True)
    two = organiser_client.post(url, {"pasted": "x, y, b@example.org"}, follow=True)

    page = one.content.decode()
    assert "Fix these in what you pasted" in page and "in your file" not in page
    assert "<strong>1</strong> address will not be." in page
    assert "<strong>2</strong> addresses will not be." in two.content.decode()
    assert "(s)" not in page
    # Nothing to refuse: no "0 addresses will not be" (walk 29).
    clean = organiser_client.post(url, {"pasted": "c@example.org, d@example.org"}, follow=True)
    clean_page = clean.content.decode()
    assert "<strong>2</strong> can be invited: everyone on the list." in clean_page
    assert "will not be" not in clean_page


def test_the_report_of_a_file_speaks_of_rows_in_singular_or_plural(organiser_client, programme):
    one = upload(organiser_client, programme, csv_bytes("A,nonsense,,,", "B,b@example.org,,,"))
    two = upload(organiser_client, programme, csv_bytes("A,x,,,", "B,y,,,", "C,c@example.org,,,"))

    page = organiser_client.get(one.url).content.decode()
    assert "Fix these in your file" in page
    assert "<strong>1</strong> row will not be." in page
    assert "<strong>2</strong> rows will not be." in organiser_client.get(two.url).content.decode()


def test_sending_one_invitation_says_so_in_the_singular(organiser_client, programme):
    response = upload(organiser_client, programme, csv_bytes("A,a@example.org,,,"))

    sent = organiser_client.post(response.url, follow=True)

    assert "1 invitation is on its way." in sent.content.decode()


def test_an_address_invited_once_that_then_opted_out_is_refused_as_opted_out(
    organiser_client, organiser, programme
):
    Invitation.objects.create(
        programme=programme,
        email="rosa@example.net",
        email_hash=email_hash("rosa@example.net"),
        expires_at=timezone.now() + dt.timedelta(days=30),
    )
    InvitationOptOut.objects.create(email_hash=email_hash("rosa@example.net"))

    response = upload(organiser_client, programme, csv_bytes("Rosa,rosa@example.net,,,"))

    page = organiser_client.get(response.url).content.decode()
    assert "Asked never to be invited." in page
    assert "Already invited on" not in page


def test_a_pasted_name_comma_address_row_keeps_the_name():
    reading = read_pasted("Fresh Person, fresh.person@example.net\nada@example.org, bo@example.org")

    assert [(r["name"], r["email"]) for r in reading.rows] == [
        ("Fresh Person", "fresh.person@example.net"),
        ("", "ada@example.org"),
        ("", "bo@example.org"),
    ]
    assert reading.problems == []
