"""Walk 24, forms: the error summary drops its colon after a label that is a question,
every length message writes the count as it writes the limit ("2,699", not "2699"), and
the profile form (edit page and wizard) speaks in the site's words, not Django's."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.urls import reverse

from config.forms import MaxLength
from feedback.forms import EvaluationForm
from members.forms import WIZARD_STEPS, ProfileForm
from pairing.sets.forms import CheckInForm
from tests.factories import InterestFactory, ProgrammeFactory, UserFactory
from tests.feedback.builders import make_match, make_round

pytestmark = pytest.mark.django_db

PROFILE = {
    "display_name": "Ada Lovelace",
    "pronouns": "she/her",
    "job_title": "Clinical librarian",
    "role_band": "professional",
    "sector": "health",
    "experience": "2",
    "organisation": "Trust A",
    "region": "north-west",
    "time_zone": "Europe/London",
    "meeting_format": "online",
    "availability": ["tue-morning"],
    "about": "Solo hospital librarian.",
    "access_notes": "",
}


def _summary(response) -> list[str]:
    page = response.content.decode()
    summary = page[page.index('id="error-summary"') :]
    summary = summary[: summary.index("</div>")]
    return [re.sub(r"<[^>]+>", "", e).strip() for e in re.findall(r"<li>(.*?)</li>", summary)]


@pytest.fixture
def concern_url(member):
    match = make_match(make_round(ProgrammeFactory(), 1), member, UserFactory())
    return reverse("pairing:match_concern", args=[match.pk])


def test_a_question_label_in_the_error_summary_has_no_colon_after_it(member_client, concern_url):
    response = member_client.post(concern_url, {"text": "x" * 2699})

    assert _summary(response) == [
        "What would you like the organisers to know? Keep your message to 2,000 characters "
        "or fewer (it has 2,699)."
    ]


def test_a_label_that_is_not_a_question_keeps_its_colon(member_client):
    data = {**PROFILE, "interests": [InterestFactory().pk], "display_name": "y" * 95}

    response = member_client.post(reverse("members:profile_edit"), data)

    assert _summary(response) == ["Your name: Keep this to at most 80 characters (it has 95)."]


def test_the_shared_length_limit_writes_both_numbers_with_a_comma():
    with pytest.raises(ValidationError) as raised:
        MaxLength(2000)("z" * 2699)

    assert raised.value.messages == ["Keep this to at most 2,000 characters (it has 2,699)."]
    MaxLength(2000)("z" * 2000)  # at the limit: no error


def test_the_feedback_and_check_in_forms_count_with_a_comma():
    with pytest.raises(ValidationError) as said:
        EvaluationForm.base_fields["next_steps"].clean("z" * 2699)
    with pytest.raises(ValidationError) as reflected:
        CheckInForm.base_fields["reflection"].clean("z" * 5432)

    assert said.value.messages == ["Keep this to at most 2,000 characters (it has 2,699)."]
    assert reflected.value.messages == [
        "Keep your reflection to 4,000 characters or fewer (it has 5,432)."
    ]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"display_name": "   "}, "Enter your name as you would like others to see it."),
        ({"display_name": "y" * 95}, "Keep this to at most 80 characters (it has 95)."),
        ({"job_title": "j" * 1234}, "Keep this to at most 100 characters (it has 1,234)."),
        ({"pronouns": "p" * 31}, "Keep this to at most 30 characters (it has 31)."),
        ({"organisation": "o" * 121}, "Keep this to at most 120 characters (it has 121)."),
        ({"about": "a" * 601}, "Keep this to at most 600 characters (it has 601)."),
        ({"access_notes": "n" * 301}, "Keep this to at most 300 characters (it has 301)."),
        ({"role_band": ""}, "Choose the role closest to yours."),
        ({"sector": ""}, "Choose the sector you work in."),
        ({"sector": "spaceships"}, "Choose one of the options given."),
        ({"region": ""}, "Choose the region you work in."),
        ({"time_zone": ""}, "Choose your time zone."),
        ({"time_zone": "Mars/Olympus"}, "Choose a time zone from the list."),
        ({"experience": ""}, "Choose how long you have worked in libraries"),
        ({"experience": "9"}, "Choose one of the options given."),
        ({"meeting_format": ""}, "Choose how you would like to meet"),
        ({"availability": ["never"]}, "Choose times from the list."),
        ({"interests": []}, "Pick at least one topic so we can find you good matches."),
        ({"interests": ["999999"]}, "Choose topics from the list."),
    ],
)
def test_the_profile_page_says_what_is_wrong_in_the_sites_words(member_client, changes, message):
    data = {**PROFILE, "interests": [InterestFactory().pk], **changes}

    response = member_client.post(reverse("members:profile_edit"), data)

    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert message in page
    assert "This field is required" not in page
    assert "Ensure this value" not in page
    assert "Select a valid choice" not in page


def test_no_profile_field_or_wizard_step_keeps_a_django_message():
    forms_to_check = [ProfileForm(data={})] + [step(data={}) for _n, _t, step in WIZARD_STEPS]
    for form in forms_to_check:
        for name, field in form.fields.items():
            for code in ("required", "invalid_choice", "invalid_pk_value"):
                said = str(field.error_messages.get(code, "friendly"))
                assert "field is required" not in said, (name, code)
                assert "Select a valid" not in said, (name, code)
            assert not any(type(v) is MaxLengthValidator for v in field.validators), name
    step = WIZARD_STEPS[0][2](data={**PROFILE, "display_name": "", "job_title": "j" * 101})
    assert step.errors["display_name"] == ["Enter your name as you would like others to see it."]
    assert step.errors["job_title"] == ["Keep this to at most 100 characters (it has 101)."]
