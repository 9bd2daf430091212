"""Vault behaviour: round trips, lookup, edits with history, tombstones, passphrase change, rehash."""

from __future__ import annotations

import dataclasses
import unicodedata
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.helpers import PASSPHRASE, open_vault
from vaultapp.core import (
    TEST_PARAMS,
    TEST_POLICY,
    AmbiguousQueryError,
    ConflictError,
    EntryNotFoundError,
    Sealed,
    UsageError,
    Vault,
    WrongPassphraseError,
)
from vaultapp.core.kdf import Argon2idParams, KdfPolicy
from vaultapp.core.storage import backup_path

T0 = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def test_round_trip_of_10000_entries_keeps_every_field(new_vault: Vault) -> None:
    """10,000 entries with every field survive save and reopen unchanged."""
    expires = T0 + timedelta(days=90)
    for i in range(10_000):
        new_vault.add(
            f"Entry {i:05d}", username=f"user{i}@example.com", password=f"pw-{i}-ü", url=f"https://s{i}.example",
            notes=f"note {i}\nline two", tags=["a", f"t{i % 7}"], folder=f"F{i % 3}/Sub",
            totp="JBSWY3DPEHPK3PXP" if i % 2 else None, custom=[("k", f"v{i}", i % 2 == 0)],
            expires=expires if i % 5 == 0 else None, favourite=i % 11 == 0, now=T0,
        )  # fmt: skip
    before = {e.uuid: e for e in new_vault.entries}
    new_vault.save()
    with open_vault(new_vault.path) as reopened:
        after = {e.uuid: e for e in reopened.entries}
        assert after == before
        sample = after[next(iter(before))]
        assert reopened.reveal(sample.password) == "pw-0-ü"  # type: ignore[arg-type]


def test_listing_does_not_decrypt_secret_fields(new_vault: Vault, monkeypatch: pytest.MonkeyPatch) -> None:
    """Opening and listing never unseals a secret; only reveal() does."""
    new_vault.add("a", password="s1", totp="JBSWY3DPEHPK3PXP", custom=[("pin", "9", True)])
    new_vault.save()
    from vaultapp.core import keys

    calls: list[str] = []
    original = keys.Keyring.unseal
    monkeypatch.setattr(keys.Keyring, "unseal", lambda self, t: calls.append(t) or original(self, t))
    with open_vault(new_vault.path) as vault:
        assert [e.title for e in vault.search("a")] == ["a"]
        assert calls == []
        entry = vault.entries[0]
        assert isinstance(entry.password, Sealed)
        assert vault.reveal(entry.password) == "s1"
    assert len(calls) == 1


def test_nfc_and_nfd_passphrases_unlock_the_same_vault(vault_path: Path) -> None:
    """A vault created with an NFD passphrase opens with its NFC form."""
    nfd = unicodedata.normalize("NFD", "Grüße, Ångström")
    Vault.create(vault_path, nfd, kdf=TEST_PARAMS, policy=TEST_POLICY).close()
    open_vault(vault_path, unicodedata.normalize("NFC", nfd)).close()


def test_find_by_uuid_or_exact_title(new_vault: Vault) -> None:
    """find() takes a UUID or an exact title; duplicates and misses are clear errors."""
    a = new_vault.add("Bank", now=T0)
    new_vault.add("Mail")
    new_vault.add("Mail")
    assert new_vault.find(a.uuid) == a
    assert new_vault.find("Bank") == a
    with pytest.raises(EntryNotFoundError, match="bank"):
        new_vault.find("bank")
    with pytest.raises(AmbiguousQueryError, match="2 entries are titled 'Mail'"):
        new_vault.find("Mail")


def test_search_is_case_insensitive_over_fields(new_vault: Vault) -> None:
    """search() looks at title, username, URL, tags and notes, ignoring case."""
    new_vault.add("One", username="ALICE")
    new_vault.add("Two", url="https://Example.org")
    new_vault.add("Three", tags=["Banking"])
    new_vault.add("Four", notes="PIN is in the drawer")
    new_vault.add("Five", password="alice")  # secrets are not searched
    assert {e.title for e in new_vault.search("alice")} == {"One"}
    assert {e.title for e in new_vault.search("example")} == {"Two"}
    assert {e.title for e in new_vault.search("bank")} == {"Three"}
    assert {e.title for e in new_vault.search("drawer")} == {"Four"}


def test_update_keeps_bounded_history(new_vault: Vault) -> None:
    """Each change pushes the old version into history, at most 10 kept, oldest dropped."""
    entry = new_vault.add("Site", password="v0", now=T0)
    for i in range(1, 13):
        entry = new_vault.update(entry.uuid, password=f"v{i}", now=T0 + timedelta(minutes=i))
    assert len(entry.history) == 10
    assert [new_vault.reveal(h.password) for h in entry.history] == [f"v{i}" for i in range(2, 12)]  # type: ignore[arg-type]
    assert all(h.history == () for h in entry.history)
    assert entry.modified == T0 + timedelta(minutes=12)
    assert entry.created == T0


def test_update_without_real_change_is_a_no_op(new_vault: Vault) -> None:
    """Setting the same values leaves the entry (and its history) alone."""
    entry = new_vault.add("Site", username="u", password="p")
    assert new_vault.update(entry.uuid, username="u", password="p") is entry


def test_remove_leaves_tombstone_that_survives_save(new_vault: Vault) -> None:
    """Deleting an entry keeps a tombstone (UUID + time) in the file."""
    entry = new_vault.add("Gone")
    new_vault.remove(entry.uuid, now=T0)
    new_vault.save()
    with open_vault(new_vault.path) as vault:
        assert vault.entries == []
        assert [(t.uuid, t.deleted) for t in vault.tombstones] == [(entry.uuid, T0)]
    with pytest.raises(EntryNotFoundError):
        new_vault.remove(entry.uuid)


def test_invalid_input_is_a_usage_error(new_vault: Vault) -> None:
    """Empty titles, bad TOTP secrets and nameless custom fields are refused clearly."""
    with pytest.raises(UsageError, match="title"):
        new_vault.add("  ")
    with pytest.raises(UsageError, match="base32"):
        new_vault.add("x", totp="not base32!")
    with pytest.raises(UsageError, match="secret="):
        new_vault.add("x", totp="otpauth://totp/Example:alice?issuer=Example")
    with pytest.raises(UsageError, match="custom field"):
        new_vault.add("x", custom=[(" ", "v", False)])


def test_change_passphrase_reencrypts_everything_with_new_salt(new_vault: Vault) -> None:
    """After passwd: new salt, the new passphrase opens it, the old one does not, secrets intact."""
    new_vault.add("a", password="keep me", custom=[("pin", "12", True)])
    new_vault.save()
    old_salt = new_vault.kdf.salt
    new_vault.change_passphrase("a much better passphrase")
    assert new_vault.kdf.salt != old_salt
    with pytest.raises(WrongPassphraseError):
        open_vault(new_vault.path)
    with open_vault(new_vault.path, "a much better passphrase") as vault:
        entry = vault.entries[0]
        assert vault.reveal(entry.password) == "keep me"  # type: ignore[arg-type]
        assert vault.reveal(entry.custom[0].value) == "12"  # type: ignore[arg-type]
    # The backup next to the vault is re-encrypted too: no copy under the old passphrase remains.
    with pytest.raises(WrongPassphraseError):
        open_vault(backup_path(new_vault.path))
    open_vault(backup_path(new_vault.path), "a much better passphrase").close()


def test_change_passphrase_failure_keeps_old_file_and_state(
    new_vault: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If the write fails, the old passphrase still opens the old file and the vault stays usable."""
    new_vault.add("a", password="p")
    new_vault.save()
    import os

    def boom(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    from vaultapp.core import SaveFailedError

    with pytest.raises(SaveFailedError):
        new_vault.change_passphrase("new passphrase")
    monkeypatch.undo()
    assert new_vault.reveal(new_vault.entries[0].password) == "p"  # type: ignore[arg-type]
    with open_vault(new_vault.path) as vault:
        assert vault.reveal(vault.entries[0].password) == "p"  # type: ignore[arg-type]


def test_weak_kdf_is_rehashed_at_next_save(vault_path: Path) -> None:
    """A vault below the policy's floors is re-keyed with stronger parameters when saved."""
    weak = Argon2idParams(time_cost=1, memory_kib=64, parallelism=1)
    with Vault.create(vault_path, PASSPHRASE, kdf=weak, policy=TEST_POLICY) as vault:
        vault.add("a", password="secret")
        vault.save()
    policy = KdfPolicy(argon2_min_memory_kib=128, argon2_min_time_cost=2)
    with Vault.open(vault_path, PASSPHRASE, writable=True, policy=policy) as vault:
        assert vault.needs_rehash
        old_salt = vault.kdf.salt
        vault.save()
        assert not vault.needs_rehash
    header = Vault.read_header(vault_path)
    assert isinstance(header.kdf, Argon2idParams)
    assert (header.kdf.memory_kib, header.kdf.time_cost) == (128, 2)
    assert header.kdf.salt != old_salt
    with Vault.open(vault_path, PASSPHRASE, policy=policy) as vault:
        assert not vault.needs_rehash
        assert vault.reveal(vault.entries[0].password) == "secret"  # type: ignore[arg-type]


def test_read_only_open_never_rehashes(vault_path: Path) -> None:
    """Opening read-only (ls, show) does not pay for or plan a re-key."""
    Vault.create(vault_path, PASSPHRASE, kdf=TEST_PARAMS, policy=TEST_POLICY).close()
    with Vault.open(vault_path, PASSPHRASE) as vault:  # default policy: TEST_PARAMS are weak
        assert not vault.needs_rehash


def test_create_refuses_existing_file(vault_path: Path) -> None:
    """create() never overwrites a file."""
    vault_path.write_bytes(b"precious")
    with pytest.raises(UsageError, match="exists already"):
        Vault.create(vault_path, PASSPHRASE, kdf=TEST_PARAMS)
    assert vault_path.read_bytes() == b"precious"


def test_external_change_is_a_conflict(new_vault: Vault, tmp_path: Path) -> None:
    """If a sync tool replaced the file since it was opened, save() refuses (exit 6) and keeps it."""
    new_vault.save()
    other_path = tmp_path / "other.vault"
    with Vault.create(other_path, PASSPHRASE, kdf=TEST_PARAMS, policy=TEST_POLICY) as other:
        other.add("from another machine")
        other.save()
    synced = other_path.read_bytes()
    new_vault.path.write_bytes(synced)  # what a sync tool does, without our lock
    new_vault.add("local change")
    with pytest.raises(ConflictError, match="changed on disk") as info:
        new_vault.save()
    assert info.value.exit_code == 6
    assert new_vault.path.read_bytes() == synced


def test_deleted_file_is_a_conflict(new_vault: Vault) -> None:
    """A vault file removed since opening is not silently recreated."""
    new_vault.save()
    new_vault.path.unlink()
    with pytest.raises(ConflictError, match="moved or deleted"):
        new_vault.save()


def test_generation_counts_saves(new_vault: Vault) -> None:
    """The save counter goes up by one per save and is stored encrypted."""
    first = new_vault.generation
    new_vault.save()
    new_vault.save()
    assert new_vault.generation == first + 2
    with open_vault(new_vault.path) as vault:
        assert vault.generation == first + 2


def test_closed_vault_drops_keys_and_entries(new_vault: Vault) -> None:
    """close() forgets entries and keys; revealing afterwards is an error, not a leak."""
    entry = new_vault.add("a", password="p")
    new_vault.close()
    assert new_vault.entries == []
    with pytest.raises(Exception, match="closed"):
        new_vault.reveal(entry.password)  # type: ignore[arg-type]


def test_repr_of_entries_masks_secrets(new_vault: Vault) -> None:
    """repr() of an entry shows Sealed(***) and never the token or the secret."""
    entry = new_vault.add("a", password="hunter2", custom=[("pin", "pin-4321-xyz", True)])
    text = repr(entry)
    assert "hunter2" not in text
    assert "pin-4321-xyz" not in text  # (a bare "4321" can be in a timestamp)
    assert entry.password is not None
    assert entry.password.token not in text
    assert "Sealed(***)" in text
    assert dataclasses.replace(entry, title="b").password == entry.password
