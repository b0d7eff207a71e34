from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from config.forms import Form
from pairing.kinds import kind_of
from pairing.models import MentoringRole, Programme


class JoinForm(Form):
    mentoring_role = forms.ChoiceField(
        label="In this programme I would like to",
        choices=MentoringRole.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    accept_ground_rules = forms.BooleanField(
        label="I accept the ground rules above", required=False
    )

    def __init__(self, *args: object, programme: Programme, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if kind_of(programme).offer_and_seek:
            self.fields["mentoring_role"].required = True
            self.fields["mentoring_role"].error_messages["required"] = (
                "Say whether you offer mentoring or seek a mentor."
            )
        else:
            del self.fields["mentoring_role"]
        if programme.ground_rules:
            self.fields["accept_ground_rules"].required = True
            self.fields["accept_ground_rules"].error_messages["required"] = (
                "Please accept the ground rules to join."
            )
        else:
            del self.fields["accept_ground_rules"]


class PauseForm(Form):
    until = forms.DateField(
        label="Pause until",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="You will be included in rounds again from this date.",
        error_messages={
            "invalid": "Enter a date such as 2026-12-31.",
            "required": "Choose the date your pause ends: you are included again from it.",
        },
    )

    def __init__(self, *args: object, programme: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if programme is not None and kind_of(programme).stable_groups:
            # A learning set's member pauses new cycles; their set goes on (walk 34).
            self.fields["until"].help_text = (
                "You will be included in new cycles again from this date. If you are in a set, "
                "a pause does not take you out of it: to stop meeting it, leave the set."
            )
        today = timezone.localdate()
        self.fields["until"].widget.attrs.update(
            {
                "min": (today + dt.timedelta(days=1)).isoformat(),
                "max": (today + dt.timedelta(days=366)).isoformat(),
            }
        )

    def clean_until(self) -> dt.date:
        until = self.cleaned_data["until"]
        today = timezone.localdate()
        if until <= today:
            raise forms.ValidationError("Choose a date after today.")
        if until > today + dt.timedelta(days=366):
            raise forms.ValidationError("You can pause for up to a year. Choose an earlier date.")
        return until


class RoleForm(Form):
    mentoring_role = forms.ChoiceField(
        label="In this programme I would like to",
        choices=MentoringRole.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Say whether you offer mentoring or seek a mentor.",
            "invalid_choice": "Choose “Offer mentoring” or “Seek a mentor”.",
        },
    )
