"""Renderers of the learning-set emails: the calendar invitation (new or moved), the
cancellation, the reminder before a session, the check-in after it, and notices about a
set (to the organisers here; to a member in `member_emails`). Registered with the outbox
when `PairingConfig.ready` runs."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from members.models import User
from pairing.emails.text import and_join, dashboard_url, site_url
from pairing.kinds import kind_of
from pairing.models import OutboxEmail, OutboxKind
from pairing.outbox.render import renderer
from pairing.sets.calendar import session_calendar
from pairing.sets.member_emails import (
    facilitator_parts,
    host_leaver,
    host_parts,
    merge_parts,
    swap_parts,
    turns_parts,
)
from pairing.sets.models import LearningSet, Session, SessionStatus, SetLeaver
from pairing.sets.notify import parse_notice_key, parse_session_key
from pairing.sets.plan import zone_named
from pairing.sets.released import released_parts
from pairing.sets.selectors import set_member_ids, set_members
from pairing.sets.words import (
    SHARED,
    TO_BE_NAMED,
    facilitation_line,
    facilitator_words,
    turn_words,
)


def _session(outbox: OutboxEmail) -> tuple[Session, int, User | None]:
    session_id, sequence, user_id, _change = parse_session_key(outbox.key)
    session = Session.objects.select_related(
        "learning_set__cycle__programme", "learning_set__match", "facilitator__profile"
    ).get(pk=session_id)
    return session, sequence, outbox.user if user_id else None


def _recipient(session: Session, user: User | None, address: str = "") -> tuple[str, str, str]:
    """(name, email address, time zone) of a member or of the external facilitator: the
    one at `address` (the email's own), who may since have been replaced."""
    if user is not None:
        return user.profile.display_name, user.email, user.profile.time_zone
    learning_set = session.learning_set
    email = address or learning_set.facilitator_email
    current = email.lower() == learning_set.facilitator_email.lower()
    name = (learning_set.facilitator_name if current else "") or ""
    return name, email, session.time_zone


def _context(session: Session, user: User | None, address: str = "") -> dict:
    name, _email, zone = _recipient(session, user, address)
    cycle = session.learning_set.cycle
    local = timezone.localtime(session.starts_at, zone_named(zone))
    return {
        "name": name,
        "programme": cycle.programme,
        "session": session,
        "cycle": cycle,
        "set_number": session.learning_set.number,
        "when": f"{local:%A} {local.day} {local:%B %Y}, {local:%H:%M} ({zone})",
        "length": cycle.length_words,
        "facilitator": facilitation_line(session, getattr(user, "pk", None)),
        # The external facilitator has no account: the set page is for members.
        "set_url": site_url("pairing:set_detail", session.learning_set_id) if user else "",
        "dashboard_url": dashboard_url() if user else "",
    }


def _change(outbox: OutboxEmail, sequence: int) -> str:
    """What the email announces (`notify.session_key`); a key from before the change was
    named is an invitation at sequence 0 and a move after it, as those emails said."""
    change = parse_session_key(outbox.key)[3]
    if outbox.kind == OutboxKind.SESSION_CANCEL:
        return change
    return change or ("moved" if sequence > 0 else "")


def _update_context(session: Session, user: User | None) -> dict:
    """Who facilitates and presents, for an update that changed only who facilitates:
    "Ben Williams now facilitates" (or "you now facilitate")."""
    presenters = list(session.presenters.select_related("user__profile"))
    facilitating = user is not None and session.facilitator_id == user.pk
    facilitator = facilitator_words(session)
    if facilitating:
        news = "you now facilitate"
    elif facilitator in (SHARED, TO_BE_NAMED):
        news = facilitator[0].lower() + facilitator[1:]
    else:
        news = f"{facilitator} now facilitates"
    return {
        "facilitator_news": news,
        "facilitating": facilitating,
        "presenters": and_join(
            [
                "you"
                if p.user is not None and p.user_id == getattr(user, "pk", None)
                else p.user.profile.display_name
                if p.user is not None
                else "A former member"  # an account deleted since
                for p in presenters
            ]
        ),
    }


def _calendar_parts(outbox: OutboxEmail, template: str, method: str) -> tuple:
    session, sequence, user = _session(outbox)
    name, email, _zone_name = _recipient(session, user, outbox.address)
    change = _change(outbox, sequence)
    change, _, was = change.partition("-") if change.startswith("moved") else (change, "", "")
    context = {**_context(session, user, outbox.address), "change": change}
    if change in ("facilitator", "moved"):
        # A change says who facilitates and presents now ("You" to the recipient).
        context.update(_update_context(session, user))
    if was.isdigit():
        zone = _recipient(session, user)[2]
        before = dt.datetime.fromtimestamp(int(was), tz=dt.UTC)
        context["was"] = f"{_local_when_at(before, zone_named(zone))} ({zone})"
    ics = session_calendar(session, method=method, sequence=sequence, attendee=(name, email))
    filename = f"learning-set-session-{session.number}.ics"
    return template, [email], context, [(filename, ics, f"text/calendar; method={method}")]


@renderer(OutboxKind.SESSION_INVITE)
def session_invite_parts(outbox: OutboxEmail) -> tuple[str, list[str], dict, list]:
    return _calendar_parts(outbox, "session_invite", "REQUEST")


@renderer(OutboxKind.SESSION_CANCEL)
def session_cancel_parts(outbox: OutboxEmail) -> tuple[str, list[str], dict, list]:
    name, to, context, attachments = _calendar_parts(outbox, "session_cancel", "CANCEL")
    change = parse_session_key(outbox.key)[3]
    if change == "left":
        return _left_parts(outbox, context, attachments)
    if change.startswith("released"):
        return released_parts(context, attachments, (name, to[0]))
    # To a presenter of the cancelled session: where their turn went, or that it could not.
    context["turn_lost"] = change == "no-turn"
    if change.startswith("turn-"):
        moved_to = Session.objects.filter(pk=int(change.removeprefix("turn-"))).first()
        if moved_to is not None:
            zone = zone_named(_recipient(context["session"], outbox.user)[2])
            context["turn_moved_to"] = turn_words(moved_to, zone)
            context["turn_earlier"] = moved_to.number < context["session"].number
    if change.startswith("shared-"):
        context["shared"] = _shared_words(outbox, int(change.removeprefix("shared-")), context)
    return name, to, context, attachments


def _shared_words(outbox: OutboxEmail, session_id: int, context: dict) -> str:
    """To a member presenting at a session that a cancelled session's turns moved to:
    "Kiran Patel now presents at session 6 (day) with you: 3 presenters in 3 hours"."""
    target = Session.objects.filter(pk=session_id).first()
    if target is None or outbox.user is None:
        return ""
    presenters = list(target.presenters.select_related("user__profile").order_by("pk"))
    # Those who join come from the cancelled session (its presenters are kept on it).
    moved = set(context["session"].presenters.values_list("user_id", flat=True))
    names = {p.user_id: p.user.profile.display_name for p in presenters if p.user is not None}
    joining = [n for u, n in names.items() if u in moved and u != outbox.user_id]
    staying = [n for u, n in names.items() if u not in moved and u != outbox.user_id]
    if not joining:
        return ""
    zone = zone_named(outbox.user.profile.time_zone)
    verb = "present" if len(joining) > 1 else "presents"
    also = f" and {and_join(staying)}" if staying else ""
    return (
        f"{and_join(joining)} now {verb} at {turn_words(target, zone)} with you{also}: "
        f"{len(presenters)} presenters in {context['cycle'].length_words}"
    )


def _left_parts(outbox: OutboxEmail, context: dict, attachments: list) -> tuple:
    """One email to a member who left the set: every session still to come when they
    left is cancelled for them, each with its own calendar file (CANCEL, same UID)."""
    session, user = context["session"], outbox.user
    leaver = SetLeaver.objects.filter(learning_set_id=session.learning_set_id, user=user).first()
    later = session.learning_set.sessions.filter(
        status=SessionStatus.SCHEDULED,
        starts_at__gt=leaver.left_at if leaver else session.starts_at,
    ).exclude(pk=session.pk)
    sessions = [session, *later.order_by("number")]
    zone = zone_named(user.profile.time_zone)
    attendee = (user.profile.display_name, user.email)
    for other in sessions[1:]:
        other.learning_set = session.learning_set
        ics = session_calendar(other, method="CANCEL", sequence=other.sequence, attendee=attendee)
        filename = f"learning-set-session-{other.number}.ics"
        attachments.append((filename, ics, "text/calendar; method=CANCEL"))
    context["left_sessions"] = [
        f"Session {s.number}: {_local_when(s, zone)} ({user.profile.time_zone})" for s in sessions
    ]
    context["left_numbers"] = and_join([str(s.number) for s in sessions])
    left_on = timezone.localtime(leaver.left_at, zone) if leaver else None
    context["left_on"] = f"{left_on.day} {left_on:%B %Y}" if left_on else ""
    return "session_left", [user.email], context, attachments


def _local_when(session: Session, zone: dt.tzinfo) -> str:
    return _local_when_at(session.starts_at, zone)


def _local_when_at(moment: dt.datetime, zone: dt.tzinfo) -> str:
    local = timezone.localtime(moment, zone)
    return f"{local:%A} {local.day} {local:%B %Y}, {local:%H:%M}"


@renderer(OutboxKind.SESSION_REMINDER)
def session_reminder_parts(outbox: OutboxEmail) -> tuple[str, list[str], dict, list]:
    session, _sequence, user = _session(outbox)
    members = {u.pk: u.profile.display_name for u in set_members(session.learning_set)}
    presenter_ids = [p for p in session.presenters.values_list("user_id", flat=True)]
    me = getattr(user, "pk", None)
    context = {
        **_context(session, user, outbox.address),
        "ground_rules": session.learning_set.cycle.programme.ground_rules,
        # A presenter reads of the others who present with them, not of themselves
        # (walk 32: Aisha read "You are bringing an issue this time (Aisha Okafor)").
        "presenters": and_join([members[p] for p in presenter_ids if p in members and p != me]),
        "presenting": me is not None and me in presenter_ids,
    }
    return "session_reminder", [_recipient(session, user, outbox.address)[1]], context, []


@renderer(OutboxKind.SESSION_CHECKIN)
def session_checkin_parts(outbox: OutboxEmail) -> tuple[str, list[str], dict, list]:
    session, _sequence, user = _session(outbox)
    last = not session.learning_set.sessions.filter(
        status=SessionStatus.SCHEDULED, number__gt=session.number
    ).exists()
    context = {
        **_context(session, user),
        "checkin_url": site_url("pairing:session_checkin", session.pk),
        "evaluation_url": site_url("pairing:set_evaluate", session.learning_set_id) if last else "",
    }
    return "session_checkin", [user.email], context, []


@renderer(OutboxKind.SET_NOTICE)
def set_notice_parts(outbox: OutboxEmail) -> tuple[str, list[str], dict, list]:
    event, set_id, user_id = parse_notice_key(outbox.key)
    if event.startswith("swap_"):
        return swap_parts(outbox, event, user_id)
    if event.startswith("turns_"):
        return turns_parts(outbox, event, set_id)
    if event.startswith("host_"):
        return host_parts(outbox, event, set_id)
    if event.startswith("merge_"):
        return merge_parts(outbox, event, set_id)
    if event.startswith("facilitator_"):
        return facilitator_parts(outbox, set_id)
    if event == "member_left":
        return _member_left_parts(outbox, set_id)
    learning_set = LearningSet.objects.select_related("cycle__programme", "match").get(pk=set_id)
    programme = learning_set.cycle.programme
    leaver = User.objects.filter(pk=user_id).select_related("profile").first()
    recipients = [settings.ORGANISERS_EMAIL, *programme.organisers.values_list("email", flat=True)]
    size = len(set_member_ids(learning_set))
    context = {
        "event": event,
        "programme": programme,
        "learning_set": learning_set,
        "leaver": leaver.profile.display_name if leaver else "A former member",
        "size": size,
        "min_size": kind_of(programme).min_group_size,
        "small": size < kind_of(programme).min_group_size,
        "overview_url": settings.SITE_URL
        + reverse("admin:pairing_cycle_sets", args=[learning_set.cycle_id]),
    }
    return "set_notice", list(dict.fromkeys(r for r in recipients if r)), context, []


def _member_left_parts(outbox: OutboxEmail, set_id: int) -> tuple[str, list[str], dict, list]:
    """To each member still in the set: who left (named by the notice's key; a leaver
    whose account is gone since is a former member), and that the set carries on."""
    user: User = outbox.user
    learning_set = LearningSet.objects.select_related("cycle__programme").get(pk=set_id)
    leaver = host_leaver(learning_set, outbox)
    context = {
        "programme": learning_set.cycle.programme,
        "learning_set": learning_set,
        "name": user.profile.display_name,
        "leaver": leaver.user.profile.display_name if leaver and leaver.user else "A former member",
        "size": len(set_member_ids(learning_set)),
        "set_url": site_url("pairing:set_detail", learning_set.pk),
        "dashboard_url": dashboard_url(),
    }
    return "set_member_left", [user.email], context, []
