"""The introduction: one email to everyone in a match."""

from __future__ import annotations

import datetime as dt
from itertools import combinations

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from members.models import User
from pairing.emails.calendar import match_calendar, slot_sentence
from pairing.emails.starters import conversation_starters
from pairing.emails.text import and_join, dashboard_url
from pairing.kinds import kind_of
from pairing.models import Match, MatchMember, OutboxEmail, OutboxKind, Programme, round_day
from pairing.outbox.render import renderer
from pairing.selectors import meets_words, seat_role
from pairing.sets.intro import set_intro_context
from pairing.shared_topics import topic_sentences


@renderer(OutboxKind.INTRO)
def intro_parts(outbox: OutboxEmail) -> tuple[str, list[str], dict, list]:
    match = (
        Match.objects.select_related("pairing_round__programme", "host__profile")
        .defer("pairing_round__draft")
        .get(pk=outbox.match_id)
    )
    programme = match.pairing_round.programme
    seats = [
        seat
        for seat in match.members.select_related("user__profile").order_by("pk")
        if seat.user is not None
    ]
    users = [seat.user for seat in seats]
    people = [_person(seat.user, programme, seat_role(seat, programme)) for seat in seats]
    host = next((p for p in people if p["user_id"] == match.host_id), None)
    context = {
        "match": match,
        "programme": programme,
        "people": people,
        "names": and_join([p["name"] for p in people]),
        "roles": roles_sentence(people),
        "lead": kind_of(programme).intro_lead,
        "length": kind_of(programme).meeting_words,
        "host": host,
        "shared": _shared_words(match.shared_interests, people),
        "met_before": met_before_sentence(
            match, people, today=timezone.localdate(), sets=kind_of(programme).stable_groups
        ),
        "starters": conversation_starters(
            interests=match.shared_interests, seed=match.pk, own=kind_of(programme).starters
        ),
        "slot": slot_sentence(match.suggested_start, people) if match.suggested_start else "",
        "dashboard_url": dashboard_url(),
        # Search review: the day to share a strategy by, on the match page behind login.
        "share_due_on": kind_of(programme).share_due_on(match.pairing_round),
        "match_url": settings.SITE_URL + reverse("pairing:match_detail", args=[match.pk]),
        # One link for the whole group, behind login: each member lands on their own form.
        # The personal no-login links go only in each member's own follow-up email, so a
        # partner can never open someone else's evaluation from this shared message.
        "feedback_url": settings.SITE_URL + reverse("feedback:evaluate_own", args=[match.pk]),
        # When that personal link comes: the follow-up goes `followup_days` after the round.
        "followup_when": followup_when(programme.followup_days),
        # Skip and pause change one member's participation, so this shared message links
        # to the dashboard behind login, where each member sees only their own plans.
        "plans_url": dashboard_url() + f"#membership-{programme.slug}",
        # Learning sets: the set's sessions (each with its own invitation) instead of one
        # suggested time, and the set page instead of "skip the next round".
        **(set_intro_context(match) if kind_of(programme).stable_groups else {}),
        # A plain Reply reaches the whole group (it went to the site's address, and only
        # Reply-all reached a partner): the addresses are this message's own recipients.
        "reply_to": [u.email for u in users],
    }
    attachments = []
    if match.suggested_start and users and not kind_of(programme).stable_groups:
        attachments.append(
            (
                f"{kind_of(programme).slug.replace('_', '-')}-introduction.ics",
                match_calendar(match, users, programme, _titled_names(people)),
                "text/calendar",
            )
        )
    return "intro", [u.email for u in users], context, attachments


def followup_when(days: int) -> str:
    """When the personal "did you meet?" link comes, counted from the round (the day this
    email goes): "in 14 days", "tomorrow", or "shortly" when it follows straight away."""
    if days <= 0:
        return "shortly"
    return "tomorrow" if days == 1 else f"in {days} days"


def met_before_sentence(
    match: Match, people: list[dict], *, today: dt.date, sets: bool = False
) -> str:
    """ "You were last introduced in March 2026." for people introduced again (a small
    pool), naming who when a group has several histories. Introduced, not met: an
    introduction says nothing of whether they met (and a partner's feedback is never shown).
    `today` is the day the email goes: an earlier round that ran that day, or that month,
    is "earlier today" or "earlier this month". In learning `sets`, who met for a whole
    cycle "were in a set together in the cycle from <its first session>", the name the
    dashboard and set pages give it (walk 47), with nothing to catch up on (walk 42: "last
    introduced in December" for a set that met until last week). Members last introduced
    together in one earlier group are one sentence: "You were all ..." when that is the
    whole group (walk 47: three sentences with the same date for a trio)."""
    names = {p["user_id"]: p["name"] for p in people}
    seats = (
        MatchMember.objects.filter(
            user_id__in=names,
            match__pairing_round__programme_id=match.pairing_round.programme_id,
            match__pairing_round__number__lt=match.pairing_round.number,
        )
        .values_list(
            "match_id",
            "user_id",
            "match__pairing_round__scheduled_for",
            "match__pairing_round__finished_at",
            "match__pairing_round__cycle__first_session_on",
        )
        .order_by("match__pairing_round__number")
    )
    groups: dict[int, tuple[set[int], dt.date, dt.date | None]] = {}
    for match_id, user_id, planned, finished, cycle_from in seats:
        # The day the round ran (Round.held_on), which may be before its planned day.
        day = round_day(planned, finished)
        groups.setdefault(match_id, (set(), day, cycle_from))[0].add(user_id)
    last: dict[frozenset, int] = {}
    for match_id, (members, _day, _from) in groups.items():
        for pair in combinations(sorted(members), 2):
            last[frozenset(pair)] = match_id  # ordered by round: the latest wins
    if not last:
        return ""
    sentences = []
    for who, match_id in _together(last):
        _members, day, cycle_from = groups[match_id]
        said = _in_a_set(day, today, cycle_from) if sets else _introduced(day, today)
        if len(who) == len(names):  # the whole group
            if len(who) > 2:  # "You were all last introduced ...", "... all introduced"
                also = said.startswith("were also ")
                said = said.replace("were also " if also else "were ", "were all ", 1)
            sentences.append((day, f"You {said}."))
        else:
            sentences.append((day, f"{and_join(sorted(names[u] for u in who))} {said}."))
    sentences.sort(key=lambda item: item[0])
    text = [sentence for _day, sentence in sentences]
    # Introduced earlier today: there is nothing yet to catch up on.
    if not sets and any(groups[m][1] != today for m in last.values()):
        text.append("A chance to catch up on what has changed since.")
    return " ".join(text)


def _together(last: dict[frozenset, int]) -> list[tuple[frozenset, int]]:
    """Who was last introduced in each earlier match: all of its members at once when
    every pair among them was last introduced there, else pair by pair."""
    by_match: dict[int, list[frozenset]] = {}
    for pair, match_id in last.items():
        by_match.setdefault(match_id, []).append(pair)
    result = []
    for match_id, pairs in by_match.items():
        members = frozenset().union(*pairs)
        if len(pairs) == len(members) * (len(members) - 1) // 2:
            result.append((members, match_id))
        else:
            result.extend((pair, match_id) for pair in pairs)
    return result


def _introduced(day: dt.date, today: dt.date) -> str:
    """ "were last introduced in March 2026", "... earlier this month", or "were also
    introduced earlier today" (a round run straight after another)."""
    if day == today:
        return "were also introduced earlier today"
    if (day.year, day.month) == (today.year, today.month):
        return "were last introduced earlier this month"
    return f"were last introduced in {day:%B %Y}"


def _in_a_set(day: dt.date, today: dt.date, cycle_from: dt.date | None) -> str:
    """ "were in a set together in the cycle from 6 October 2026" (the cycle's first
    session), or, for a set with no cycle on record, "... the cycle formed in December
    2026"."""
    if cycle_from is not None:
        return f"were in a set together in the cycle from {cycle_from:%-d %B %Y}"
    if (day.year, day.month) == (today.year, today.month):
        return "were in a set together in the cycle formed earlier this month"
    return f"were in a set together in the cycle formed in {day:%B %Y}"


def _titled_names(people: list[dict]) -> str:
    return and_join(
        [f"{p['name']} ({p['match_role']})" if p["match_role"] else p["name"] for p in people]
    )


def roles_sentence(people: list[dict]) -> str:
    """ "Ada Lovelace is the mentor and Ben Okri the mentee." for kinds with roles."""
    by_role: dict[str, list[str]] = {}
    for person in people:
        if person["match_role"]:
            by_role.setdefault(person["match_role"], []).append(person["name"])
    if not by_role:
        return ""
    (role, names), *rest = sorted(by_role.items())
    verb = "is" if len(names) == 1 else "are"
    others = "".join(f" and {and_join(more)} the {other}" for other, more in rest)
    return f"{and_join(names)} {verb} the {role}{others}."


def _person(user: User, programme: Programme, match_role: str = "") -> dict:
    profile = user.profile
    return {
        "user_id": user.pk,
        "match_role": match_role,
        "name": profile.display_name,
        "pronouns": profile.pronouns,
        "role": profile.get_role_band_display(),
        "job_title": profile.job_title,
        "sector": profile.get_sector_display(),
        "region": profile.get_region_display(),
        "meets": meets_words(profile),
        "organisation": profile.organisation if profile.show_organisation else "",
        "about": profile.about,
        "access_notes": profile.access_notes,
        "time_zone": profile.time_zone,
    }


def _shared_words(topics: list[str], people: list[dict]) -> str:
    """ "You all listed A. Lee and Max both listed B.": a topic only some of a group
    listed names them, so nobody reads that they listed what they did not."""
    names = {p["user_id"]: p["name"] for p in people}
    return " ".join(topic_sentences(topics=topics, names=names))
