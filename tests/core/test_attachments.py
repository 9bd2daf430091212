"""Attachments in real vault files: stored once, never decrypted to open or list, copied (not
re-encrypted) by a save, kept by history, carried by passphrase changes, backups and merges;
format 1.1 files still open and are migrated by the first save of a writable open."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.core.independent_reader import read_attachments, read_vault
from tests.helpers import PASSPHRASE, VECTORS, open_vault
from vaultapp.core import TEST_PARAMS, TEST_POLICY, Vault
from vaultapp.core import format as fmt
from vaultapp.core.body import decode as decode_body
from vaultapp.core.errors import DamagedFileError, EntryNotFoundError, UsageError
from vaultapp.core.keys import Keyring, normalize_passphrase


def _area(path: Path) -> bytes:
    data = path.read_bytes()
    return data[fmt.parse_file(data).area_offset :]


def _blobs_in_file(path: Path) -> set[str]:
    return set(read_attachments(path.read_bytes(), PASSPHRASE))


@pytest.fixture
def attached(new_vault: Vault, vault_path: Path) -> Path:
    """A vault with two entries holding one file (stored once) and one entry holding another."""
    report = os.urandom(50_000)
    for title in ("GitHub", "Bank"):
        entry = new_vault.add(title, username="alice", password="pw")
        new_vault.attach(entry.uuid, "report.pdf", report)
    entry = new_vault.add("Mail", password="pw")
    new_vault.attach(entry.uuid, "notes.txt", b"plain text\n" * 1000)
    new_vault.save()
    return vault_path


def test_attachments_round_trip_and_the_independent_reader_reads_them(attached: Path) -> None:
    with open_vault(attached) as vault:
        github, bank, mail = (vault.find(t) for t in ("GitHub", "Bank", "Mail"))
        assert github.attachments[0].blob == bank.attachments[0].blob  # the same file: one blob
        assert vault.attachment_content(github.attachments[0]) == vault.attachment_content(
            bank.attachments[0]
        )
        assert vault.attachment_content(mail.attachments[0]) == b"plain text\n" * 1000
        expected = {a.blob: vault.attachment_content(a) for e in (github, mail) for a in e.attachments}
    found = read_attachments(attached.read_bytes(), PASSPHRASE)
    assert found == expected
    _, entries, _ = read_vault(attached.read_bytes(), PASSPHRASE)
    assert {e["title"]: e["attachments"][0]["name"] for e in entries} == {
        "GitHub": "report.pdf", "Bank": "report.pdf", "Mail": "notes.txt"
    }  # fmt: skip
    # 50,000 random bytes stored once (nonce and tag: 28 bytes), the text compressed
    assert len(_area(attached)) < 50_000 + 28 + 1000


def _index(path: Path) -> tuple[int, dict[str, list[object]]]:
    """Where the blob area starts, and the blob index (decrypted with the passphrase)."""
    data = path.read_bytes()
    parsed = fmt.parse_file(data)
    keys = Keyring(parsed.header.kdf.derive(normalize_passphrase(PASSPHRASE)))
    return parsed.area_offset, decode_body(fmt.decrypt(parsed, keys)).blobs["blobs"]


def test_open_and_list_decrypt_no_attachment_and_a_damaged_one_is_reported(attached: Path) -> None:
    """Opening, listing and searching decrypt nothing; a blob whose ciphertext is altered still
    lets the vault open and list, and reading it says it is damaged (exit 4)."""
    with open_vault(attached) as vault:
        mail_blob = vault.find("Mail").attachments[0].blob
    area, index = _index(attached)
    offset, length = index[mail_blob][0], index[mail_blob][1]
    data = bytearray(attached.read_bytes())
    data[area + int(offset) + int(length) // 2] ^= 0x01  # type: ignore[call-overload]
    attached.write_bytes(bytes(data))
    with open_vault(attached) as vault:
        listed = [(e.title, [(a.name, a.size) for a in e.attachments]) for e in vault.entries]
        vault.search("alice")
        assert len(listed) == 3
        assert vault.attachment_decrypts == 0
        assert len(vault.attachment_content(vault.find("GitHub").attachments[0])) == 50_000
        with pytest.raises(DamagedFileError, match="damaged") as info:
            vault.attachment_content(vault.find("Mail").attachments[0])
        assert info.value.exit_code == 4


def test_open_reads_no_blob_bytes(attached: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Opening and listing never read the blob area (not even into memory)."""
    import vaultapp.core.attachments as att

    reads: list[int] = []
    real_pread = os.pread

    def counting(fd: int, n: int, offset: int) -> bytes:
        reads.append(offset + n)
        return real_pread(fd, n, offset)

    monkeypatch.setattr(att.os, "pread", counting)
    area_offset = fmt.parse_file(attached.read_bytes()).area_offset
    with open_vault(attached) as vault:
        _ = [e.attachments for e in vault.entries]
        assert reads
        assert max(reads) <= area_offset


def test_a_save_that_changes_no_attachment_copies_their_bytes(attached: Path) -> None:
    """A save after a title change keeps every blob byte identical: nothing re-encrypted (a new
    encryption would draw a new nonce)."""
    before = _area(attached)
    with open_vault(attached, writable=True) as vault:
        vault.update(vault.find("GitHub").uuid, title="GitHub (work)")
        vault.save()
        vault.update(vault.find("Bank").uuid, notes="twice")
        vault.save()  # the second save copies from the file the first one wrote
    assert _area(attached) == before


def test_history_keeps_attachments_by_reference_and_unreferenced_blobs_go(attached: Path) -> None:
    with open_vault(attached, writable=True) as vault:
        mail = vault.find("Mail")
        vault.detach(mail.uuid, "notes.txt")
        vault.save()
        mail = vault.get(mail.uuid)
        assert mail.attachments == ()
        kept = mail.history[-1].attachments[0]
        assert vault.attachment_content(kept) == b"plain text\n" * 1000
        assert kept.blob in _blobs_in_file(attached)  # still stored: the history refers to it
        vault.purge(mail.uuid)
        vault.save()
    assert kept.blob not in _blobs_in_file(attached)  # no reference left: dropped at the save
    assert len(_blobs_in_file(attached)) == 1


def test_rename_replace_and_names(attached: Path) -> None:
    with open_vault(attached, writable=True) as vault:
        uuid = vault.find("GitHub").uuid
        vault.rename_attachment(uuid, "report.pdf", "2026 report.pdf")
        assert [a.name for a in vault.attachments(uuid)] == ["2026 report.pdf"]
        with pytest.raises(UsageError, match="already"):
            vault.attach(uuid, "2026 report.pdf", b"other")
        vault.replace_attachment(uuid, "2026 report.pdf", b"new content")
        assert vault.attachment_content(vault.attachment(uuid, "2026 report.pdf")) == b"new content"
        with pytest.raises(EntryNotFoundError, match="no attachment 'x'"):
            vault.detach(uuid, "x")
        with pytest.raises(UsageError):
            vault.attach(uuid, "a/b", b"x")
        vault.save()
    with open_vault(attached) as vault:
        entry = vault.find("GitHub")
        assert vault.attachment_content(entry.attachments[0]) == b"new content"
        assert len(entry.history) == 3  # attached, renamed, replaced


def test_save_to_file_and_private_copy(attached: Path, tmp_path: Path) -> None:
    with open_vault(attached) as vault:
        attachment = vault.find("Mail").attachments[0]
        vault.save_attachment(attachment, tmp_path / "out.txt")
        assert (tmp_path / "out.txt").read_bytes() == b"plain text\n" * 1000
        with vault.open_attachment_copy(attachment) as copy:
            assert copy.path.read_bytes() == b"plain text\n" * 1000
        assert not copy.path.exists()


def test_passphrase_change_and_backups_carry_attachments(attached: Path) -> None:
    with open_vault(attached, writable=True) as vault:
        vault.update(vault.find("Mail").uuid, notes="a save, so a backup exists")
        vault.save()
        before = _area(attached)
        vault.change_passphrase("a new passphrase here")
        backups = vault.backups()
    assert backups
    assert _area(attached) == before  # sealed under the attachment key: copied, not re-encrypted
    for path in backups:  # every backup opens with the new passphrase (the oldest is empty)
        Vault.open(path, "a new passphrase here", policy=TEST_POLICY, audit=False).close()
    for path in (attached, backups[0]):
        with Vault.open(path, "a new passphrase here", policy=TEST_POLICY, audit=False) as copy:
            report = copy.find("GitHub").attachments[0]
            assert len(copy.attachment_content(report)) == 50_000


def test_export_backup_carries_attachments(attached: Path, tmp_path: Path) -> None:
    with open_vault(attached) as vault:
        content = vault.attachment_content(vault.find("Mail").attachments[0])
        vault.export_backup(tmp_path / "copy.vault", "another passphrase")
    with Vault.open(tmp_path / "copy.vault", "another passphrase", policy=TEST_POLICY, audit=False) as copy:
        assert copy.attachment_content(copy.find("Mail").attachments[0]) == content
        assert copy.find("GitHub").attachments[0].blob == copy.find("Bank").attachments[0].blob


def test_merge_copies_the_blobs_the_other_copy_refers_to(attached: Path, tmp_path: Path) -> None:
    other_path = tmp_path / "conflicted copy.vault"
    shutil.copyfile(attached, other_path)
    with open_vault(other_path, writable=True) as other:
        other.device_id = "otherdevice"
        other.attach(other.find("Bank").uuid, "statement.csv", b"date,amount\n" * 500)
        other.save()
    with open_vault(attached, writable=True) as vault:
        with vault.open_copy(other_path) as copy:
            vault.merge_from(copy)
        vault.save()
    other_path.unlink()
    with open_vault(attached) as vault:
        names = {a.name: a for a in vault.find("Bank").attachments}
        assert vault.attachment_content(names["statement.csv"]) == b"date,amount\n" * 500


def test_merge_disk_of_another_process_save_keeps_both_sides_blobs(attached: Path) -> None:
    first, second = open_vault(attached, writable=True), open_vault(attached, writable=True)
    with first, second:
        first.device_id, second.device_id = "one", "two"
        first.attach(first.find("GitHub").uuid, "one.bin", b"1" * 3000)
        first.save()
        second.attach(second.find("Bank").uuid, "two.bin", b"2" * 3000)
        second.save(merge=True)
    with open_vault(attached) as vault:
        assert vault.attachment_content(vault.attachment(vault.find("GitHub").uuid, "one.bin")) == b"1" * 3000
        assert vault.attachment_content(vault.attachment(vault.find("Bank").uuid, "two.bin")) == b"2" * 3000


def test_appended_bytes_after_the_blobs_are_damage(attached: Path) -> None:
    attached.write_bytes(attached.read_bytes() + b"\0")
    with pytest.raises(DamagedFileError):
        open_vault(attached)


# ---- format 1.1 files ------------------------------------------------------------------------


def test_a_format_1_1_file_opens_and_is_migrated_by_a_writable_save(tmp_path: Path) -> None:
    """A file written by vaultapp before attachments (format 1.1, kept in tests/vectors) opens
    as it is; read-only it stays 1.1; the first save of a writable open writes 1.2 with the same
    keys (no new derivation: same KDF, salt) and the same entries, history included."""
    path = tmp_path / "old.vault"
    shutil.copyfile(VECTORS / "format-1.1.vault", path)
    original = path.read_bytes()
    with open_vault(path) as vault:
        entries = {e.uuid: e for e in vault.entries}
        github = vault.find("GitHub")
        assert vault.reveal(github.password) == "N3wer!"  # type: ignore[arg-type]
        assert len(github.history) == 1
    assert path.read_bytes() == original
    with open_vault(path, writable=True) as vault:
        vault.attach(vault.find("Bank").uuid, "card.png", b"\x89PNG" + os.urandom(100))
        vault.save()
    header = fmt.parse_file(path.read_bytes()).header
    assert header.version == "1.2"
    assert header.kdf == fmt.parse_file(original).header.kdf
    with open_vault(path) as vault:
        assert {u: e for u, e in entries.items() if e.title != "Bank"} == {
            e.uuid: e for e in vault.entries if e.title != "Bank"
        }
        assert vault.find("Bank").attachments[0].name == "card.png"
    _, old_entries, _ = read_vault(original, PASSPHRASE)
    assert {e["title"] for e in old_entries} == {"GitHub", "Bank"}


def _write_1_1(path: Path, vault: Vault) -> None:
    """The vault's body written in the format 1.1 layout (payload to the end of the file)."""
    kdf = vault.kdf
    text = fmt.build_header(kdf).raw[fmt.PREFIX.size :]
    raw = fmt.PREFIX.pack(fmt.MAGIC, 1, 1, len(text)) + text
    header = fmt.Header(1, 1, kdf, "zlib", raw)
    keys = Keyring(kdf.derive(normalize_passphrase(PASSPHRASE)))
    path.write_bytes(fmt.encode(header, keys, vault._body.encode())[0])


ENTRY = st.fixed_dictionaries(
    {
        "title": st.text(min_size=1, max_size=12).filter(lambda s: s.strip() != ""),
        "username": st.text(max_size=12),
        "password": st.none() | st.text(max_size=12),
        "notes": st.text(max_size=30),
    }
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ENTRY, min_size=1, max_size=4), st.integers(0, 3))
def test_migration_property_any_1_1_file_keeps_its_entries(
    specs: list[dict[str, object]], edits: int
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "m.vault"
        with Vault.create(path, PASSPHRASE, kdf=TEST_PARAMS, policy=TEST_POLICY, audit=False) as vault:
            vault.device_id = "maker"
            added = [vault.add(**spec) for spec in specs]  # type: ignore[arg-type]
            for i in range(edits):
                vault.update(added[0].uuid, notes=f"edit {i}")
            want = {e.uuid: e for e in vault.entries}
            _write_1_1(path, vault)
        with open_vault(path) as old:
            assert {e.uuid: e for e in old.entries} == want
        with open_vault(path, writable=True) as vault:
            vault.device_id = "maker"
            vault.save()
        data = path.read_bytes()
        assert fmt.parse_file(data).header.version == "1.2"
        with open_vault(path) as new:
            assert {e.uuid: e for e in new.entries} == want
        assert {e["uuid"] for e in read_vault(data, PASSPHRASE)[1]} == set(want)


# ---- dedupe, as a property ---------------------------------------------------------------------

CONTENTS = st.lists(st.binary(min_size=0, max_size=300), min_size=1, max_size=4)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(CONTENTS, st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), min_size=1, max_size=8), st.data())
def test_dedupe_property(
    contents: list[bytes], placements: list[tuple[int, int]], data: st.DataObject
) -> None:
    """However files are spread over entries and edits (history), each distinct content is
    stored once; removing one reference keeps every other readable."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "d.vault"
        with Vault.create(path, PASSPHRASE, kdf=TEST_PARAMS, policy=TEST_POLICY, audit=False) as vault:
            vault.device_id = "maker"
            uuids = [vault.add(f"Entry {i}").uuid for i in range(4)]
            for n, (which, content) in enumerate(placements):
                blob = contents[content % len(contents)]
                vault.attach(uuids[which], f"file {n}", blob)  # each attach is an edit: history grows
            vault.save()
            stored = read_attachments(path.read_bytes(), PASSPHRASE)
            used = {contents[c % len(contents)] for _, c in placements}
            assert sorted(stored.values()) == sorted(used)  # each distinct content once
            # remove one reference (and its history) by purging one entry holding files
            holders = [u for u in uuids if vault.get(u).attachments]
            gone = data.draw(st.sampled_from(holders))
            vault.purge(gone)
            vault.save()
        with open_vault(path) as reopened:
            left = {a.blob: a for e in reopened.entries for v in (e, *e.history) for a in v.attachments}
            for attachment in left.values():
                assert len(reopened.attachment_content(attachment)) == attachment.size
            assert set(read_attachments(path.read_bytes(), PASSPHRASE)) == set(left)


def test_body_without_attachments_has_no_index(new_vault: Vault, vault_path: Path) -> None:
    new_vault.add("Plain")
    new_vault.save()
    data = vault_path.read_bytes()
    parsed = fmt.parse_file(data)
    keys = Keyring(new_vault.kdf.derive(normalize_passphrase(PASSPHRASE)))
    assert decode_body(fmt.decrypt(parsed, keys)).blobs == {}
    assert parsed.area_offset == len(data)


def test_merge_from_a_copy_under_another_attachment_key_seals_again(attached: Path, tmp_path: Path) -> None:
    """An exported copy has its own attachment key: merging from it seals its new files again
    under this vault's key and renames the references, so they read after a save and reopen."""
    exported = tmp_path / "exported.vault"
    with open_vault(attached) as vault:
        vault.export_backup(exported, "exported passphrase")
    with Vault.open(exported, "exported passphrase", writable=True, policy=TEST_POLICY, audit=False) as other:
        other.device_id = "exporter"
        other.attach(other.find("Mail").uuid, "added.txt", b"added in the copy")
        other.save()
    with (
        open_vault(attached, writable=True) as vault,
        Vault.open(exported, "exported passphrase", policy=TEST_POLICY, audit=False) as other,
    ):
        theirs = other.attachment(other.find("Mail").uuid, "added.txt").blob
        vault.merge_from(other)
        vault.save()
    with open_vault(attached) as vault:
        added = vault.attachment(vault.find("Mail").uuid, "added.txt")
        assert added.blob != theirs  # another key, another id
        assert vault.attachment_content(added) == b"added in the copy"
        assert added.blob in _blobs_in_file(attached)


def test_restoring_a_backup_brings_its_attachments_back(attached: Path) -> None:
    with open_vault(attached, writable=True) as vault:
        vault.purge(vault.find("Mail").uuid)
        vault.save()  # the previous version, with Mail's file, is the newest backup
        assert len(_blobs_in_file(attached)) == 1
        vault.restore_backup(vault.backups()[0])
        vault.save()
    with open_vault(attached) as vault:
        assert vault.attachment_content(vault.find("Mail").attachments[0]) == b"plain text\n" * 1000
