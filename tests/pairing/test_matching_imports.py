"""The engine's modules import each other in one direction only (no import circles),
counting imports made lazily inside functions too."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "pairing" / "matching"


def imports_inside_the_package(path: Path) -> set[str]:
    """Sibling module names ``path`` imports anywhere in it (``from .x``, ``from . import x``,
    ``pairing.matching.x``)."""
    siblings = {p.stem for p in PACKAGE.glob("*.py")}
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level == 1 and not module:
                found |= {a.name for a in node.names}
            elif node.level == 1:
                found.add(module.split(".")[0])
            elif module.startswith("pairing.matching."):
                found.add(module.split(".")[2])
            elif module == "pairing.matching":
                found |= {a.name for a in node.names}
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("pairing.matching."):
                    found.add(alias.name.split(".")[2])
    return (found & siblings) - {path.stem}


def test_engine_modules_have_no_import_circle():
    graph = {p.stem: imports_inside_the_package(p) for p in PACKAGE.glob("*.py")}
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(name: str, path: list[str]) -> None:
        state[name] = 1
        for nxt in sorted(graph.get(name, ())):
            assert state.get(nxt) != 1, "import circle: " + " -> ".join([*path, name, nxt])
            if nxt not in state:
                visit(nxt, [*path, name])
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [])


def test_groups_and_group_search_share_the_size_rule_without_importing_each_other():
    assert "groups" not in imports_inside_the_package(PACKAGE / "group_search.py")
    assert "group_sizes" in imports_inside_the_package(PACKAGE / "group_search.py")
