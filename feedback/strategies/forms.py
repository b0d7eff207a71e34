"""The two forms of a search-strategy review: sharing a strategy (text and/or file,
with its question, databases and limits) and reviewing one with the PRESS elements.
Every limit is a validator with a message, so nothing typed is cut off or lost."""

from __future__ import annotations

from django import forms
from django.utils.html import escape

from feedback.forms import AnchoredCheckboxSelectMultiple, AnchoredRadioSelect, _text
from feedback.models import PressVerdict, StrategyVersion
from feedback.strategies.uploads import (
    ALLOWED_WORDS,
    MAX_BYTES,
    MAX_TEXT_CHARS,
    UploadError,
    check_upload,
)
from pairing.kinds.search_review import PRESS_ELEMENTS

DATABASES = [
    ("medline_ovid", "MEDLINE via Ovid"),
    ("pubmed", "PubMed"),
    ("embase", "Embase"),
    ("cinahl", "CINAHL"),
    ("psycinfo", "APA PsycInfo"),
    ("cochrane", "Cochrane Library"),
    ("scopus", "Scopus"),
    ("wos", "Web of Science"),
    ("other", "Other"),
]
DATABASE_NAMES = dict(DATABASES)
COMMENT_MAX = 2000


def _lower_first(heading: str) -> str:
    """ "Subject headings" -> "subject headings"; "Boolean ..." keeps its capital."""
    return heading if heading.startswith("Boolean") else heading[0].lower() + heading[1:]


OVERALL_MAX = 4000


class StrategyForm(forms.Form):
    text = _text(
        "Your search strategy",
        MAX_TEXT_CHARS,
        rows=16,
        help_text="Paste it as your database shows it, line numbers included (layout is "
        "kept and shown in a fixed-width font), or upload it below, or both.",
    )
    file = forms.FileField(
        label="Upload it as a file (optional)",
        required=False,
        help_text=f"A {ALLOWED_WORDS} file of up to {MAX_BYTES // 1024 // 1024} MB. Only "
        "the people you were matched with can download it.",
        error_messages={
            "empty": "This file is empty: check you chose the right one, or paste the text.",
            "invalid": "No file was received: choose the file again.",
            "max_length": "Shorten the file's name to 200 characters or fewer.",
        },
        max_length=200,
    )
    question = _text("Research question (optional)", 1000, rows=2)
    population = _text("Population (optional)", 300)
    intervention = _text("Intervention or exposure (optional)", 300)
    comparison = _text("Comparison (optional)", 300)
    outcome = _text("Outcome (optional)", 300)
    databases = forms.MultipleChoiceField(
        label="Databases and interfaces searched (optional)",
        choices=DATABASES,
        required=False,
        widget=AnchoredCheckboxSelectMultiple,
    )
    databases_other = _text("Other databases or interfaces (if you ticked Other)", 300)
    limits = _text(
        "Limits and filters used (optional)",
        1000,
        rows=3,
        help_text="For example: English only, 2010 onwards, humans, a study-design filter.",
    )
    feedback_wanted = _text("What feedback would you like? (optional)", 1000, rows=3)

    keep_file = forms.BooleanField(required=False, initial=True)

    def __init__(self, *args: object, previous: StrategyVersion | None = None, **kwargs: object):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["text"].widget.attrs.update({"class": "strategy-input", "spellcheck": "false"})
        if previous is not None and previous.file:
            self.fields["keep_file"].label = (
                f"Keep {previous.file_name} from version {previous.number} "
                "(untick to share this version without it; a new upload replaces it)"
            )
        else:
            del self.fields["keep_file"]
        self._say_what_a_new_file_does(previous)
        self.fields["file"].widget.attrs["accept"] = ".txt,.docx,.pdf,.ris"
        self.checked = None

    def _say_what_a_new_file_does(self, previous: StrategyVersion | None) -> None:
        """Before a revision is sent, say whose text the box holds and what a new file does
        to it (help text is shown unescaped: the file name is escaped here)."""
        if previous is None or not previous.text:
            return
        text, upload, number = self.fields["text"], self.fields["file"], previous.number
        if previous.text_from_file:
            name = escape(previous.file_name)
            said = f"This box holds the text of {name}, version {number}'s file."
            does = (
                "A new .txt or .ris file's text replaces that text unless you edit the box. "
                "A Word or PDF file's text can't be shown: with one, the box's text (still "
                f"version {number}'s) is shared as it is, so paste the new text, or empty the "
                "box to share the file alone."
            )
        else:
            said = f"This box holds the text you pasted for version {number}."
            does = (
                "A new file is shared as well as the text in the box; to show a new .txt or "
                ".ris file's text instead, empty the box."
            )
        text.help_text = f"{said} {text.help_text}"
        upload.help_text = f"{does} {upload.help_text}"

    @classmethod
    def from_version(cls, version: StrategyVersion | None) -> StrategyForm:
        """An empty form, or one holding `version`'s text and context to revise."""
        if version is None:
            return cls()
        names = ("text", "question", "population", "intervention", "comparison", "outcome")
        initial = {name: getattr(version, name) for name in names}
        initial |= {
            "databases": version.databases,
            "databases_other": version.databases_other,
            "limits": version.limits,
            "feedback_wanted": version.feedback_wanted,
        }
        return cls(initial=initial, previous=version)

    def clean_file(self) -> object:
        upload = self.cleaned_data.get("file")
        if upload:
            try:
                self.checked = check_upload(upload)
            except UploadError as error:
                raise forms.ValidationError(str(error)) from None
        return upload

    def clean(self) -> dict:
        data = super().clean()
        kept = "keep_file" in self.fields and data.get("keep_file")
        empty = not (data.get("text") or "").strip() and not data.get("file") and not kept
        if empty and not self.errors:
            self.add_error("text", "Paste your search strategy, or upload it as a file.")
        if (
            "other" in (data.get("databases") or [])
            and not (data.get("databases_other") or "").strip()
        ):
            self.add_error("databases_other", "Name the other databases or interfaces.")
        return data

    @property
    def keeps_file(self) -> bool:
        return "keep_file" not in self.fields or bool(self.cleaned_data.get("keep_file"))

    def context(self) -> dict:
        names = ("question", "population", "intervention", "comparison", "outcome")
        data = {name: self.cleaned_data[name].strip() for name in names}
        data["databases"] = list(self.cleaned_data["databases"])
        data["databases_other"] = self.cleaned_data["databases_other"].strip()
        data["limits"] = self.cleaned_data["limits"].strip()
        data["feedback_wanted"] = self.cleaned_data["feedback_wanted"].strip()
        return data


class ReviewForm(forms.Form):
    """A verdict and a comment for each PRESS element, and an overall note. A draft may
    leave anything empty; sending needs a verdict for every element."""

    overall = _text(
        "Overall note (optional)",
        OVERALL_MAX,
        rows=5,
        help_text="What works well, and the most important change, if any.",
    )

    def __init__(self, *args: object, saved: object = None, **kwargs: object) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        elements = getattr(saved, "elements", None) or {}
        for key, heading in PRESS_ELEMENTS:
            entry = elements.get(key) or {}
            self.fields[f"{key}_verdict"] = forms.ChoiceField(
                label=heading,
                choices=PressVerdict.choices,
                required=False,
                widget=AnchoredRadioSelect,
                initial=entry.get("verdict"),
            )
            comment = _text(
                f"Comments on {_lower_first(heading)} (optional)",
                COMMENT_MAX,
                rows=3,
                help_text="Cite the strategy's own line numbers, for example “line 4: add "
                "exp Neoplasms/”.",
            )
            comment.initial = entry.get("comment", "")
            self.fields[f"{key}_comment"] = comment
        if saved is not None:
            self.fields["overall"].initial = getattr(saved, "overall", "")
        # Keep the overall note last, after the elements.
        self.order_fields([name for name in self.fields if name != "overall"] + ["overall"])

    @property
    def element_groups(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"{key}_verdict"], self[f"{key}_comment"]) for key, _ in PRESS_ELEMENTS]

    def check_complete(self) -> bool:
        """For sending: every element needs a verdict. Adds the errors; True when none."""
        for key, heading in PRESS_ELEMENTS:
            if not self.cleaned_data.get(f"{key}_verdict") and f"{key}_verdict" not in self.errors:
                self.add_error(
                    f"{key}_verdict", f"Choose a verdict for “{heading}” before sending."
                )
        return not self.errors

    def elements(self) -> dict[str, dict[str, str]]:
        return {
            key: {
                "verdict": self.cleaned_data[f"{key}_verdict"],
                "comment": self.cleaned_data[f"{key}_comment"].strip(),
            }
            for key, _ in PRESS_ELEMENTS
            if self.cleaned_data[f"{key}_verdict"] or self.cleaned_data[f"{key}_comment"].strip()
        }
