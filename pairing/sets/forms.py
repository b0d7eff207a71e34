"""Forms for learning sets: moving a session, proposing a swap of turns, the check-in,
the set evaluation, and the organisers' cycle set-up and set actions. They validate and
normalise; the services decide."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from config.forms import Form, MaxLength, model_number_ranges
from pairing.kinds import KINDS, kind_of
from pairing.models import Programme
from pairing.sets.models import Cycle, Facilitation, Recommend
from pairing.sets.plan import zone_named
from pairing.sets.selectors import cycle_last_session

REFLECTION_MAX = 4000
SCORES = [(str(n), str(n)) for n in range(1, 6)]


class MoveForm(Form):
    day = forms.DateField(
        label="New date",
        # ISO, or a browser's date input shows nothing.
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "Choose the new date.", "invalid": "Enter a real date."},
    )
    time = forms.TimeField(
        label="Start time",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text="In the set's time zone.",
        error_messages={
            "required": "Choose the start time.",
            "invalid": "Enter a time, e.g. 10:00.",
        },
    )

    def __init__(self, *args: object, time_zone: str = "Europe/London", **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.time_zone = time_zone
        self.fields["time"].help_text = f"In the set's time zone ({time_zone})."

    def starts_at(self) -> dt.datetime:
        data = self.cleaned_data
        return dt.datetime.combine(data["day"], data["time"], zone_named(self.time_zone))


class SwapForm(Form):
    """ "Swap my turn at session X for your turn at session Y"; choices are the turns."""

    # A turn no longer listed (taken by another swap since the page was loaded) is named in
    # words, never by its value ("16-5").
    mine = forms.TypedChoiceField(
        label="My turn to give",
        coerce=int,
        error_messages={
            "required": "Choose your turn.",
            "invalid_choice": "That turn can no longer be swapped: it is in another swap "
            "or has changed. Choose again from the list.",
        },
    )
    theirs = forms.ChoiceField(
        label="The turn I would take instead",
        error_messages={
            "required": "Choose the other member's turn.",
            "invalid_choice": "That turn can no longer be swapped: it is in another swap "
            "or has changed. Choose again from the list.",
        },
    )

    def __init__(
        self,
        *args: object,
        my_turns: list[tuple[int, str]],
        their_turns: list[tuple[str, str]],
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mine"].choices = [("", "Choose…"), *my_turns]
        self.fields["theirs"].choices = [("", "Choose…"), *their_turns]

    def partner_and_session(self) -> tuple[int, int]:
        """(partner's user id, their session id) from the "<user>-<session>" value."""
        user_id, _, session_id = self.cleaned_data["theirs"].partition("-")
        return int(user_id), int(session_id)


class CheckInForm(Form):
    attended = forms.TypedChoiceField(
        label="Did you attend the session?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether you attended."},
    )
    usefulness = forms.TypedChoiceField(
        label="How useful was it? (1 not useful, 5 very useful)",
        choices=SCORES,
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
    )
    minutes = forms.IntegerField(
        label="Time spent, in minutes",
        required=False,
        min_value=0,
        max_value=720,
        help_text="For your CPD record: the session and any preparation.",
        error_messages={
            "invalid": "Enter a whole number of minutes.",
            "min_value": "Enter 0 or more minutes.",
            "max_value": "Enter 720 minutes (12 hours) or fewer.",
        },
    )
    reflection = forms.CharField(
        label="Private reflection (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Only you see this, in your CPD record. Write nothing another member said.",
        validators=[
            MaxLength(
                REFLECTION_MAX,
                "Keep your reflection to %(limit_value)s characters or fewer "
                "(it has %(show_value)s).",
            )
        ],
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("attended") is False:
            # The page hides "How useful was it?" once "No" is chosen (walk 40 was asked it
            # anyway): a score picked before is dropped, not refused.
            data["usefulness"] = None
        if data.get("attended") and data.get("usefulness") is None:
            self.add_error("usefulness", "Choose how useful the session was, from 1 to 5.")
        return data


def _score(label: str, required: bool = False) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=SCORES,
        coerce=int,
        required=required,
        empty_value=None,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a number from 1 to 5."},
    )


class SetEvaluationForm(Form):
    usefulness = _score("Overall, how useful was the set? (1 not useful, 5 very useful)", True)
    would_recommend = forms.ChoiceField(
        label="Would you recommend an action learning set to a colleague?",
        choices=Recommend.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether you would recommend it."},
    )
    confidence_before = _score("Before the cycle: confidence in your role (1 low, 5 high)")
    confidence_after = _score("Now: confidence in your role (1 low, 5 high)")
    isolation_before = _score(
        "Before the cycle: how professionally isolated did you feel? (1 not at all, 5 very)"
    )
    isolation_after = _score("Now: how professionally isolated do you feel? (1 not at all, 5 very)")

    def clean(self) -> dict:
        data = super().clean()
        for topic in ("confidence", "isolation"):
            before, after = data.get(f"{topic}_before"), data.get(f"{topic}_after")
            if (before is None) != (after is None):
                missing = f"{topic}_after" if after is None else f"{topic}_before"
                self.add_error(missing, "Answer both before and now, or neither.")
        return data


WRONG_KIND = "Cycles are for action learning set programmes."


def _before_forming(programme: Programme, first: dt.date) -> str:
    """Why a cycle starting on `first` cannot be formed in time ("" when it can): its sets
    are formed by the programme's next round, which runs on its date and never while the
    current sets still meet (from the day after their last session, as the next round
    page says), whichever is later; the first session must come after that day."""
    last = cycle_last_session(programme=programme, today=timezone.localdate())
    reasons = []
    if programme.next_round_on is not None:
        reasons.append((programme.next_round_on, "the programme's next round date"))
    if last is not None:
        reasons.append((last + dt.timedelta(days=1), f"the current sets meet until {_day(last)}"))
    if not reasons:
        return ""
    forming, why = max(reasons, key=lambda reason: reason[0])
    if first > forming:
        return ""
    earliest = forming + dt.timedelta(days=1)
    # (It named "the week of Monday <a day before `earliest`>", a day the form refuses:
    # the week starts on the date chosen, walk 29.)
    return (
        f"The sets of this cycle can be formed on {_day(forming)} at the earliest ({why}), "
        f"so the first session week must start after it: choose {earliest:%A} "
        f"{_day(earliest)} or later."
    )


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


class CycleForm(forms.ModelForm):
    """The organisers' cycle set-up, with the rules in words."""

    class Meta:
        model = Cycle
        fields = [
            "programme",
            "sessions",
            "interval_weeks",
            "session_minutes",
            "first_session_on",
            "start_time",
            "online_link",
            "venue",
            "facilitation",
            "facilitator_name",
            "facilitator_email",
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        model_number_ranges(self)
        if "start_time" in self.fields:  # "10:00", not "10:00:00" (walk 44)
            self.fields["start_time"].widget.format = "%H:%M"
        field = self.fields.get("programme")
        if field is not None:  # only the learning set programmes to choose from
            sets = [slug for slug, kind in KINDS.items() if kind.stable_groups]
            field.queryset = field.queryset.filter(kind__in=sets)
            field.error_messages["invalid_choice"] = WRONG_KIND

    def clean(self) -> dict:
        data = super().clean()
        programme = data.get("programme")
        if data.get("facilitation") == Facilitation.EXTERNAL and not data.get("facilitator_email"):
            self.add_error("facilitator_email", "Give the external facilitator's email address.")
        # A malformed link has its own message; "give one or both" would contradict it.
        if (
            not data.get("online_link")
            and not data.get("venue")
            and "online_link" not in self.errors
        ):
            self.add_error("venue", "Give a venue, an online link, or both.")
        if programme is not None and not kind_of(programme).stable_groups:
            self.add_error("programme", WRONG_KIND)
        first = data.get("first_session_on")
        if first is not None and first < timezone.localdate():
            self.add_error("first_session_on", "The first session cannot be in the past.")
        elif first is not None and programme is not None and self.instance.forming_round_id is None:
            too_early = _before_forming(programme, first)
            if too_early:
                self.add_error("first_session_on", too_early)
        waiting = Cycle.objects.filter(programme=programme, forming_round__isnull=True)
        if programme is not None and waiting.exclude(pk=self.instance.pk).exists():
            self.add_error(
                "programme",
                "This programme already has a cycle waiting to form its sets: "
                "change that cycle instead.",
            )
        return data
