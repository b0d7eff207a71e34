"""Uploaded strategy files: the type is read from the content, never trusted from the
name or the browser; names are sanitised; files are served only as attachments.

Limits, and why: a search history exported from Ovid, EBSCO or PubMed is a few hundred
lines (tens of KB as text or RIS, well under 1 MB as PDF or Word). 5 MB leaves room for
a Word file with screenshots while a year of rounds stays small on a volunteer's disk."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.uploadedfile import UploadedFile
from django.utils.text import get_valid_filename

MAX_BYTES = 5 * 1024 * 1024
MAX_TEXT_CHARS = 100_000
ALLOWED = {
    "txt": ("text/plain; charset=utf-8", "a plain-text file"),
    "ris": ("application/x-research-info-systems", "an RIS file"),
    "pdf": ("application/pdf", "a PDF"),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "a Word (.docx) document",
    ),
}
ALLOWED_WORDS = ".txt, .docx, .pdf or .ris"


class UploadError(ValueError):
    """Why a file was refused, in words for the member."""


@dataclass(frozen=True)
class CheckedFile:
    name: str  # sanitised, with the extension that matches the content
    file_type: str  # a key of ALLOWED


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            return False
        return all(c.isprintable() or c in "\r\n\t\f" for c in text)
    return True


def _is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError):
        return False
    return "[Content_Types].xml" in names and "word/document.xml" in names


def detect(data: bytes) -> str:
    """The type `data` really is (a key of ALLOWED, "ris" only for text with RIS tags),
    or "" when it is none of them."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "docx" if _is_docx(data) else ""
    if _is_text(data):
        head = data.lstrip(b"\xef\xbb\xbf \r\n\t")[:20]
        return "ris" if head.startswith(b"TY  - ") else "txt"
    return ""


def safe_name(name: str, file_type: str) -> str:
    """A name with no path, no odd characters, at most 100 characters, ending in the
    extension of the type the content has."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    stem = base.rsplit(".", 1)[0] if "." in base else base
    try:
        stem = get_valid_filename(stem)[:90]
    except SuspiciousFileOperation:  # "", "." and ".." have no valid name
        stem = ""
    return f"{stem or 'search-strategy'}.{file_type}"


def check_upload(upload: UploadedFile) -> CheckedFile:
    """The checked file, or UploadError saying what is wrong in words."""
    if upload.size is not None and upload.size > MAX_BYTES:
        raise UploadError(
            f"This file is {upload.size / 1024 / 1024:.1f} MB; the limit is "
            f"{MAX_BYTES // 1024 // 1024} MB. Paste the strategy as text instead, or "
            "upload a smaller export."
        )
    if upload.size == 0:
        raise UploadError("This file is empty. Choose the file again, or paste the text.")
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    claimed = _extension(upload.name or "")
    if claimed not in ALLOWED:
        raise UploadError(f"Upload a {ALLOWED_WORDS} file.")
    actual = detect(data)
    text_types = {"txt", "ris"}
    if actual == claimed or (claimed in text_types and actual in text_types):
        return CheckedFile(name=safe_name(upload.name, claimed), file_type=claimed)
    raise UploadError(
        f"This file is named .{claimed} but its content is not {ALLOWED[claimed][1]}. "
        f"Upload a {ALLOWED_WORDS} file, or paste the strategy as text."
    )
