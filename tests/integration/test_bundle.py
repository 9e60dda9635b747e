"""Smoke test of the PyInstaller one-folder app: ``--version`` and the offscreen self-test.

Building takes minutes, so this runs only when dist/SprintDesk exists (``make bundle``) or when
SPRINTDESK_TEST_BUNDLE=1 asks for it (then it builds the bundle first if it is missing).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from sprintdesk import __version__

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = ROOT / "dist" / "SprintDesk"
EXECUTABLE = BUNDLE / ("sprintdesk.exe" if sys.platform == "win32" else "sprintdesk")
ASKED = os.environ.get("SPRINTDESK_TEST_BUNDLE") == "1"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not ASKED and not EXECUTABLE.exists(),
        reason="no bundle in dist/SprintDesk: run `make bundle` or set SPRINTDESK_TEST_BUNDLE=1",
    ),
]


@pytest.fixture(scope="module")
def executable() -> Path:
    if not EXECUTABLE.exists():
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "PyInstaller",
                "--noconfirm",
                "--clean",
                "--distpath",
                str(ROOT / "dist"),
                "--workpath",
                str(ROOT / "build" / "pyinstaller"),
                str(ROOT / "packaging" / "sprintdesk.spec"),
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=1200,
        )
        assert result.returncode == 0, result.stderr[-4000:]
    return EXECUTABLE


def _run(executable: Path, *args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path)}
    env.pop("PYTHONPATH", None)  # the bundle must not lean on the checkout
    return subprocess.run(
        [str(executable), *args], capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120
    )


def test_bundle_reports_its_version(executable: Path, tmp_path: Path) -> None:
    result = _run(executable, "--version", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"SprintDesk {__version__}"


def test_bundle_passes_the_self_test(executable: Path, tmp_path: Path) -> None:
    result = _run(executable, "self-test", tmp_path=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "self-test passed" in result.stdout
    assert f"resources at {BUNDLE}" in result.stdout  # found through sys._MEIPASS
    assert "FAIL" not in result.stdout


def test_bundle_cli_works_without_a_display(executable: Path, tmp_path: Path) -> None:
    result = _run(executable, "--data-dir", str(tmp_path / "data"), "demo", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    result = _run(executable, "--data-dir", str(tmp_path / "data"), "list", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "4.11.0 1/2" in result.stdout
