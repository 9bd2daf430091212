""".env export is safe to ``source`` and reads back byte for byte in shells, python-dotenv and
python-decouple; what no quoting can carry is left out by name; import never echoes a line."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from decouple import RepositoryEnv
from dotenv import dotenv_values

from vaultapp.interop.dotenv import export_env, parse_env
from vaultapp.interop.records import Problem, Record

# Each is exported and must come back exactly, and running it must create nothing.
HOSTILE = [
    "$(touch PWNED)",
    "`touch PWNED`",
    "a;touch PWNED",
    "a && touch PWNED #",
    "a | touch PWNED",
    "$HOME and $PATH",
    "~/not-home",
    "a:~/b",
    "*",
    "?[a]",
    "{a,b}",
    "tab\there",
    "  leading and trailing  ",
    '"double"',
    "'single'",
    "it's",
    "back\\slash",
    "#not a comment",
    "a #b",
    "x=y=z",
    "!bang !! !$",
    "ünï ✓ 日本 \u2028 \u2029 \x85 \x0b \x0c \x1c",
    "\x1b[31mred",
    "plain",
]
# No quoting reads back alike everywhere: these are left out, each with its entry named.
REFUSED = {
    "it's$(touch PWNED)": "mixes '",  # the review's value: python-decouple reads quotes literally
    "it's`touch PWNED`": "mixes '",
    'it\'s "both"': "mixes '",
    "multi\nline": "has a line break",
    "carriage\rreturn": "has a line break",
    "nul\0byte": "has a NUL character",
    "x${HOME}y": "contains ${…}",
    "it's$(touch PWNED)\\": "mixes '",
    "it's \\ back": "mixes '",
    "two\\\\backslashes": "mixes '",
    "ends in backslash\\": "mixes '",
}
SHELLS = [name for name in ("bash", "zsh", "dash") if shutil.which(name)]


def _export(tmp_path: Path, values: list[str]) -> tuple[Path, list[Problem]]:
    records = [Record(title=f"key {i}", password=v) for i, v in enumerate(values)]
    notes: list[Problem] = []
    out = tmp_path / "out.env"
    export_env(out, records, notes)
    return out, notes


def _values(values: list[str]) -> dict[str, str]:
    return {f"KEY_{i}": v for i, v in enumerate(values)}


@pytest.mark.parametrize("shell", SHELLS)
def test_env_export_sourced_by_a_shell_reads_back_and_runs_nothing(shell: str, tmp_path: Path) -> None:
    """`source` (`.` in dash) of an export sets each variable to exactly the value and runs no command."""
    out, notes = _export(tmp_path, HOSTILE)
    assert notes == []
    expected = _values(HOSTILE)
    script = f". {out}\n" + "".join(f'printf "%s\\0" "${name}"\n' for name in expected)
    done = subprocess.run([shell, "-c", script], cwd=tmp_path, capture_output=True, check=True)
    assert done.stderr == b""
    assert done.stdout.split(b"\0")[:-1] == [v.encode() for v in expected.values()]
    assert not (tmp_path / "PWNED").exists()


def test_env_export_reads_back_with_python_dotenv_and_decouple(tmp_path: Path) -> None:
    """python-dotenv (default interpolation) and python-decouple read back every value exactly."""
    out, _ = _export(tmp_path, HOSTILE)
    expected = _values(HOSTILE)
    assert dict(dotenv_values(out)) == expected
    decoupled = RepositoryEnv(str(out))
    assert {name: decoupled[name] for name in expected} == expected
    assert set(decoupled.data) == set(expected)


def test_env_export_leaves_out_what_no_quoting_carries_and_names_the_entry(tmp_path: Path) -> None:
    """A value with a line break, a NUL, ${…} or an unquotable mix is left out with a note naming its
    entry (never the value); the other entries are written."""
    values = [*REFUSED, "fine"]
    out, notes = _export(tmp_path, values)
    assert len(notes) == len(REFUSED)
    for i, (note, (value, why)) in enumerate(zip(notes, REFUSED.items(), strict=True)):
        assert str(note).startswith(f"'key {i}' has a password that {why}")
        assert str(note).endswith("; left out")
        assert value not in str(note)
    assert dict(dotenv_values(out)) == {f"KEY_{len(REFUSED)}": "fine"}
    for shell in SHELLS:
        subprocess.run([shell, "-c", f". {out}"], cwd=tmp_path, check=True)
    assert not (tmp_path / "PWNED").exists()


def test_env_import_never_echoes_a_malformed_line() -> None:
    """A malformed line is reported by number (and name, when it has one) without its text."""
    text = "GOOD=1\nsk_live_CANARY-a\nSTRIPE='sk_live_CANARY-b\nexport TOKEN=\"sk_live_CANARY-c\n"
    parsed = parse_env(text)
    report = [str(p) for p in parsed.skipped]
    assert not any("CANARY" in line for line in report)
    assert [p.line for p in parsed.skipped] == [2, 3, 4]
    assert "the value of STRIPE is not valid .env syntax" in report[1]
    assert "the value of TOKEN is not valid .env syntax" in report[2]
    assert [r.title for r in parsed.records] == ["GOOD"]
