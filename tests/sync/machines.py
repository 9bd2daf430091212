"""A "machine" for the sync tests: a vaultapp home of its own (so its own device memory: the
save counters it has seen, its device id, its audit anchors) and a folder its sync tool keeps,
driven through real ``vaultapp-cli`` subprocesses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.torture.harness import PASS, ROOT


class Machine:
    def __init__(self, root: Path, name: str, folder: Path | None = None) -> None:
        self.home = root / f"home-{name}"
        self.folder = folder if folder is not None else root / f"sync-{name}"
        self.home.mkdir()
        self.folder.mkdir(exist_ok=True)
        self.vault = self.folder / "Passwords.vault"

    def cli(self, *args: str, stdin: str = f"{PASS}\n", rc: int = 0) -> subprocess.CompletedProcess[str]:
        home = self.home
        env = {**os.environ, "HOME": str(home), "XDG_STATE_HOME": str(home / ".local/state")}
        env.update(XDG_CONFIG_HOME=str(home / ".config"), XDG_DATA_HOME=str(home / ".local/share"))
        result = subprocess.run([sys.executable, "-m", "vaultapp.cli", *args], input=stdin, env=env, cwd=ROOT,
                                capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
        assert result.returncode == rc, (args, result.returncode, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr
        return result

    def titles(self) -> dict[str, str]:
        """{title: notes} of every entry (a title twice would show as a shorter dict than ``count``)."""
        out = self.cli("ls", str(self.vault), "--json").stdout
        titles = [e["title"] for e in json.loads(out)]
        return {t: json.loads(self.cli("show", str(self.vault), t, "--json").stdout)["notes"] for t in titles}

    def count(self) -> int:
        return len(json.loads(self.cli("ls", str(self.vault), "--json").stdout))
