"""A small demo community for `make run`: an organiser, ~30 members, two programmes."""

from __future__ import annotations

import datetime as dt
import random

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from members.demo_reviews import demo_search_review
from members.demo_seed import demo_seed
from members.demo_sets import demo_learning_sets
from members.models import (
    AVAILABILITY_CHOICES,
    Experience,
    Interest,
    MeetingFormat,
    Profile,
    Region,
    RoleBand,
    Sector,
    User,
)
from members.services import profile_refresh_complete
from pairing.models import Membership, MentoringRole, Programme, ProgrammeKind, SectorMix

ORGANISER_EMAIL = "organiser@example.org"
DEMO_PASSWORD = "coffee-demo-2026"  # noqa: S105 - printed on screen for the local demo

FIRST = [
    "Aisha",
    "Ben",
    "Carys",
    "Dev",
    "Eilidh",
    "Femi",
    "Gráinne",
    "Hassan",
    "Imogen",
    "Jonah",
    "Kiran",
    "Lowri",
    "Malik",
    "Niamh",
    "Olu",
    "Priya",
    "Quentin",
    "Rhiannon",
    "Sam",
    "Tomasz",
    "Uma",
    "Viktor",
    "Wen",
    "Xanthe",
    "Yusuf",
    "Zara",
    "Alex",
    "Bethan",
    "Callum",
    "Delyth",
]
LAST = [
    "Okafor",
    "Williams",
    "Jones",
    "Patel",
    "MacLeod",
    "Adeyemi",
    "Byrne",
    "Khan",
    "Hughes",
    "Levi",
    "Shah",
    "Evans",
    "Ahmed",
    "Murphy",
    "Bello",
    "Nair",
    "Blake",
    "Davies",
    "Green",
    "Nowak",
    "Rao",
    "Ivanov",
    "Li",
    "Moss",
    "Ali",
    "Hussain",
    "Reid",
    "Morgan",
    "Fraser",
    "Price",
]
# Each demo organisation with its sector, and job titles that fit each sector, so that a
# demo profile reads as one person ("Clinical librarian, Health / NHS, at an NHS trust").
ORGS = {
    "University of Salford": Sector.ACADEMIC,
    "Manchester University NHS FT": Sector.HEALTH,
    "Leeds Libraries": Sector.PUBLIC,
    "Cardiff University": Sector.ACADEMIC,
    "NHS Education for Scotland": Sector.HEALTH,
    "Clifford Chance": Sector.LAW,
    "The National Archives": Sector.ARCHIVES,
    "Bristol City Council": Sector.PUBLIC,
    "King Edward's School": Sector.SCHOOL,
    "Northern College": Sector.FURTHER_EDUCATION,
    "Department for Education": Sector.GOVERNMENT,
    "Royal College of Nursing": Sector.CORPORATE,
}
TITLES = {
    Sector.ACADEMIC: ["Subject librarian", "Research support librarian", "Library assistant",
                      "Head of library services", "Graduate trainee"],
    Sector.HEALTH: ["Clinical librarian", "Knowledge manager", "Library assistant",
                    "Head of library services", "Outreach librarian"],
    Sector.PUBLIC: ["Outreach librarian", "Reader development librarian", "Library assistant",
                    "Head of library services", "Graduate trainee"],
    Sector.LAW: ["Knowledge manager", "Legal information officer", "Library assistant"],
    Sector.ARCHIVES: ["Archivist", "Records manager", "Archives assistant"],
    Sector.SCHOOL: ["School librarian", "Library assistant"],
    Sector.FURTHER_EDUCATION: ["Learning resources officer", "Library assistant",
                               "Head of library services"],
    Sector.GOVERNMENT: ["Knowledge manager", "Information officer", "Library assistant"],
    Sector.CORPORATE: ["Research support librarian", "Knowledge manager", "Library assistant"],
}  # fmt: skip
# The title is picked by a draw from ten, as it was from ten titles before the lists above
# fitted together, so every later draw (regions, formats, who meets whom) is unchanged.
DRAWS = 10


def _experience(title: str, drawn: int) -> int:
    """A trainee is new to the profession; a head of service has at least 5 years."""
    if "trainee" in title:
        return Experience.NEW
    if title.startswith("Head of"):
        return max(drawn, Experience.MID)
    return drawn


def _band(title: str) -> str:
    if "assistant" in title or "trainee" in title:
        return RoleBand.ASSISTANT
    if title.startswith("Head of"):
        return RoleBand.MANAGER
    return RoleBand.PROFESSIONAL


@transaction.atomic
def demo_load(*, seed: int = 2026) -> dict[str, str]:
    """Create the demo community if it is not there yet. Returns the organiser login."""
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    organiser = _user(ORGANISER_EMAIL, staff=True)
    _profile(organiser, "Olivia Organiser", rng, complete=True)
    coffee, _ = Programme.objects.get_or_create(
        slug="north-west-coffee",
        defaults={
            "name": "North West health librarians: coffee chats",
            "description": "A monthly 30-minute chat with another library and knowledge "
            "worker. Meet someone new from a different sector or service.",
            "kind": ProgrammeKind.COFFEE,
            "group_size": 2,
            "sector_mix": SectorMix.MIXED,
            "next_round_on": timezone.localdate() + dt.timedelta(days=7),
        },
    )
    mentoring, _ = Programme.objects.get_or_create(
        slug="new-professionals-mentoring",
        defaults={
            "name": "New professionals mentoring",
            "description": "Pairs an experienced librarian with someone starting out, "
            "for Chartership, job hunting or a new role.",
            "kind": ProgrammeKind.MENTORING,
            "group_size": 2,
            "cadence_days": 42,
            "next_round_on": timezone.localdate() + dt.timedelta(days=21),
        },
    )
    for programme in (coffee, mentoring):
        programme.organisers.add(organiser)
    for i in range(30):
        user = _user(f"member{i + 1:02d}@example.org")
        profile = _profile(user, f"{FIRST[i]} {LAST[i]}", rng, complete=i % 10 != 9)
        Membership.objects.get_or_create(user=user, programme=coffee)
        if i % 3 == 0:
            role = (
                MentoringRole.OFFER
                if profile.experience and profile.experience >= 2
                else MentoringRole.SEEK
            )
            Membership.objects.get_or_create(
                user=user, programme=mentoring, defaults={"mentoring_role": role}
            )
    _past_round(coffee, rng)
    _invitations(coffee, organiser)
    demo_search_review(organiser=organiser, rng=rng)
    demo_learning_sets(organiser=organiser, rng=rng)
    return {"email": ORGANISER_EMAIL, "password": DEMO_PASSWORD}


def _invitations(programme: Programme, organiser: User) -> None:
    """Invitations an organiser sent to the coffee programme: three waiting for an
    answer, one expired, one who asked never to be invited (no email is sent here)."""
    from members.invitations.mailing import email_hash
    from members.invitations.models import Invitation, InvitationOptOut

    now = timezone.now()
    people = [
        ("Harriet Hughes", "harriet.hughes@example.net", 4, 26),
        ("Idris Khan", "idris.khan@example.net", 4, 26),
        ("Morag Fraser", "morag.fraser@example.net", 2, 28),
        ("Peter Quinn", "peter.quinn@example.net", 40, -10),
        ("Rosa Delgado", "rosa.delgado@example.net", 9, 21),
    ]
    for name, email, sent_days_ago, expires_in_days in people:
        invitation, created = Invitation.objects.get_or_create(
            programme=programme,
            email=email,
            defaults={
                "name": name,
                "email_hash": email_hash(email),
                "invited_by": organiser,
                "expires_at": now + dt.timedelta(days=expires_in_days),
            },
        )
        if created:
            Invitation.objects.filter(pk=invitation.pk).update(
                created_at=now - dt.timedelta(days=sent_days_ago)
            )
    InvitationOptOut.objects.get_or_create(email_hash=email_hash("rosa.delgado@example.net"))


def _past_round(programme: Programme, rng: random.Random) -> None:
    """A finished round three weeks ago, so dashboards, the admin and the evidence pages
    have history."""
    from pairing.models import OutboxEmail, OutboxStatus
    from pairing.rounds import round_plan, round_run

    if programme.rounds.exists():
        return
    day = timezone.localdate() - dt.timedelta(days=21)
    pairing_round = round_plan(
        programme=programme, scheduled_for=day, seed=demo_seed(programme, 21)
    )
    now = timezone.now() - dt.timedelta(days=21)
    round_run(pairing_round=pairing_round, now=now)
    # The demo's introductions are history: mark them delivered rather than print them.
    OutboxEmail.objects.filter(pairing_round=pairing_round).update(
        status=OutboxStatus.SENT, sent_at=now
    )
    _past_feedback(pairing_round, rng, now + dt.timedelta(days=10))


NEXT_STEPS = [
    "Try proximity operators in our MEDLINE strategies and compare the yield.",
    "Share our induction slides with my partner's team and borrow their quiz.",
    "Draft a one-page guide to open-access funding for our researchers.",
    "Ask my manager about shadowing a clinical librarian on a ward round.",
    "Set up a reading group for staff, using my partner's format.",
    "Write up what I learned for my Chartership portfolio.",
]
TAKEAWAYS = [
    "A five-minute demo at the start of a team meeting gets more uptake than any email.",
    "Keep a log of search decisions as you go: peer review is much quicker with one.",
    "Libraries in other sectors face the same licensing questions; ask them first.",
    "Short, regular check-ins beat long workshops for teaching database skills.",
]


def _past_feedback(pairing_round, rng: random.Random, now: dt.datetime) -> None:
    """Most members of the demo round say how it went; member01 has not yet, so the
    form can be tried from their dashboard."""
    from feedback.models import Evaluation, MeetAgain, Met
    from feedback.services import evaluation_submit
    from pairing.models import MatchMember

    interests = {i.name: i for i in Interest.objects.all()}
    # What most conversations came round to, so the report's topics table has rows.
    popular = list(Interest.objects.filter(active=True).order_by("pk")[:3])
    seats = (
        MatchMember.objects.filter(pairing_round=pairing_round)
        .exclude(user__email="member01@example.org")
        .select_related("match", "user")
        .order_by("user__email")
    )
    for seat in seats:
        met = rng.choices([Met.YES, Met.NOT_YET, Met.NO], weights=[80, 10, 10])[0]
        data: dict = {"met": met}
        topics = []
        if met == Met.NO:
            data["not_met_reason"] = "Our diaries never lined up; we will try next round."
        elif met == Met.YES:
            topics = [interests[n] for n in seat.match.shared_interests if n in interests][:2]
            topics.append(rng.choice(popular))
            share = rng.random() < 0.5
            data |= {
                "usefulness": rng.choices([2, 3, 4, 5], weights=[1, 3, 5, 4])[0],
                "minutes": rng.choice([20, 30, 30, 45, 60]),
                "meet_again": rng.choices(MeetAgain.values, weights=[6, 3, 1])[0],
                "next_steps": rng.choice(NEXT_STEPS),
                "private_comment": "Worth it: please keep the rounds monthly."
                if rng.random() < 0.2
                else "",
                "takeaway": rng.choice(TAKEAWAYS) if share else "",
                "share_takeaway": share,
                "show_name_with_takeaway": share and rng.random() < 0.5,
            }
        evaluation = evaluation_submit(
            match=seat.match, user=seat.user, data=data, topics=topics, now=now
        )
        Evaluation.objects.filter(pk=evaluation.pk).update(created_at=now, updated_at=now)


def _user(email: str, staff: bool = False) -> User:
    user, created = User.objects.get_or_create(
        email=email, defaults={"is_staff": staff, "is_superuser": staff}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def _profile(user: User, name: str, rng: random.Random, complete: bool) -> Profile:
    if hasattr(user, "profile"):
        return user.profile
    now = timezone.now()
    pronouns = rng.choice(["", "she/her", "he/him", "they/them"])
    pick = rng.choice(range(DRAWS))
    rng.choice(RoleBand.values)  # drawn as before (see DRAWS); the title decides the band
    rng.choice(Sector.values)  # likewise: the organisation decides the sector
    organisation = rng.choice(list(ORGS))
    sector = ORGS[organisation]
    title = TITLES[sector][pick % len(TITLES[sector])]
    profile = Profile.objects.create(
        user=user,
        display_name=name,
        pronouns=pronouns,
        job_title=title,
        role_band=_band(title),
        sector=sector,
        organisation=organisation,
        show_organisation=rng.random() < 0.5,
        region=rng.choice(Region.values[:12]) if complete else "",
        experience=_experience(title, rng.choice(Experience.values)),
        meeting_format=rng.choice(MeetingFormat.values),
        availability=rng.sample([code for code, _ in AVAILABILITY_CHOICES], 4),
        about=f"{title} at {organisation}. I love comparing notes with people doing similar work.",
        access_notes=rng.choice(
            ["", "", "I prefer camera off for the first few minutes.", "Captions on, please."]
        ),
        coc_accepted_at=now,
        privacy_accepted_at=now,
        wizard_done_at=now,
    )
    profile.interests.set(rng.sample(list(Interest.objects.filter(active=True)), 4))
    profile_refresh_complete(profile=profile)
    return profile
