"""Conversation starters for an introduction: from shared interests first, then general."""

from __future__ import annotations

import random

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


# First words of interest names that keep their capital mid-sentence: proper nouns the
# letter case cannot tell apart (acronyms such as "AI" or "NHS" keep theirs anyway).
PROPER_NOUNS = frozenset(
    {"Chartership", "English", "Gaelic", "Irish", "Scottish", "Welsh", "Wikidata", "Wikipedia"}
)


GENERIC_STARTERS = [
    "What does a typical week look like in your job?",
    "What is one thing your service has tried recently that worked well?",
    "Who do you go to when you are stuck at work, and who comes to you?",
    "What would you most like to learn about in the next year?",
    "What is a small change that made your working day better?",
]


def conversation_starters(
    *, interests: list[str], seed: int, own: tuple[str, ...] = ()
) -> list[str]:
    """Three questions: two of the kind's `own` (mentoring) first, if it has them, then
    from the shared interests, then general ones. The same seed (the match) always gives
    the same three, so a resend reads the same."""
    rng = random.Random(f"starters:{seed}")  # noqa: S311 -- variety, not security
    if own:
        first = rng.sample(list(own), min(2, len(own)))
        rest = conversation_starters(interests=interests, seed=seed)
        return first + [q for q in rest if q not in first][: 3 - len(first)]
    per_topic = []
    for topic in interests:
        options = _curated(topic) or [
            t.format(topic=mid_sentence(topic)) for t in INTEREST_TEMPLATES
        ]
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


def mid_sentence(topic: str) -> str:
    """An interest's name as it reads inside a sentence: "Working as a solo librarian"
    becomes "working as a solo librarian"; "AI and machine learning" (a first word with
    a capital after its first letter: an acronym) and proper nouns keep their capital."""
    first = topic.split(maxsplit=1)[0] if topic.strip() else ""
    if not first or any(c.isupper() for c in first[1:]) or first.strip("(),.") in PROPER_NOUNS:
        return topic
    return topic[0].lower() + topic[1:]
