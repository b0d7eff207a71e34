"""What the members of a match have in common, and who listed it: "You all listed
Accessibility. Lee and Max both listed Archives." In a group, a topic only some members
listed is said with their names, never as something "you all" listed."""

from __future__ import annotations

from collections.abc import Mapping

from members.models import Profile
from pairing.emails.starters import mid_sentence
from pairing.emails.text import and_join


def topic_holders(*, user_ids: list[int], topics: list[str]) -> dict[str, set[int]]:
    """Which of `user_ids` list each topic (an interest's name) on their profile."""
    held: dict[str, set[int]] = {topic: set() for topic in topics}
    rows = Profile.interests.through.objects.filter(
        profile__user_id__in=user_ids, interest__name__in=topics
    ).values_list("interest__name", "profile__user_id")
    for name, user_id in rows:
        held[name].add(user_id)
    return held


def topic_sentences(
    *, topics: list[str], names: Mapping[object, str], viewer: object = None
) -> list[str]:
    """`shared_sentences` for a match of the members `names` (by user id). A pair shares
    every topic recorded on the match by definition; a group's members are asked who lists
    which."""
    if len(names) <= 2:
        holders: Mapping[str, set] = {topic: set(names) for topic in topics}
    else:
        ids = [member for member in names if member is not None]
        holders = topic_holders(user_ids=ids, topics=topics)
    return shared_sentences(topics, holders, names, viewer=viewer)


def by_holders(
    topics: list[str], holders: Mapping[str, set], everyone: set
) -> list[tuple[frozenset, list[str]]]:
    """`topics` grouped by who listed them: those everyone listed first, then those of
    larger subsets. A topic fewer than two of `everyone` listed is left out (a profile
    changed since the match was made)."""
    grouped: dict[frozenset, list[str]] = {}
    for topic in topics:
        who = frozenset(holders.get(topic, set()) & everyone)
        if len(who) >= 2:
            grouped.setdefault(who, []).append(topic)
    return sorted(grouped.items(), key=lambda item: (-len(item[0]), sorted(item[0], key=str)))


def shared_sentences(
    topics: list[str],
    holders: Mapping[str, set],
    names: Mapping[object, str],
    *,
    viewer: object = None,
) -> list[str]:
    """ "You all listed A." / "Lee and Max both listed B and C." for the members `names`
    (by id); with a `viewer`, their own name reads "you" ("You and Max both listed B.")."""
    everyone = set(names)
    sentences = []
    for who, listed in by_holders(topics, holders, everyone):
        topics_words = and_join([mid_sentence(topic) for topic in listed])
        if who == everyone:
            sentences.append(f"You {'both' if len(who) == 2 else 'all'} listed {topics_words}.")
            continue
        people = sorted((names[m] for m in who if m != viewer), key=str.lower)
        if viewer in who:
            people = ["You", *people]
        both = " both" if len(who) == 2 else ""
        sentences.append(f"{and_join(people)}{both} listed {topics_words}.")
    return sentences


def shared_summary(
    topics: list[str], holders: Mapping[str, set], names: Mapping[object, str]
) -> str:
    """For organisers: "Open access, Copyright" when every member listed them all, else
    "Open access (all); Archives, Copyright (Lee and Max)"."""
    grouped = by_holders(topics, holders, set(names))
    if all(who == set(names) for who, _listed in grouped):
        return ", ".join(topic for _who, listed in grouped for topic in listed)
    return "; ".join(
        f"{', '.join(listed)} "
        f"({'all' if who == set(names) else and_join(sorted(names[m] for m in who))})"
        for who, listed in grouped
    )
