"""Hostile paths: FIFOs, devices and symbolic links wherever vaultapp reads or writes a file.

Every reader goes through ``storage.read_limited`` (regular files only, bounded by size) and
every writer through ``storage.open_private`` (0600, never through a link, never a FIFO). Cases
that would hang or exhaust memory on a regression run in a subprocess with a memory limit and a
timeout, so they fail instead of blocking the test run.
"""

from __future__ import annotations

import contextlib
import os
import resource
import socket
import stat
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import PASSPHRASE, open_vault
from vaultapp.core import TEST_PARAMS, TEST_POLICY, UsageError, Vault, VaultError, saving, storage
from vaultapp.core.audit import Anchors
from vaultapp.core.locks import WriteLock
from vaultapp.core.rollback import SeenVaults
from vaultapp.core.storage import TEMP_STALE_AFTER, lock_path
from vaultapp.interop.kdbx import KdbxKdf

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="FIFOs, devices and O_NOFOLLOW")

MEMORY_LIMIT = 512 << 20  # address space for a subprocess: reading /dev/zero whole would exceed it
VICTIM = b"not yours to write\n"
ROOT = Path(__file__).resolve().parents[2]
DB_PASS = "db pass"
SMALL_KDBX = KdbxKdf(memory=1 << 20, passes=1, lanes=1)  # explicit test setting, as in tests/interop


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_bounded(script: str, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run ``script`` in a fresh interpreter with at most MEMORY_LIMIT of address space; a hang
    raises TimeoutExpired (the child is killed) instead of blocking the test run."""
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=_limit_memory,
        cwd=ROOT,
        check=False,
    )


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe.vault"
    os.mkfifo(path)
    return path


@pytest.fixture
def saved(vault_path: Path) -> Path:
    """A closed vault with one entry, saved twice (so it has a backup and an audit log)."""
    with Vault.create(vault_path, PASSPHRASE, kdf=TEST_PARAMS, policy=TEST_POLICY) as vault:
        vault.add("GitHub", password="gh-secret")
        vault.save()
    return vault_path


@pytest.fixture
def victim(tmp_path: Path) -> Iterator[Path]:
    """A file someone wants vaultapp to overwrite through a planted link; it must stay as it is."""
    path = tmp_path / "elsewhere" / "victim.txt"
    path.parent.mkdir()
    path.write_bytes(VICTIM)
    path.chmod(0o644)
    yield path
    assert path.read_bytes() == VICTIM
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def _special(kind: str, fifo: Path, tmp_path: Path) -> Path:
    if kind == "fifo":
        return fifo
    if kind == "link-to-urandom":
        link = tmp_path / "random.vault"
        link.symlink_to("/dev/urandom")
        return link
    return Path("/dev/zero")


# ---- reading: nothing but a regular file, and never more than the limit ----------------------

READERS = {
    "vault": "from vaultapp.core import TEST_POLICY, Vault; Vault.open(path, 'pw', policy=TEST_POLICY)",
    "vault-writable": "from vaultapp.core import TEST_POLICY, Vault\n"
    "Vault.open(path, 'pw', writable=True, policy=TEST_POLICY)",
    "header": "from vaultapp.core import Vault; Vault.read_header(path)",
    "csv": "from vaultapp.interop.csv_io import import_csv; import_csv(path)",
    "bitwarden-json": "from vaultapp.interop.bitwarden import import_bitwarden_json as read; read(path)",
    "env": "from vaultapp.interop.dotenv import import_env; import_env(path)",
    "kdbx": "from vaultapp.interop.kdbx import import_kdbx; import_kdbx(path, 'pw')",
    "wordlist": "from vaultapp.generators.passphrase import Wordlist; Wordlist.from_file(path)",
}


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "link-to-urandom"])
@pytest.mark.parametrize("reader", sorted(READERS))
def test_every_reader_refuses_fifos_and_devices_at_once(
    reader: str, kind: str, fifo: Path, tmp_path: Path
) -> None:
    """A FIFO (open would block for ever), /dev/zero or a link to /dev/urandom (endless) is
    refused by every reader before reading, with a UsageError naming what it is."""
    path = _special(kind, fifo, tmp_path)
    script = f"""
        import sys
        from pathlib import Path
        from vaultapp.core import VaultError
        path = Path(sys.argv[1])
        try:
            {READERS[reader].replace(chr(10), chr(10) + " " * 12)}
        except VaultError as exc:
            print(type(exc).__name__, exc.exit_code, exc)
        """
    result = run_bounded(script, str(path))
    assert result.returncode == 0, result.stderr[-2000:]
    name, code, message = result.stdout.strip().split(" ", 2)
    assert (name, code) == ("UsageError", "2"), result.stdout
    assert ("named pipe" if kind == "fifo" else "a device") in message
    assert "\n" not in message
    assert not lock_path(path).exists()
    assert not lock_path(path.resolve()).exists()  # /dev/zero.lock, /dev/urandom.lock


def test_kdbx_key_file_that_is_a_device_is_refused(tmp_path: Path) -> None:
    """A key file of /dev/zero is refused unread (pykeepass would read it whole)."""
    from vaultapp.interop.kdbx import export_kdbx
    from vaultapp.interop.records import Record

    out = tmp_path / "out.kdbx"
    export_kdbx(out, [Record(title="a", password="b")], DB_PASS, kdf=SMALL_KDBX)
    script = """
        import sys
        from vaultapp.core import VaultError
        from vaultapp.interop.kdbx import import_kdbx
        try:
            import_kdbx(sys.argv[1], sys.argv2, keyfile="/dev/zero")
        except VaultError as exc:
            print(type(exc).__name__, exc)
        """.replace("sys.argv2", "sys.argv[2]")
    result = run_bounded(script, str(out), DB_PASS)
    assert result.stdout.startswith("UsageError /dev/zero is not a file: it is a device"), result


def test_read_limited_reads_at_most_the_limit(tmp_path: Path) -> None:
    """A file over the limit is refused by its size, whatever it holds."""
    big = tmp_path / "big.csv"
    big.write_bytes(b"x" * 4097)
    with pytest.raises(storage.FileTooLargeError):
        storage.read_limited(big, 4096)
    assert storage.read_limited(big, 4097) == b"x" * 4097


def test_no_lock_file_is_created_beside_a_socket(tmp_path: Path) -> None:
    """Taking the write lock for a path that is not a regular file creates no NAME.lock beside it."""
    path = tmp_path / "sock.vault"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
        with pytest.raises(UsageError, match="is a socket, not a vault file"):
            WriteLock(path).acquire()
    finally:
        server.close()
    assert not lock_path(path).exists()


# ---- writing: never through a planted link ----------------------------------------------------


def test_planted_lock_link_is_not_followed(saved: Path, tmp_path: Path) -> None:
    """A NAME.lock link to a path elsewhere: the writer refuses in one line, creating nothing there."""
    target = tmp_path / "elsewhere-created"
    lock_path(saved).unlink(missing_ok=True)  # left by the save that made the vault
    lock_path(saved).symlink_to(target)
    with pytest.raises(VaultError, match="symbolic link") as info:
        open_vault(saved, writable=True)
    assert "\n" not in str(info.value)
    assert not target.exists()


def test_planted_log_link_is_not_written_by_a_failed_unlock(saved: Path, victim: Path) -> None:
    """A failed unlock appends to NAME.log: through a planted link it writes nothing (and the
    ``victim`` fixture checks the target kept its bytes and mode)."""
    log = saved.with_name(saved.name + ".log")
    log.unlink()
    log.symlink_to(victim)
    with pytest.raises(VaultError, match=r"[Ww]rong passphrase"):
        open_vault(saved, "not the passphrase")
    assert log.is_symlink()


def test_planted_log_link_is_not_written_by_an_unlock(saved: Path, victim: Path) -> None:
    """An unlock for writing with a planted NAME.log link works, and says the log could not be
    written (a read-only unlock writes no record at all)."""
    log = saved.with_name(saved.name + ".log")
    log.unlink()
    log.symlink_to(victim)
    with open_vault(saved, writable=True) as vault:
        assert vault.audit_warning is not None
        assert "symbolic link" in vault.audit_warning


@pytest.mark.parametrize("name", [".log.lock", ".lock"])
def test_planted_dangling_lock_links_create_nothing(saved: Path, tmp_path: Path, name: str) -> None:
    """Neither the log's lock nor the vault's lock is created through a dangling link."""
    target = tmp_path / "created-through-link"
    saved.with_name(saved.name + name).unlink(missing_ok=True)
    saved.with_name(saved.name + name).symlink_to(target)
    with pytest.raises(VaultError):
        open_vault(saved, "not the passphrase")
    with contextlib.suppress(VaultError):
        open_vault(saved, writable=True).close()
    assert not target.exists()


def test_planted_backup_link_is_replaced_not_followed(saved: Path, victim: Path) -> None:
    """NAME.bak as a link: the save puts a real backup in its place; the target is untouched."""
    backup = storage.backup_path(saved)
    backup.unlink(missing_ok=True)
    backup.symlink_to(victim)
    with open_vault(saved, writable=True) as vault:
        vault.add("more")
        vault.save()
    assert not backup.is_symlink()
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600


def test_planted_temp_link_fails_the_save_cleanly(
    saved: Path, victim: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Even a temp name guessed in advance cannot redirect a save: it fails, nothing is written."""
    monkeypatch.setattr(saving.secrets, "token_hex", lambda n: "0" * (2 * n))
    saved.with_name(f".{saved.name}.tmp-{'0' * 12}").symlink_to(victim)
    before = saved.read_bytes()
    with open_vault(saved, writable=True) as vault:
        vault.add("more")
        with pytest.raises(VaultError, match="unchanged"):
            vault.save()
    assert saved.read_bytes() == before


GUESSED = "0" * 12  # every temp name's random part, with secrets.token_hex patched


@pytest.mark.parametrize(
    "planted",
    [".test.vault.bak.tmp-", ".test.vault.log.tmp-", ".out.vault.tmp-", ".out.kdbx.tmp-", ".out.csv.tmp-"],
)
def test_links_at_guessed_temp_names_are_never_written_through(
    saved: Path, victim: Path, monkeypatch: pytest.MonkeyPatch, planted: str
) -> None:
    """A link planted at a guessed temp name (a backup being staged, the log being re-keyed, an
    export being written) is never written through: the write fails or goes elsewhere, and
    whatever appears at the real name is a regular 0600 file."""
    from vaultapp.interop.formats import export_file
    from vaultapp.interop.kdbx import export_kdbx
    from vaultapp.interop.records import records_of

    monkeypatch.setattr(saving.secrets, "token_hex", lambda n: "0" * (2 * n))
    (saved.parent / f"{planted}{GUESSED}").symlink_to(victim)
    out = saved.parent / planted[1:].removesuffix(".tmp-")
    with contextlib.suppress(VaultError), open_vault(saved, writable=True) as vault:
        if planted.startswith(".test.vault.bak"):
            vault.add("more")
            vault.save()
        elif planted.startswith(".test.vault.log"):
            vault.change_passphrase("a new passphrase")
        elif out.suffix == ".kdbx":
            export_kdbx(out, records_of(vault), DB_PASS, kdf=SMALL_KDBX)
        else:
            export_file(vault, out, "backup" if out.suffix == ".vault" else "csv", passphrase=DB_PASS)
    for path in (out, storage.backup_path(saved), saved.with_name(saved.name + ".log")):
        if path.exists():
            assert not path.is_symlink()
            assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.parametrize("name", [".bak", ".bak.1", ".log.1"])
def test_links_at_rotated_names_are_moved_not_followed(saved: Path, victim: Path, name: str) -> None:
    """Backups and the log archive are rotated by rename: a link planted there is moved or
    replaced as a name, never written through."""
    planted = saved.with_name(saved.name + name)
    planted.unlink(missing_ok=True)
    planted.symlink_to(victim)
    with open_vault(saved, writable=True) as vault:
        vault.backup_count = 3
        for title in ("a", "b", "c"):
            vault.add(title)
            vault.save()


def test_planted_state_links_are_not_followed(tmp_path: Path, victim: Path) -> None:
    """seen.json as a link is replaced by a real file; its lock as a dangling link creates nothing."""
    state = tmp_path / "state"
    state.mkdir()
    seen = SeenVaults(state / "seen.json")
    seen.path.symlink_to(victim)
    seen.remember("id:/v", 3, "ab")
    assert not seen.path.is_symlink()
    assert seen.check("id:/v", 2, "") is not None
    target = tmp_path / "created-through-link"
    anchors = Anchors(state / "audit-heads.json")
    anchors.path.with_name("audit-heads.json.lock").symlink_to(target)
    anchors.set(tmp_path / "v.vault.log", 1, b"t" * 32)
    assert not target.exists()


@pytest.mark.parametrize("fmt", ["csv", "env", "kdbx", "backup"])
def test_export_to_a_dangling_link_writes_nothing_through_it(saved: Path, tmp_path: Path, fmt: str) -> None:
    """An export target that is a dangling link is refused as existing; its target stays absent."""
    from vaultapp.interop.formats import export_file

    target = tmp_path / "elsewhere-export"
    out = tmp_path / f"out.{fmt}"
    out.symlink_to(target)
    with open_vault(saved) as vault:
        if fmt == "kdbx":  # the small KDF explicitly (as the interop tests do)
            from vaultapp.interop.kdbx import export_kdbx
            from vaultapp.interop.records import records_of

            with pytest.raises(UsageError, match="exists already"):
                export_kdbx(out, records_of(vault), DB_PASS, kdf=SMALL_KDBX)
        else:
            with pytest.raises(UsageError, match="exists already"):
                export_file(vault, out, fmt, passphrase="export pass")  # type: ignore[arg-type]
    assert not target.exists()
    assert out.is_symlink()


def test_kdbx_export_ignores_links_planted_at_the_old_temp_name(
    saved: Path, tmp_path: Path, victim: Path
) -> None:
    """The KDBX export once wrote through ``.OUT.<pid>.tmp``: a link planted there stays untouched
    and the export is a regular 0600 file."""
    from vaultapp.interop.kdbx import export_kdbx, import_kdbx
    from vaultapp.interop.records import records_of

    out = tmp_path / "out.kdbx"
    planted = tmp_path / f".out.kdbx.{os.getpid()}.tmp"
    planted.symlink_to(victim)
    with open_vault(saved) as vault:
        export_kdbx(out, records_of(vault), DB_PASS, kdf=SMALL_KDBX)
    assert not out.is_symlink()
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert [r.title for r in import_kdbx(out, DB_PASS).records] == ["GitHub"]
    assert planted.is_symlink()


# ---- the temp sweep: exact names, old files only -------------------------------------------


def _temp(folder: Path, name: str, *, age: float) -> Path:
    path = folder / name
    path.write_bytes(b"half a save")
    when = time.time() - age
    os.utime(path, (when, when))
    return path


def test_sweep_leaves_other_vaults_and_young_temp_files(saved: Path) -> None:
    """Opening V.vault writable removes only V.vault's own temp files older than a few minutes:
    never ``.V.vault2.tmp-…`` (another vault's save) nor a young one (a save in progress)."""
    folder, old = saved.parent, TEMP_STALE_AFTER + 60
    other = _temp(folder, f".{saved.name}2.tmp-{'a' * 12}", age=old)
    young = _temp(folder, f".{saved.name}.tmp-{'b' * 12}", age=0)
    stale = _temp(folder, f".{saved.name}.tmp-{'c' * 12}", age=old)
    stale_backup = _temp(folder, f".{saved.name}.bak.tmp-{'d' * 12}", age=old)
    with open_vault(saved, writable=True) as vault:
        assert sorted(vault.swept_files) == sorted([stale.name, stale_backup.name])
    assert other.exists()
    assert young.exists()
    assert not stale.exists()
    assert not stale_backup.exists()


@pytest.mark.parametrize("cls", [SeenVaults, Anchors])
def test_state_folder_temp_files_of_killed_writers_are_swept(tmp_path: Path, cls: type) -> None:
    """A writer killed between writing and renaming its state file (``.seen.json.tmp-…``,
    ``.audit-heads.json.tmp-…``) leaves a temp file; the next update removes it once stale."""
    state = tmp_path / "state"
    state.mkdir()
    store = cls(state / cls.FILE_NAME)
    stale = _temp(state, f".{cls.FILE_NAME}.tmp-{'e' * 12}", age=TEMP_STALE_AFTER + 60)
    young = _temp(state, f".{cls.FILE_NAME}.tmp-{'f' * 12}", age=0)
    if cls is SeenVaults:
        store.remember("id:/v", 1, "ab")
    else:
        store.set(tmp_path / "v.vault.log", 1, b"t" * 32)
    assert not stale.exists()
    assert young.exists()


def test_vault_create_then_reopen_keeps_private_modes(vault_path: Path) -> None:
    """Every file a create, a save and an unlock leave beside the vault is 0600 and no link."""
    with Vault.create(vault_path, PASSPHRASE, kdf=TEST_PARAMS, policy=TEST_POLICY) as vault:
        vault.add("x")
        vault.save()
    open_vault(vault_path).close()
    for path in vault_path.parent.iterdir():
        assert not path.is_symlink()
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name
