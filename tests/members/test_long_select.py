"""The time-zone select written in Python is the same HTML as Django's own select."""

from __future__ import annotations

from django import forms
from django.test.html import parse_html

from members.forms import LongSelect, ProfileForm
from members.models import TIME_ZONE_CHOICES


def test_long_select_renders_what_djangos_select_renders():
    attrs = {"id": "id_time_zone", "required": True, "aria-describedby": "id_time_zone_error"}
    ours = LongSelect(choices=TIME_ZONE_CHOICES).render("time_zone", "Europe/Dublin", attrs)
    djangos = forms.Select(choices=TIME_ZONE_CHOICES).render("time_zone", "Europe/Dublin", attrs)

    assert parse_html(ours) == parse_html(djangos)
    assert ours.count(" selected") == 1


def test_the_profile_form_keeps_the_members_time_zone_selected():
    form = ProfileForm(initial={"time_zone": "America/New_York"})

    html = str(form["time_zone"])

    assert '<option value="America/New_York" selected>America/New York</option>' in html
