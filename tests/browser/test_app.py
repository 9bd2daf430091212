"""The extension's side of the protocol, end to end through the real pieces: the test client
(tests/browser/client.py) writes length-prefixed JSON with real NaCl boxes to a real
``vaultapp-proxy`` subprocess, which relays to the real ``BrowserServer`` (QLocalServer, pytest-qt)
and its ``Handler`` over a real vault. The window's prompts are callbacks the test answers."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pytest

from tests.browser.client import Extension
from tests.helpers import open_vault
from vaultapp.browser import protocol
from vaultapp.browser.gui import BrowserServer
from vaultapp.core import Entry, Vault

T = TypeVar("T")
RFC6238_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # "12345678901234567890"


@dataclass
class App:
    """What the window would be: the vault (None while locked) and the answers to its prompts."""

    vault: Vault | None
    name: str | None = "Chromium at work"
    allow: Callable[[list[Entry], str], protocol.Access] = lambda entries, host: protocol.Access(
        frozenset(e.uuid for e in entries), remember=True
    )
    associations_asked: list[str] = field(default_factory=list)
    access_asked: list[tuple[list[str], str]] = field(default_factory=list)
    access_clients: list[str] = field(default_factory=list)  # who asked, as named at the association
    locks: int = 0
    unlocks: int = 0

    def callbacks(self) -> protocol.Callbacks:
        def ask_associate(key: str) -> str | None:
            self.associations_asked.append(key)
            return self.name

        def ask_access(entries: list[Entry], host: str, client: str) -> protocol.Access:
            self.access_asked.append(([e.title for e in entries], host))
            self.access_clients.append(client)
            return self.allow(entries, host)

        def lock() -> None:
            self.locks += 1

        def unlock() -> None:
            self.unlocks += 1

        return protocol.Callbacks(
            vault=lambda: self.vault, ask_associate=ask_associate, ask_access=ask_access,
            generate_password=lambda: "generated-by-the-app-settings", lock=lock, request_unlock=unlock,
            clock=lambda: 59.0,
        )  # fmt: skip


@pytest.fixture
def runtime(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "run"
    path.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(path))
    return path


@pytest.fixture
def app(new_vault: Vault) -> App:
    v = new_vault
    v.add("Example", username="alice", password="pw-site", url="https://example.com")
    v.add("Example login", username="alice2", password="pw-login", url="https://example.com/login")
    v.add("Other port", username="bob", password="pw-port", url="https://example.com:8443")
    v.add("Subdomain only", username="carol", password="pw-sub", url="https://accounts.example.com")
    v.add("Elsewhere", username="dave", password="pw-else", url="https://example.org")
    v.add("With TOTP", username="erin", password="pw-totp", url="https://totp.test",
          totp=f"otpauth://totp/x?secret={RFC6238_SECRET}&digits=8", folder="Work/Sites",
          custom=[("KPH: pin", "4321", True), ("note", "not sent", False)])  # fmt: skip
    v.save()
    return App(v)


@pytest.fixture
def server(app: App, runtime: Path) -> Iterator[BrowserServer]:
    srv = BrowserServer(protocol.Handler(app.callbacks()))
    srv.start()
    yield srv
    srv.close()


@pytest.fixture
def ext(server: BrowserServer, runtime: Path) -> Iterator[Extension]:
    client = Extension(runtime)
    yield client
    assert client.close() == 0


def via(qtbot: Any, fn: Callable[..., T], *args: Any) -> T:
    """Run the client's blocking call in a thread while the Qt loop serves it."""
    with ThreadPoolExecutor(1) as pool:
        future = pool.submit(fn, *args)
        qtbot.waitUntil(future.done, timeout=20000)
        return future.result()


def associated(qtbot: Any, ext: Extension) -> Extension:
    assert via(qtbot, ext.change_keys)["success"] == "true"
    assert via(qtbot, ext.associate)["success"] == "true"
    return ext


def test_key_exchange_association_and_test_associate(
    qtbot: Any, app: App, ext: Extension, runtime: Path
) -> None:
    reply = via(qtbot, ext.change_keys)
    assert (reply["success"], reply["version"]) == ("true", "2.7.0")
    dbhash = via(qtbot, ext.call, "get-databasehash")
    assert (dbhash["action"], dbhash["success"], len(dbhash["hash"])) == ("hash", "true", 64)
    reply = via(qtbot, ext.associate)
    assert (reply["success"], reply["id"], reply["hash"]) == ("true", "Chromium at work", dbhash["hash"])
    assert app.associations_asked == [base64.b64encode(bytes(ext.id_key.public_key)).decode()]
    assert via(qtbot, ext.test_associate)["id"] == "Chromium at work"
    wrong = via(qtbot, ext.test_associate, None, base64.b64encode(bytes(32)).decode())
    assert wrong["errorCode"] == 8
    assert via(qtbot, ext.test_associate, "Firefox at home")["errorCode"] == 8
    # the association is in the vault (sealed), so a new session of the same browser is known
    assert app.vault is not None
    reopened = open_vault(app.vault.path)
    assert list(protocol.clients(reopened)) == ["Chromium at work"]
    assert "Chromium" not in reopened.path.read_bytes().decode("latin-1")
    reopened.close()
    second = Extension(runtime)
    second.id_key, second.association = ext.id_key, ext.association
    assert via(qtbot, second.change_keys)["success"] == "true"
    assert via(qtbot, second.test_associate)["success"] == "true"
    assert second.close() == 0
    # declined in the dialog: no association
    app.name = None
    assert via(qtbot, ext.associate)["errorCode"] == 6


def test_get_logins_matching_access_and_audit(qtbot: Any, app: App, ext: Extension) -> None:
    associated(qtbot, ext)
    reply = via(qtbot, ext.get_logins, "https://example.com/login")
    assert reply["success"] == "true"
    assert [(e["name"], e["login"], e["password"]) for e in reply["entries"]] == [
        ("Example login", "alice2", "pw-login"),
        ("Example", "alice", "pw-site"),
    ]
    assert reply["count"] == 2
    assert app.access_asked == [(["Example login", "Example"], "example.com")]
    assert app.access_clients == ["Chromium at work"]
    # a subdomain gets the registered domain's entry and its own, not the other port's
    reply = via(qtbot, ext.get_logins, "https://accounts.example.com/signin")
    assert [e["name"] for e in reply["entries"]] == ["Subdomain only", "Example", "Example login"]
    reply = via(qtbot, ext.get_logins, "https://example.com:8443/")
    assert [e["name"] for e in reply["entries"]] == ["Other port"]
    # remembered per entry and site: the same page asks nothing again
    asked = len(app.access_asked)
    via(qtbot, ext.get_logins, "https://example.com/login")
    assert len(app.access_asked) == asked
    # denied and remembered: never for this site
    app.allow = lambda entries, host: protocol.Access(frozenset(), remember=True)
    assert via(qtbot, ext.get_logins, "https://example.org/")["errorCode"] == 19
    assert app.access_asked[-1] == (["Elsewhere"], "example.org")
    asked = len(app.access_asked)
    assert via(qtbot, ext.get_logins, "https://example.org/")["errorCode"] == 19
    assert len(app.access_asked) == asked
    # denied once without remembering: asked again next time
    app.allow = lambda entries, host: protocol.Access(frozenset(), remember=False)
    via(qtbot, ext.get_logins, "https://totp.test/")
    via(qtbot, ext.get_logins, "https://totp.test/")
    assert app.access_asked[-2:] == [(["With TOTP"], "totp.test")] * 2
    assert via(qtbot, ext.get_logins, "https://nothing.test/")["errorCode"] == 15
    assert (
        via(qtbot, ext.call, "get-logins", {"url": "https://example.com", "keys": [{"id": "x", "key": "y"}]})[
            "errorCode"
        ]
        == 8
    )
    # every credential handed out is in the audit log: entry, host, client; never the password
    assert app.vault is not None
    records = [r for r in app.vault.verify_log().records if r.event == "entry.sent"]
    hosts = {(r.detail or {}).get("host") for r in records}
    assert hosts == {"example.com", "accounts.example.com"}
    assert {(r.detail or {}).get("client") for r in records} == {"Chromium at work"}
    log = app.vault.audit_path.read_text()
    assert "pw-login" not in log
    assert "pw-site" not in log


def test_entry_fields_totp_and_string_fields(qtbot: Any, app: App, ext: Extension) -> None:
    associated(qtbot, ext)
    (entry,) = via(qtbot, ext.get_logins, "https://totp.test/")["entries"]
    assert entry["totp"] == "94287082"  # RFC 6238 appendix B, SHA-1, T = 59
    assert entry["group"] == "Sites"
    assert entry["stringFields"] == [{"KPH: pin": "4321"}]
    assert len(entry["uuid"]) == 32
    assert "expired" not in entry
    totp = via(qtbot, ext.call, "get-totp", {"uuid": entry["uuid"]})
    assert (totp["success"], totp["totp"]) == ("true", "94287082")
    assert via(qtbot, ext.call, "get-totp", {"uuid": "0" * 32})["errorCode"] == 18


def test_set_login_creates_then_updates_with_history(qtbot: Any, app: App, ext: Extension) -> None:
    associated(qtbot, ext)
    assert app.vault is not None
    reply = via(qtbot, ext.call, "set-login", {
        "url": "https://new.example.net/login", "submitUrl": "https://new.example.net/post",
        "id": "Chromium at work", "login": "zed", "password": "first", "group": "", "groupUuid": "",
        "uuid": "",
    })  # fmt: skip
    assert reply["success"] == "true"
    reopened = open_vault(app.vault.path)
    (made,) = [e for e in reopened.entries if e.username == "zed"]
    reopened.close()
    assert (made.title, made.url, made.folder) == (
        "new.example.net",
        "https://new.example.net/login",
        "KeePassXC-Browser Passwords",
    )
    reply = via(qtbot, ext.call, "set-login", {
        "url": "https://new.example.net/login", "id": "Chromium at work", "login": "zed",
        "password": "second", "uuid": made.uuid.replace("-", ""),
    })  # fmt: skip
    assert reply["success"] == "true"
    reopened = open_vault(app.vault.path)
    updated = reopened.get(made.uuid)
    assert reopened.reveal(updated.password) == "second"  # type: ignore[arg-type]
    assert [reopened.reveal(h.password) for h in updated.history] == ["first"]  # type: ignore[arg-type]
    reopened.close()


def test_generate_password_groups_and_new_group(qtbot: Any, app: App, ext: Extension) -> None:
    associated(qtbot, ext)
    reply = via(qtbot, lambda: ext.call("generate-password", {}, requestID="abcd1234"))
    assert reply["password"] == "generated-by-the-app-settings"
    groups = via(qtbot, ext.call, "get-database-groups")
    (root,) = groups["groups"]["groups"]
    assert root["name"] == "Root"
    assert [c["name"] for c in root["children"]] == ["Work"]
    assert [c["name"] for c in root["children"][0]["children"]] == ["Sites"]
    made = via(qtbot, ext.call, "create-new-group", {"groupName": "Browser/New"})
    assert made["name"] == "New"
    assert app.vault is not None
    assert "Browser/New" in open_vault(app.vault.path).folders
    groups = via(qtbot, ext.call, "get-database-groups")
    assert made["uuid"] in json.dumps(groups)


def test_locked_vault_serves_nothing_and_lock_is_notified(
    qtbot: Any, app: App, ext: Extension, server: BrowserServer
) -> None:
    associated(qtbot, ext)
    vault = app.vault
    app.vault = None
    server.notify_locked(True)
    assert via(qtbot, ext.read) == {"action": "database-locked"}
    assert via(qtbot, ext.get_logins, "https://example.com/")["errorCode"] == 1
    request = ext.request("get-databasehash", {}, triggerUnlock="true")
    ext.send(request)
    assert via(qtbot, ext.read)["errorCode"] == 1
    assert app.unlocks == 1
    app.vault = vault
    server.notify_locked(False)
    assert via(qtbot, ext.read) == {"action": "database-unlocked"}
    assert via(qtbot, ext.call, "lock-database")["errorCode"] == 1
    assert app.locks == 1


def test_replayed_and_wrong_nonces_through_the_proxy(qtbot: Any, app: App, ext: Extension) -> None:
    associated(qtbot, ext)
    request = ext.request("get-databasehash", {})
    ext.send(request)
    assert via(qtbot, ext.read)["action"] == "get-databasehash"
    ext.send(request)  # the same nonce again
    assert via(qtbot, ext.read)["errorCode"] == 4
    wrong = ext.request("get-databasehash", {})
    wrong["nonce"] = base64.b64encode(bytes(24)).decode()
    ext.send(wrong)
    assert via(qtbot, ext.read)["errorCode"] == 4
    # and the replies' nonces are the request's plus one (checked by Extension.open_reply)
    assert via(qtbot, ext.call, "get-databasehash")["success"] == "true"


def test_garbage_and_oversize_with_the_app_running(qtbot: Any, app: App, ext: Extension) -> None:
    import struct

    associated(qtbot, ext)
    ext.write_raw(struct.pack("=I", 5) + b"trash")
    assert via(qtbot, ext.read)["errorCode"] == 13
    size = 1024 * 1024 + 10
    ext.write_raw(struct.pack("=I", size) + b" " * size)
    assert "1 MiB" in via(qtbot, ext.read)["error"]
    assert via(qtbot, ext.call, "get-databasehash")["success"] == "true"


def test_independent_client_keepassxc_proxy_client(qtbot: Any, app: App, server: BrowserServer) -> None:
    """keepassxc-proxy-client (PyPI, written for KeePassXC's socket) against vaultapp's."""
    from keepassxc_proxy_client.protocol import Connection

    def run() -> tuple[str, Any, Any]:
        conn = Connection()
        try:
            conn.connect(str(server.path))
            dbhash = conn.get_databasehash()
            conn.associate()
            conn.test_associate()
            return dbhash, conn.get_logins("https://example.com/login"), conn.get_database_groups()
        finally:
            conn.socket.close()

    dbhash, logins, groups = via(qtbot, run)
    assert len(dbhash) == 64
    assert [e["login"] for e in logins] == ["alice2", "alice"]
    assert groups["groups"]["groups"][0]["name"] == "Root"
