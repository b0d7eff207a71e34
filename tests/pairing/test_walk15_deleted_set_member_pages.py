"""A learning set after one of its members deleted their account: every page that
shows sets, to the organisers and to the members who remain, still opens (200, CSVs
streamed to the end), names the deleted member 'A former member' where their held
contributions show, never their name or email, and keeps their answers in the totals
as the delete-account page promises."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from members.models import User
from members.services import member_delete
from pairing.sets.models import Recommend, SessionCheckIn, SetEvaluation
from pairing.sets.selectors import set_member_ids
from pairing.sets.services import checkin_submit, set_evaluation_submit
from tests.pairing.set_helpers import form_cycle, hold_sessions, join, learning_set_programme

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    assert response.status_code == 200, response.status_code
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return html.unescape(body.decode())


def _deleted_set(sessions: int = 2):
    """Two sessions held (the whole cycle, or of three), a check-in with a reflection
    from everyone for each, an evaluation from everyone once the cycle is over; then the
    first session's presenter, who also facilitated it, deletes their account."""
    programme = learning_set_programme()
    join(programme, 5)
    cycle, (learning_set,) = form_cycle(programme, now=timezone.now(), sessions=sessions)
    hold_sessions(learning_set, 2)
    users = User.objects.in_bulk(set_member_ids(learning_set))
    members = [users[m] for m in set_member_ids(learning_set)]
    first = learning_set.sessions.get(number=1)
    gone = first.presenters.order_by("pk").first().user
    first.facilitator = gone
    first.save(update_fields=["facilitator"])
    now = timezone.now()
    for session in learning_set.sessions.filter(number__lte=2):
        for member in members:
            data = {"attended": True, "usefulness": 4, "minutes": 90, "reflection": "Mine"}
            checkin_submit(session=session, user=member, data=data, now=now)
    for member in members if sessions == 2 else []:
        data = {"usefulness": 5, "would_recommend": Recommend.YES}
        set_evaluation_submit(learning_set=learning_set, user=member, data=data, now=now)
    secrets = [gone.profile.display_name, gone.email]
    member_delete(user=gone)
    viewer = next(m for m in members if m != gone)
    return programme, cycle, learning_set, viewer, secrets


def _words(text: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", text).split())


def _never_named(text: str, secrets: list[str], url: str) -> None:
    for secret in secrets:
        assert secret not in text, (url, secret)


@pytest.mark.parametrize("sessions", [2, 3], ids=["cycle over", "mid-cycle"])
def test_the_organiser_pages_show_a_former_member_and_keep_their_answers(admin_client, sessions):
    programme, cycle, learning_set, _viewer, secrets = _deleted_set(sessions)
    assert SessionCheckIn.objects.filter(session__learning_set=learning_set).count() == 10
    evaluations = 5 if sessions == 2 else 0
    assert SetEvaluation.objects.filter(learning_set=learning_set).count() == evaluations

    pages = {
        "home": reverse("admin:index"),
        "sets": reverse("admin:pairing_cycle_sets", args=[cycle.pk]),
        "evidence": reverse("feedback:programme_report", args=[programme.pk]),
        "pack": reverse("feedback:evidence_pack", args=[programme.pk]),
        "checkins": reverse("feedback:checkins_csv", args=[programme.pk]),
        "evaluations": reverse("feedback:programme_csv", args=[programme.pk]),
        "cycles": reverse("admin:pairing_cycle_changelist"),
    }
    texts = {}
    for name, url in pages.items():
        texts[name] = _text(admin_client.get(url))
        _never_named(texts[name], secrets, url)

    row = texts["sets"].split('<th scope="row">1</th>')[1].split("</tr>")[0]
    assert row.count("A former member") == 2  # presented and facilitated session 1
    # Every check-in kept: the deleted member's two rows stay, without a name.
    lines = texts["checkins"].strip().splitlines()
    assert len(lines) == 1 + 10
    assert sum("A former member" in line for line in lines) == 2
    # The evidence counts every check-in and every evaluation, the deleted member's too.
    for name in ("evidence", "pack"):
        assert "Session check-ins 10" in _words(texts[name]), name
        assert f"Set evaluations at the end of the cycle {evaluations}" in _words(texts[name])
    assert "Members in the sets now 4" in _words(texts["evidence"])
    if sessions == 3:  # left the set first, as leaving does
        assert "A former member" in texts["sets"].split('<th scope="row">1</th>')[0]


@pytest.mark.parametrize("sessions", [2, 3], ids=["cycle over", "mid-cycle"])
def test_the_remaining_member_s_pages_show_a_former_member(client, sessions):
    _programme, _cycle, learning_set, viewer, secrets = _deleted_set(sessions)
    client.force_login(viewer)

    pages = {
        "dashboard": reverse("members:dashboard"),
        "set": reverse("pairing:set_detail", args=[learning_set.pk]),
        "cpd": reverse("feedback:cpd"),
        "cpd_csv": reverse("feedback:cpd_csv"),
        "data": reverse("members:data_export"),
        "evaluate": reverse("pairing:set_evaluate", args=[learning_set.pk]),
        "swap": reverse("pairing:set_swap", args=[learning_set.pk]),
        "leave": reverse("pairing:set_leave", args=[learning_set.pk]),
    }
    for session in learning_set.sessions.all():
        pages[f"ics {session.number}"] = reverse("pairing:session_ics", args=[session.pk])
        pages[f"check-in {session.number}"] = reverse("pairing:session_checkin", args=[session.pk])
    texts = {}
    for name, url in pages.items():
        response = client.get(url)
        if response.status_code == 302:  # nothing to do there now: back to the set page
            assert response.url == pages["set"], name
            continue
        texts[name] = _text(response)
        _never_named(texts[name], secrets, url)

    assert re.search(r"Presenting: [^<]*A former member", texts["set"])  # among others
    assert "Facilitating this session: A former member" in texts["set"]
    assert "Rota" in texts["set"]


def test_two_deleted_presenters_of_a_session_read_2_former_members_once(admin_client, client):
    """Not "A former member and A former member", which reads like a fault."""
    _programme, cycle, learning_set, viewer, _secrets = _deleted_set(3)
    first = learning_set.sessions.get(number=1)
    other = next(p.user for p in first.presenters.all() if p.user is not None)
    second_secrets = [other.profile.display_name, other.email]
    viewer = User.objects.get(pk=next(m for m in set_member_ids(learning_set) if m != other.pk))
    member_delete(user=other)
    client.force_login(viewer)

    card = _words(_text(client.get(reverse("pairing:set_detail", args=[learning_set.pk]))))
    sets = _text(admin_client.get(reverse("admin:pairing_cycle_sets", args=[cycle.pk])))
    row = _words(sets.split('<th scope="row">1</th>')[1].split("</tr>")[0])

    assert "Presenting: 2 former members" in card
    assert "A former member and A former member" not in card
    assert "2 former members" in row and "A former member, A former member" not in row
    _never_named(card + sets, second_secrets, "set pages")
