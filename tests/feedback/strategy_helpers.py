"""A search-review match of two members (Ada and Grace) and small files of each type."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from members.models import User
from pairing.models import Match, MatchMember, Programme, Round
from tests.factories import ProgrammeFactory

STRATEGY = """1. exp Neoplasms/
2. (cancer* or tumour* or tumor*).ti,ab.
3. 1 or 2
4. exp Exercise/
5. (exercis* or physical activit*).ti,ab.
6. 4 or 5
7. 3 and 6
8. limit 7 to english language"""

REVISED = STRATEGY.replace("8. limit 7 to english language", "8. 7 not (animals/ not humans/)")


def review_programme() -> Programme:
    return ProgrammeFactory(name="Search buddies", kind="search_review", strategy_due_days=5)


def review_match(programme: Programme, *users: User, number: int = 1) -> Match:
    pairing_round = Round.objects.create(
        programme=programme,
        number=number,
        scheduled_for=dt.date(2026, 11, 2) + dt.timedelta(days=28 * (number - 1)),
        status="done",
        seed=number,
        finished_at=timezone.make_aware(dt.datetime(2026, 11, 2, 9, 0))
        + dt.timedelta(days=28 * (number - 1)),
    )
    match = Match.objects.create(pairing_round=pairing_round)
    for user in users:
        MatchMember.objects.create(match=match, pairing_round=pairing_round, user=user)
    return match


def pdf_bytes() -> bytes:
    return b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def ris_bytes() -> bytes:
    return b"TY  - JOUR\r\nTI  - Exercise and cancer\r\nER  - \r\n"


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)
