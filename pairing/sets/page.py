"""What a member's set page shows: the members (as they chose to share themselves),
the ground rules, the sessions in the viewer's own time, the rota, swaps waiting and
what the viewer can do. Read-only."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.utils import timezone

from members.models import User
from pairing.selectors import shared_profile
from pairing.sets.member_emails import HOST_SINCE, host_leaver, latest_host_notice
from pairing.sets.models import (
    LearningSet,
    RotaSwap,
    Session,
    SessionCheckIn,
    SetEvaluation,
    SwapStatus,
)
from pairing.sets.notify import parse_notice_key
from pairing.sets.rota import cancel_outcomes, rota_plan
from pairing.sets.selectors import (
    can_change_sessions,
    cycle_over,
    display_names,
    has_started,
    is_future,
    joined_at,
    part_of,
    presenter_counts,
    sessions_of,
    set_host_id,
    set_members,
)
from pairing.sets.swap_rules import pending_turns
from pairing.sets.words import facilitator_words, presenter_names, set_facilitation, turn_words


def _viewer_zone(user: User) -> dt.tzinfo:
    try:
        return zoneinfo.ZoneInfo(user.profile.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, AttributeError):
        return timezone.get_current_timezone()


def set_page(*, learning_set: LearningSet, user: User, now: dt.datetime) -> dict:
    members = set_members(learning_set)
    names = {u.pk: ("You" if u.pk == user.pk else u.profile.display_name) for u in members}
    zone = _viewer_zone(user)
    # The member's check-ins: session -> whether they said they attended.
    checked = dict(
        SessionCheckIn.objects.filter(user=user, session__learning_set=learning_set).values_list(
            "session_id", "attended"
        )
    )
    sessions = sessions_of(learning_set)
    joined = joined_at(learning_set=learning_set, user=user)
    # History stays fixed: a session held names who presented, even someone who has left.
    everyone = {
        **display_names({p for s in sessions for p in s.presenter_ids} - set(names)),
        **names,
    }
    rows = [
        {
            "session": s,
            "start": timezone.localtime(s.starts_at, zone),
            "end": timezone.localtime(s.ends_at, zone),
            "presenters": presenter_names(s.presenter_ids, everyone),
            "presenters_text": _and(presenter_names(s.presenter_ids, everyone)),
            "presenting": user.pk in s.presenter_ids,
            "facilitator": "You"
            if s.facilitator_id == user.pk
            else facilitator_words(s, held=not is_future(s, now)),
            "future": is_future(s, now),
            "checkin_due": has_started(s, now) and part_of(s, joined) and s.pk not in checked,
            "checked_in": s.pk in checked,
            # Their turn at a session they said they missed (walk 39: "You presented").
            "missed": checked.get(s.pk) is False,
        }
        for s in sessions
    ]
    future = [r for r in rows if r["future"]]
    # A turn already offered in a swap waiting for an answer is not offered again.
    pending = pending_turns(learning_set)
    mine = [r for r in future if r["presenting"] and (user.pk, r["session"].pk) not in pending]
    my_turns = [
        (r["session"].pk, f"Session {r['session'].number}, {r['start']:%-d %B %Y}") for r in mine
    ]
    # Someone who already presents at every session the member could give is offered no
    # swap with them: each would be refused (walk 40).
    free = {p for r in mine for p in names if p not in r["session"].presenter_ids}
    their_turns = [
        (
            f"{p}-{r['session'].pk}",
            f"{names[p]}: session {r['session'].number}, {r['start']:%-d %B %Y}",
        )
        for r in future
        if not r["presenting"]
        for p in r["session"].presenter_ids
        if p in free and p != user.pk and (p, r["session"].pk) not in pending
    ]
    swaps = RotaSwap.objects.filter(
        learning_set=learning_set, status=SwapStatus.PROPOSED
    ).select_related("proposer_session", "partner_session")
    counts = presenter_counts(learning_set)
    rota = [(names[u.pk], counts.get(u.pk, 0)) for u in members]
    host_id = set_host_id(learning_set)
    return {
        "learning_set": learning_set,
        "cycle": learning_set.cycle,
        "programme": learning_set.cycle.programme,
        "people": [shared_profile(u) for u in members if u.pk != user.pk],
        "rows": rows,
        "zone": getattr(zone, "key", "your"),
        # The header counts the set's own sessions: those planned, and how many of them
        # were cancelled (never "6 sessions" when only 2 are left).
        "planned": len(rows),
        "cancelled": sum(1 for r in rows if r["session"].cancelled),
        "rota": rota,
        "no_turn": _no_turn([name for name, turns in rota if not turns]),
        "my_turns": my_turns,
        "their_turns": their_turns,
        "turns_pending": bool(pending),
        "incoming": [_swap(s, names, zone) for s in swaps.filter(partner=user)],
        "outgoing": [_swap(s, names, zone) for s in swaps.filter(proposer=user)],
        "can_change": can_change_sessions(learning_set, user),
        # No session still to come: no dates to look after, no link to join (walk 44).
        "over": not future,
        "host_name": names.get(host_id, ""),
        "host_since": _host_since(learning_set, host_id, zone),
        "facilitator": set_facilitation(
            learning_set,
            sessions[0] if sessions else None,
            on_the_set_page=True,
            viewer_id=user.pk,
        ),
        "evaluation_open": cycle_over(learning_set, now)
        and not SetEvaluation.objects.filter(learning_set=learning_set, user=user).exists(),
    }


def _host_since(learning_set: LearningSet, host_id: int | None, zone: dt.tzinfo) -> str:
    """ "since Ben Williams left the set on 3 March 2027": why the member who looks after
    the set's dates does, from the latest notice that told them so (none when the set's
    latest such notice went to someone else, or there was none: the host it was formed
    with, say)."""
    notice = latest_host_notice(learning_set)
    if host_id is None or notice is None or notice.user_id != host_id:
        return ""
    event = parse_notice_key(notice.key)[0]
    when = notice.created_at
    if event == "host_left":
        leaver = host_leaver(learning_set, notice)
        if leaver is None:
            return ""
        who = leaver.user.profile.display_name if leaver.user else "A former member"
        why, when = f"{who} left the set", leaver.left_at
    elif event in HOST_SINCE:
        why = HOST_SINCE[event]
    else:
        return ""
    day = timezone.localtime(when, zone)
    return f"since {why} on {day.day} {day:%B %Y}"


def _no_turn(names: list[str]) -> str:
    """ "Kiran Patel has no turn", "Ben and you have no turn": members a cancellation left
    without a turn, because no session still to come could take one."""
    if not names:
        return ""
    verb = "have" if len(names) > 1 or names == ["You"] else "has"
    return f"{_and(names)} {verb} no turn"


def _and(words: list[str]) -> str:
    """ "A, B and you": the viewer comes last ("You" when alone)."""
    if "You" in words and len(words) > 1:
        words = [w for w in words if w != "You"] + ["you"]
    return " and ".join([", ".join(words[:-1]), words[-1]]) if len(words) > 1 else "".join(words)


def _swap(swap: RotaSwap, names: dict[int, str], zone: dt.tzinfo) -> dict:
    return {
        "swap": swap,
        "proposer": names.get(swap.proposer_id, "A former member"),
        "partner": names.get(swap.partner_id, "A former member"),
        "give": turn_words(swap.proposer_session, zone),
        "take": turn_words(swap.partner_session, zone),
    }


def cancel_turns(*, session: Session, user: User, now: dt.datetime) -> list[str]:
    """What cancelling `session` does to its presenters' turns, one sentence each, as
    `services.session_cancel` will do it: to a later session if one has room; else, for
    a presenter with no other turn, to the emptiest session still to come (earlier); else
    the turn is lost, and the set agrees whether to make time for it."""
    zone = _viewer_zone(user)
    sentences = []
    rota = rota_plan(learning_set=session.learning_set, now=now, cancelled=session)
    for presenter, moved_to in cancel_outcomes(session=session, now=now, rota=rota):
        who = "Your" if presenter.pk == user.pk else f"{presenter.profile.display_name}'s"
        if moved_to is None:
            sentences.append(
                f"{who} turn to bring an issue is lost: there is no later session it could "
                "move to (the set can agree to make time for it at another session)."
            )
        elif moved_to.number < session.number:
            sentences.append(
                f"{who} turn to bring an issue moves to an earlier session, "
                f"{turn_words(moved_to, zone)}: there is no later session it could move to."
            )
        else:
            sentences.append(
                f"{who} turn to bring an issue moves to a later session: "
                f"{turn_words(moved_to, zone)}."
            )
    length = session.learning_set.cycle.length_words
    for crowded, count in rota.crowded():
        sentences.append(
            f"Session {crowded.number} would then have {count} presenters in {length}: "
            "the set may want to agree how to share the time."
        )
    return sentences
