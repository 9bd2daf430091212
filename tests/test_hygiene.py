"""Secret hygiene: no secret on disk in plain text, masked reprs, secrets kept out of messages,
constant-time comparisons, private file modes. The window's flows (and the clipboard cleared on
lock and quit) are in tests/gui/test_window_hygiene.py.

The canary tests drive real flows (CLI subprocesses, the real window offscreen) under a temp
HOME with recognisable secrets, then scan every file created for them.
"""

from __future__ import annotations

import ast
import base64
import os
import stat
from pathlib import Path

import pytest

from tests.cli.test_contract import cli, one_line_error

PACKAGE = Path(__file__).resolve().parent.parent / "vaultapp"
PASS = "Canary-Passphrase-7Q1x"
NEW_PASS = "Canary-NewPassphrase-3Zk9"
PASSWORD = "Canary-Password-9Vw2"
TOTP = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # base32 of "12345678901234567890" (RFC 6238)
PROTECTED = "Canary-Protected-5Rm8"
WRONG = "Canary-WrongGuess-1Nb6"
CANARIES = (PASS, NEW_PASS, PASSWORD, TOTP, PROTECTED, WRONG)


def _forms(secret: str) -> list[bytes]:
    """The ways a careless program would write a secret: UTF-8, UTF-16, base64, hex."""
    raw = secret.encode("utf-8")
    return [raw, secret.encode("utf-16-le"), base64.b64encode(raw), raw.hex().encode()]


def scan(*roots: Path) -> dict[str, list[str]]:
    """{canary: [files containing it]} over every file under ``roots``."""
    found: dict[str, list[str]] = {}
    for root in roots:
        for path in root.rglob("*"):
            if not path.is_file():
                continue
            data = path.read_bytes()
            for canary in CANARIES:
                if any(form in data for form in _forms(canary)):
                    found.setdefault(canary, []).append(str(path))
    return found


def test_scan_finds_a_planted_secret(tmp_path: Path) -> None:
    """The scanner itself works: a secret written in any of the forms is found."""
    for number, form in enumerate(_forms(PASSWORD)):
        (tmp_path / f"f{number}").write_bytes(b"xx" + form + b"yy")
    assert len(scan(tmp_path)[PASSWORD]) == 4


def test_cli_flows_leave_no_secret_on_disk(tmp_path: Path, isolated_home: Path) -> None:
    """init, add (password, TOTP), edit, show, totp, check, log, a failed unlock, a backup
    export, passwd, backups, import: no canary in any file, except the plain-text CSV the user
    asked for with --yes-plaintext (which proves the scan would have seen one)."""
    folder = tmp_path / "vaults"
    folder.mkdir()
    vault = str(folder / "canary.vault")
    cli("init", vault, "--unlock-ms", "50", stdin=f"{PASS}\n{PASS}\n")
    cli("add", vault, "--title", "Site", "--totp", TOTP, stdin=f"{PASS}\n{PASSWORD}\n")
    cli("edit", vault, "Site", "--notes", "edited", stdin=f"{PASS}\n")
    assert cli("show", vault, "Site", "--field", "password", stdin=f"{PASS}\n").stdout.strip() == PASSWORD
    cli("totp", vault, "Site", stdin=f"{PASS}\n")
    cli("check", vault, "--json", stdin=f"{PASS}\n")
    cli("ls", vault, stdin=f"{WRONG}\n", check_rc=3)
    cli("log", vault, "--verify", stdin=f"{PASS}\n")
    cli("export", vault, str(folder / "backup.vault"), stdin=f"{PASS}\n\n\n")
    cli("backups", vault, "--keep", "3", stdin=f"{PASS}\n")
    cli("import", vault, str(folder / "backup.vault"), stdin=f"{PASS}\n\n")
    cli("passwd", vault, stdin=f"{PASS}\n{NEW_PASS}\n{NEW_PASS}\n")
    cli("ls", vault, stdin=f"{NEW_PASS}\n")
    plain = folder / "export.csv"
    cli("export", vault, str(plain), "--yes-plaintext", stdin=f"{NEW_PASS}\n")
    found = scan(isolated_home, tmp_path)
    assert found == {PASSWORD: [str(plain)], TOTP: [str(plain)]}


def test_error_messages_never_echo_a_secret(tmp_path: Path) -> None:
    """A bad TOTP secret or a bad password rule is refused without repeating the value."""
    vault = str(tmp_path / "v.vault")
    cli("init", vault, "--unlock-ms", "50", stdin=f"{PASS}\n{PASS}\n")
    bad = "Canary-NotBase32-!!"
    result = cli("add", vault, "--title", "X", "--totp", bad, stdin=f"{PASS}\npw\n", check_rc=2)
    assert bad not in one_line_error(result)
    result = cli("totp", "--secret", bad, check_rc=2)
    assert bad not in one_line_error(result)
    uri = f"otpauth://totp/X?secret={TOTP}&digits=99"
    result = cli("totp", "--uri", uri, check_rc=2)
    assert TOTP not in one_line_error(result)


def test_vault_files_are_private(tmp_path: Path) -> None:
    """Vault, automatic backups, lock files, audit log and exports are created 0600."""
    if os.name != "posix":
        pytest.skip("POSIX permissions")
    vault = tmp_path / "v.vault"
    cli("init", str(vault), "--unlock-ms", "50", stdin=f"{PASS}\n{PASS}\n")
    cli("add", str(vault), "--title", "A", stdin=f"{PASS}\n{PASSWORD}\n")
    cli("add", str(vault), "--title", "B", stdin=f"{PASS}\n{PASSWORD}\n")
    cli("export", str(vault), str(tmp_path / "b.vault"), stdin=f"{PASS}\n\n\n")
    cli("export", str(vault), str(tmp_path / "e.csv"), "--yes-plaintext", stdin=f"{PASS}\n")
    names = {p.name: stat.S_IMODE(p.stat().st_mode) for p in tmp_path.iterdir()}
    for expected in ("v.vault", "v.vault.bak", "v.vault.log", "b.vault", "e.csv"):
        assert expected in names
    # lock files (the vault's and its audit log's) are removed when released, exports leave none
    assert sorted(name for name in names if name.endswith(".lock")) == []
    assert {name: mode for name, mode in names.items() if mode != 0o600} == {}


def test_reprs_mask_secrets(tmp_path: Path) -> None:
    """repr() of entries, sealed fields, custom fields, keys, the vault, drafts, generated
    values and audit objects shows no secret."""
    from vaultapp.core import TEST_PARAMS, TEST_POLICY, Vault
    from vaultapp.core.keys import Keyring
    from vaultapp.generators.password import generate_password

    master = b"k" * 32
    with Vault.create(tmp_path / "v.vault", PASS, kdf=TEST_PARAMS, policy=TEST_POLICY) as vault:
        entry = vault.add("Title", password=PASSWORD, totp=TOTP, custom=[("pin", PROTECTED, True)])
        draft = vault.save_draft(None, title="Draft", password=PASSWORD)
        vault.change_passphrase("a second passphrase")  # the vault now keeps its old audit key
        old_audit_keys = [str(k) for k in vault._body.meta.get("audit_keys", [])]
        assert old_audit_keys
        texts = [repr(vault._body), repr(entry), str(entry), repr(entry.password), repr(entry.custom),
                 repr(vault), repr(draft),
                 repr(Keyring(master)), repr(vault._require_keys()), repr(vault.verify_log()),
                 repr(generate_password()), repr(vault.kdf)]  # fmt: skip
    joined = "\n".join(texts)
    for secret in (PASSWORD, TOTP, PROTECTED, PASS, master.decode(), *old_audit_keys):
        assert secret not in joined
    assert "Sealed(***)" in repr(entry)
    assert "Generated(value=***" in repr(generate_password())


def test_exceptions_from_bad_secrets_say_nothing_of_them() -> None:
    """Parsing a bad TOTP value raises a message without the value."""
    from vaultapp.core.entry import normalize_totp
    from vaultapp.core.errors import UsageError

    for value in (
        "Canary-NotBase32-!!",
        f"otpauth://totp/X?secret={TOTP}&period=0",
        f"otpauth://nope/{TOTP}",
    ):
        with pytest.raises(UsageError) as info:
            normalize_totp(value)
        assert TOTP not in str(info.value)
        assert "Canary-NotBase32" not in str(info.value)


SECRETISH_CALLS = {"reveal", "unseal", "digest", "hexdigest", "header_mac", "secret_tag", "derive",
                   "decrypt_payload"}  # fmt: skip
SECRETISH_NAMES = ("password", "passphrase", "secret", "mac", "digest")


def _secretish(node: ast.expr) -> bool:
    if isinstance(node, ast.Call):
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        return name in SECRETISH_CALLS
    name = node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", "")
    return isinstance(name, str) and any(name.lower().endswith(s) for s in SECRETISH_NAMES)


def test_secrets_and_macs_are_compared_in_constant_time() -> None:
    """No `==`/`!=` in vaultapp has a secret or a MAC on either side (compare_digest instead).
    Comparisons with None, constants and lengths are fine."""
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Compare):
                continue
            operands = [node.left, *node.comparators]
            if not any(isinstance(op, (ast.Eq, ast.NotEq)) for op in node.ops):
                continue
            if any(isinstance(o, ast.Constant) for o in operands):
                continue
            if any(_secretish(o) for o in operands):
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert offenders == []


def test_the_constant_time_check_would_catch_a_plain_comparison() -> None:
    """The rule above flags the patterns it exists for."""
    tree = ast.parse("a = vault.reveal(x) == typed\nb = stored_mac != mac\nc = x.password is None")
    flagged = [
        n for n in ast.walk(tree)
        if isinstance(n, ast.Compare) and any(isinstance(op, (ast.Eq, ast.NotEq)) for op in n.ops)
        and any(_secretish(o) for o in [n.left, *n.comparators])
    ]  # fmt: skip
    assert len(flagged) == 2
