from __future__ import annotations

from django import forms
from django.db.models import Q

from config.forms import MaxLength
from feedback.models import Evaluation, MeetAgain, Met
from members.models import Interest
from pairing.models import Programme

USEFULNESS_CHOICES = [
    (1, "1: not useful"),
    (2, "2"),
    (3, "3"),
    (4, "4"),
    (5, "5: very useful"),
]


class AnchoredRadioSelect(forms.RadioSelect):
    # Django gives a radio group no id (its legend needs none), so the error summary's
    # link would go nowhere; point it at the first option instead.
    def id_for_label(self, id_: str, index: str | None = None) -> str:
        return super().id_for_label(id_, "0" if index is None else index)


class AnchoredCheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    def id_for_label(self, id_: str, index: str | None = None) -> str:
        return super().id_for_label(id_, "0" if index is None else index)


def _text(label: str, limit: int, *, help_text: str = "", rows: int = 0) -> forms.CharField:
    # The limit is said up front, and in a text box js/character_count.js counts down as
    # the member types. A validator rather than a maxlength attribute: a browser would
    # silently cut off pasted text at the limit, and nothing typed may be lost.
    box = forms.Textarea(attrs={"rows": rows, "data-character-limit": limit})
    return forms.CharField(
        label=label,
        required=False,
        help_text=f"{help_text} Up to {limit:,} characters.".strip(),
        widget=box if rows else forms.TextInput,
        validators=[MaxLength(limit)],
    )


# The questions under "If you met" (the evaluation form), and what each becomes when the
# answer is not "Yes, we met".
MEETING_ANSWERS = ("usefulness", "minutes", "topics", "topics_other", "meet_again")
HIDDEN_EMPTY = {"usefulness": None, "minutes": None}


class EvaluationForm(forms.ModelForm):
    """One member's feedback on one match. (A search-strategy review is not part of it:
    it is written for its author, on its own page; see `feedback.strategies`.)"""

    met = forms.ChoiceField(
        label="Did you meet?",
        choices=Met.choices,
        widget=AnchoredRadioSelect,
        error_messages={"required": "Tell us whether you met."},
    )
    not_met_reason = _text(
        "What got in the way?",
        300,
        help_text="Only the organisers read this. It helps them make the next round work.",
        rows=2,
    )
    usefulness = forms.TypedChoiceField(
        label="How useful was it?",
        choices=USEFULNESS_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        widget=AnchoredRadioSelect,
        help_text="From 1 (not useful) to 5 (very useful).",
        error_messages={"invalid_choice": "Choose a number from 1 to 5."},
    )
    minutes = forms.IntegerField(
        label="Time spent, in minutes (optional)",
        required=False,
        min_value=5,
        max_value=600,
        help_text="For your CPD record. Include time preparing, if you like.",
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": "Enter the time as a whole number of minutes, such as 30.",
            "min_value": "Enter at least 5 minutes.",
            "max_value": "Enter at most 600 minutes (10 hours).",
        },
    )
    topics = forms.ModelMultipleChoiceField(
        label="What did you talk about?",
        queryset=Interest.objects.none(),
        required=False,
        widget=AnchoredCheckboxSelectMultiple,
        help_text="Tick any that apply.",
    )
    topics_other = _text("Other topics (optional)", 200)
    meet_again = forms.ChoiceField(
        label="Would you meet again?",
        choices=MeetAgain.choices,
        required=False,
        widget=AnchoredRadioSelect,
    )
    next_steps = _text(
        "What will you do next?",
        2000,
        help_text="A reflection for your CPD record: something you will try, read or "
        "change. Only you and the organisers see it.",
        rows=4,
    )
    private_comment = _text(
        "Comments for the organisers only (optional)",
        2000,
        help_text="Your partner never sees this.",
        rows=3,
    )
    takeaway = _text(
        "A takeaway to share with the community (optional)",
        1000,
        help_text="One idea other members might find useful. Shared only if you tick the "
        "box below.",
        rows=3,
    )
    share_takeaway = forms.BooleanField(
        label="Share my takeaway with other members", required=False
    )
    show_name_with_takeaway = forms.BooleanField(
        label="Show my name with my takeaway",
        required=False,
        help_text="Otherwise it is shared without your name.",
    )

    class Meta:
        model = Evaluation
        fields = [
            "met",
            "not_met_reason",
            "usefulness",
            "minutes",
            "topics",
            "topics_other",
            "meet_again",
            "next_steps",
            "private_comment",
            "takeaway",
            "share_takeaway",
            "show_name_with_takeaway",
        ]

    def __init__(
        self, *args: object, programme: Programme, nobody_remains: bool = False, **kwargs: object
    ) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        if nobody_remains:
            # Every partner has deleted their account: a meeting can no longer happen, so
            # "Not yet" is not an answer (and no follow-up would ask again).
            met = self.fields["met"]
            met.choices = [(value, label) for value, label in Met.choices if value != Met.NOT_YET]
            met.error_messages["invalid_choice"] = (
                "Nobody else in this introduction still has an account, so there is no "
                "meeting to wait for: choose “Yes, we met” or “No, we couldn't meet”."
            )
        # Topics chosen earlier stay on the list even if an organiser has since retired them.
        chosen = list(self.instance.topics.values_list("pk", flat=True)) if self.instance.pk else []
        self.fields["topics"].queryset = Interest.objects.filter(Q(active=True) | Q(pk__in=chosen))

    def clean(self) -> dict:
        data = super().clean()
        met = data.get("met")
        self._ignore_hidden_answers(met, data)
        if met == Met.YES and data.get("usefulness") is None and "usefulness" not in self.errors:
            self.add_error("usefulness", "Tell us how useful it was, from 1 to 5.")
        if (
            met == Met.NO
            and not data.get("not_met_reason", "").strip()
            and ("not_met_reason" not in self.errors)
        ):
            self.add_error(
                "not_met_reason", "Tell us briefly what got in the way, so we can help next time."
            )
        if (
            data.get("share_takeaway")
            and not data.get("takeaway", "").strip()
            and ("takeaway" not in self.errors)
        ):
            self.add_error("takeaway", "Write your takeaway, or untick “share my takeaway”.")
        if data.get("show_name_with_takeaway") and not data.get("share_takeaway"):
            self.add_error(
                "show_name_with_takeaway",
                "Your name can only be shown with a shared takeaway: tick “share my "
                "takeaway” too, or untick this.",
            )
        return data

    def _ignore_hidden_answers(self, met: str | None, data: dict) -> None:
        """The questions under the heading that does not fit the answer to "Did you meet?"
        are hidden on the page (met_sections.js) and not asked: an error in one (3 minutes
        typed under "If you met", then "No" chosen) would point at a field the member
        cannot see, so it is dropped with the answer (walk 27)."""
        if not met:
            return
        hidden = MEETING_ANSWERS if met != Met.YES else ()
        hidden += ("not_met_reason",) if met != Met.NO else ()
        for name in hidden:
            self._errors.pop(name, None)
            data[name] = HIDDEN_EMPTY.get(name, "")
        if "topics" in hidden:
            data["topics"] = Interest.objects.none()

    def evaluation_data(self) -> dict:
        """The cleaned answers as `evaluation_submit` takes them. Answers that do not fit
        "Did you meet?" were already emptied by ``clean`` (``_ignore_hidden_answers``)."""
        data = {name: self.cleaned_data[name] for name in self.Meta.fields if name != "topics"}
        if not data["share_takeaway"]:
            data["show_name_with_takeaway"] = False
        return data
