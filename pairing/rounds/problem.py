"""The engine's problem for a round, built from the database (matching.md's format)."""

from __future__ import annotations

from django.db.models import Count

from members.models import Interest, Profile
from pairing.kinds import kind_of
from pairing.matching.problem import MAX_WAITED
from pairing.models import Block, LeftOut, Match, MatchMember, Membership, Round, RoundStatus

FORMATS = {"online", "in_person", "either"}


def _format(chosen: str, fixed_place: str) -> str:
    if fixed_place or chosen not in FORMATS:
        return "either"
    return chosen


def round_problem(*, pairing_round: Round, memberships: list[Membership]) -> dict:
    """The engine's input for this round, in the `match_file` format (matching.md)."""
    programme = pairing_round.programme
    user_ids = [m.user_id for m in memberships]
    interests = _interest_slugs(user_ids)
    blocked = _blocks(user_ids)
    # Every round that has run, in the order it ran (a round planned earlier for a later
    # date may run after a higher-numbered one): its meetings count whatever its number.
    previous = list(
        programme.rounds.filter(status=RoundStatus.DONE)
        .exclude(pk=pairing_round.pk)
        .order_by("finished_at", "number")
        .values_list("pk", "number")
    )
    waited = _waited([pk for pk, _number in previous])
    hosted = dict(
        Match.objects.filter(pairing_round__programme=programme, host__in=user_ids)
        .values_list("host")
        .annotate(n=Count("id"))
        .values_list("host", "n")
    )
    # Where the groups meet, when the programme fixes it (the round's learning-set cycle): then
    # the place, not each member's format, decides, and the format rule is not applied.
    fixed_place = kind_of(programme).fixed_place(programme, pairing_round)
    members = []
    for membership in memberships:
        profile = membership.user.profile
        members.append(
            {
                "id": str(membership.user_id),
                "interests": interests.get(membership.user_id, []),
                "sector": profile.sector or None,
                "region": profile.region or None,
                "organisation": profile.organisation or None,
                "experience": profile.experience,
                "format": _format(profile.meeting_format, fixed_place),
                "mentoring": membership.mentoring_role or None,
                "blocked": sorted(str(b) for b in blocked.get(membership.user_id, ())),
                "left_out_last_round": waited.get(membership.user_id, 0) > 0,
                # Served in order of waiting (e.g. mentees when mentors are few).
                "waited": waited.get(membership.user_id, 0),
                "hosted": hosted.get(membership.user_id, 0),
            }
        )
    return {
        "programme": {
            "group_size": programme.group_size,
            "sector_mix": programme.sector_mix,
            "avoid_same_organisation": programme.avoid_same_organisation,
            "repeat_window": programme.repeat_window,
            **kind_of(programme).engine_options(),
            "randomness": programme.randomness,
            "seed": pairing_round.seed,
        },
        "members": members,
        "history": _history(previous, set(user_ids)),
    }


def _waited(ran: list[int]) -> dict[int, int]:
    """Rounds each member was left out in a row, up to the last round that ran."""
    recent = ran[::-1][:MAX_WAITED]
    if not recent:
        return {}
    left: dict[int, set[int]] = {}
    for round_id, user_id in LeftOut.objects.filter(pairing_round_id__in=recent).values_list(
        "pairing_round_id", "user_id"
    ):
        left.setdefault(user_id, set()).add(round_id)
    waited = {}
    for user_id, rounds_left in left.items():
        count = 0
        for round_id in recent:
            if round_id not in rounds_left:
                break
            count += 1
        waited[user_id] = count
    return waited


def _interest_slugs(user_ids: list[int]) -> dict[int, list[str]]:
    result: dict[int, list[str]] = {}
    rows = Profile.interests.through.objects.filter(profile__user_id__in=user_ids).values_list(
        "profile__user_id", "interest__slug"
    )
    for user_id, slug in rows:
        result.setdefault(user_id, []).append(slug)
    return result


def _blocks(user_ids: list[int]) -> dict[int, set[int]]:
    # The engine needs both directions only from one side; giving the blocker's list is
    # enough, and the blocked person never learns of it.
    result: dict[int, set[int]] = {}
    ids = set(user_ids)
    for user_id, blocked_id in Block.objects.filter(user_id__in=user_ids).values_list(
        "user_id", "blocked_id"
    ):
        if blocked_id in ids:
            result.setdefault(user_id, set()).add(blocked_id)
    return result


def _history(previous: list[tuple[int, int]], present: set[int]) -> list[dict]:
    """Past groups, oldest round first (in the order rounds ran)."""
    groups: dict[int, dict[int, list[str]]] = {}
    seats = (
        MatchMember.objects.filter(
            pairing_round_id__in=[pk for pk, _n in previous], user__isnull=False
        )
        .values_list("pairing_round_id", "match_id", "user_id")
        .order_by("match_id")
    )
    for round_id, match_id, user_id in seats:
        groups.setdefault(round_id, {}).setdefault(match_id, []).append(user_id)
    history = []
    for round_id, number in previous:
        kept = [[str(u) for u in g if u in present] for g in groups.get(round_id, {}).values()]
        # A round keeps its place even with no group left: the repeat window counts rounds.
        history.append({"round": number, "groups": [g for g in kept if len(g) >= 2]})
    return history


def slug_names() -> dict[str, str]:
    return dict(Interest.objects.values_list("slug", "name"))
