"""deploy/backup.sh and deploy/restore.sh, run for real against PostgreSQL: what was
there at the backup comes back, uploaded files included, after it was changed."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from pairing.models import Programme
from tests.factories import ProgrammeFactory
from tests.integration.conftest import BASE_DIR, _test_database_url

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _run(script: str, *args: str, env: dict) -> str:
    result = subprocess.run(
        [str(BASE_DIR / "deploy" / script), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_a_backup_restores_the_database_and_the_uploads(postgres, tmp_path):
    media = tmp_path / "media"
    (media / "strategies").mkdir(parents=True)
    (media / "strategies" / "s.txt").write_text("1. falls/")
    ProgrammeFactory(name="Kept by the backup")
    env = {**os.environ, "DATABASE_URL": _test_database_url(), "MEDIA_ROOT": str(media)}

    folder = Path(_run("backup.sh", str(tmp_path / "backups"), env=env))
    Programme.objects.all().delete()
    ProgrammeFactory(name="Made after the backup")
    (media / "strategies" / "s.txt").unlink()
    _run("restore.sh", str(folder), env=env)

    assert list(Programme.objects.values_list("name", flat=True)) == ["Kept by the backup"]
    assert (media / "strategies" / "s.txt").read_text() == "1. falls/"
