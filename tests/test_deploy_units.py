"""The systemd units in deploy/ are valid as systemd reads them, and start commands that
exist in this checkout (docs/deploy.md)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
UNITS = ROOT / "deploy" / "systemd"
INSTALLED_AT = "/opt/remedy"


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is missing")
def test_every_unit_passes_systemd_analyze_verify(tmp_path: Path) -> None:
    """Installed paths point at this checkout, so verify also finds each command."""
    names = []
    for unit in sorted(UNITS.iterdir()):
        text = unit.read_text().replace(INSTALLED_AT, str(ROOT))
        name = unit.name.replace("@.", "@1.")  # a template is checked as an instance
        (tmp_path / name).write_text(text)
        names.append(str(tmp_path / name))

    result = subprocess.run(
        ["systemd-analyze", "verify", *names],
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == ""


def test_the_units_run_the_commands_the_docs_name() -> None:
    web = (UNITS / "remedy-web.service").read_text()
    worker = (UNITS / "remedy-worker@.service").read_text()
    backup = (UNITS / "remedy-backup.service").read_text()

    assert "gunicorn --config gunicorn.conf.py" in web
    assert "PROMETHEUS_MULTIPROC_DIR" in web
    assert "flask --app wsgi worker" in worker
    assert "flask --app wsgi backup create" in backup
    assert "REMEDY_BACKUP_KEY_FILE" in backup
