"""What a learning set's introduction says instead of one suggested time: the set's
sessions, its facilitation, the first presenters, and the set page for changing plans."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from pairing.models import Match
from pairing.sets.models import LearningSet
from pairing.sets.plan import zone_named
from pairing.sets.selectors import sessions_of, set_members
from pairing.sets.words import set_facilitation


def set_intro_context(match: Match) -> dict:
    learning_set = (
        LearningSet.objects.select_related("cycle__programme", "facilitator")
        .filter(match=match)
        .first()
    )
    if learning_set is None:
        return {}
    sessions = sessions_of(learning_set)
    names = {u.pk: u.profile.display_name for u in set_members(learning_set)}
    rows = []
    for session in sessions:
        local = timezone.localtime(session.starts_at, zone_named(session.time_zone))
        presenters = [names[p] for p in session.presenter_ids if p in names]
        rows.append(
            f"Session {session.number}: {local:%A} {local.day} {local:%B %Y}, {local:%H:%M} "
            f"({session.time_zone})"
            + (f". Presenting: {' and '.join(presenters)}" if presenters else "")
        )
    cycle = learning_set.cycle
    return {
        "set_sessions": rows,
        "set_length": cycle.length_words,
        "set_place": cycle.place,
        "set_facilitator": set_facilitation(learning_set, sessions[0] if sessions else None),
        "set_url": settings.SITE_URL + reverse("pairing:set_detail", args=[learning_set.pk]),
    }
