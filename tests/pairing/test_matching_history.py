"""History naming members who are not in ``members`` (they left, or sit in a group an
organiser fixed): matching.md says such ids are ignored, never an error."""

from __future__ import annotations

import copy
import random

import pytest

from pairing.matching import ProblemError, solve
from pairing.matching.evaluate import evaluate_groups
from pairing.matching.problem import parse_problem
from tests.pairing.matching_helpers import check_solution, random_problem


def with_absent_members(rng: random.Random, n: int, gone: int, **kwargs) -> tuple[dict, dict]:
    """(problem whose history names ``gone`` members who left, the same problem with
    those ids removed from its history)."""
    prob = random_problem(rng, n + gone, "dense_history", **kwargs)
    ids = [m["id"] for m in prob["members"]]
    # Past groups of mixed sizes drawn from everyone, present or not.
    for entry in prob["history"]:
        order = ids[:]
        rng.shuffle(order)
        groups, start = [], 0
        while start < len(order) - 1:
            size = rng.randint(2, 5)
            groups.append(order[start : start + size])
            start += size
        entry["groups"] = groups
    leaving = set(rng.sample(ids, gone))
    prob["members"] = [m for m in prob["members"] if m["id"] not in leaving]
    for m in prob["members"]:
        m["blocked"] = [b for b in m["blocked"] if b not in leaving]
    # A group of absent members only, and one with a single present member.
    present = [m["id"] for m in prob["members"]]
    prob["history"][-1]["groups"] += [["gone-1", "gone-2"], [present[0], "gone-3", "gone-4"]]
    stripped = copy.deepcopy(prob)
    for entry in stripped["history"]:
        entry["groups"] = [[x for x in g if x in set(present)] for g in entry["groups"]]
    # The history still matters: some present pair met in a group with someone absent.
    assert any(
        len([x for x in g if x in set(present)]) >= 2 and any(x in leaving for x in g)
        for entry in prob["history"]
        for g in entry["groups"]
    )
    return prob, stripped


def same_solution(a: dict, b: dict) -> None:
    assert a["groups"] == b["groups"]
    assert a["unplaced"] == b["unplaced"]
    assert (a["objective"], a["bound"]) == (b["objective"], b["bound"])


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("window", [None, 2])
def test_pairs_ignore_absent_members_in_history(seed, window):
    rng = random.Random(seed)
    prob, stripped = with_absent_members(rng, 20, 6, randomness=2, seed=seed, window=window)

    sol = solve(prob)

    check_solution(prob, sol)
    same_solution(sol, solve(stripped))


@pytest.mark.parametrize("seed", range(2))
def test_pairs_ignore_absent_members_in_history_on_the_large_round_path(seed):
    rng = random.Random(seed)
    prob, stripped = with_absent_members(rng, 30, 8, randomness=1, seed=seed, window=1)

    sol = solve(prob, exact_max=0)

    check_solution(prob, sol)
    same_solution(sol, solve(stripped, exact_max=0))


@pytest.mark.parametrize("seed", range(3))
def test_groups_of_four_ignore_absent_members_in_history(seed):
    rng = random.Random(seed)
    prob, stripped = with_absent_members(rng, 13, 5, group_size=4, seed=seed)

    sol = solve(prob)

    check_solution(prob, sol)
    same_solution(sol, solve(stripped))


def test_parsed_history_matches_the_history_without_absent_members():
    prob, stripped = with_absent_members(random.Random(7), 25, 9, window=2)
    p, q = parse_problem(prob), parse_problem(stripped)
    assert p.exc_keys.tolist() == q.exc_keys.tolist()
    assert p.exc_forbid.tolist() == q.exc_forbid.tolist()
    assert p.exc_meetings.tolist() == q.exc_meetings.tolist()
    assert p.met_keys.tolist() == q.met_keys.tolist()


def members(*ids: str) -> list[dict]:
    return [{"id": x} for x in ids]


def test_present_pairs_of_a_past_group_with_an_absent_member_have_met():
    history = [{"round": 1, "groups": [["a", "b", "left"]]}]
    prob = {"programme": {}, "members": members("a", "b"), "history": history}

    sol = solve(prob)

    assert sol["groups"] == []
    assert {u["id"] for u in sol["unplaced"]} == {"a", "b"}


def test_a_past_group_with_one_present_member_contributes_nothing():
    history = [{"round": 1, "groups": [["a", "left"], ["b"], ["gone", "left"]]}]
    prob = {"programme": {}, "members": members("a", "b"), "history": history}

    sol = solve(prob)

    assert [sorted(g["members"]) for g in sol["groups"]] == [["a", "b"]]
    assert sol["objective"] == 10  # base only: no earlier meeting counted
    assert parse_problem(prob).met_keys.tolist() == []


def test_evaluate_groups_and_hosts_accept_history_naming_absent_members():
    history = [{"round": 1, "groups": [["a", "b", "left"], ["c", "gone"]]}]
    prob = {
        "programme": {"seed": 3},
        "members": [{"id": x, "hosted": h} for x, h in zip("abcd", (2, 0, 1, 1), strict=True)],
        "history": history,
    }

    result = evaluate_groups(prob, [["a", "b"], ["c", "d"]])

    assert result[0]["violations"] == [
        "a and b have met before, and this programme introduces people only once"
    ]
    assert result[1]["violations"] == []
    assert result[0]["host"] == "b"  # hosted least
    assert result[1]["host"] in {"c", "d"}
    for group in solve(prob)["groups"]:
        assert group["host"] in group["members"]


@pytest.mark.parametrize(
    ("history", "field"),
    [
        ("round one", "history"),
        ([["a", "b"]], "history[0]"),
        ([{"groups": "a b"}], "history[0].groups"),
        ([{"groups": [["a", "b"], "c"]}], "history[0].groups[1]"),
        ([{"groups": [["a", 3]]}], "history[0].groups[0][1]"),
        ([{"groups": [["left", None, "a"]]}], "history[0].groups[0][1]"),
        ([{"groups": [["a", "b"]]}, {"groups": [["gone", ["b"]]]}], "history[1].groups[0][1]"),
    ],
)
def test_malformed_history_still_names_the_field(history, field):
    with pytest.raises(ProblemError) as exc:
        solve({"members": members("a", "b"), "history": history})
    assert exc.value.field == field
    assert str(exc.value).startswith(f"{field}: ")


def test_history_pairs_count_once_per_round_even_with_absent_members_between():
    history = [{"round": 1, "groups": [["a", "gone", "b"], ["b", "a"]]}]
    p = parse_problem({"members": members("a", "b", "c"), "history": history,
                       "programme": {"repeat_window": 0}})  # fmt: skip
    assert p.exc_meetings.tolist() == [1]
    assert not any(p.exc_forbid.tolist())


def test_a_repeat_inside_a_window_of_rounds_says_how_many_rounds():
    history = [{"round": 1, "groups": [["a", "b"]]}]
    prob = {"programme": {"repeat_window": 3}, "members": members("a", "b"), "history": history}

    [result] = evaluate_groups(prob, [["a", "b"]])

    assert result["violations"] == [
        "a and b met within the last 3 rounds, and this programme lets people meet again "
        "only after 3 rounds"
    ]


def test_a_repeat_inside_a_window_of_one_round_says_the_last_round():
    history = [{"round": 1, "groups": [["a", "b"]]}]
    prob = {"programme": {"repeat_window": 1}, "members": members("a", "b"), "history": history}

    [result] = evaluate_groups(prob, [["a", "b"]])

    assert result["violations"] == [
        "a and b met in the last round, and this programme lets people meet again only "
        "after 1 round"
    ]
