"""``manage.py match_file``: reads a problem file, writes the solution, rejects bad input."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.pairing.matching_helpers import check_solution, random_problem

ROOT = Path(__file__).resolve().parents[2]


def write(tmp_path: Path, data, name: str = "problem.json") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return path


def test_match_file_writes_the_solution_to_output(tmp_path):
    prob = random_problem(random.Random(1), 11, "typical", randomness=2, seed=3)
    out = tmp_path / "solution.json"
    call_command("match_file", str(write(tmp_path, prob)), output=str(out))
    solution = json.loads(out.read_text())
    check_solution(prob, solution)
    assert {"groups", "unplaced", "objective", "bound", "seconds"} <= set(solution)
    assert all("host" in g for g in solution["groups"])


def test_match_file_prints_the_solution_without_output(tmp_path, capsys):
    prob = random_problem(random.Random(2), 6, "typical")
    call_command("match_file", str(write(tmp_path, prob)))
    check_solution(prob, json.loads(capsys.readouterr().out))


@pytest.mark.parametrize(
    ("content", "field"),
    [
        ('{"members": [', "malformed JSON"),
        ({"members": [{"id": "a", "format": "zoom"}]}, "members[0].format"),
        ({"members": [{"id": "a", "blocked": ["nobody"]}]}, "members[0].blocked[0]"),
        (
            {"members": [{"id": "a"}], "history": [{"groups": [["a", 3]]}]},
            "history[0].groups[0][1]",
        ),
        ({"members": [{"id": "a"}], "history": [{"groups": ["a"]}]}, "history[0].groups[0]"),
        ({"members": [{"id": "a"}], "history": [["a", "x"]]}, "history[0]"),
        ({"programme": {"group_size": -2}, "members": []}, "programme.group_size"),
        ({"members": [{"id": "a"}, {"id": "a"}]}, "members[1].id"),
    ],
)
def test_match_file_rejects_bad_input_naming_the_field(tmp_path, content, field):
    with pytest.raises(CommandError) as exc:
        call_command("match_file", str(write(tmp_path, content)))
    assert exc.value.returncode == 2
    assert field in str(exc.value)


def test_match_file_rejects_a_missing_file(tmp_path):
    with pytest.raises(CommandError) as exc:
        call_command("match_file", str(tmp_path / "absent.json"))
    assert exc.value.returncode == 2


def test_match_file_exits_2_with_one_line_and_no_traceback(tmp_path):
    path = write(tmp_path, {"members": [{"id": "m1"}, {"id": "m2", "format": "zoom"}]})
    run = subprocess.run(
        [sys.executable, "manage.py", "match_file", str(path)],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert run.returncode == 2
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "error: members[1].format: must be one of online, in_person, either" in lines[0]
    assert "Traceback" not in run.stderr


def test_match_file_ignores_history_naming_members_who_are_not_in_the_problem(tmp_path):
    # matching.md: history may name members who left or sit in a fixed group.
    prob = random_problem(random.Random(5), 10, "typical", randomness=1, seed=4)
    prob["history"] = [
        {"round": 1, "groups": [["m0", "2"], ["m1", "m2", "gone"], ["left", "gone"]]},
        {"round": 2, "groups": [["m3", "m4"], ["9", "m5", "m6", "m7"]]},
    ]
    path, out = write(tmp_path, prob), tmp_path / "solution.json"
    run = subprocess.run(
        [sys.executable, "manage.py", "match_file", str(path), "--output", str(out)],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""
    solution = json.loads(out.read_text())
    check_solution(prob, solution)
    met = [{"m1", "m2"}, {"m3", "m4"}, {"m5", "m6"}, {"m5", "m7"}, {"m6", "m7"}]
    assert not [g for g in solution["groups"] if any(p <= set(g["members"]) for p in met)]


def test_match_file_rejects_a_malformed_history_with_one_line_naming_the_field(tmp_path):
    prob = {"members": [{"id": "a"}, {"id": "b"}], "history": [{"groups": [["gone", 7]]}]}
    run = subprocess.run(
        [sys.executable, "manage.py", "match_file", str(write(tmp_path, prob))],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert run.returncode == 2
    assert run.stderr.strip().splitlines() == [
        "CommandError: error: history[0].groups[0][1]: must be a string"
    ]
