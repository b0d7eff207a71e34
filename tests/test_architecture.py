"""The architecture, checked from the source: no import circles between the apps'
modules, programme kinds branch in one place, modules keep the house size, and every
package says what it owns."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("config", "members", "pairing", "feedback")
MAX_LINES = 400


def _sources() -> dict[str, Path]:
    modules = {}
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            modules[name] = path
    return modules


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """Every project module `name` imports, at the top or inside a function."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join([*package.split(".")[: len(package.split(".")) - node.level + 1]])
                base = f"{base}.{node.module}" if node.module else base
            # `from pairing import rounds` imports the module pairing.rounds; `from
            # pairing.models import Match` imports pairing.models.
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base
                for alias in node.names
            ]
        else:
            continue
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def import_graph() -> dict[str, set[str]]:
    sources = _sources()
    known = set(sources)
    return {name: _imports(name, path, known) for name, path in sources.items()}


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return cycles


def test_the_import_graph_sees_a_known_edge():
    graph = import_graph()

    assert "pairing.outbox" in graph["feedback.services"]
    assert "feedback.services" in graph["config.schedule"]


def test_cycle_detection_finds_a_circle():
    assert import_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_circles_between_modules():
    assert import_cycles(import_graph()) == []


def test_no_app_services_import_another_apps_services():
    graph = import_graph()
    services = {n for n in graph if n.endswith(".services") or ".rounds" in n}

    crossing = [
        (a, b) for a in services for b in graph[a] & services if a.split(".")[0] != b.split(".")[0]
    ]

    assert crossing == []


KIND_ALLOWED = ("pairing/kinds/", "pairing/models.py")


@pytest.mark.parametrize(
    "path", sorted(_sources().values()), ids=lambda p: str(p.relative_to(ROOT))
)
def test_only_kind_modules_branch_on_programme_kind(path):
    relative = str(path.relative_to(ROOT))
    if relative.startswith(KIND_ALLOWED):
        return
    text = path.read_text()

    assert "ProgrammeKind." not in text or "demo" in relative
    # A programme's kind, however it is reached (programme.kind, match...programme.kind);
    # other models' `kind` fields (an outbox row's, a bounce's) are not a programme kind.
    assert not re.search(r"programme\.kind\s*(==|!=|in\b|not in\b)", text)


@pytest.mark.parametrize(
    "path", sorted(_sources().values()), ids=lambda p: str(p.relative_to(ROOT))
)
def test_modules_keep_the_house_size(path):
    assert len(path.read_text().splitlines()) <= MAX_LINES


def test_every_package_opens_with_a_docstring():
    packages = [p for p in _sources().values() if p.name == "__init__.py"]
    undocumented = [
        str(p.relative_to(ROOT))
        for p in packages
        if p.parent.name not in {"management", "commands"}
        and not ast.get_docstring(ast.parse(p.read_text()))
    ]

    assert undocumented == []
