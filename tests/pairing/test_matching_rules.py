"""Hard rules, score terms, jitter, hosts and reasons on small hand-made problems."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pairing.matching import ProblemError, solve
from tests.pairing.matching_helpers import check_solution, jitter

ROOT = Path(__file__).resolve().parents[2]


def member(mid: str, **fields) -> dict:
    return {"id": mid, **fields}


def problem(members: list[dict], history=None, **programme) -> dict:
    return {"programme": programme, "members": members, "history": history or []}


def only_group(solution: dict) -> list[str]:
    assert len(solution["groups"]) == 1
    return sorted(solution["groups"][0]["members"])


def test_engine_imports_no_django_and_no_project_app():
    code = (
        "import sys, pairing.matching, pairing.matching.pairs, pairing.matching.groups;"
        "bad = {m for m in sys.modules if m.split('.')[0] in "
        "{'django', 'members', 'feedback', 'config'}};"
        "bad |= {m for m in sys.modules if m.startswith('pairing.') "
        "and not m.startswith('pairing.matching')};"
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_blocked_pair_is_never_grouped():
    sol = solve(problem([member("a", blocked=["b"]), member("b"), member("c")], seed=1))
    check_solution(problem([member("a", blocked=["b"]), member("b"), member("c")]), sol)
    assert ["a", "b"] not in [sorted(g["members"]) for g in sol["groups"]]


def test_block_works_in_either_direction():
    sol = solve(problem([member("a"), member("b", blocked=["a"])]))
    assert sol["groups"] == []
    assert {u["id"] for u in sol["unplaced"]} == {"a", "b"}


def test_pair_that_met_in_the_window_is_not_repeated():
    history = [{"round": 1, "groups": [["a", "b"]]}, {"round": 2, "groups": [["a", "c"]]}]
    members = [member("a"), member("b"), member("c"), member("d")]
    sol = solve(problem(members, history, repeat_window=1))
    groups = [sorted(g["members"]) for g in sol["groups"]]
    assert ["a", "c"] not in groups
    assert len(groups) == 2


def test_meeting_outside_the_window_costs_eight_points():
    history = [{"round": 1, "groups": [["a", "b"]]}, {"round": 2, "groups": []}]
    sol = solve(problem([member("a"), member("b")], history, repeat_window=1))
    assert sol["groups"][0]["score"] == 10 - 8


def test_null_repeat_window_forbids_any_earlier_meeting():
    history = [{"round": 1, "groups": [["a", "b", "c"]]}]
    sol = solve(problem([member("a"), member("b"), member("c")], history))
    assert sol["groups"] == []


def test_same_organisation_compares_trimmed_and_case_insensitively():
    members = [member("a", organisation=" Trust A"), member("b", organisation="trust a ")]
    assert solve(problem(members))["groups"] == []


def test_same_organisation_allowed_when_programme_does_not_avoid_it():
    members = [member("a", organisation="X"), member("b", organisation="X")]
    sol = solve(problem(members, avoid_same_organisation=False))
    assert only_group(sol) == ["a", "b"]


def test_missing_organisation_never_equals_another():
    sol = solve(problem([member("a"), member("b", organisation=None)]))
    assert only_group(sol) == ["a", "b"]


@pytest.mark.parametrize(
    ("fa", "ra", "fb", "rb", "ok"),
    [
        ("in_person", "n", "in_person", "n", True),
        ("in_person", "n", "either", "n", True),
        ("in_person", "n", "online", "n", False),
        ("in_person", "n", "either", "s", False),
        ("in_person", None, "in_person", None, False),
        ("online", "n", "either", "s", True),
    ],
)
def test_format_rule_for_in_person_members(fa, ra, fb, rb, ok):
    members = [member("a", format=fa, region=ra), member("b", format=fb, region=rb)]
    assert bool(solve(problem(members))["groups"]) is ok


@pytest.mark.parametrize(
    ("ra", "ea", "rb", "eb", "ok"),
    [
        ("offer", 3, "seek", 1, True),
        ("offer", 1, "seek", 3, False),
        ("offer", None, "seek", 3, True),
        ("seek", 1, "seek", 1, False),
        ("offer", 2, None, 1, False),
    ],
)
def test_mentoring_pairs_an_offerer_with_a_less_experienced_seeker(ra, ea, rb, eb, ok):
    members = [member("a", mentoring=ra, experience=ea), member("b", mentoring=rb, experience=eb)]
    assert bool(solve(problem(members, mentoring=True))["groups"]) is ok


def test_score_terms_add_up():
    members = [
        member(
            "a", interests=["x", "y", "z"], sector="health", region="n", left_out_last_round=True
        ),
        member("b", interests=["x", "y"], sector="academic", region="n"),
    ]
    sol = solve(problem(members, sector_mix="mixed"))
    assert sol["groups"][0]["score"] == 10 + 2 * 6 + 4 + 2 + 6
    assert solve(problem(members, sector_mix="same"))["objective"] == 10 + 12 - 2 + 2 + 6


def test_mentoring_scores_two_points_per_experience_level():
    members = [
        member("a", mentoring="offer", experience=3),
        member("b", mentoring="seek", experience=1),
    ]
    assert solve(problem(members, mentoring=True))["objective"] == 10 + 2 * 2


def test_jitter_matches_the_documented_formula():
    members = [member("a"), member("b")]
    sol = solve(problem(members, randomness=5, seed=42))
    assert sol["objective"] == 10 + jitter(42, 5, "a", "b")


def test_jitter_does_not_depend_on_member_order():
    ids = [f"m{i}" for i in range(12)]
    forward = solve(problem([member(i) for i in ids], randomness=9, seed=3))
    backward = solve(problem([member(i) for i in reversed(ids)], randomness=9, seed=3))
    assert forward["objective"] == backward["objective"]


def test_host_is_the_member_who_hosted_least():
    members = [member("a", hosted=3), member("b", hosted=1)]
    assert solve(problem(members))["groups"][0]["host"] == "b"


def test_host_ties_are_broken_by_seed_and_reproducible():
    members = [member(f"m{i}", organisation=f"o{i}") for i in range(2)]
    hosts = {solve(problem(members, seed=s))["groups"][0]["host"] for s in range(20)}
    assert hosts == {"m0", "m1"}
    assert solve(problem(members, seed=5))["groups"] == solve(problem(members, seed=5))["groups"]


def test_member_with_nobody_allowed_gets_a_reason_naming_the_rules():
    members = [member("a", organisation="X"), member("b", organisation="X", blocked=["c"]),
               member("c")]  # fmt: skip
    sol = solve(problem(members))
    reasons = {u["id"]: u["reason"] for u in sol["unplaced"]}
    assert reasons["b"] == ("no compatible partner: everyone else is blocked or same organisation")


def test_odd_one_out_reason_when_partners_are_taken():
    members = [member("a", mentoring="offer"), member("b", mentoring="seek"),
               member("c", mentoring="seek")]  # fmt: skip
    sol = solve(problem(members, mentoring=True))
    assert sol["unplaced"][0]["reason"].startswith("odd one out")


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ({"members": [{"id": "a", "format": "zoom"}]}, "members[0].format"),
        ({"members": [{"id": "a"}, {"id": "a"}]}, "members[1].id"),
        ({"members": [{"id": "a", "blocked": ["z"]}]}, "members[0].blocked[0]"),
        (
            {"members": [{"id": "a"}, {"id": "b"}], "history": [{"groups": [["a", 7]]}]},
            "history[0].groups[0][1]",
        ),
        (
            {"members": [{"id": "a"}, {"id": "b"}], "history": [{"groups": [{"a": 1, "b": 2}]}]},
            "history[0].groups[0]",
        ),
        ({"members": [{"id": "a"}], "history": [{"groups": ["ab"]}]}, "history[0].groups[0]"),
        ({"programme": {"group_size": -1}, "members": []}, "programme.group_size"),
        ({"programme": {"group_size": 0}, "members": []}, "programme.group_size"),
        (
            {"programme": {"group_size": 3, "mentoring": True}, "members": []},
            "programme.group_size",
        ),
        ({"members": [{"id": "a", "experience": 7}]}, "members[0].experience"),
        ({"members": [{"id": 5}]}, "members[0].id"),
        ({"members": "everyone"}, "members"),
        ({"programme": {"randomness": "lots"}, "members": []}, "programme.randomness"),
        ({"programme": {"sector_mix": "blend"}, "members": []}, "programme.sector_mix"),
        ([], "problem"),
    ],
)
def test_invalid_problem_names_the_field(raw, field):
    with pytest.raises(ProblemError) as exc:
        solve(raw)
    assert exc.value.field == field
    assert str(exc.value).startswith(f"{field}: ")


def test_format_error_lists_the_choices_in_contract_order():
    with pytest.raises(ProblemError, match="must be one of online, in_person, either"):
        solve({"members": [{"id": "a", "format": "zoom"}]})
