"""Notices about a set to one of its members (outbox kind SET_NOTICE with a user): a
swap of turns asked, accepted or made, a change of their turns after the rota was
re-balanced (a session cancelled, a member who left, a merge, a deleted account), and
that they now look after the set's dates, a merge (to each member who moved, and to each
member of the set that grew) and a member named the set's facilitator."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from members.models import User
from pairing.emails.text import and_join, dashboard_url, site_url
from pairing.models import OutboxEmail, OutboxKind
from pairing.sets.calendar import calendar_file, session_calendar
from pairing.sets.models import LearningSet, RotaSwap, Session, SessionStatus, SetLeaver
from pairing.sets.notify import (
    MERGE_ENDED,
    MERGE_JOINED,
    MERGE_TURNS,
    merge_calendars,
    parse_named,
    session_key,
    swap_facilitation,
)
from pairing.sets.plan import zone_named
from pairing.sets.selectors import display_names, set_host_id, set_members
from pairing.sets.words import (
    SHARED,
    TO_BE_NAMED,
    facilitator_words,
    set_facilitation,
    turn_words,
)

Parts = tuple[str, list[str], dict, list]

# Why a member's turns changed ("turns_<cause>" events): the words after "the rota
# changed ...".
TURN_CAUSES = {
    "turns_cancelled": "after a session was cancelled",
    "turns_left": "after a member left the set",
    "turns_merged": "after members of another set joined it",
    "turns_repaired": "after a member's account was deleted",
}

# Why a member now looks after the dates ("host_<cause>" events).
HOST_CAUSES = {
    "host_left": "left the set",
    "host_named": "the organisers named you the set's facilitator",
    "host_merged": "members of another set joined it",
    "host_facilitation": "the organisers changed how the set is facilitated",
}


def swap_parts(outbox: OutboxEmail, event: str, swap_id: int) -> Parts:
    """To the member asked to swap turns, to the proposer once the swap is accepted, and
    then to everyone else in the set ("swap_made": the member who accepted, the others;
    the external facilitator when the swap changed who facilitates a session): who now
    presents where and, for a session the swap gave a new facilitator, who facilitates
    it now, with its updated calendar file (`notify.swap_news`)."""
    swap = RotaSwap.objects.select_related(
        "learning_set__cycle__programme", "proposer__profile", "partner__profile"
    ).get(pk=swap_id)
    asked = event == "swap_proposed" or (event == "swap_made" and outbox.user_id == swap.partner_id)
    other = swap.proposer if asked else swap.partner
    give, take = swap.proposer_session, swap.partner_session
    name, email, zone = _swap_recipient(outbox, swap)
    refacilitated = _refacilitated(outbox, swap)
    context = {
        "event": event,
        "asked": asked,
        "external": outbox.user_id is None,
        "programme": swap.learning_set.cycle.programme,
        "learning_set": swap.learning_set,
        "name": name,
        "other": other.profile.display_name,
        # The recipient's own view: the turn they give and the one they take, with the day.
        "mine": turn_words(take if asked else give, zone),
        "theirs": turn_words(give if asked else take, zone),
        # Everyone else's: who now presents where.
        "proposer": swap.proposer.profile.display_name,
        "partner": swap.partner.profile.display_name,
        # Who facilitates a session the swap gave a new facilitator (rotating facilitation:
        # the session's facilitator now presents in it), and whether it is the recipient.
        "facilitation": [_facilitation_news(s, outbox, zone) for s, _sequence in refacilitated],
        "you_facilitate": and_join(
            [
                turn_words(s, zone)
                for s, _seq in refacilitated
                if _facilitates(s, outbox) and not swap.learning_set.facilitator_email
            ]
        ),
        "calendars": len(refacilitated),
        "set_url": site_url("pairing:set_detail", swap.learning_set_id) if outbox.user else "",
        "dashboard_url": dashboard_url() if outbox.user else "",
    }
    if not refacilitated and event == "swap_made":
        context["facilitation"] = _facilitates_before(outbox, swap, zone)
    attachments = [
        (
            f"learning-set-session-{s.number}.ics",
            session_calendar(s, method="REQUEST", sequence=sequence, attendee=(name, email)),
            "text/calendar; method=REQUEST",
        )
        for s, sequence in refacilitated
    ]
    return "set_swap", [email], context, attachments


def _swap_recipient(outbox: OutboxEmail, swap: RotaSwap) -> tuple[str, str, dt.tzinfo]:
    """(name, address, time zone) of a member, or of the external facilitator (the
    sessions' own zone; named while still the set's facilitator)."""
    if outbox.user is not None:
        profile = outbox.user.profile
        return profile.display_name, outbox.user.email, zone_named(profile.time_zone)
    learning_set = swap.learning_set
    current = outbox.address.lower() == learning_set.facilitator_email.lower()
    name = (learning_set.facilitator_name if current else "") or ""
    return name, outbox.address, zone_named(swap.proposer_session.time_zone)


def _refacilitated(outbox: OutboxEmail, swap: RotaSwap) -> list[tuple[Session, int]]:
    """The sessions this swap gave a new facilitator, each with the sequence its
    calendar file was updated to (named by the email's key)."""
    found = swap_facilitation(outbox.key)
    sessions = Session.objects.select_related("facilitator__profile").in_bulk(
        [pk for pk, _sequence in found]
    )
    for session in sessions.values():
        session.learning_set = swap.learning_set
    return [(sessions[pk], sequence) for pk, sequence in found if pk in sessions]


def _facilitates(session: Session, outbox: OutboxEmail) -> bool:
    if session.learning_set.facilitator_email:
        return outbox.user_id is None
    return outbox.user_id is not None and session.facilitator_id == outbox.user_id


def _facilitation_news(session: Session, outbox: OutboxEmail, zone: dt.tzinfo) -> str:
    """ "Ben Williams now facilitates session 6 (Tuesday 13 July 2027)", "You now
    facilitate ..."; with an external facilitator, who facilitates every session, that
    they still do (only the calendar file is new)."""
    turn = turn_words(session, zone)
    words = facilitator_words(session)
    if session.learning_set.facilitator_email:
        who = "You facilitate" if _facilitates(session, outbox) else f"{words} facilitates"
        return f"{who} {turn}, as before"
    if _facilitates(session, outbox):
        return f"You now facilitate {turn}"
    if words in (SHARED, TO_BE_NAMED):
        return f"{turn[0].upper()}{turn[1:]}: {words[0].lower()}{words[1:]}"
    return f"{words} now facilitates {turn}"


def _facilitates_before(outbox: OutboxEmail, swap: RotaSwap, zone: dt.tzinfo) -> list[str]:
    """An email written before a swap's new facilitators were named in its key: those
    the swap gave the recipient, told then by each session's own update."""
    return [
        f"You now facilitate {turn_words(s, zone)}"
        for s in (swap.proposer_session, swap.partner_session)
        if outbox.user_id is not None
        and s.facilitator_id == outbox.user_id
        and OutboxEmail.objects.filter(
            key=session_key(OutboxKind.SESSION_INVITE, s, outbox.user_id, "facilitator")
        ).exists()
    ]


def turns_parts(outbox: OutboxEmail, event: str, set_id: int) -> Parts:
    """To a member whose turns to bring an issue changed when the rota was re-balanced:
    their turns still to come, as they are when the email is sent."""
    user: User = outbox.user
    learning_set = LearningSet.objects.select_related("cycle__programme").get(pk=set_id)
    zone = zone_named(user.profile.time_zone)
    turns = learning_set.sessions.filter(
        status=SessionStatus.SCHEDULED,
        starts_at__gt=outbox.created_at,
        presenters__user=user,
    ).order_by("number")
    turns = list(turns)
    context = {
        "programme": learning_set.cycle.programme,
        "learning_set": learning_set,
        "name": user.profile.display_name,
        "cause": TURN_CAUSES.get(event, ""),
        "turns": and_join([turn_words(s, zone) for s in turns]),
        "count": len(turns),
        "set_url": site_url("pairing:set_detail", learning_set.pk),
        "dashboard_url": dashboard_url(),
    }
    return "set_turns", [user.email], context, []


# The same causes on the set page, after "since": the day follows.
HOST_SINCE = {
    "host_named": "the organisers named the set's facilitator",
    "host_merged": "members of another set joined it",
    "host_facilitation": "the organisers changed how the set is facilitated",
}


def host_leaver(learning_set: LearningSet, notice: OutboxEmail) -> SetLeaver | None:
    """The member whose leaving made `notice`'s recipient the date keeper: named by its
    key (`...:left-<user>`), else (a key from before) the set's latest leaver then."""
    cause = notice.key.rsplit(":", 1)[-1]
    if cause.startswith("left-") and cause.removeprefix("left-").isdigit():
        named = SetLeaver.objects.filter(
            learning_set=learning_set, user_id=int(cause.removeprefix("left-"))
        )
        return named.select_related("user__profile").first()
    return (
        SetLeaver.objects.filter(learning_set=learning_set, left_at__lte=notice.created_at)
        .select_related("user__profile")
        .order_by("-left_at", "-pk")
        .first()
    )


def latest_host_notice(learning_set: LearningSet) -> OutboxEmail | None:
    """The set's latest "you now look after the dates" notice (to whoever it went)."""
    return (
        OutboxEmail.objects.filter(
            match_id=learning_set.match_id,
            kind=OutboxKind.SET_NOTICE,
            key__startswith=f"{OutboxKind.SET_NOTICE}:host_",
        )
        .order_by("-created_at", "-pk")
        .first()
    )


def host_parts(outbox: OutboxEmail, event: str, set_id: int) -> Parts:
    """To the member who now looks after the set's dates: what that means, and why (the
    member who did it before left: named, from the set's latest leaver then)."""
    user: User = outbox.user
    learning_set = LearningSet.objects.select_related("cycle__programme").get(pk=set_id)
    before = host_leaver(learning_set, outbox)
    cause = HOST_CAUSES.get(event, "")
    if event == "host_left":
        # A leaver whose account is gone since (or none found) is a former member.
        who = before.user.profile.display_name if before and before.user else "A former member"
        cause = f"{who} {cause}"
    context = {
        "programme": learning_set.cycle.programme,
        "learning_set": learning_set,
        "name": user.profile.display_name,
        "event": event,
        "cause": cause,
        "set_url": site_url("pairing:set_detail", learning_set.pk),
        "dashboard_url": dashboard_url(),
    }
    return "set_host", [user.email], context, []


def merge_parts(outbox: OutboxEmail, event: str, set_id: int) -> Parts:
    """After a merge: to a member who moved, the set they joined (its sessions still to
    come, their turns, who is in it now) and the old set's sessions cancelled for them,
    with a calendar file for each (`notify.merge_news`; none in an email from before,
    when each came in its own email); to a member of the set that grew, who joined it,
    and that their sessions are as before (and their turns, when those changed)."""
    if event == MERGE_ENDED:
        return _merge_ended_parts(outbox, set_id)
    user: User = outbox.user
    into = LearningSet.objects.select_related("cycle__programme", "match").get(pk=set_id)
    cause = outbox.key.split(":")[4]
    merged = (
        LearningSet.objects.select_related("cycle__programme")
        .filter(pk=int(cause.removeprefix("merged-")))
        .first()
    )
    calendars = merge_calendars(outbox.key) if event == MERGE_JOINED else None
    zone = zone_named(user.profile.time_zone)
    sessions = into.sessions.filter(status=SessionStatus.SCHEDULED)
    if calendars is None:
        sessions = sessions.filter(starts_at__gt=outbox.created_at)
    else:
        sessions = sessions.filter(number__in=calendars[1])
    sessions = list(sessions.prefetch_related("presenters").order_by("number"))
    turns = [s for s in sessions if any(p.user_id == user.pk for p in s.presenters.all())]
    # Who moved: everyone this merge told they joined (the same event, the same cause).
    movers = OutboxEmail.objects.filter(
        Q(key__endswith=f":{cause}") | Q(key__contains=f":{cause}:"),
        match_id=into.match_id,
        key__startswith=f"{OutboxKind.SET_NOTICE}:{MERGE_JOINED}:{into.pk}:",
    ).order_by("pk")
    joined = display_names(list(movers.values_list("user_id", flat=True)))
    members = set_members(into)
    now_names = {u.pk: u.profile.display_name for u in members}
    host = set_host_id(into)
    length = into.cycle.length_words
    left = _merged_sessions(merged, calendars[0] if calendars and merged else [])
    attendee = (user.profile.display_name, user.email)
    context = {
        "event": event,
        "programme": into.cycle.programme,
        "learning_set": into,
        "merged_number": merged.number if merged else "",
        "name": user.profile.display_name,
        "sessions": [
            f"Session {s.number}: {_when(s, zone)}, for {length}"
            + ("; your turn to bring an issue" if s in turns else "")
            for s in sessions
        ],
        "calendars": calendars is not None,
        "files": len(left) + len(sessions) if calendars else 0,
        "left_sessions": [f"Session {s.number}: {_when(s, zone)}" for s in left],
        "zone": user.profile.time_zone,
        "turns": and_join([turn_words(s, zone) for s in turns]),
        "turns_changed": event == MERGE_TURNS,
        "joined": and_join([n for u, n in joined.items() if u != user.pk]),
        "joined_count": len(joined),
        # "Priya Shah, Ben Ray and you": who is in the set now.
        "members_now": and_join([*(n for u, n in now_names.items() if u != user.pk), "you"]),
        "count": len(members),
        "host_name": "you" if host == user.pk else now_names.get(host, ""),
        "facilitation": set_facilitation(
            into, sessions[0] if sessions else None, viewer_id=user.pk
        ),
        "set_url": site_url("pairing:set_detail", into.pk),
        "dashboard_url": dashboard_url(),
    }
    attachments = [_cancelled_file(s, attendee) for s in left]
    for session in sessions if calendars else []:
        session.learning_set = into
        named = f"learning-set-{into.number}-session-{session.number}.ics"
        attachments.append(
            calendar_file(session, method="REQUEST", attendee=attendee, filename=named)
        )
    return "set_merge", [user.email], context, attachments


def _merged_sessions(merged: LearningSet | None, numbers: list[int]) -> list[Session]:
    """The sessions of the set merged away that the merge cancelled (named by number)."""
    if merged is None or not numbers:
        return []
    sessions = list(merged.sessions.filter(number__in=numbers).order_by("number"))
    for session in sessions:
        session.learning_set = merged
    return sessions


def _cancelled_file(session: Session, attendee: tuple[str, str]) -> tuple[str, bytes, str]:
    # Both sets have a session 1: the set's number keeps the file names apart.
    name = f"learning-set-{session.learning_set.number}-session-{session.number}-cancelled.ics"
    return calendar_file(session, method="CANCEL", attendee=attendee, filename=name)


def _merge_ended_parts(outbox: OutboxEmail, set_id: int) -> Parts:
    """To the external facilitator of the set merged away: its sessions still to come
    are cancelled, with a calendar file for each (`notify.merge_news`)."""
    merged = LearningSet.objects.select_related("cycle__programme", "merged_into").get(pk=set_id)
    left = _merged_sessions(merged, (merge_calendars(outbox.key) or ([], []))[0])
    zone_name = left[0].time_zone if left else "UTC"  # none: nothing to list
    current = outbox.address.lower() == merged.facilitator_email.lower()
    name = (merged.facilitator_name if current else "") or ""
    context = {
        "event": MERGE_ENDED,
        "programme": merged.cycle.programme,
        "learning_set": merged.merged_into,
        "merged_number": merged.number,
        "name": name,
        "left_sessions": [f"Session {s.number}: {_when(s, zone_named(zone_name))}" for s in left],
        "zone": zone_name,
        "calendars": True,
    }
    attendee = (name, outbox.address)
    return "set_merge", [outbox.address], context, [_cancelled_file(s, attendee) for s in left]


def _when(session, zone) -> str:
    local = timezone.localtime(session.starts_at, zone)
    return f"{local:%A} {local.day} {local:%B %Y}, {local:%H:%M}"


def facilitator_parts(outbox: OutboxEmail, set_id: int) -> Parts:
    """To each member of a set whose facilitator the organisers named: who facilitates
    now (in place of whom), and that nothing else changes."""
    user: User = outbox.user
    learning_set = LearningSet.objects.select_related("cycle__programme").get(pk=set_id)
    named, before, keeper = parse_named(outbox.key)
    names = display_names({named} | ({before} if before else set()))
    context = {
        "programme": learning_set.cycle.programme,
        "learning_set": learning_set,
        "name": user.profile.display_name,
        "you": named == user.pk,
        "named": names.get(named, "A member of the set"),
        "before": "you" if before == user.pk else names.get(before, "") if before else "",
        # The member who looked after the dates until this naming is told they no longer do.
        "dates_taken": keeper == user.pk and named != user.pk,
        "set_url": site_url("pairing:set_detail", learning_set.pk),
        "dashboard_url": dashboard_url(),
    }
    return "set_facilitator", [user.email], context, []
