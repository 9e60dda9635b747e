"""Desktop integration files: the .desktop file and AppStream metadata validate, the icons are
there in every size, and install-desktop.sh installs (and removes) the launcher per user."""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
APP_ID = "io.github.sprintdesk.SprintDesk"
DESKTOP = PACKAGING / f"{APP_ID}.desktop"
METAINFO = PACKAGING / f"{APP_ID}.metainfo.xml"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, env=env, timeout=60)


@pytest.mark.skipif(
    shutil.which("desktop-file-validate") is None,
    reason="desktop-file-validate is not installed (Debian: desktop-file-utils)",
)
def test_desktop_file_validates() -> None:
    result = _run("desktop-file-validate", str(DESKTOP))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == ""  # no warnings either


@pytest.mark.skipif(
    shutil.which("appstreamcli") is None, reason="appstreamcli is not installed (Debian: appstream)"
)
def test_metainfo_validates() -> None:
    result = _run("appstreamcli", "validate", "--no-net", str(METAINFO))
    assert result.returncode == 0, result.stdout + result.stderr


def test_desktop_file_and_metainfo_agree() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(DESKTOP, encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert desktop["Icon"] == APP_ID
    assert desktop["Exec"] == "sprintdesk"
    text = METAINFO.read_text(encoding="utf-8")
    assert f"<id>{APP_ID}</id>" in text
    assert f'<launchable type="desktop-id">{APP_ID}.desktop</launchable>' in text
    assert "<binary>sprintdesk</binary>" in text


def test_icons_exist_in_every_size(qapp: object) -> None:
    from PySide6.QtGui import QImage

    assert (ROOT / "resources" / "icons" / "sprintdesk.svg").is_file()
    for size in SIZES:
        image = QImage(str(ROOT / "resources" / "icons" / f"sprintdesk-{size}.png"))
        assert not image.isNull(), size
        assert (image.width(), image.height()) == (size, size)
        assert image.hasAlphaChannel()


def test_install_desktop_for_the_current_user(tmp_path: Path) -> None:
    data = tmp_path / "xdg-data-home"
    launcher = tmp_path / "bin with space" / "sprintdesk"
    launcher.parent.mkdir()
    launcher.write_text("#!/bin/sh\nexit 0\n")
    launcher.chmod(0o755)
    env = {**os.environ, "XDG_DATA_HOME": str(data), "HOME": str(tmp_path / "home")}
    result = _run("sh", str(PACKAGING / "install-desktop.sh"), str(launcher), env=env)
    assert result.returncode == 0, result.stderr
    installed = data / "applications" / f"{APP_ID}.desktop"
    assert f'Exec="{launcher}"' in installed.read_text(encoding="utf-8")
    assert (data / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg").is_file()
    for size in SIZES:
        assert (data / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png").is_file()
    assert (data / "metainfo" / f"{APP_ID}.metainfo.xml").is_file()
    assert not (tmp_path / "home").exists()  # XDG_DATA_HOME was honoured
    if shutil.which("desktop-file-validate"):
        check = _run("desktop-file-validate", str(installed))
        assert check.returncode == 0, check.stdout

    result = _run("sh", str(PACKAGING / "install-desktop.sh"), "--uninstall", env=env)
    assert result.returncode == 0, result.stderr
    assert not installed.exists()
    assert not list(data.rglob(f"{APP_ID}*"))


def test_install_desktop_without_a_launcher_fails_clearly(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    result = _run("sh", str(PACKAGING / "install-desktop.sh"), str(tmp_path / "missing"), env=env)
    assert result.returncode == 2
    assert "cannot find the sprintdesk launcher" in result.stderr


def test_the_spec_ships_resources_and_migrations() -> None:
    spec = (PACKAGING / "sprintdesk.spec").read_text(encoding="utf-8")
    assert '(str(ROOT / "resources"), "resources")' in spec
    assert '"sprintdesk/storage/migrations"' in spec
    assert (PACKAGING / "launcher.py").is_file()


def test_self_test_command_passes_and_is_hidden(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "sprintdesk", "self-test"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "self-test passed" in result.stdout
    assert "FAIL" not in result.stdout
    helped = subprocess.run(
        [sys.executable, "-m", "sprintdesk", "--help"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=60,
    )
    assert helped.returncode == 0
    assert "self-test" not in helped.stdout


def test_committed_pngs_match_the_svg(qapp: object, tmp_path: Path) -> None:
    """Regenerate with packaging/render_icons.py after editing the SVG."""
    import importlib.util

    from PySide6.QtGui import QImage

    spec = importlib.util.spec_from_file_location("render_icons", PACKAGING / "render_icons.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for path in module.render(sizes=(32, 128), out=tmp_path):
        fresh = QImage(str(path)).convertToFormat(QImage.Format.Format_ARGB32)
        committed = QImage(str(ROOT / "resources" / "icons" / path.name)).convertToFormat(
            QImage.Format.Format_ARGB32
        )
        assert fresh.size() == committed.size()
        total = 0
        for y in range(fresh.height()):
            for x in range(fresh.width()):
                a, b = fresh.pixelColor(x, y), committed.pixelColor(x, y)
                total += abs(a.red() - b.red()) + abs(a.green() - b.green())
                total += abs(a.blue() - b.blue()) + abs(a.alpha() - b.alpha())
        mean = total / (fresh.width() * fresh.height() * 4)
        assert mean < 4, f"{path.name} differs from the SVG (mean difference {mean:.1f})"
