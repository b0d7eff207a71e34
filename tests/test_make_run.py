"""`make run PORT=…`: the demo's links follow the port (walk 31: with another port every
email link still pointed at :8000), unless SITE_URL is set. Run with a stand-in Python that
records SITE_URL, so nothing is installed, migrated or served."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _site_urls(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> list[str]:
    out = tmp_path / "seen"
    python = tmp_path / "python"
    python.write_text(f'#!/bin/sh\necho "$SITE_URL" >> {out}\n')
    python.chmod(0o755)
    venv = tmp_path / "venv"
    venv.mkdir()
    (venv / ".installed").touch()
    os.utime(venv / ".installed", (2**31, 2**31))  # newer than requirements.lock
    clean = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
    subprocess.run(
        ["make", "-s", "run", f"PY={python}", f"VENV={venv}", *args],
        cwd=ROOT, env={**clean, **(env or {})}, check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return out.read_text().split()


@pytest.mark.parametrize(
    ("args", "env", "expected"),
    [
        ((), {}, "http://127.0.0.1:8000"),
        (("PORT=8731",), {}, "http://127.0.0.1:8731"),
        (("PORT=8731",), {"SITE_URL": "https://coffee.example.org"}, "https://coffee.example.org"),
    ],
)
def test_make_run_gives_the_demo_the_site_address_it_serves(tmp_path, args, env, expected):
    assert _site_urls(tmp_path, *args, env=env) == [expected] * 3  # migrate, demo, serve
