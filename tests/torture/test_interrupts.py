"""Ctrl-C and kill -9 at the edges of a save or an export, from outside (a real CLI process).

The moment is not left to a timer: the process patches one system call of its own save path
to signal itself (SIGINT, as Ctrl-C does, or SIGKILL) right before or right after the call, so
each case lands exactly where the bug was reported.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.torture.harness import PASS, ROOT, make_vault, temp_files
from vaultapp.core import TEST_POLICY, SaveFailedError, Vault

PRELUDE = "import errno, os, signal, sys\n"
RUN_CLI = "from vaultapp.cli import main\nsys.exit(main())\n"


def _cli(patch: str, *args: str, stdin: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", PRELUDE + patch + RUN_CLI, *args],
        input=stdin, capture_output=True, text=True, cwd=ROOT, check=False, timeout=120,
    )  # fmt: skip


def _titles(path: Path, passphrase: str = PASS) -> set[str]:
    with Vault.open(path, passphrase, policy=TEST_POLICY, audit=False) as vault:
        return {e.title for e in vault.entries}


# os.replace of the vault itself, then Ctrl-C (the signal arrives as the call returns).
CTRL_C_AFTER_REPLACE = (
    "real = os.replace\n"
    "def replace(src, dst, **kw):\n"
    "    real(src, dst, **kw)\n"
    "    if str(dst).endswith('.vault'):\n"
    "        os.kill(os.getpid(), signal.SIGINT)\n"
    "os.replace = replace\n"
)

# Ctrl-C while the temp file is being synced: before anything is replaced.
CTRL_C_BEFORE_REPLACE = (
    "real = os.fsync\n"
    "def fsync(fd):\n"
    "    os.kill(os.getpid(), signal.SIGINT)\n"
    "    real(fd)\n"
    "os.fsync = fsync\n"
)


def test_ctrl_c_just_after_the_replace_says_the_change_was_saved(tmp_path: Path) -> None:
    path = tmp_path / "v.vault"
    make_vault(path)
    result = _cli(CTRL_C_AFTER_REPLACE, "add", str(path), "--title", "landed", stdin=f"{PASS}\nsecret\n")
    assert result.returncode == 130, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "nothing was saved" not in lines[0]
    assert f"interrupted after {path} was saved" in lines[0]
    assert "landed" in _titles(path)  # what the message says is what is on disk
    assert temp_files(tmp_path) == []


def test_ctrl_c_before_the_replace_says_nothing_was_saved(tmp_path: Path) -> None:
    path = tmp_path / "v.vault"
    make_vault(path)
    before = path.read_bytes()
    result = _cli(CTRL_C_BEFORE_REPLACE, "add", str(path), "--title", "lost", stdin=f"{PASS}\nsecret\n")
    assert result.returncode == 130, result.stderr
    assert result.stderr.strip().splitlines() == ["vaultapp-cli: interrupted; nothing was saved."]
    assert path.read_bytes() == before
    assert temp_files(tmp_path) == []


def test_ctrl_c_after_passwd_replaced_the_vault_names_it(tmp_path: Path) -> None:
    """`passwd` interrupted once the vault is replaced: the message must not claim nothing was
    saved, because the new passphrase is now the one that opens the vault."""
    path = tmp_path / "v.vault"
    make_vault(path)
    new = "a new and long passphrase"
    result = _cli(CTRL_C_AFTER_REPLACE, "passwd", str(path), stdin=f"{PASS}\n{new}\n{new}\n")
    assert result.returncode == 130, result.stderr
    assert "nothing was saved" not in result.stderr
    assert f"interrupted after {path} was saved" in result.stderr
    assert "seed 0" in _titles(path, new)


# ---- exports: nothing half-made at the final name ------------------------------------------

FULL_DISK = "def fsync(fd):\n    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))\nos.fsync = fsync\n"

# kill -9 after the backup is written and verified, just before it would get its name.
KILL_BEFORE_LINK = "def link(src, dst, **kw):\n    os.kill(os.getpid(), signal.SIGKILL)\nos.link = link\n"


def _export(patch: str, vault: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return _cli(patch, "export", str(vault), str(out), stdin=f"{PASS}\nbackup pass\nbackup pass\n")


def test_an_export_on_a_full_disk_leaves_nothing_and_can_be_run_again(tmp_path: Path) -> None:
    vault = tmp_path / "v.vault"
    make_vault(vault)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / "copy.vault"
    result = _export(FULL_DISK, vault, out)
    assert result.returncode == SaveFailedError.exit_code, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "No space left on device" in lines[0]
    assert sorted(p.name for p in out_dir.iterdir()) == []  # no OUT, no OUT.lock, no temp file
    again = _export("", vault, out)
    assert again.returncode == 0, again.stderr
    assert _titles(out, "backup pass") == {"seed 0", "seed 1", "seed 2"}


def test_an_export_killed_before_it_is_named_leaves_nothing_at_the_name(tmp_path: Path) -> None:
    vault = tmp_path / "v.vault"
    make_vault(vault)
    out = tmp_path / "copy.vault"
    result = _export(KILL_BEFORE_LINK, vault, out)
    assert result.returncode == -9, result.stderr
    assert not out.exists()
    assert not out.with_name("copy.vault.lock").exists()
    again = _export("", vault, out)  # the re-run is not told that the file exists
    assert again.returncode == 0, again.stderr
    assert _titles(out, "backup pass") == {"seed 0", "seed 1", "seed 2"}


def test_an_export_that_does_not_read_back_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vaultapp.core import DamagedFileError
    from vaultapp.core import vault as vault_module

    make_vault(tmp_path / "v.vault")
    out = tmp_path / "copy.vault"
    with Vault.open(tmp_path / "v.vault", PASS, policy=TEST_POLICY, audit=False) as source:
        real = vault_module.Vault.digest
        calls = iter(range(100))

        def wrong_on_read_back(self: Vault) -> str:
            return real(self) if next(calls) == 0 else "0" * 64

        monkeypatch.setattr(vault_module.Vault, "digest", wrong_on_read_back)
        with pytest.raises(DamagedFileError, match="did not read back identically"):
            source.export_backup(out, "backup pass")
    assert [p.name for p in tmp_path.iterdir() if "copy.vault" in p.name] == []


@pytest.mark.parametrize("name", ["out.csv", "out.env", "out.kdbx"])
@pytest.mark.parametrize("fault", ["kill", "full"])
def test_a_plaintext_or_kdbx_export_never_leaves_half_a_file(tmp_path: Path, name: str, fault: str) -> None:
    """CSV, .env and KeePass exports too: a kill before the file is named, or a full disk, leaves
    nothing at the name, and the export can simply be run again."""
    vault = tmp_path / "v.vault"
    make_vault(vault)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / name
    args = ["export", str(vault), str(out), "--yes-plaintext"] if name != "out.kdbx" else [
        "export", str(vault), str(out), "--unlock-ms", "50"]  # fmt: skip
    stdin = f"{PASS}\nkdbx pass\nkdbx pass\n"
    result = _cli(KILL_BEFORE_LINK if fault == "kill" else FULL_DISK, *args, stdin=stdin)
    if fault == "kill":
        assert result.returncode == -9, result.stderr
    else:
        assert result.returncode == SaveFailedError.exit_code, result.stderr
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert sorted(p.name for p in out_dir.iterdir()) == []  # no temp file either
    assert not out.exists()
    again = _cli("", *args, stdin=stdin)
    assert again.returncode == 0, again.stderr
    assert out.stat().st_size > 0
    assert out.stat().st_mode & 0o777 == 0o600
