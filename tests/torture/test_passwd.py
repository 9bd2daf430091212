"""passwd under faults and races.

- A fault (ENOSPC, EIO) in every system call of a passphrase change, one at a time: before the
  vault is replaced, nothing changes and the old passphrase opens the vault and every backup;
  after it, the new passphrase opens the vault, and every backup opens with it too or is named
  in the error (exit 7 on the command line). Never "unchanged" when it changed.
- ``kill -9`` at pseudo-random moments of a passwd while a reader unlocks with either passphrase
  (``passwd_run``; ``scripts/torture.py --passwd N`` is the full run).
"""

from __future__ import annotations

import errno
import sys
from pathlib import Path

import pytest

from tests.helpers import PASSPHRASE
from tests.torture.harness import temp_files
from tests.torture.test_faults import Syscalls
from vaultapp.core import (
    TEST_PARAMS,
    TEST_POLICY,
    PassphraseChangedError,
    SaveFailedError,
    Vault,
    WrongPassphraseError,
    vault_file,
)

NEW = "the new passphrase"


def _vault(folder: Path) -> Path:
    folder.mkdir()
    path = folder / "p.vault"
    with Vault.create(path, PASSPHRASE, kdf=TEST_PARAMS, policy=TEST_POLICY) as vault:
        for title in ("one", "two", "three", "four"):  # four backups beside the vault
            vault.add(title, password=f"{title} secret")
            vault.save()
    return path


def _passwd(path: Path, calls: Syscalls) -> Exception | None:
    """Change the passphrase with ``calls`` watching every system call; returns the error."""
    real_atomic = vault_file.atomic_write
    with (
        Vault.open(path, PASSPHRASE, writable=True, policy=TEST_POLICY) as vault,
        pytest.MonkeyPatch.context() as patch,
        calls.installed(patch),
    ):
        patch.setattr(vault_file, "atomic_write", real_atomic)  # trace the whole change
        calls.active = True
        try:
            vault.change_passphrase(NEW)
        except (SaveFailedError, PassphraseChangedError) as exc:
            return exc
        finally:
            calls.active = False
    return None


def _opens_with(path: Path) -> str | None:
    for passphrase in (PASSPHRASE, NEW):
        try:
            Vault.open(path, passphrase, policy=TEST_POLICY, audit=False).close()
        except WrongPassphraseError:
            continue
        return passphrase
    return None


def test_every_call_of_passwd_fails_safely_or_is_reported(tmp_path: Path) -> None:
    tracer = Syscalls()
    assert _passwd(_vault(tmp_path / "trace"), tracer) is None
    switch = tracer.trace.index(("replace", "p.vault"))
    assert any(op == "replace" and ".bak" in name for op, name in tracer.trace[switch + 1 :]), tracer.trace
    checked = 0
    for index, (op, _) in enumerate(tracer.trace):
        number = sum(1 for o, _ in tracer.trace[: index + 1] if o == op)
        for code in (errno.ENOSPC, errno.EIO):
            folder = tmp_path / f"{op}-{number}-{code}"
            path = _vault(folder)
            where = f"{op} #{number} ({tracer.trace[index][1]}), {errno.errorcode[code]}"
            error = _passwd(path, Syscalls((op, number), code))
            backups = sorted(folder.glob("p.vault.bak*"))
            assert len(backups) >= 4, where
            current = _opens_with(path)
            if isinstance(error, SaveFailedError):
                assert index <= switch, where
                assert "Nothing was changed" in str(error) or "unchanged" in str(error), where
                assert current == PASSPHRASE, where
                assert all(_opens_with(b) == PASSPHRASE for b in backups), where
            else:
                assert current == NEW, where
                message = str(error) if error is not None else ""
                if error is not None:
                    assert "The passphrase was changed" in message, where
                    assert "\n" not in message, where
                for backup in backups:
                    if _opens_with(backup) != NEW:
                        assert _opens_with(backup) == PASSPHRASE, where
                        assert backup.name in message, (where, backup.name, message)
            assert temp_files(folder) == [], where
            checked += 1
    assert checked == 2 * len(tracer.trace)


def test_passwd_on_a_full_disk_from_the_command_line(tmp_path: Path) -> None:
    """Renaming a re-encrypted backup into place fails after the vault was switched: exit 7,
    one line that says the passphrase was changed and names the backup left under the old one.
    A disk full before the switch: exit 1, nothing changed."""
    import subprocess

    from tests.torture.harness import ROOT

    script = (
        "import errno, os, sys\n"
        "real, target = os.replace, sys.argv.pop(1)\n"
        "def replace(src, dst):\n"
        "    if str(dst).endswith(target):\n"
        "        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))\n"
        "    real(src, dst)\n"
        "os.replace = replace\n"
        "from vaultapp.cli import main\n"
        "sys.exit(main())\n"
    )
    for fail_at, rc in ((".bak.2", PassphraseChangedError.exit_code), ("p.vault", SaveFailedError.exit_code)):
        folder = tmp_path / fail_at.strip(".")
        path = _vault(folder)
        result = subprocess.run(
            [sys.executable, "-c", script, fail_at, "passwd", str(path)],
            input=f"{PASSPHRASE}\n{NEW}\n", capture_output=True, text=True, cwd=ROOT, check=False,
        )  # fmt: skip
        assert result.returncode == rc, result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert "Traceback" not in result.stderr
        if rc == 7:
            assert "The passphrase was changed" in lines[0]
            assert "p.vault.bak.2" in lines[0]
            assert _opens_with(path) == NEW
            assert _opens_with(folder / "p.vault.bak.2") == PASSPHRASE
            assert _opens_with(folder / "p.vault.bak.1") == NEW
        else:
            assert "unchanged" in lines[0] or "Nothing was changed" in lines[0]
            assert _opens_with(path) == PASSPHRASE
            assert all(_opens_with(b) == PASSPHRASE for b in folder.glob("p.vault.bak*"))
        assert temp_files(folder) == []


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_kill_during_passwd_with_a_reader_never_corrupts(tmp_path: Path, isolated_home: Path) -> None:
    """CI-sized: passwd killed at random moments while a reader unlocks with either passphrase;
    after each, the vault opens with exactly one of them, every backup with it or is listed as
    stale, and the audit log verifies."""
    from tests.torture.harness import passwd_run

    stats = passwd_run(tmp_path / "race.vault", 12, seed="ci")
    assert stats.runs == 12
    assert stats.completed + stats.killed == 12
    assert stats.completed >= 1  # the first run is not killed
    assert stats.reader_opens > 0
