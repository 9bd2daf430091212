"""A fault in every system call of the save path, one at a time.

A successful save is traced first: every open, write, flush, fsync (of the temp file and of the
folder), read-back, link and replace it makes, in order. Then, for each of those calls and for
ENOSPC, EIO and EACCES, a fresh vault is saved with exactly that call failing. A fault before
the vault's own replace must leave the old vault intact and openable, give one clear line, and
leave no temp file; a fault after it (the last folder fsync) must not undo a save that stands,
and a refused hard link (for the backup) falls back to a copy.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import PASSPHRASE, open_vault
from tests.torture.harness import temp_files
from vaultapp.core import TEST_PARAMS, TEST_POLICY, SaveFailedError, Vault, storage, vault_file

CODES = (errno.ENOSPC, errno.EIO, errno.EACCES)


class Syscalls:
    """Wraps the save path's system calls; counts them, and fails the chosen one."""

    def __init__(self, fail: tuple[str, int] | None = None, code: int = errno.EIO) -> None:
        self.fail, self.code = fail, code
        self.trace: list[tuple[str, str]] = []
        self.active = False
        self._dirs: set[int] = set()

    def hit(self, op: str, what: object) -> None:
        if not self.active:
            return
        self.trace.append((op, Path(str(what)).name))
        number = sum(1 for o, _ in self.trace if o == op)
        if self.fail == (op, number):
            raise OSError(self.code, os.strerror(self.code))

    @contextmanager
    def installed(self, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
        real_open, real_fdopen, real_fsync = os.open, os.fdopen, os.fsync
        real_replace, real_link, real_read = os.replace, os.link, storage.read_limited
        calls = self

        writes = os.O_WRONLY | os.O_RDWR | os.O_CREAT | getattr(os, "O_DIRECTORY", 0)

        def fake_open(path: Any, flags: int, mode: int = 0o777, **kw: Any) -> int:
            if flags & writes:  # a plain read (storage.read_limited) is traced as read_back below
                calls.hit("open", path)
            fd = real_open(path, flags, mode, **kw)
            if flags & getattr(os, "O_DIRECTORY", 0):
                calls._dirs.add(fd)
            return fd

        class File:
            def __init__(self, handle: Any, name: str) -> None:
                self._h, self._name = handle, name

            def __enter__(self) -> File:
                return self

            def __exit__(self, *exc: object) -> None:
                self._h.close()

            def write(self, data: bytes) -> int:
                calls.hit("write", self._name)
                return int(self._h.write(data))

            def flush(self) -> None:
                calls.hit("flush", self._name)
                self._h.flush()

            def fileno(self) -> int:
                return int(self._h.fileno())

        def fake_fdopen(fd: int, *args: Any, **kw: Any) -> Any:
            return File(real_fdopen(fd, *args, **kw), f"fd{fd}")

        def fake_fsync(fd: int) -> None:
            calls.hit("folder_fsync" if fd in calls._dirs else "fsync", f"fd{fd}")
            real_fsync(fd)

        def fake_replace(src: Any, dst: Any) -> None:
            calls.hit("replace", dst)
            real_replace(src, dst)

        def fake_link(src: Any, dst: Any, **kw: Any) -> None:
            calls.hit("link", dst)
            real_link(src, dst, **kw)

        def fake_read(path: Path, *args: Any, **kw: Any) -> bytes:
            if ".tmp-" in path.name:
                calls.hit("read_back", path)
            return real_read(path, *args, **kw)

        real_atomic = vault_file.atomic_write

        def traced_atomic(*args: Any, **kw: Any) -> None:
            calls.active = True
            try:
                real_atomic(*args, **kw)
            finally:
                calls.active = False

        for obj, name, value in (
            (os, "open", fake_open), (os, "fdopen", fake_fdopen), (os, "fsync", fake_fsync),
            (os, "replace", fake_replace), (os, "link", fake_link), (storage, "read_limited", fake_read),
            (vault_file, "atomic_write", traced_atomic),
        ):  # fmt: skip
            monkeypatch.setattr(obj, name, value)
        try:
            yield
        finally:
            monkeypatch.undo()


def _vault_with_backups(folder: Path) -> Vault:
    folder.mkdir()
    vault = Vault.create(folder / "f.vault", PASSPHRASE, kdf=TEST_PARAMS, policy=TEST_POLICY)
    for title in ("one", "two", "three"):  # backups exist, so the save rotates them too
        vault.add(title, password=f"{title} secret")
        vault.save()
    vault.add("four", password="four secret")
    return vault


def _save(vault: Vault, calls: Syscalls, monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    def run() -> None:
        with calls.installed(monkeypatch):
            vault.save()

    return run


def test_every_call_of_the_save_path_fails_safely(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tracer = Syscalls()
    with _vault_with_backups(tmp_path / "trace") as vault:
        _save(vault, tracer, monkeypatch)()
    ops = [op for op, _ in tracer.trace]
    for needed in ("open", "write", "flush", "fsync", "read_back", "folder_fsync", "link", "replace"):
        assert needed in ops, f"the save path no longer makes a {needed} call: {tracer.trace}"
    vault_replace = tracer.trace.index(("replace", "f.vault"))
    points = [
        (op, sum(1 for o, _ in tracer.trace[: i + 1] if o == op), i) for i, (op, _) in enumerate(tracer.trace)
    ]
    checked = 0
    for op, number, index in points:
        for code in CODES:
            folder = tmp_path / f"{op}-{number}-{code}"
            vault = _vault_with_backups(folder)
            path = vault.path
            before = path.read_bytes()
            calls = Syscalls((op, number), code)
            where = f"{op} #{number} ({tracer.trace[index][1]}), {errno.errorcode[code]}"
            if op == "link":  # no hard links there (FAT, some shares): the backup is copied instead
                _save(vault, calls, monkeypatch)()
                expected = {"one", "two", "three", "four"}
            elif index <= vault_replace:
                with pytest.raises(SaveFailedError) as info:
                    _save(vault, calls, monkeypatch)()
                message = str(info.value)
                assert "\n" not in message, where
                assert os.strerror(code) in message, where
                assert "unchanged" in message, where
                assert path.read_bytes() == before, where
                expected = {"one", "two", "three"}
            else:  # the new file is in place; a refused folder fsync does not undo it
                _save(vault, calls, monkeypatch)()
                expected = {"one", "two", "three", "four"}
            vault.close()
            assert temp_files(folder) == [], where
            with open_vault(path) as reopened:
                assert {e.title for e in reopened.entries} == expected, where
            for backup in folder.glob("f.vault.bak*"):
                with Vault.open(backup, PASSPHRASE, policy=TEST_POLICY, audit=False) as old:
                    assert old.entries is not None
            checked += 1
    assert checked == len(points) * len(CODES)


def test_a_full_disk_is_one_line_from_the_command_line(tmp_path: Path) -> None:
    """The same fault seen from outside: `vaultapp-cli add` on a disk that fills up prints one
    line with what to do, exits with the documented code, and the vault is unchanged."""
    import subprocess
    import sys

    from tests.torture.harness import PASS, ROOT, make_vault

    path = tmp_path / "full.vault"
    make_vault(path)
    before = path.read_bytes()
    script = (
        "import errno, os, sys\n"
        "real = os.fsync\n"
        "def full(fd):\n"
        "    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))\n"
        "os.fsync = full\n"
        "from vaultapp.cli import main\n"
        "sys.exit(main())\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, "add", str(path), "--title", "new"],
        input=f"{PASS}\nsecret\n", capture_output=True, text=True, cwd=ROOT, check=False,
    )  # fmt: skip
    assert result.returncode == SaveFailedError.exit_code
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "No space left on device" in lines[0]
    assert "Free some disk space" in lines[0]
    assert "Traceback" not in result.stderr
    assert path.read_bytes() == before
    assert temp_files(tmp_path) == []
