"""The lock files the Makefile installs from agree with pyproject.toml's ranges, hold
every dependency, and keep upper bounds where the API moves, so a new release upstream
cannot break `make test` or an upgrade."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def _locked(name: str) -> dict[str, str]:
    pins = {}
    for line in (ROOT / name).read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            package, _, version = line.partition("==")
            assert version, f"{name}: {line!r} is not pinned with =="
            pins[canonicalize_name(package)] = version.strip()
    return pins


@pytest.mark.parametrize(
    ("lock", "requirements"),
    [
        ("requirements.lock", PROJECT["dependencies"]),
        (
            "requirements-test.lock",
            PROJECT["dependencies"] + PROJECT["optional-dependencies"]["test"],
        ),
    ],
)
def test_every_dependency_is_pinned_within_its_range(lock, requirements):
    pins = _locked(lock)
    for requirement in map(Requirement, requirements):
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement.name} is missing from {lock}: run `make lock`"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"{lock} pins {requirement.name}=={pins[name]}, outside {requirement.specifier}"
        )


@pytest.mark.parametrize("name", ["Django", "django-allauth", "celery", "ruff"])
def test_packages_whose_api_moves_have_an_upper_bound(name):
    everything = PROJECT["dependencies"] + PROJECT["optional-dependencies"]["test"]
    [requirement] = [
        Requirement(r) for r in everything if canonicalize_name(Requirement(r).name) == name.lower()
    ]
    assert any(spec.operator in {"<", "<="} for spec in requirement.specifier)
