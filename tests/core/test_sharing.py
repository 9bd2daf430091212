"""One vault, several writers in turn (two windows, the window and the CLI): nothing holds a
lock while open; saves merge or refuse under the lock; drafts survive; read-only files are left
alone."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from tests.helpers import PASSPHRASE, open_vault
from vaultapp.core import ConflictError, KdfPolicy, Vault, VaultError
from vaultapp.core.errors import ReadOnlyVaultError
from vaultapp.core.storage import TEMP_STALE_AFTER


@pytest.fixture
def shared(new_vault: Vault) -> Path:
    new_vault.add("First", password="1")
    new_vault.save()
    new_vault.close()
    return new_vault.path


def test_a_draft_kept_by_one_window_survives_another_windows_save(shared: Path) -> None:
    """Window A locks during an edit (the draft is saved); window B, open all along, then saves
    a change: the merge keeps A's draft, and A's next unlock offers it."""
    with open_vault(shared, writable=True) as a, open_vault(shared, writable=True) as b:
        a.save_draft(None, title="Half typed", password="draft secret")
        b.add("From B")
        with pytest.raises(ConflictError):
            b.save()
        b.save(merge=True)
    with open_vault(shared) as vault:
        assert [d.entry.title for d in vault.drafts] == ["Half typed"]
        assert {e.title for e in vault.entries} == {"First", "From B"}


def test_a_draft_dropped_in_one_window_does_not_come_back(shared: Path) -> None:
    """A draft both windows loaded, applied and dropped in one, is not brought back by the
    other's merge; a draft the other changed since is kept."""
    with open_vault(shared, writable=True) as setup:
        setup.save_draft(None, title="Applied in A")
        setup.save_draft("kept", title="Edited in B")
    with open_vault(shared, writable=True) as a, open_vault(shared, writable=True) as b:
        applied = next(d for d in a.drafts if d.entry.title == "Applied in A")
        a.add("Applied in A")
        a.discard_draft(applied.entry.uuid)
        a.discard_draft("kept")
        a.save()
        b.save_draft("kept", title="Edited in B, again")
    with open_vault(shared) as vault:
        assert [d.entry.title for d in vault.drafts] == ["Edited in B, again"]
        assert {e.title for e in vault.entries} == {"First", "Applied in A"}


def test_change_passphrase_merges_a_save_made_meanwhile(shared: Path) -> None:
    """With merge_on_conflict (the CLI's passwd), the version another process saved is merged in
    under the lock before everything is re-encrypted: its change is kept under the new key."""
    with open_vault(shared, writable=True) as cli, open_vault(shared, writable=True) as window:
        cli.merge_on_conflict = True
        window.add("Saved meanwhile")
        window.save()
        cli.change_passphrase("the new passphrase")
    with open_vault(shared, "the new passphrase") as vault:
        assert {e.title for e in vault.entries} == {"First", "Saved meanwhile"}
    with pytest.raises(Exception, match="Wrong passphrase"):
        open_vault(shared, PASSPHRASE)


def test_a_read_only_vault_file_is_never_replaced(shared: Path) -> None:
    """No owner-write bit (chmod 400; root included, since the mode decides): a writable open is
    refused (exit 1), a read-only open works and its save is refused, and so is the save of a
    vault opened before the file was made read-only. The bytes and the mode stay."""
    with open_vault(shared, writable=True) as before_chmod:
        before_chmod.add("Typed before the chmod")
        shared.chmod(0o400)
        data = shared.read_bytes()
        assert Vault.is_read_only(shared)
        with pytest.raises(ReadOnlyVaultError, match=r"read-only.*chmod u\+w") as info:
            open_vault(shared, writable=True)
        assert info.value.exit_code == 1
        with pytest.raises(ReadOnlyVaultError):
            before_chmod.save()
    with open_vault(shared) as reader:
        assert not reader.writable
        reader.add("Sneaked in")
        with pytest.raises(ReadOnlyVaultError):
            reader.save()
    assert shared.read_bytes() == data
    assert shared.stat().st_mode & 0o777 == 0o400
    shared.chmod(0o600)
    assert not Vault.is_read_only(shared)


def test_a_conflict_before_a_rekey_leaves_the_keys_so_merge_works(shared: Path) -> None:
    """A vault opened under a stronger policy re-keys at its next save. If another process saved
    meanwhile, ConflictError comes before the re-keying, so the disk version (same keys) can be
    merged and the save then re-keys with both sides' changes."""
    stronger = KdfPolicy(
        argon2_min_memory_kib=64, argon2_min_time_cost=2, scrypt_min_log2_n=10, scrypt_min_r=1
    )
    window = Vault.open(shared, PASSPHRASE, writable=True, policy=stronger)
    assert window.needs_rehash
    with open_vault(shared, writable=True) as other:
        other.add("Saved meanwhile")
        other.save()
    window.add("Mine")
    with pytest.raises(ConflictError):
        window.save()
    window.merge_disk()
    window.save()
    window.close()
    with open_vault(shared) as vault:
        assert vault.kdf.time_cost == 2  # type: ignore[union-attr]
        assert {e.title for e in vault.entries} == {"First", "Saved meanwhile", "Mine"}


def test_opening_a_missing_vault_for_writing_says_so_and_leaves_nothing(tmp_path: Path) -> None:
    """A missing file (or folder) is 'no vault at ...', not a lock-file error, and no lock file
    is left where the vault was expected."""
    for path in (tmp_path / "missing.vault", tmp_path / "no such folder" / "v.vault"):
        with pytest.raises(VaultError, match="No vault at"):
            open_vault(path, writable=True)
    assert list(tmp_path.iterdir()) == []


def test_a_save_sweeps_only_its_own_killed_saves_temp_files(shared: Path) -> None:
    """Temp files of a killed save (vault, backup, audit log) are removed by the next save; an
    export's temp file named after the vault (another process may be writing it, without the
    vault's lock) is left alone."""
    folder, tail = shared.parent, "0a1b2c3d4e5f"  # token_hex(6), as _write_temp names them
    stale = [f".{shared.name}.tmp-{tail}", f".{shared.name}.bak.tmp-{tail}", f".{shared.name}.log.tmp-{tail}"]
    exporting = f".{shared.name}.csv.tmp-{tail}"
    old = time.time() - TEMP_STALE_AFTER - 1  # a younger one may be a save in progress: kept
    for name in [*stale, exporting]:
        (folder / name).write_bytes(b"half written")
        os.utime(folder / name, (old, old))
    with open_vault(shared, writable=True) as vault:
        vault.add("Second")
        vault.save()
        assert sorted(vault.swept_files) == sorted(stale)
    assert (folder / exporting).exists()
    assert not any((folder / name).exists() for name in stale)
