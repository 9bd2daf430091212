"""What the manifests' launcher loads (``python -I -S`` with vaultapp's folder on the path, then
``vaultapp.browser.proxy``): a handful of small standard-library modules, nothing that pulls in
collections, functools or enum (contextlib did: about as much as the rest of the proxy)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def test_the_launchers_imports_stay_small() -> None:
    script = (
        f"import sys\nbefore = set(sys.modules)\nsys.path.insert(0, {str(ROOT)!r})\n"
        "import vaultapp.browser.proxy\nprint('\\n'.join(sorted(set(sys.modules) - before)))"
    )
    out = subprocess.run(
        [sys.executable, "-I", "-S", "-c", script], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    added = set(out.split())
    heavy = {"contextlib", "collections", "functools", "enum", "re", "json", "socket", "selectors", "typing"}
    assert added & heavy == set()
    ours = {m.removeprefix("vaultapp.browser.") for m in added if m.startswith("vaultapp")}
    assert ours == {"vaultapp", "vaultapp.browser", "proxy", "paths", "wire"}
