"""vaultapp-cli check and log, through real subprocesses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_contract import PW, cli, one_line_error


@pytest.fixture
def weak_vault(tmp_path: Path) -> Path:
    path = tmp_path / "v.vault"
    cli("init", str(path), "--unlock-ms", "50", stdin=PW + "\n")
    cli("add", str(path), "--title", "Bank", stdin=f"{PW}\niloveyou\n")
    cli("add", str(path), "--title", "Mail", stdin=f"{PW}\nSame-Pass-4-Two-Sites!\n")
    cli("add", str(path), "--title", "Shop", stdin=f"{PW}\nSame-Pass-4-Two-Sites!\n")
    cli("add", str(path), "--title", "Good", "--generate", stdin=PW + "\n")
    return path


def test_check_prints_findings_and_exits_0(weak_vault: Path) -> None:
    """Findings are printed with an action; the exit status is 0 even so."""
    out = cli("check", str(weak_vault), stdin=PW + "\n").stdout
    lines = out.splitlines()
    assert lines[0].startswith("Health ")
    assert "/100 over 4 passwords" in lines[0]
    assert any("Bank" in line and "breached" in line and "Regenerate" in line for line in lines)
    assert sum("reused" in line for line in lines[1:]) == 2
    assert not any("Good" in line for line in lines[1:])
    assert "iloveyou" not in out


def test_check_json_and_cache(weak_vault: Path) -> None:
    """--json lists findings and per-entry results; the second run reads the cache kept in the
    vault (the file changed once, then not again)."""
    first = json.loads(cli("check", str(weak_vault), "--json", stdin=PW + "\n").stdout)
    kinds = {(f["title"], f["kind"]) for f in first["findings"]}
    assert ("Bank", "breached") in kinds
    assert ("Mail", "reused") in kinds
    assert ("Shop", "reused") in kinds
    assert {e["title"] for e in first["entries"]} == {"Bank", "Mail", "Shop", "Good"}
    assert 0 <= first["score"] < 100
    stamp = weak_vault.stat().st_mtime_ns
    second = json.loads(cli("check", str(weak_vault), "--json", stdin=PW + "\n").stdout)
    assert second == first
    assert weak_vault.stat().st_mtime_ns == stamp  # nothing new to cache: not written again


def test_check_rejects_a_bad_option(weak_vault: Path) -> None:
    """A nonsense --max-age-days is a usage error (exit 2, one line)."""
    result = cli("check", str(weak_vault), "--max-age-days", "0", stdin=PW + "\n", check_rc=2)
    assert "--max-age-days" in one_line_error(result)


def test_log_lists_events_and_verifies(weak_vault: Path) -> None:
    """log shows what happened (titles resolved on screen only); --verify says intact."""
    cli("show", str(weak_vault), "Bank", "--field", "password", stdin=PW + "\n")
    cli("ls", str(weak_vault), stdin="wrong\n", check_rc=3)
    result = cli("log", str(weak_vault), "--verify", stdin=PW + "\n")
    assert "Vault created" in result.stdout
    assert "Secret shown  Bank  (field: password)" in result.stdout
    assert "Failed unlock (wrong passphrase)  (unauthenticated)" in result.stdout
    assert "intact" in result.stderr
    records = json.loads(cli("log", str(weak_vault), "--json", "--last", "3", stdin=PW + "\n").stdout)
    assert len(records["records"]) == 3
    assert [r["event"] for r in records["records"]][-2:] == ["entry.revealed", "unlock.failed"]


def test_log_verify_fails_on_tampering_with_exit_4(weak_vault: Path) -> None:
    """An edited record makes --verify exit 4 with one line naming the record."""
    log = weak_vault.with_name(weak_vault.name + ".log")
    lines = log.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[2] = lines[2].replace('"entry.created"', '"entry.deleted"')
    log.write_text("".join(lines), encoding="utf-8")
    result = cli("log", str(weak_vault), "--verify", stdin=PW + "\n", check_rc=4)
    assert "Record 2" in one_line_error(result)


def test_log_verify_reports_a_forged_unauthenticated_record(weak_vault: Path) -> None:
    """Anyone can append a record chained with the unkeyed hash; one that is not a failed unlock
    is listed as FORGED and --verify exits 4 naming it."""
    import base64
    import hashlib

    log = weak_vault.with_name(weak_vault.name + ".log")
    last = json.loads(log.read_text(encoding="utf-8").splitlines()[-1])
    prev = base64.b64decode(last.get("mac") or last["hash"])
    content = {"seq": last["seq"] + 1, "time": "2026-11-29T10:00:00+00:00", "event": "vault.exported"}
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":")).encode()
    digest = hashlib.sha256(b"vaultapp audit unauthenticated v1" + prev + canonical).digest()
    with log.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(dict(content, hash=base64.b64encode(digest).decode())) + "\n")
    listing = cli("log", str(weak_vault), stdin=PW + "\n").stdout
    assert any("Exported" in line and "FORGED" in line for line in listing.splitlines())
    result = cli("log", str(weak_vault), "--verify", stdin=PW + "\n", check_rc=4)
    assert "forged" in one_line_error(result)


def test_a_busy_log_is_said_at_once_and_reported_by_verify(weak_vault: Path) -> None:
    """While another process holds the log's lock, a command still works, says on stderr that
    its events were not logged, and log --verify then reports the gap (exit 0, not 'intact' alone)."""
    import subprocess
    import sys

    from vaultapp.core.locks import ExclusiveLock

    script = (  # the real command line, with the log's lock wait cut to nothing
        "import sys\nfrom vaultapp.core import audit\naudit.LOCK_TIMEOUT = 0\n"
        "from vaultapp.cli import main\nsys.exit(main())\n"
    )
    holder = ExclusiveLock(weak_vault.with_name(weak_vault.name + ".log.lock"))
    holder.acquire()
    try:
        result = subprocess.run(
            [sys.executable, "-c", script, "show", str(weak_vault), "Bank", "--field", "password"],
            input=PW + "\n", capture_output=True, text=True, check=False,
        )  # fmt: skip
    finally:
        holder.release()
    assert result.returncode == 0, result.stderr
    assert result.stdout == "iloveyou\n"
    warning = result.stderr.strip().splitlines()
    assert len(warning) == 1, result.stderr
    assert warning[0].startswith("vaultapp-cli: warning: ")
    assert "busy" in warning[0]
    assert "1 event was not logged" in warning[0]  # entry.revealed (a read logs no unlock)
    verify = cli("log", str(weak_vault), "--verify", stdin=PW + "\n")
    assert "intact" in verify.stderr
    assert "Note: 1 event (entry.revealed) could not be logged" in verify.stderr
