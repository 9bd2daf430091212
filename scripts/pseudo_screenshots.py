#!/usr/bin/env python3
"""Screenshots of every view in the pseudo-translation (every string 40% longer, in brackets).

python scripts/pseudo_screenshots.py [--out docs/screenshots] [--all]

It runs tests/gui/test_pseudo_layout.py (the views, with a demo vault) with VAULTAPP_PSEUDO_SHOTS
set, so the pictures are of exactly what that test checks: pseudo-<view>.png, and
pseudo-<view>-<tab>.png for each further tab (the key views only, unless --all). Look at them
for text that is cut off or not bracketed (a string that skips tr()).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KEY_VIEWS = ("unlock", "create", "main", "editor", "generator", "settings", "health")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--all", action="store_true", help="every view, not only the key ones")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    test = "tests/gui/test_pseudo_layout.py"
    with tempfile.TemporaryDirectory() as scratch:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "VAULTAPP_PSEUDO_SHOTS": scratch}
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", test]
        code = subprocess.run(command, cwd=ROOT, env=env, check=False).returncode
        for shot in sorted(Path(scratch).glob("pseudo-*.png")):
            view = shot.stem.removeprefix("pseudo-").rstrip("-0123456789")
            if args.all or view in KEY_VIEWS:
                shutil.copyfile(shot, args.out / shot.name)
                print(args.out / shot.name)
    return code


if __name__ == "__main__":
    sys.exit(main())
