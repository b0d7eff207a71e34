"""The account pages and emails (django-allauth) speak in sentence case, like the rest of
the site: locale/en_GB overrides allauth's Title Case strings."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

PO = Path(__file__).resolve().parents[2] / "locale" / "en_GB" / "LC_MESSAGES" / "django.po"


def _entries() -> list[tuple[str, str]]:
    found = re.findall(r'^msgid "(.+)"\nmsgstr "(.+)"$', PO.read_text(), re.M)
    assert len(found) > 30
    return found


@pytest.mark.parametrize(("source", "shown"), _entries())
def test_the_compiled_catalogue_matches_the_po_file(source, shown):
    # A stale django.mo (the .po edited without `make messages`) fails here.
    with translation.override("en-gb"):
        assert translation.gettext(source) == shown


@pytest.mark.django_db
def test_the_log_in_page_is_in_sentence_case_and_says_log_in_as_the_site_does(client):
    body = client.get(reverse("account_login")).content.decode()

    assert "<title>Log in" in body and "Remember me" in body
    assert "Sign In" not in body and "Remember Me" not in body and "Sign in" not in body


@pytest.mark.django_db
def test_form_labels_carry_no_trailing_colon(member_client, member):
    from pairing.sets.forms import CheckInForm
    from tests.factories import MembershipFactory, ProgrammeFactory

    membership = MembershipFactory(user=member, programme=ProgrammeFactory())
    pause = member_client.get(reverse("pairing:membership_pause", args=[membership.pk]))
    code = CheckInForm().as_div()

    assert "Pause until</label>" in pause.content.decode()
    assert "Pause until:" not in pause.content.decode()
    assert "How useful was it? (1 not useful, 5 very useful):" not in code


def test_the_missing_profile_fields_are_named_as_the_form_names_them():
    from members.models import Profile

    assert "role" in Profile(display_name="Ada").missing_fields
    assert "role band" not in Profile(display_name="Ada").missing_fields
