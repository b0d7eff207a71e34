"""Django's {# ... #} comments end on their own line: one that runs onto a second line is
printed as page text (walk 27: the dashboard showed a developer's note to every member).
Longer notes use {% comment %}."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_no_template_comment_runs_over_a_line():
    runaway = []
    for path in sorted((ROOT / "templates").rglob("*")):
        if path.suffix not in {".html", ".txt"}:
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            start = line.find("{#")
            if start >= 0 and "#}" not in line[start:]:
                runaway.append(f"{path.relative_to(ROOT)}:{number}")
    assert not runaway, f"{{# ... #}} must end on its line; use {{% comment %}}: {runaway}"
