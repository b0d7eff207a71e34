"""Render outbox rows into email messages: a subject/text/HTML template triple per kind.

Rendering reads the database at send time, so a member who changed their profile or
left between the round and the send is shown as they are now.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import re
import zoneinfo
from email.utils import parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from icalendar import Calendar, Event, vCalAddress

from members.models import User
from pairing.links import make_link
from pairing.models import (
    LeftOut,
    Match,
    Membership,
    MembershipStatus,
    OutboxEmail,
    OutboxKind,
    Programme,
)

MEETING = dt.timedelta(minutes=30)
DEFAULT_LEFT_OUT_REASON = "there were not enough people available to make another match"

# Keys are lower-case interest names; a key also matches a longer name containing it.
STARTERS = {
    "systematic searching": [
        "Which database do you find hardest to translate a search strategy into, and why?",
        "How do you decide when a systematic search is finished?",
    ],
    "literature searching": [
        "What is the most useful search tip you have picked up from a colleague?",
        "How do you agree the scope of a search with the person asking for it?",
    ],
    "open access": [
        "What has changed in your open access work over the last year?",
        "How do you explain open access options to researchers who are new to them?",
    ],
    "information literacy": [
        "What is one teaching activity that always works with your learners?",
        "How do you know whether an information literacy session has made a difference?",
    ],
    "research data": [
        "What do researchers ask you most often about managing their data?",
    ],
    "copyright": [
        "What is the copyright question you are asked most, and how do you answer it?",
    ],
    "cataloguing": [
        "What cataloguing or metadata decision took you longest to settle?",
    ],
    "metadata": [
        "Where does messy metadata cause your users the most trouble?",
    ],
    "evidence": [
        "How do you help busy colleagues use evidence in their day-to-day decisions?",
    ],
    "critical appraisal": [
        "Which appraisal checklist do you reach for first, and what does it miss?",
    ],
    "reader development": [
        "What is the best reading promotion you have run or seen?",
    ],
    "outreach": [
        "How do you reach people who never come to the library?",
    ],
    "marketing": [
        "Which way of telling people about your service has worked best?",
    ],
    "collection": [
        "How do you decide what to stop buying or subscribing to?",
    ],
    "artificial intelligence": [
        "How are the people you support using AI tools, and what do you tell them?",
    ],
    "digital": [
        "Which digital tool has saved you the most time this year?",
    ],
    "accessibility": [
        "What change made your service easier to use for disabled people?",
    ],
    "wellbeing": [
        "What helps you keep a manageable workload in a small team?",
    ],
    "archives": [
        "What is the most surprising thing you have found in a collection?",
    ],
    "leadership": [
        "What do you wish you had known before managing people or a service?",
    ],
    "teaching": [
        "How do you keep a session lively when it is online?",
    ],
}
INTEREST_TEMPLATES = [
    "What got you interested in {topic}, and what are you working on in it now?",
    "What is one thing about {topic} you would recommend to a colleague starting out?",
]
GENERIC_STARTERS = [
    "What does a typical week look like in your job?",
    "What is one thing your service has tried recently that worked well?",
    "Who do you go to when you are stuck at work, and who comes to you?",
    "What would you most like to learn about in the next year?",
    "What is a small change that made your working day better?",
]


def build_message(outbox: OutboxEmail) -> EmailMultiAlternatives:
    """The complete message for one outbox row (not yet sent)."""
    from feedback.emails import followup_parts, reminder_parts

    builders = {
        OutboxKind.INTRO: _intro,
        OutboxKind.LEFT_OUT: _left_out,
        OutboxKind.NOTICE: _notice,
        OutboxKind.FOLLOWUP: followup_parts,
        OutboxKind.REMINDER: reminder_parts,
    }
    name, to, context, attachments = builders[OutboxKind(outbox.kind)](outbox)
    context = {"site_name": settings.SITE_NAME, "site_url": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"emails/{name}_subject.txt", context).split())
    text = re.sub(r"\n{3,}", "\n\n", render_to_string(f"emails/{name}.txt", context)).strip()
    message = EmailMultiAlternatives(
        subject=subject,
        body=text + "\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        headers={"Message-ID": message_id(outbox.key)},
    )
    message.attach_alternative(render_to_string(f"emails/{name}.html", context), "text/html")
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    return message


def message_id(key: str) -> str:
    # Derived from the outbox key, so a resend after a crash carries the same Message-ID
    # and mail clients and servers can recognise it as the same message.
    digest = hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()[:20]
    return f"<outbox-{digest}@{_domain()}>"


def _domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def _dashboard_url() -> str:
    return settings.SITE_URL + reverse("members:dashboard")


# --- Introduction --------------------------------------------------------------------


def _intro(outbox: OutboxEmail) -> tuple[str, list[str], dict, list]:
    match = (
        Match.objects.select_related("pairing_round__programme", "host__profile")
        .defer("pairing_round__snapshot", "pairing_round__draft")
        .get(pk=outbox.match_id)
    )
    programme = match.pairing_round.programme
    users = [
        seat.user
        for seat in match.members.select_related("user__profile").order_by("pk")
        if seat.user is not None
    ]
    people = [_person(user, programme) for user in users]
    host = next((p for p in people if p["user_id"] == match.host_id), None)
    context = {
        "match": match,
        "programme": programme,
        "people": people,
        "names": _and_join([p["name"] for p in people]),
        "host": host,
        "shared": _shared_sentence(match.shared_interests, len(people)),
        "starters": conversation_starters(interests=match.shared_interests, seed=match.pk),
        "slot": slot_sentence(match.suggested_start, people) if match.suggested_start else "",
        "dashboard_url": _dashboard_url(),
        # One link for the whole group, behind login: each member lands on their own form.
        # The personal no-login links go only in each member's own follow-up email, so a
        # partner can never open someone else's evaluation from this shared message.
        "feedback_url": settings.SITE_URL + reverse("feedback:evaluate_own", args=[match.pk]),
    }
    attachments = []
    if match.suggested_start and users:
        attachments.append(
            ("coffee-introduction.ics", _calendar(match, users, programme), "text/calendar")
        )
    return "intro", [u.email for u in users], context, attachments


def _person(user: User, programme: Programme) -> dict:
    profile = user.profile
    membership = _active_membership(user, programme)
    return {
        "user_id": user.pk,
        "name": profile.display_name,
        "pronouns": profile.pronouns,
        "role": profile.get_role_band_display(),
        "job_title": profile.job_title,
        "sector": profile.get_sector_display(),
        "region": profile.get_region_display(),
        "organisation": profile.organisation if profile.show_organisation else "",
        "about": profile.about,
        "access_notes": profile.access_notes,
        "time_zone": profile.time_zone,
        "skip_url": make_link(membership, "skip") if membership else "",
        "pause_url": make_link(membership, "pause") if membership else "",
    }


def _active_membership(user: User, programme: Programme) -> Membership | None:
    return (
        Membership.objects.filter(user=user, programme=programme)
        .exclude(status=MembershipStatus.LEFT)
        .first()
    )


def _and_join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _shared_sentence(interests: list[str], count: int) -> str:
    if not interests:
        return ""
    who = "You both" if count <= 2 else "You all"
    return f"{who} listed {_and_join(list(interests))}."


def conversation_starters(*, interests: list[str], seed: int) -> list[str]:
    """Three questions: from the shared interests first, then general ones. The same
    seed (the match) always gives the same three, so a resend reads the same."""
    rng = random.Random(f"starters:{seed}")  # noqa: S311 -- variety, not security
    per_topic = []
    for topic in interests:
        options = _curated(topic) or [t.format(topic=topic) for t in INTEREST_TEMPLATES]
        per_topic.append(rng.sample(options, len(options)))
    chosen: list[str] = []
    # One from each topic in turn, so three shared interests give three different topics.
    while len(chosen) < 3 and any(per_topic):
        for options in per_topic:
            if options and len(chosen) < 3:
                chosen.append(options.pop(0))
    generic = rng.sample(GENERIC_STARTERS, len(GENERIC_STARTERS))
    return chosen + generic[: 3 - len(chosen)]


def _curated(topic: str) -> list[str]:
    name = topic.lower().strip()
    if name in STARTERS:
        return STARTERS[name]
    return next((lines for key, lines in STARTERS.items() if key in name), [])


def slot_sentence(start: dt.datetime, people: list[dict]) -> str:
    """The slot in each person's own time zone, e.g. "Tuesday 2 December, 10:00 for Ada
    (Europe/London), 11:00 for Jan (Europe/Warsaw)"."""
    local = [(p, start.astimezone(_zone(p["time_zone"]))) for p in people]
    days = {f"{t:%A} {t.day} {t:%B}" for _p, t in local}
    if len(days) == 1:
        times = ", ".join(f"{t:%H:%M} for {p['name']} ({p['time_zone']})" for p, t in local)
        return f"{days.pop()}, {times}"
    # Across the date line the day differs too, so each person gets their own date.
    return "; ".join(
        f"{t:%A} {t.day} {t:%B}, {t:%H:%M} for {p['name']} ({p['time_zone']})" for p, t in local
    )


def _zone(name: str) -> dt.tzinfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return dt.UTC


def _calendar(match: Match, users: list[User], programme: Programme) -> bytes:
    host = match.host if match.host in users else users[0]
    start = match.suggested_start.astimezone(_zone(host.profile.time_zone))
    organiser_name, organiser_email = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = vCalAddress(f"mailto:{organiser_email}")
    organizer.params["CN"] = organiser_name or settings.SITE_NAME
    attendees = []
    for user in users:
        attendee = vCalAddress(f"mailto:{user.email}")
        attendee.params["CN"] = user.profile.display_name
        attendees.append(attendee)
    names = _and_join([u.profile.display_name for u in users])
    event = Event.new(
        uid=f"match-{match.pk}@{_domain()}",  # stable: a resend updates, not duplicates
        start=start,
        end=start + MEETING,
        stamp=match.created_at,
        summary=f"Coffee: {names}",
        description=f"{programme.name}. {host.profile.display_name} hosts and may propose "
        "another time.",
        organizer=organizer,
        attendees=attendees,
    )
    calendar = Calendar.new(
        method="PUBLISH",
        prodid=f"-//{settings.SITE_NAME}//Introductions//EN",
        uid=f"calendar-match-{match.pk}@{_domain()}",
        subcomponents=[event],
    )
    calendar.add_missing_timezones(
        first_date=start.date() - dt.timedelta(days=366),
        last_date=start.date() + dt.timedelta(days=366),
    )
    return calendar.to_ical()


# --- Left out and round notice --------------------------------------------------------


def _left_out(outbox: OutboxEmail) -> tuple[str, list[str], dict, list]:
    user, programme = outbox.user, outbox.pairing_round.programme
    left_out = LeftOut.objects.filter(pairing_round=outbox.pairing_round, user=user).first()
    context = {
        "name": user.profile.display_name,
        "programme": programme,
        "pairing_round": outbox.pairing_round,
        # Reasons are sentence fragments; the template adds the full stop.
        "reason": (left_out.reason if left_out else DEFAULT_LEFT_OUT_REASON).rstrip(". "),
        "dashboard_url": _dashboard_url(),
        **_membership_links(user, programme),
    }
    return "left_out", [user.email], context, []


def _notice(outbox: OutboxEmail) -> tuple[str, list[str], dict, list]:
    user, programme = outbox.user, outbox.pairing_round.programme
    context = {
        "name": user.profile.display_name,
        "programme": programme,
        "pairing_round": outbox.pairing_round,
        "dashboard_url": _dashboard_url(),
        **_membership_links(user, programme),
    }
    return "notice", [user.email], context, []


def _membership_links(user: User, programme: Programme) -> dict:
    membership = _active_membership(user, programme)
    if membership is None:
        return {"skip_url": "", "pause_url": ""}
    return {"skip_url": make_link(membership, "skip"), "pause_url": make_link(membership, "pause")}
