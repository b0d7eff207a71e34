"""``manage.py match_file PROBLEM.json [--output SOLUTION.json]``: run the engine on a file.

Touches no database. Invalid input exits with code 2 and one line naming the bad field.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pairing.matching import ProblemError, solve


class Command(BaseCommand):
    help = "Solve a matching problem file (matching.md format) and write the solution JSON."
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("problem", help="problem JSON file")
        parser.add_argument("--output", help="write the solution here instead of stdout")

    def handle(self, *args: Any, **options: Any) -> None:
        problem = _read(options["problem"])
        try:
            solution = solve(problem)
        except ProblemError as exc:
            raise CommandError(f"error: {exc}", returncode=2) from None
        text = json.dumps(solution, separators=(",", ":"))
        if options["output"]:
            try:
                Path(options["output"]).write_text(text + "\n")
            except OSError as exc:
                raise CommandError(f"error: --output: {exc.strerror}", returncode=2) from None
        else:
            self.stdout.write(text)


def _read(path: str) -> Any:
    try:
        text = Path(path).read_text()
    except OSError as exc:
        raise CommandError(f"error: {path}: {exc.strerror}", returncode=2) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        message = f"malformed JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        raise CommandError(f"error: {path}: {message}", returncode=2) from None
