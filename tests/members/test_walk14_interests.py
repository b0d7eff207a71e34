"""Walk 14: members pick interests from a list sorted as a reader expects, whatever the
case ("Accessibility" before "AI and machine learning")."""

from __future__ import annotations

import pytest
from django.urls import reverse

from members.forms import ProfileForm

pytestmark = pytest.mark.django_db


def test_the_interest_list_sorts_without_regard_to_case():
    names = [interest.name for interest in ProfileForm().fields["interests"].queryset]

    assert names == sorted(names, key=str.casefold)
    assert names.index("Accessibility") < names.index("AI and machine learning")


def test_the_profile_page_lists_accessibility_before_ai(member_client):
    page = member_client.get(reverse("members:profile_edit")).content.decode()

    assert page.index("Accessibility") < page.index("AI and machine learning")


def test_the_feedback_topics_sort_without_regard_to_case():
    from feedback.forms import EvaluationForm
    from tests.factories import ProgrammeFactory

    form = EvaluationForm(programme=ProgrammeFactory())
    names = [interest.name for interest in form.fields["topics"].queryset]

    assert names == sorted(names, key=str.casefold)
    assert names.index("Accessibility") < names.index("AI and machine learning")
