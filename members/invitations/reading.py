"""Reading an uploaded CSV or a pasted list of addresses into rows, with each bad row's
problem in words. No database: `services.invitation_import_create` adds the checks that
need it (already a member, already invited, asked not to be, bounced)."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from email.utils import getaddresses
from itertools import accumulate

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from members.models import Region, Sector

MAX_ROWS = 10_000
MAX_BYTES = 2 * 1024 * 1024  # 10,000 rows of name, address, organisation: about 1 MB
COLUMNS = {
    "name": "name",
    "full name": "name",
    "email": "email",
    "email address": "email",
    "e-mail": "email",
    "e-mail address": "email",
    "organisation": "organisation",
    "organization": "organisation",
    "sector": "sector",
    "region": "region",
}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
LIMITS = {"name": 80, "organisation": 120}
# What the invitation's address column and mail servers accept (RFC 5321: 64 before the @,
# 254 in all); Django's validator alone lets a 300-character local part through.
EMAIL_MAX = 254
LOCAL_PART_MAX = 64
TOO_LONG = "Longer than an email address can be (at most 64 characters before the @, 254 in all)."
TWO_ADDRESSES = (
    "More than one email address: put each on its own line, or separate them with commas."
)
SPACED = "A space inside the email address: remove it, or check the address."
# The address as pasted: inside <angle brackets> (the closing one may be missing), else
# the whole entry. Python's parser drops spaces inside it ("eve@exa mple.org" became
# eve@example.org with no word: walk 32).
RAW_ADDRESS = re.compile(r"<([^>]*)>?")


class ReadError(ValueError):
    """The whole file cannot be read (the message says why and what to do)."""


@dataclass
class Reading:
    rows: list[dict] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)


def decode(data: bytes) -> str:
    if not data.strip():
        raise ReadError("The file is empty.")
    if data.startswith(b"PK\x03\x04") or b"\x00" in data[:4096]:
        raise ReadError(
            "This is not a CSV file (it looks like a spreadsheet or a UTF-16 text file). "
            "In Excel choose File > Save As > CSV UTF-8, then upload that."
        )
    for encoding in ("utf-8-sig", "cp1252"):  # Excel's "CSV UTF-8", then its older "CSV"
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ReadError(
        "We could not read the characters in this file. Save it as CSV UTF-8 and try again."
    )


def _words(text: str) -> str:
    """Lower case, "&" as "and", punctuation as spaces, without "England" or "the":
    "North-West England", "north west" and "NORTH_WEST" all read "north west"."""
    text = re.sub(r"[^\w]+|_", " ", text.lower().replace("&", " and "))
    return " ".join(w for w in text.split() if w not in ("england", "the"))


def _names(code: str, label: str) -> set[str]:
    """What a sector or region may be called: its code, its label and each part of a
    label such as "Health / NHS"."""
    return {_words(n) for n in (code, label, *label.split("/"))} - {""}


def _choice(value: str, choices: type) -> tuple[str, str]:
    """A sector or region by its code or label in any case, with or without "England",
    or the unambiguous start of one ("Public" for "Public libraries"); unknown: empty
    and a note listing what is accepted."""
    wanted = _words(value)
    if not wanted:
        return "", ""
    known = [(code, _names(code, label)) for code, label in choices.choices]
    exact = {code for code, names in known if wanted in names}
    if len(exact) == 1:
        return exact.pop(), ""
    started = {code for code, names in known if any(n.startswith(wanted) for n in names)}
    if len(started) == 1 and len(wanted) >= 3:
        return started.pop(), ""
    kind = choices.__name__.lower()
    accepted = ", ".join(label for _code, label in choices.choices)
    return "", f"{value.strip()!r} is not a {kind} we know: left empty. Accepted: {accepted}."


def _formula_like(name: str) -> bool:
    """A name, or a part of it after a comma ("Smith, =HYPERLINK(...)"), that a spreadsheet
    would run as a formula."""
    return any(part.lstrip(" ").startswith(FORMULA_START) for part in name.split(","))


def _check_row(
    number: int, values: dict, text: str, seen: dict, reading: Reading, unit: str = "row"
) -> None:
    email = values.get("email", "").strip().lower()
    name = " ".join(values.get("name", "").split())
    problem = ""
    if not email:
        problem = "No email address."
    elif "@" in email and (len(email) > EMAIL_MAX or len(email.rsplit("@", 1)[0]) > LOCAL_PART_MAX):
        problem = TOO_LONG
    elif not _is_address(email):
        problem = "Not an email address."
    if not problem and email in seen:
        # Two on one pasted line: not "the same address as line 6" on line 6 (walk 32).
        # Listed with what will not be invited, though the address itself will be: say so.
        first = seen[email]
        problem = (
            f"The same address as {unit} {first}: it is invited once, from {unit} {first}."
            if first != number
            else f"The same address twice on this {unit}: it is invited once."
        )
    if not problem and _formula_like(values.get("name", "")):
        problem = "The name starts like a spreadsheet formula (=, +, -, @): correct it."
    for key, limit in LIMITS.items():
        if not problem and len(values.get(key, "").strip()) > limit:
            problem = f"The {key} is longer than {limit} characters."
    if problem:
        reading.problems.append({"row": number, "text": text[:200], "problem": problem})
        return
    seen[email] = number
    sector, sector_note = _choice(values.get("sector", ""), Sector)
    region, region_note = _choice(values.get("region", ""), Region)
    reading.rows.append(
        {
            "row": number,
            "name": name,
            "email": email,
            "organisation": " ".join(values.get("organisation", "").split()),
            "sector": sector,
            "region": region,
            "note": " ".join(n for n in (sector_note, region_note) if n),
        }
    )


def read_csv(data: bytes) -> Reading:
    """Rows of a CSV whose first row names the columns (name, email; optionally
    organisation, sector, region). Raises ReadError when the file as a whole is unusable."""
    if len(data) > MAX_BYTES:
        raise ReadError("The file is larger than 2 MB. Split it into smaller files.")
    text = decode(data)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:  # (row number as a spreadsheet shows it, cells): blank rows are skipped, not renumbered
        table = [
            (number, row)
            for number, row in enumerate(csv.reader(io.StringIO(text), dialect), start=1)
            if any(c.strip() for c in row)
        ]
    except csv.Error as error:
        raise ReadError(f"This file is not valid CSV ({error}).") from error
    if not table:
        raise ReadError("The file is empty.")
    first = table[0][1]
    header = [COLUMNS.get(" ".join(c.split()).lower(), "") for c in first]
    if "email" not in header or "name" not in header:
        found = ", ".join(c.strip() for c in first if c.strip()) or "nothing"
        raise ReadError(
            "The first row must name the columns: name and email, and optionally "
            f"organisation, sector and region. It says: {found[:200]}."
        )
    if len(table) - 1 > MAX_ROWS:
        raise ReadError(f"The file has {len(table) - 1:,} rows; send at most {MAX_ROWS:,} at once.")
    if len(table) == 1:
        raise ReadError("The file has a header row but no one to invite.")
    reading = Reading(
        ignored_columns=[c.strip() for c, h in zip(first, header, strict=False) if not h]
    )
    seen: dict[str, int] = {}
    for number, cells in table[1:]:
        values = {h: cell for h, cell in zip(header, cells, strict=False) if h}
        text = ", ".join(cell.strip() for cell in cells if cell.strip())
        _check_row(number, values, text, seen, reading)
    return reading


SEPARATORS = ",;\n"
# A person's name: two words or more of letters (with ' - . between), no digits.
NAME = re.compile(r"[^\W\d_]+(?:[ '.-]+[^\W\d_]+)+")
LAST_FIRST = re.compile(r"^([^\W\d_][\w'.\- ]*),\s*([^\W\d_][\w'.\- ]*)$")
# The @ of an address has something before it; an @ that starts a word (@SUM, @bob) does not.
ADDRESS_AT = re.compile(r'[^\s"]@')
NAMED = re.compile(r"(?P<name>[^<>]*)<(?P<email>[^<>]*)>")  # name <address>, nothing after


def _split_pasted(text: str) -> list[tuple[int, str, str]]:
    """Split at ; , or a new line, but not inside "quotes" or <angle brackets> (both end
    with their line); then join Outlook's unquoted `Smith, John <john@example.net>` back
    together (a piece with no address, a comma, then a named <address> on the same line is
    the first half of that name), and a spreadsheet's `John Smith, john@example.net` (a
    name of two words or more, with a space between, then a comma and a bare address on
    the same line, is that address's name). A new line or a semicolon never joins: each
    line is its own people.

    Each entry comes with its row, the number of the line it was pasted on (counting blank
    lines; several people on one line share it, so it always points at the line to fix),
    and its text as pasted."""
    pieces, ends, current, quoted, angled = [], [], [], False, False
    for char in text.replace("\r\n", "\n").replace("\r", "\n"):
        if char == '"' and not angled:
            quoted = not quoted
        elif char == "<" and not quoted:
            angled = True
        elif char == ">" and not quoted:
            angled = False
        elif char == "\n" or (char in SEPARATORS and not quoted and not angled):
            pieces.append("".join(current))
            ends.append(char)  # what separated this piece from the next
            current, quoted, angled = [], False, False
            continue
        current.append(char)
    pieces.append("".join(current))
    ends.append("")
    pieces = [" ".join(piece.split()) for piece in pieces]
    # The line each piece is on: 1, plus the new lines before it.
    lines = list(accumulate((end == "\n" for end in ends[:-1]), initial=1))
    entries: list[tuple[int, str, str]] = []
    index = 0
    while index < len(pieces):
        piece, after = pieces[index], pieces[index + 1] if index + 1 < len(pieces) else ""
        row = lines[index]
        if not piece:
            index += 1
            continue
        same_line_comma = ends[index] == ","
        if (
            same_line_comma
            and not any(c in piece for c in '<>"')
            and not ADDRESS_AT.search(piece)
            and "<" in after
            and after.split("<", 1)[0].strip()
            and not ADDRESS_AT.search(after.split("<", 1)[0])
        ):
            first, address = after.split("<", 1)
            entries.append((row, f'"{piece}, {first.strip()}" <{address}', f"{piece}, {after}"))
            index += 2
            continue
        if (
            same_line_comma
            and NAME.fullmatch(piece)
            # Two words with a space: "not-an-email, nina@example.org" is a mistake beside
            # an address, not the name of its owner (walk 28: it greeted Nina by it).
            and " " in piece
            and "@" in after
            and " " not in after
            and not any(c in after for c in '<>"')
        ):
            # A spreadsheet's "Name, address" row: the name of the address that follows.
            entries.append((row, f'"{piece}" <{after}>', f"{piece}, {after}"))
            index += 2
            continue
        entries.append((row, piece, piece))
        index += 1
    return entries


def _display_name(name: str) -> str:
    """Outlook's "Smith, John" becomes "John Smith" (how the invitation greets them);
    any other name is kept as given."""
    name = " ".join(name.split())
    match = LAST_FIRST.match(name)
    return f"{match[2].strip()} {match[1].strip()}" if match else name


def _spaced(entry: str) -> bool:
    """Whether the address as pasted has a space inside it: in <brackets>, or bare where no
    word of it is an address on its own ("Gina gina@example.org" is a name beside one)."""
    raw = RAW_ADDRESS.search(entry)
    words = (raw[1] if raw else entry).split()
    if "@" not in entry or len(words) < 2:
        return False
    return bool(raw) or not any(_is_address(word.strip("<>")) for word in words)


def _is_address(text: str) -> bool:
    try:
        validate_email(text)
    except ValidationError:
        return False
    return True


def read_pasted(text: str) -> Reading:
    """Addresses pasted from an email client or a spreadsheet: one a line, or separated by
    commas or semicolons; "Ada Lovelace <ada@example.org>", "Lovelace, Ada"
    <ada@example.org> and Outlook's Lovelace, Ada <ada@example.org> keep the name. A line
    is never joined to the next: a line without an address is a bad row of its own."""
    entries = _split_pasted(text)
    if not entries:
        raise ReadError("Paste at least one email address.")
    if len(entries) > MAX_ROWS:
        raise ReadError(f"That is {len(entries):,} addresses; send at most {MAX_ROWS:,} at once.")
    reading = Reading()
    seen: dict[str, int] = {}
    for number, entry, pasted in entries:
        # A stray closing bracket ("frank@example.org>") is read as a second, empty
        # address: dropped, as a stray opening one already was (walk 32).
        if "<" not in entry:
            entry = entry.removesuffix(">")
        parsed, named = getaddresses([entry]), NAMED.fullmatch(entry)
        if _spaced(entry) and len(parsed) == 1:
            reading.problems.append({"row": number, "text": pasted[:200], "problem": SPACED})
            continue
        if len(parsed) == 1 and "@" in parsed[0][1]:
            name, email = parsed[0]
        elif len(ADDRESS_AT.findall(entry)) > 1:
            reading.problems.append({"row": number, "text": pasted[:200], "problem": TWO_ADDRESSES})
            continue
        elif named and not ADDRESS_AT.search(named["name"]):
            # getaddresses reads a name's leading @ (@SUM <...>) as a second address
            name, email = named["name"].strip(' "'), named["email"]
        else:
            name, email = "", entry
        values = {"name": _display_name(name), "email": email}
        _check_row(number, values, pasted, seen, reading, "line")
    return reading
