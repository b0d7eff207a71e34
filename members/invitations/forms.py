"""Forms: an upload or a pasted list (read into rows, see `reading`), and an
announcement with its preview's check."""

from __future__ import annotations

import hashlib

from django import forms

from members.invitations.reading import MAX_BYTES, ReadError, read_csv, read_pasted

PASTED = "pasted addresses"  # an import's source when nothing was uploaded


class ImportForm(forms.Form):
    file = forms.FileField(
        label="A CSV file",
        required=False,
        help_text="The first row names the columns: name, email, and optionally organisation, "
        "sector and region. Up to 10,000 rows. From Excel: Save As > CSV UTF-8.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    pasted = forms.CharField(
        label="Or paste addresses",
        required=False,
        strip=False,  # as typed: shown again whole, and blank lines keep the rows' numbers
        max_length=MAX_BYTES,
        help_text="One a line, or separated by commas or semicolons; names are kept, as in "
        '"Ada Lovelace <ada@example.org>" or Outlook\u2019s "Lovelace, Ada <ada@example.org>".',
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean(self) -> dict:
        data = super().clean()
        upload, pasted = data.get("file"), data.get("pasted") or ""
        if self.errors:
            return data
        if upload and pasted.strip():
            self.add_error("pasted", "Upload a file or paste addresses, not both at once.")
        elif upload:
            try:
                data["reading"] = read_csv(upload.read(MAX_BYTES + 1))
            except ReadError as error:
                self.add_error("file", str(error))
            data["source"] = upload.name
        elif pasted.strip():
            try:
                data["reading"] = read_pasted(pasted)
            except ReadError as error:
                self.add_error("pasted", str(error))
            data["source"] = PASTED
        else:
            self.add_error("file", "Choose a CSV file, or paste addresses below.")
        return data


def message_digest(subject: str, body: str) -> str:
    return hashlib.sha256(f"{subject}\x00{body}".encode()).hexdigest()


class AnnouncementForm(forms.Form):
    subject = forms.CharField(
        label="Subject", max_length=150, error_messages={"required": "Write a subject."}
    )
    body = forms.CharField(
        label="Message",
        max_length=5000,
        error_messages={"required": "Write a message."},
        help_text="Plain text; a blank line starts a new paragraph. Each member's email "
        "starts with \u201cHello\u201d and their name, and ends with your name.",
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    nonce = forms.CharField(widget=forms.HiddenInput, required=False)
    previewed = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean_subject(self) -> str:
        subject = " ".join(self.cleaned_data["subject"].split())
        if not subject:
            raise forms.ValidationError("Write a subject.")
        return subject

    def clean_body(self) -> str:
        body = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError("Write a message.")
        return body

    def matches_preview(self) -> bool:
        data = self.cleaned_data
        return data.get("previewed") == message_digest(data["subject"], data["body"])
