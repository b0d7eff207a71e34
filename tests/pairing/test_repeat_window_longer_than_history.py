"""Found by the lifecycle machine (CI, PostgreSQL): with a repeat window longer than the
rounds run so far (6 rounds, 4 run), `forbidding` sliced from the end with a negative
start and kept only the last 2 rounds, so a small cohort whose members had met everyone
was allowed to meet again partners met 4 rounds ago, inside the window."""

from __future__ import annotations

from pairing.rounds.pool import effective_problem, forbidding


def _history(count: int) -> list[dict]:
    return [{"round": n, "groups": [[str(n), str(n + 10)]]} for n in range(1, count + 1)]


def test_a_window_longer_than_the_history_forbids_every_round_run():
    history = _history(4)

    assert forbidding(history, 6) == history
    assert forbidding(history, 4) == history
    assert forbidding(history, 2) == history[2:]
    assert forbidding(history, 0) == []
    assert forbidding(history, None) == history


def test_a_small_cohort_never_releases_a_meeting_inside_a_long_window():
    # Four members who have all met one another over four rounds; window 6.
    members = [{"id": m, "interests": []} for m in "abcd"]
    history = [
        {"round": 1, "groups": [["a", "b"], ["c", "d"]]},
        {"round": 2, "groups": [["a", "c"], ["b", "d"]]},
        {"round": 3, "groups": [["a", "d"], ["b", "c"]]},
        {"round": 4, "groups": []},
    ]
    problem = {
        "programme": {"group_size": 2, "repeat_window": 6},
        "members": members,
        "history": history,
    }

    effective = effective_problem(problem, repeat_when_all_met=True)

    kept = {frozenset(g) for past in effective["history"] for g in past["groups"]}
    assert kept == {frozenset(g) for past in history for g in past["groups"]}
