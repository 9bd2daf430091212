#!/usr/bin/env python3
"""Fidelity of moving in from KeePass: for each fixture, the fields KeePassXC itself sees
(``keepassxc-cli export -f xml``, the ground truth) against the fields that come back after
importing into a vault and exporting it as KDBX again (read by keepassxc-cli the same way).

    python benchmarks/fidelity.py

A "field" is: each non-empty string attribute of an entry and of each history version (one-time
code attributes count as one "TOTP" field, kept when KeePassXC — or RFC 6238 for KeePass 2's
TimeOtp-*, which keepassxc-cli 2.7.4 does not read — gives the same code), each attachment
(name and bytes), the entry's auto-type settings, icon, custom icon and each CustomData item,
and the recycle bin membership (kept when the entry lands in the vault's Trash). References are
compared with the value keepassxc-cli shows. Needs keepassxc-cli on PATH.
"""

from __future__ import annotations

import base64
import gzip
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lxml import etree  # noqa: E402

from vaultapp.core import TEST_POLICY, Argon2idParams, Vault  # noqa: E402
from vaultapp.generators.otp import code_now, parse  # noqa: E402
from vaultapp.interop.kdbx import KdbxKdf, export_kdbx, import_kdbx  # noqa: E402
from vaultapp.interop.keepass_xml import import_keepass_xml  # noqa: E402
from vaultapp.interop.records import Parsed, plan_records, records_of  # noqa: E402

PW = "pw"
RICH = ROOT / "tests" / "interop" / "data" / "keepass_rich.xml"
OTP_KEYS = ("otp", "TOTP Seed", "TOTP Settings")
SMALL = KdbxKdf(memory=1 << 20, passes=1, lanes=1)


def kxc(*args: str, stdin: str = f"{PW}\n") -> str:
    done = subprocess.run(["keepassxc-cli", *args], input=stdin, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"keepassxc-cli {args[0]} failed: {done.stderr.strip()}")
    return done.stdout


def entries(xml: str) -> dict[str, dict[str, Any]]:
    """keepassxc-cli's XML export: per entry UUID, its fields (name -> comparable value)."""
    root = etree.fromstring(xml.encode("utf-8"))
    binaries = {}
    for b in root.iterfind("Meta/Binaries/Binary"):
        data = base64.b64decode(b.text or "")
        binaries[b.get("ID")] = gzip.decompress(data) if b.get("Compressed") == "True" else data
    icons = {i.findtext("UUID"): i.findtext("Data") for i in root.iterfind("Meta/CustomIcons/Icon")}
    recycle = root.findtext("Meta/RecycleBinUUID")

    def fields(entry: Any, prefix: str) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for s in entry.iterfind("String"):
            key, value = s.findtext("Key") or "", s.findtext("Value") or ""
            if value:
                found[f"{prefix}string {key}"] = value
        for b in entry.iterfind("Binary"):
            # keepassxc-cli 2.7.4 leaves the content of pykeepass-made KDBX 4 attachments out of its
            # XML: then the name alone is compared.
            found[f"{prefix}attachment {b.findtext('Key')}"] = binaries.get(
                b.find("Value").get("Ref"), "(name only)"
            )
        auto = entry.find("AutoType")
        if auto is not None and (
            (auto.findtext("DefaultSequence") or "") or auto.find("Association") is not None
            or auto.findtext("Enabled") != "True"
        ):  # fmt: skip
            found[f"{prefix}auto-type"] = etree.tostring(auto, method="c14n")
        if (entry.findtext("IconID") or "0") != "0":
            found[f"{prefix}icon"] = entry.findtext("IconID")
        if entry.findtext("CustomIconUUID"):
            found[f"{prefix}custom icon"] = icons.get(entry.findtext("CustomIconUUID"))
        for item in entry.iterfind("CustomData/Item"):
            found[f"{prefix}custom data {item.findtext('Key')}"] = item.findtext("Value")
        return found

    result = {}
    for group in root.iter("Group"):
        in_bin = any(g.findtext("UUID") == recycle for g in [group, *group.iterancestors("Group")])
        for entry in group.iterfind("Entry"):
            values = fields(entry, "")
            for i, old in enumerate(entry.iterfind("History/Entry")):
                values.update(fields(old, f"history {i + 1}: "))
            if in_bin:
                values["in the recycle bin"] = True
            result[entry.findtext("UUID") or ""] = values
    return result


def attachments_read_by_pykeepass(db: Path) -> dict[str, dict[str, bytes]]:
    """Per entry UUID (base64, as in the XML), its attachments' bytes and those of its history
    versions, as pykeepass reads them (its decrypted tree and binaries; its Entry API does not
    list a history version's files): keepassxc-cli 2.7.4's XML export leaves the content of
    some KDBX 4 attachments out, so the bytes are checked with a second, independent reader."""
    from pykeepass import PyKeePass

    kp = PyKeePass(str(db), password=PW)

    def files(entry: Any, prefix: str) -> dict[str, bytes]:
        return {
            f"{prefix}attachment {b.findtext('Key')}": kp.binaries[int(b.find("Value").get("Ref"))]
            for b in entry.iterfind("Binary")
        }

    found: dict[str, dict[str, bytes]] = {}
    for entry in kp.tree.iterfind(".//Group/Entry"):
        values = files(entry, "")
        for i, old in enumerate(entry.iterfind("History/Entry")):
            values.update(files(old, f"history {i + 1}: "))
        found[entry.findtext("UUID") or ""] = values
    return found


def totp_codes(db: Path, title: str, attrs: dict[str, Any], when: int) -> str | None:
    """The code KeePassXC gives (now), or RFC 6238's for KeePass 2's TimeOtp-* attributes."""
    if any(k in attrs for k in (f"string {n}" for n in OTP_KEYS)):
        out = subprocess.run(["keepassxc-cli", "show", "--totp", str(db), title], input=f"{PW}\n",
                             capture_output=True, text=True, check=False)  # fmt: skip
        return out.stdout.strip().splitlines()[-1] if out.returncode == 0 else None
    secret = attrs.get("string TimeOtp-Secret-Base32")
    if secret:
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.twofactor.totp import TOTP

        algo = {"HMAC-SHA-256": hashes.SHA256(), "HMAC-SHA-512": hashes.SHA512()}.get(
            attrs.get("string TimeOtp-Algorithm", ""),
            hashes.SHA1(),  # noqa: S303 - RFC 6238 default
        )
        digits, period = (
            int(attrs.get("string TimeOtp-Length", 6)),
            int(attrs.get("string TimeOtp-Period", 30)),
        )
        return (
            TOTP(base64.b32decode(secret), digits, algo, period, enforce_key_length=False)
            .generate(when)
            .decode()
        )
    return None


def measure(name: str, source: Path, parsed: Parsed, work: Path) -> tuple[str, int, int, list[str]]:
    truth = entries(kxc("export", "-f", "xml", str(source)))
    vault = Vault.create(
        work / f"{name}.vault", "bench", kdf=Argon2idParams(time_cost=1, memory_kib=1024, parallelism=1),
        policy=TEST_POLICY,
    )  # fmt: skip
    vault.apply(plan_records(vault, parsed))
    trashed = {e.uuid for e in vault.trashed_entries}
    out = work / f"{name}-again.kdbx"
    export_kdbx(out, records_of(vault, trash=True, history=True, attachments=True), PW, kdf=SMALL)
    again = entries(kxc("export", "-f", "xml", str(out)))
    for db, side in ((source, truth), (out, again)):
        for uuid, found in attachments_read_by_pykeepass(db).items():
            for key, data in found.items():  # where keepassxc-cli's XML gave the name only
                if side.get(uuid, {}).get(key) == "(name only)":
                    side[uuid][key] = data
    totals = fields_in = kept = 0
    lost: Counter[str] = Counter()
    for uuid, fields in truth.items():
        import uuid as uuid_module

        plain = str(uuid_module.UUID(bytes=base64.b64decode(uuid)))
        theirs = again.get(uuid, {})
        title = fields.get("string Title", "")
        otp = {k for k in fields if k.removeprefix("string ") in OTP_KEYS or k.startswith("string TimeOtp-")}
        for key, value in fields.items():
            if key in otp:
                continue
            fields_in += 1
            if key == "in the recycle bin":
                ok = plain in trashed
            elif isinstance(value, str) and "{REF:" in value.upper():
                shown = kxc("show", "-s", "-a", key.removeprefix("string "), str(source), title).strip()
                ok = theirs.get(key) == shown
            else:
                ok = key in theirs and theirs[key] == value
            kept += ok
            if not ok:
                lost[f"{title}: {key}"] += 1
                if os.environ.get("FIDELITY_DEBUG"):
                    print(key, repr(value)[:80], "->", repr(theirs.get(key))[:80], sorted(theirs))
        if otp:
            fields_in += 1
            when = int(time.time())
            expected = totp_codes(source, title, fields, when)
            record = next((r for r in records_of(vault) if r.uuid == plain), None)
            ours = code_now(parse(record.totp), when) if record is not None and record.totp else None
            got = totp_codes(out, title, {"string otp": "x"}, when) if theirs else None
            ok = expected is not None and expected in (ours, got) and ours == (got or ours)
            kept += ok
            if not ok:
                lost["TOTP"] += 1
        totals += 1
    vault.close()
    return name, fields_in, kept, [f"{k} x{n}" for k, n in sorted(lost.items())]


def _pykeepass_db(work: Path) -> Path:
    from pykeepass import create_database

    db = work / "py.kdbx"
    kp = create_database(str(db), password=PW)
    group = kp.add_group(kp.root_group, "Social")
    otp = "otpauth://totp/Mastodon:me?secret=GEZDGNBVGY3TQOJQ&issuer=Mastodon"
    entry = kp.add_entry(
        group, "Mastodon", "me", "first", url="https://mastodon.example", tags=["fedi"], otp=otp
    )
    entry.set_custom_property("Recovery", "abcd efgh", protect=True)
    entry.save_history()
    entry.password = "second"
    entry.add_attachment(kp.add_binary(b"\x00config", protected=False), "backup.cfg")
    kp.trash_entry(kp.add_entry(kp.root_group, "Old forum", "me", "old"))
    kp.save()
    return db


def main() -> int:
    if shutil.which("keepassxc-cli") is None:
        print("keepassxc-cli is not installed (apt-get install keepassxc)", file=sys.stderr)
        return 1
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        rich = work / "rich.kdbx"
        kxc("import", "-p", "-t", "100", str(RICH), str(rich), stdin=f"{PW}\n{PW}\n")
        rows.append(
            measure("keepass_rich (KeePassXC import of XML) as KDBX", rich, import_kdbx(rich, PW), work)
        )
        rows.append(measure("keepass_rich as KeePass 2 XML", rich, import_keepass_xml(RICH), work))
        made = work / "made.kdbx"
        kxc("db-create", "-p", "-t", "100", str(made), stdin=f"{PW}\n{PW}\n")
        kxc("add", "-u", "bob", "-p", "--url", "https://x.org", str(made), "Made", stdin=f"{PW}\nsecret1\n")
        kxc("edit", "-u", "alice", str(made), "Made")
        kxc("edit", "-p", str(made), "Made", stdin=f"{PW}\nsecret2\n")
        blob = work / "blob.bin"
        blob.write_bytes(bytes(range(256)) * 64)
        kxc("attachment-import", str(made), "Made", "blob.bin", str(blob))
        rows.append(
            measure("keepassxc-cli db-create/add/edit/attachment-import", made, import_kdbx(made, PW), work)
        )
        pykeepass_db = _pykeepass_db(work)
        name = "pykeepass: history, attachment, otp, custom, recycle bin"
        rows.append(measure(name, pykeepass_db, import_kdbx(pykeepass_db, PW), work))
    width = max(len(r[0]) for r in rows)
    print(f"{'fixture':<{width}}  fields in  kept  lost")
    for name, fields_in, kept, lost in rows:
        print(f"{name:<{width}}  {fields_in:>9}  {kept:>4}  {', '.join(lost) or '-'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
