"""Every `vaultapp-cli` command the README shows in a code block runs, verbatim, in a shell.

The examples run in README order with HOME set to a temporary folder that holds a vault made with
`--unlock-ms 50` at ~/vault.vault (the `init` example runs in a HOME of its own, as written).
Each gets the passphrase on standard input and in $VAULT_PASS. An example whose comment says
`# exit N` must exit N; every other one must exit 0.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from tests.cli.test_contract import PW, cli

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_examples() -> list[str]:
    """The `vaultapp-cli` command lines of the README's code blocks, as written."""
    examples, language = [], None
    for line in README.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            language = line[3:].strip() if language is None else None
            continue
        if language == "console" and line.startswith("$ ") and "vaultapp-cli" in line:
            examples.append(line[2:])
        elif language in ("bash", "sh", "shell") and re.search(r"(^|\| )vaultapp-cli ", line):
            examples.append(line)
    return examples


def run_example(line: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "HOME": str(home),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "VAULT_PASS": PW,
        "PYTHONWARNINGS": "error",
    }
    return subprocess.run(  # the README's own lines, run as a reader would paste them
        [shutil.which("bash") or "/bin/bash", "-o", "pipefail", "-c", line],
        input=f"{PW}\n" * 4,
        capture_output=True,
        text=True,
        cwd=home,
        env=env,
        timeout=300,
        check=False,
    )


def test_readme_shows_the_commands_this_test_runs() -> None:
    """The README's examples are found: init, the Trash, generate with '-' symbols, a usage error."""
    examples = readme_examples()
    assert any(e.startswith("vaultapp-cli init ~/vault.vault") for e in examples)
    assert "vaultapp-cli generate password --length 24 --symbols '-_!@'" in " ".join(examples)
    for needle in (" rm ", " trash ", " restore ", "| vaultapp-cli show", "# exit 2"):
        assert any(needle in e for e in examples), needle


def test_every_readme_example_runs_verbatim(tmp_path: Path) -> None:
    """Each example exits 0 (or the status its comment names), with no traceback."""
    fresh, home = tmp_path / "fresh", tmp_path / "home"
    fresh.mkdir()
    home.mkdir()
    cli("init", str(home / "vault.vault"), "--unlock-ms", "50", stdin=PW + "\n")
    failures = []
    for line in readme_examples():
        expected = re.search(r"# exit (\d+)", line)
        result = run_example(line, fresh if re.search(r"vaultapp-cli init\b", line) else home)
        wanted = int(expected.group(1)) if expected else 0
        if result.returncode != wanted or "Traceback" in result.stderr:
            failures.append(f"{line}\n  exit {result.returncode} (wanted {wanted}): {result.stderr.strip()}")
    assert not failures, "\n".join(failures)
