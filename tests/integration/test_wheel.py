"""The wheel carries resources/ (as sprintdesk/_resources) and the migrations, and an
installation from it finds its resources."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Build from a copy, so the work tree gets no build/ folder and parallel builds can't clash.
    source = tmp_path_factory.mktemp("source")
    for name in ("sprintdesk", "resources"):
        shutil.copytree(
            ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
        )
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        if (ROOT / name).exists():
            shutil.copy2(ROOT / name, source / name)
    if not (source / "README.md").exists():
        (source / "README.md").write_text("SprintDesk\n")
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", ".", "--no-deps", "-q", "-w", str(out)],
        cwd=source,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    (built,) = out.glob("sprintdesk-*.whl")
    return built


@pytest.mark.slow
def test_wheel_contents(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "sprintdesk/_resources/icons/sprintdesk.svg" in names
    for size in SIZES:
        assert f"sprintdesk/_resources/icons/sprintdesk-{size}.png" in names
    assert "sprintdesk/_resources/themes/light.qss" in names
    assert "sprintdesk/_resources/themes/dark.qss" in names
    assert "sprintdesk/storage/migrations/env.py" in names
    assert "sprintdesk/storage/migrations/versions/0001_first_schema.py" in names
    assert not [n for n in names if n.startswith("tests/") or "__pycache__" in n]


@pytest.mark.slow
def test_installed_from_the_wheel_resources_resolve(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    script = (
        "import sprintdesk, sprintdesk.system.paths as p, sprintdesk.storage.migrations as m;"
        "print(sprintdesk.__file__); print(p.resources_dir());"
        "print(p.resource('icons', 'sprintdesk.svg').is_file());"
        "print(m.SCRIPT_LOCATION)"
    )
    # The unpacked wheel comes first on the path, before the development checkout.
    env = {**os.environ, "PYTHONPATH": str(site)}
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    module_file, resources, svg_ok, migrations = result.stdout.split("\n")[:4]
    assert Path(module_file).is_relative_to(site)
    assert Path(resources) == site / "sprintdesk" / "_resources"
    assert svg_ok == "True"
    assert Path(migrations) == site / "sprintdesk" / "storage" / "migrations"

    # And the installed package really opens and migrates a database.
    data = tmp_path / "data"
    result = subprocess.run(
        [sys.executable, "-m", "sprintdesk", "--data-dir", str(data), "list"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "No sprints yet" in result.stdout
