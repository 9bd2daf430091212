"""The blob store (core.attachments): keyed ids, sealing, limits, private copies, files out."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from vaultapp.core import attachments
from vaultapp.core.attachments import BlobKeys, BlobStore, PrivateCopy, check_name
from vaultapp.core.errors import AttachmentTooLargeError, DamagedFileError, UsageError


def test_same_content_one_blob_and_ids_are_keyed() -> None:
    """Equal content gets one id (stored once); another key gives another id (the id says
    nothing about the content without the key)."""
    store = BlobStore({})
    a = store.put(b"report" * 100)
    b = store.put(b"report" * 100)
    assert a == b
    assert len(store.layout([a])[0]["blobs"]) == 1
    other = BlobStore({})
    assert other.put(b"report" * 100) != a
    assert store.read(a) == b"report" * 100


def test_sealed_blob_is_bound_to_its_id() -> None:
    """A blob's stored bytes read under another id (swapped in the file) do not verify."""
    keys = BlobKeys(os.urandom(32))
    one, two = keys.blob_id(b"one"), keys.blob_id(b"two")
    record, packing = keys.seal(one, b"one")
    assert keys.open(one, record, packing, 3) == b"one"
    with pytest.raises(DamagedFileError, match="does not verify"):
        keys.open(two, record, packing, 3)
    flipped = bytearray(record)
    flipped[-1] ^= 1
    with pytest.raises(DamagedFileError):
        keys.open(one, bytes(flipped), packing, 3)


def test_compressible_content_is_compressed_random_is_not() -> None:
    keys = BlobKeys(os.urandom(32))
    text = b"a line of a text file\n" * 4000
    record, packing = keys.seal(keys.blob_id(text), text)
    assert packing == "zlib"
    assert len(record) < len(text) // 10
    noise = os.urandom(100_000)
    record, packing = keys.seal(keys.blob_id(noise), noise)
    assert packing == "none"
    assert len(record) == len(noise) + 28


def test_one_attachment_over_64_mib_is_refused(tmp_path: Path) -> None:
    store = BlobStore({})
    with pytest.raises(AttachmentTooLargeError, match="at most 64 MiB") as info:
        store.put(bytes(attachments.ATTACHMENT_MAX + 1), "big.iso")
    assert info.value.exit_code == 2
    big = tmp_path / "big.iso"
    with big.open("wb") as handle:
        handle.truncate(attachments.ATTACHMENT_MAX + 1)  # sparse: nothing past the limit is read
    with pytest.raises(AttachmentTooLargeError, match=r"big\.iso is 64"):
        attachments.read_file(big)


def test_vault_total_over_1_gib_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(attachments, "TOTAL_MAX", 1000)
    store = BlobStore({})
    store.put(os.urandom(600))
    with pytest.raises(AttachmentTooLargeError, match="in all"):
        store.put(os.urandom(600), "second.bin")
    store.put(os.urandom(300))  # still within


@pytest.mark.parametrize("name", ["", ".", "..", "a/b", "nul\0", "x" * 256])
def test_bad_attachment_names_are_refused(name: str) -> None:
    with pytest.raises(UsageError):
        check_name(name)


def test_private_copy_is_0600_in_a_0700_folder_and_removed() -> None:
    with PrivateCopy("../report.pdf", b"%PDF") as copy:
        assert copy.path.read_bytes() == b"%PDF"
        assert copy.path.parent == copy.folder
        assert stat.S_IMODE(copy.folder.stat().st_mode) == 0o700
        assert stat.S_IMODE(copy.path.stat().st_mode) == 0o600
        folder = copy.folder
    assert not folder.exists()


def test_write_file_refuses_symlink_and_existing(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere"
    link = tmp_path / "out.bin"
    link.symlink_to(target)
    with pytest.raises(UsageError, match="exists already"):
        attachments.write_file(link, b"secret")
    assert not target.exists()
    fresh = tmp_path / "fresh.bin"
    attachments.write_file(fresh, b"secret")
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o600
