"""The demo's search-strategy review programme: a finished round whose pairs shared,
reviewed and revised strategies (so the evidence page has figures), and a round three
days ago in which member01's partner has shared a strategy and member01 has not yet:
log in as member01 to share one and review the partner's."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from members.demo_seed import demo_seed
from members.models import User
from pairing.models import Membership, OutboxEmail, OutboxStatus, Programme, ProgrammeKind

STRATEGIES = [
    """1. exp Neoplasms/
2. (cancer* or tumour* or tumor* or oncolog*).ti,ab.
3. 1 or 2
4. exp Exercise/ or exp Exercise Therapy/
5. (exercis* or "physical activit*" or aerobic or resistance training).ti,ab.
6. 4 or 5
7. exp Fatigue/
8. fatigue*.ti,ab.
9. 7 or 8
10. 3 and 6 and 9
11. limit 10 to english language""",
    """1. exp Diabetes Mellitus, Type 2/
2. ("type 2 diabet*" or T2DM or NIDDM).ti,ab.
3. 1 or 2
4. Telemedicine/ or Text Messaging/ or Mobile Applications/
5. (telehealth or mhealth or "mobile health" or app or apps or SMS).ti,ab.
6. 4 or 5
7. 3 and 6
8. randomized controlled trial.pt.
9. 7 and 8""",
    """S1 (MH "Falls, Accidental")
S2 TI (fall* N3 prevent*) OR AB (fall* N3 prevent*)
S3 S1 OR S2
S4 (MH "Aged+") OR TI (older N2 (adult* OR people)) OR AB elderly
S5 (MH "Nursing Homes") OR TI "care home*" OR AB "residential care"
S6 S3 AND S4 AND S5""",
]
# Each strategy as revised after its review.
REVISIONS = [
    STRATEGIES[0].replace("11. limit 10 to english language", "11. 10 not (animals/ not humans/)"),
    STRATEGIES[1]
    .replace(
        "4. Telemedicine/ or Text Messaging/ or Mobile Applications/",
        "4. exp Telemedicine/ or Text Messaging/ or Mobile Applications/",
    )
    .replace(
        "8. randomized controlled trial.pt.",
        "8. (randomized controlled trial or controlled clinical trial).pt.",
    ),
    STRATEGIES[2].replace('AB "residential care"', 'AB ("residential care" OR "nursing home*")'),
]
QUESTIONS = [
    "Does exercise reduce cancer-related fatigue in adults during treatment?",
    "Do mobile-health interventions improve glycaemic control in type 2 diabetes?",
    "Which interventions prevent falls in older people living in care homes?",
]
# One review per demo strategy (exercise, diabetes, falls), citing its own lines.
VERDICTS = [
    {
        "translation": ("none", ""),
        "operators": ("suggested", "Line 5: try adj3 between physical and activit*."),
        "subject_headings": ("none", ""),
        "text_words": ("suggested", "Add 'physical training' and 'yoga' to line 5."),
        "spelling": ("none", ""),
        "limits": ("required", "Line 11: a language limit risks bias; drop it or justify it."),
    },
    {
        "translation": ("suggested", "The question names HbA1c; the strategy has no outcome."),
        "operators": ("none", ""),
        "subject_headings": ("required", "Line 4: add exp Telemedicine/ (it is exploded)."),
        "text_words": ("suggested", "'app or apps' will be noisy: use adj3 with mobile."),
        "spelling": ("none", ""),
        "limits": ("suggested", "Line 8: use the Cochrane RCT filter, not the publication type."),
    },
    {
        "translation": ("none", ""),
        "operators": ("suggested", "S2: N3 may miss 'prevention of falls'; try N5."),
        "subject_headings": ("suggested", 'S4: add (MH "Frail Elderly").'),
        "text_words": ("required", "S5: add 'nursing home*' and 'long-term care'."),
        "spelling": ("none", ""),
        "limits": ("none", ""),
    },
]


def demo_search_review(*, organiser: User, rng: random.Random) -> Programme:
    """The programme, its members (member01-member20) and two rounds, once."""
    programme, created = Programme.objects.get_or_create(
        slug="search-buddies",
        defaults={
            "name": "Search buddies: strategy peer review",
            "description": "Pairs health librarians in different organisations to review "
            "each other's literature-search strategy with the PRESS 2015 checklist, and "
            "to have a chat too.",
            "kind": ProgrammeKind.SEARCH_REVIEW,
            "group_size": 2,
            "cadence_days": 42,
            "next_round_on": timezone.localdate() + dt.timedelta(days=30),
        },
    )
    programme.organisers.add(organiser)
    if not created:
        return programme
    for i in range(20):
        Membership.objects.get_or_create(
            user=User.objects.get(email=f"member{i + 1:02d}@example.org"), programme=programme
        )
    finished = _round(programme, days_ago=40)
    _share_and_review(finished, rng, days_ago=40)
    recent = _round(programme, days_ago=3)
    _partner_of_member01_shares(recent)
    # The demo's emails are history: mark them delivered rather than print them all.
    OutboxEmail.objects.filter(pairing_round__programme=programme).update(
        status=OutboxStatus.SENT, sent_at=timezone.now()
    )
    return programme


def _round(programme: Programme, *, days_ago: int):
    from pairing.rounds import round_plan, round_run

    now = timezone.now() - dt.timedelta(days=days_ago)
    pairing_round = round_plan(
        programme=programme,
        scheduled_for=timezone.localdate(now),
        seed=demo_seed(programme, days_ago),
    )
    round_run(pairing_round=pairing_round, now=now)
    OutboxEmail.objects.filter(pairing_round=pairing_round).update(
        status=OutboxStatus.SENT, sent_at=now
    )
    return pairing_round


def _share(match, author: User, n: int, when: dt.datetime, text: str | None = None):
    from feedback.models import StrategyVersion
    from feedback.strategies.services import strategy_share

    version = strategy_share(
        match=match,
        author=author,
        context={
            "question": QUESTIONS[n % len(QUESTIONS)],
            "databases": ["medline_ovid", "embase", "cinahl"][: 1 + n % 3],
            "limits": "English language" if n % 2 == 0 else "2010 onwards; RCTs only",
            "feedback_wanted": "Am I missing synonyms? Is the structure sound?",
        },
        text=text or STRATEGIES[n % len(STRATEGIES)],
    )
    StrategyVersion.objects.filter(pk=version.pk).update(created_at=when)
    return version


def _share_and_review(pairing_round, rng: random.Random, *, days_ago: int) -> None:
    """All but two share (two choose review only); all but one review; two in three
    authors revise after the review."""
    from feedback.strategies.services import review_save, strategy_review_only
    from pairing.models import MatchMember

    start = timezone.now() - dt.timedelta(days=days_ago)
    seats = list(
        MatchMember.objects.filter(pairing_round=pairing_round, user__isnull=False)
        .select_related("match", "user")
        .order_by("user__email")
    )
    versions, index = {}, {seat.user_id: n for n, seat in enumerate(seats)}
    for n, seat in enumerate(seats):
        if n in (3, 8):
            strategy_review_only(match=seat.match, author=seat.user)
            continue
        versions[seat.user_id] = _share(seat.match, seat.user, n, start + dt.timedelta(days=2))
    for n, seat in enumerate(seats):
        for partner in seats:
            theirs = versions.get(partner.user_id)
            if partner.match_id != seat.match_id or partner is seat or theirs is None:
                continue
            if n == 5:  # one reviewer has not sent theirs
                continue
            author_n = index[partner.user_id]
            verdicts = VERDICTS[author_n % len(VERDICTS)]
            review_save(
                strategy=theirs.strategy,
                reviewer=seat.user,
                elements={k: {"verdict": v, "comment": c} for k, (v, c) in verdicts.items()},
                overall=rng.choice(
                    [
                        "A well-structured strategy: mostly small changes.",
                        "Good coverage; the limits need a second look.",
                    ]
                ),
                submit=True,
                now=start + dt.timedelta(days=6),
            )
            if author_n % 3 and not theirs.strategy.versions.filter(number=2).exists():
                # Two in three authors revise after the review.
                _share(
                    theirs.strategy.match,
                    partner.user,
                    author_n,
                    start + dt.timedelta(days=9),
                    REVISIONS[author_n % len(REVISIONS)],
                )


def _partner_of_member01_shares(pairing_round) -> None:
    from pairing.models import MatchMember

    mine = MatchMember.objects.filter(
        pairing_round=pairing_round, user__email="member01@example.org"
    ).first()
    if mine is None:
        return
    others = mine.match.members.exclude(pk=mine.pk).select_related("user").order_by("pk")
    for n, partner in enumerate(others):
        _share(mine.match, partner.user, n + 1, timezone.now() - dt.timedelta(days=2))
