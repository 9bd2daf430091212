"""The real tray icon: a private Xvfb with trayer (a system tray), and the window started in a
separate process on the xcb platform. .ci/run installs both and sets VAULTAPP_REQUIRE_X11."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.xserver import xvfb
from vaultapp.gui.settings import Settings

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent


@pytest.fixture
def tray_display() -> Iterator[str]:
    """A private Xvfb (the server picks a free display) with trayer holding the tray."""
    missing = [tool for tool in ("Xvfb", "trayer") if shutil.which(tool) is None]
    if missing:
        if os.environ.get("VAULTAPP_REQUIRE_X11") == "1":
            pytest.fail(f"VAULTAPP_REQUIRE_X11 is set but {', '.join(missing)} is not installed")
        pytest.skip(f"needs {', '.join(missing)} (apt-get install xvfb trayer)")
    with xvfb(None, "-screen", "0", "1024x768x24") as display:
        tray = subprocess.Popen(
            [str(shutil.which("trayer")), "--edge", "bottom", "--widthtype", "request", "--height", "32"],
            env={**os.environ, "DISPLAY": display}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            yield display
        finally:
            tray.terminate()
            tray.wait(30)


def test_the_icon_sits_in_a_real_tray_and_the_window_hides_to_it(tray_display: str, tmp_path: Path) -> None:
    """Under X11 with a tray: the icon shows, "start minimized" starts hidden in it, the icon's
    Show brings the window back, closing (with "close to tray") hides it, the app keeps running
    with no window until the tray's Quit ends it (exit 0)."""
    settings = Settings(tmp_path / "settings.ini")
    settings.set_flag("desktop/start_minimized", True)
    settings.sync()
    env = {**os.environ, "DISPLAY": tray_display, "QT_QPA_PLATFORM": "xcb", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, str(HERE / "tray_probe.py"), str(settings.path)],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report == {
        "platform": "xcb", "tray": True, "icon": True, "hidden_at_start": True,
        "quit_on_last_window": False, "shown_by_tray": True, "closed": False, "hidden_on_close": True,
        "exit": 0,
    }  # fmt: skip
