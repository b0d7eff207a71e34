"""Walk 25: the sign-up form's empty email and password boxes said Django's "This field is
required."; the profile form cut a paste at its limit without a word; the next-round page
offered a preview it would refuse."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from members.forms import ProfileForm
from pairing import rounds
from pairing.models import Programme
from tests.factories import MembershipFactory, ProgrammeFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_an_empty_sign_up_says_what_each_box_needs(client):
    page = html.unescape(client.post(reverse("account_signup"), {}).content.decode())

    assert "This field is required." not in page
    for words in (
        "Enter your name as you would like others to see it.",
        "Enter your email address: we send your introductions there.",
        "Choose a password of at least 10 characters.",
        "Type the same password again.",
    ):
        assert words in page


def test_the_profile_boxes_carry_no_maxlength_that_would_cut_a_paste():
    form = ProfileForm()

    for name in ("display_name", "job_title", "organisation", "about"):
        assert "maxlength" not in form.fields[name].widget.attrs, name
    assert "maxlength" not in str(form["about"])


def test_no_preview_button_where_the_preview_would_be_refused(organiser_client):
    programme = ProgrammeFactory()
    for user in UserFactory.create_batch(4):
        MembershipFactory(user=user, programme=programme)
    pairing_round = rounds.round_plan(
        programme=programme, scheduled_for=timezone.localdate() + dt.timedelta(days=7)
    )
    rounds.round_run(pairing_round=pairing_round, now=timezone.now())
    Programme.objects.filter(pk=programme.pk).update(next_round_on=None)
    url = reverse("admin:pairing_programme_next_round", args=[programme.pk])

    page = organiser_client.get(url).content.decode()

    assert "Preview the next round</button>" not in page
    change = reverse("admin:pairing_programme_change", args=[programme.pk])
    assert f'(<a href="{change}">edit the programme</a>) to preview it.' in page


def test_the_sign_up_password_box_gives_its_rules_in_one_line(client):
    page = html.unescape(client.get(reverse("account_signup")).content.decode())

    assert (
        "At least 10 characters: not only numbers, and not a common password or one like your "
        "name or email address."
    ) in page
    assert "too similar to your other personal information" not in page
    assert "must contain at least 10 characters" not in page


def test_changing_a_password_gives_the_same_one_line_rules(member_client):
    page = html.unescape(member_client.get(reverse("account_change_password")).content.decode())

    assert "At least 10 characters: not only numbers, and not a common password" in page
    assert "too similar to your other personal information" not in page
