#!/usr/bin/env python3
"""Screenshots of every view in the pseudo-translation (every string 40% longer, in brackets).

python scripts/pseudo_screenshots.py [--out docs/screenshots]

It runs tests/gui/test_pseudo_layout.py (the views, with a demo vault) with VAULTAPP_PSEUDO_SHOTS
set, so the pictures are of exactly what that test checks: pseudo-<view>.png, and
pseudo-<view>-<tab>.png for each further tab. Look at them for text that is cut off or not
bracketed (a string that skips tr()).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "VAULTAPP_PSEUDO_SHOTS": str(args.out.resolve())}
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "tests/gui/test_pseudo_layout.py",
    ]
    return subprocess.run(command, cwd=ROOT, env=env, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
