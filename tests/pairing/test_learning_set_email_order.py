"""When a cycle forms its sets, each member reads the introduction (who is in the set,
the sessions) before the session invitations it announces."""

from __future__ import annotations

import pytest

from tests.pairing.set_helpers import form_cycle, join, learning_set_programme

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_introduction_is_sent_before_the_session_invitations(mailoutbox, tasks_in_process):
    programme = learning_set_programme(name="Spring sets")
    members = join(programme, 5)

    form_cycle(programme)

    for user in members:
        subjects = [m.subject for m in mailoutbox if user.email in m.to]
        assert len(subjects) == 7  # the introduction and six session invitations
        assert "Spring sets" in subjects[0] and "introduction" in subjects[0].lower()
        assert all("session" in s.lower() for s in subjects[1:])
