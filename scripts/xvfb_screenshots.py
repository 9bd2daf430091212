#!/usr/bin/env python3
"""Photograph the real app on a virtual X server with a window manager, driven like a user.

python scripts/xvfb_screenshots.py [--display 99] [--out docs/screenshots]

Needs Xvfb, openbox, xdotool and ImageMagick's ``import`` (``apt-get install xvfb openbox xdotool
imagemagick``). The screen is 1600x1000. It writes:

- xvfb-real-window.png: 1x, the table sorted by Title (descending) with the selection kept;
- xvfb-context-menu.png: 1x, the table's right-click menu with *Move to folder* open;
- xvfb-hidpi-2x.png: QT_SCALE_FACTOR=2, the window fitting the screen, dark theme, a search.

Settings and the demo vault live in a temporary folder; nothing of the user's is touched.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

PASSPHRASE = "orbit gravy lantern tidal spoon ember"


def exe(name: str) -> str:
    """The full path of a tool (checked to exist in main)."""
    return shutil.which(name) or name


def wait_for(check: Callable[[], bool], what: str, timeout: float = 20.0) -> None:
    """Poll ``check`` until it is true (a real X server and app take their own time)."""
    end = time.monotonic() + timeout
    while not check():
        if time.monotonic() > end:
            raise SystemExit(f"timed out waiting for {what}")
        time.sleep(0.2)


class Session:
    def __init__(self, display: str, tmp: Path) -> None:
        self.env = {**os.environ, "DISPLAY": display}
        self.env.pop("QT_QPA_PLATFORM", None)
        self.tmp = tmp
        self.procs: list[subprocess.Popen[bytes]] = []

    def start(self, *argv: str, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
        command = [exe(argv[0]), *argv[1:]]
        proc = subprocess.Popen(
            command, env=env or self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        self.procs.append(proc)
        return proc

    def run(self, *argv: str) -> str:
        command = [exe(argv[0]), *argv[1:]]
        return subprocess.run(command, env=self.env, check=True, capture_output=True, text=True).stdout

    def xdo(self, *args: str) -> None:
        self.run("xdotool", *args)

    def window_id(self, name: str) -> str | None:
        command = [exe("xdotool"), "search", "--onlyvisible", "--name", name]
        found = subprocess.run(command, env=self.env, capture_output=True, text=True).stdout.split()
        return found[0] if found else None

    def shot(self, path: Path) -> None:
        self.run("import", "-window", "root", str(path))

    def app(
        self, name: str, vault: Path, *, scale: str = "1", theme: str = "light"
    ) -> subprocess.Popen[bytes]:
        config = self.tmp / name / "config" / "vaultapp"
        config.mkdir(parents=True)
        (config / "settings.ini").write_text(f"[view]\ntheme={theme}\n")
        env = {
            **self.env,
            "XDG_CONFIG_HOME": str(config.parent),
            "XDG_DATA_HOME": str(self.tmp / name / "data"),
            "QT_SCALE_FACTOR": scale,
        }
        proc = self.start(sys.executable, "-m", "vaultapp", str(vault), env=env)
        wait_for(lambda: self.window_id("vaultapp") is not None, "the window")
        time.sleep(1.0)  # the first paint and the window manager's placement
        return proc

    def unlock(self) -> None:
        self.xdo("type", "--delay", "20", PASSPHRASE)  # the passphrase field has the focus at launch
        self.xdo("key", "Return")
        wait_for(lambda: self.window_id("Passwords.vault") is not None, "the unlocked vault")
        time.sleep(1.0)

    def close(self) -> None:
        for proc in reversed(self.procs):
            proc.terminate()
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                proc.kill()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--display", default="99", help="X display number to start Xvfb on")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for tool in ("Xvfb", "openbox", "xdotool", "import"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is missing: apt-get install xvfb openbox xdotool imagemagick")
    from screenshots import build_demo

    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        session = Session(f":{args.display}", tmp)
        try:
            session.start("Xvfb", f":{args.display}", "-screen", "0", "1600x1000x24", "-nolisten", "tcp")
            probe = [exe("xdotool"), "getdisplaygeometry"]
            wait_for(
                lambda: subprocess.run(probe, env=session.env, capture_output=True).returncode == 0, "Xvfb"
            )
            session.start("openbox")
            time.sleep(1.0)
            vault = tmp / "Passwords.vault"
            build_demo(vault, PASSPHRASE)

            app = session.app("one", vault)
            session.unlock()
            # Select "Bank of Example" (second row by title), then sort by Title, descending.
            session.xdo("key", "ctrl+f")
            session.xdo("type", "bank of")
            session.xdo("key", "Down", "Escape")  # into the table, on the result; clear the search
            geometry = session.run("xdotool", "getactivewindow", "getwindowgeometry", "--shell")
            values = dict(line.split("=") for line in geometry.split())
            left, top = int(values["X"]), int(values["Y"])
            session.xdo("mousemove", str(left + 400), str(top + 80), "click", "1")  # the Title header
            time.sleep(0.8)
            session.shot(args.out / "xvfb-real-window.png")
            session.xdo("key", "ctrl+f")
            session.xdo("type", "github")
            session.xdo("key", "Down", "Menu")
            time.sleep(0.6)
            session.xdo("key", "Up", "Up", "Right")  # Move to folder (above Delete entry)
            time.sleep(0.6)
            session.shot(args.out / "xvfb-context-menu.png")
            session.xdo("key", "Escape", "Escape")
            app.terminate()
            app.wait(10)

            app = session.app("two", vault, scale="2", theme="dark")
            session.unlock()
            session.xdo("key", "ctrl+f")
            session.xdo("type", "git")
            time.sleep(0.8)
            session.shot(args.out / "xvfb-hidpi-2x.png")
        finally:
            session.close()
    print(f"wrote xvfb-*.png to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
