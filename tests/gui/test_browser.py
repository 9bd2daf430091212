"""The window's browser integration with real pieces: Settings → Browser integration writing real
manifests in a temporary HOME (another host's asked about, kept and restored), Forget; and the
association and access dialogs answered by the test while the real extension test client
(tests/browser/client.py) talks through a real ``vaultapp-proxy`` to the window's real server;
lock notices from the window's own lock; the proxy starting the app on ``triggerUnlock``."""

from __future__ import annotations

import base64
import json
import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from PySide6.QtWidgets import QLabel, QWidget

from tests.browser.client import Extension
from tests.gui.browser_helpers import SHOWN, Answer, name_it, via
from tests.gui.conftest import unlock
from tests.helpers import PASSPHRASE
from vaultapp.browser import manifests
from vaultapp.browser.stored import Stored, clients
from vaultapp.core import Vault
from vaultapp.gui.browser_dialogs import AccessDialog, fingerprint
from vaultapp.gui.browser_settings import BrowserSettingsPage
from vaultapp.gui.dialogs import SettingsDialog
from vaultapp.gui.main_window import MainWindow
from vaultapp.gui.settings import Settings

T = TypeVar("T")
KEEPASSXC = {
    "name": manifests.HOST_NAME,
    "description": "KeePassXC integration with native messaging support",
    "path": "/usr/bin/keepassxc-proxy",
    "type": "stdio",
    "allowed_extensions": ["keepassxc-browser@keepassxc.org"],
}
LOCKED, NOT_RUNNING, DENIED = 1, 5, 19


# ---- the settings page ---------------------------------------------------------------------------


def test_browser_switch_writes_and_removes_the_manifest(qtbot: Any, settings: Settings) -> None:
    page = BrowserSettingsPage(settings, None)
    qtbot.addWidget(page)
    page.switches["chromium"].click()
    path = manifests.hosts_dir("chromium") / manifests.FILE_NAME
    data = json.loads(path.read_text())
    assert data["description"] == manifests.DESCRIPTION
    assert "chrome-extension://oboonakemofpalcgghocfoadofidjkkk/" in data["allowed_origins"]
    assert page.switches["chromium"].isChecked()
    assert "vaultapp" in page.states["chromium"].text()
    page.switches["chromium"].click()
    assert not path.exists()
    assert not page.switches["chromium"].isChecked()


def test_another_hosts_manifest_is_replaced_only_when_agreed_and_restored(
    qtbot: Any, settings: Settings
) -> None:
    path = manifests.hosts_dir("firefox") / manifests.FILE_NAME
    path.parent.mkdir(parents=True)
    original = json.dumps(KEEPASSXC, indent=4).encode()
    path.write_bytes(original)
    page = BrowserSettingsPage(settings, None)
    qtbot.addWidget(page)
    assert "/usr/bin/keepassxc-proxy" in page.states["firefox"].text()
    asked: list[str] = []
    page.confirm = lambda title, text: asked.append(text) is not None  # "No"
    page.switches["firefox"].click()
    assert len(asked) == 1
    assert "/usr/bin/keepassxc-proxy" in asked[0]
    assert path.read_bytes() == original
    assert not page.switches["firefox"].isChecked()

    page.confirm = lambda title, text: asked.append(text) is None  # "Yes"
    page.switches["firefox"].click()
    assert len(asked) == 2
    assert json.loads(path.read_text())["description"] == manifests.DESCRIPTION
    assert page.switches["firefox"].isChecked()
    page.switches["firefox"].click()  # off: KeePassXC's file comes back as it was
    assert path.read_bytes() == original
    assert len(asked) == 2


def test_the_master_switch_is_stored_with_ok(qtbot: Any, settings: Settings) -> None:
    dialog = SettingsDialog(None, settings, None)
    qtbot.addWidget(dialog)
    assert dialog.tabs.tabText(1) == "Browser integration"
    assert not dialog.browser_page.enabled_check.isChecked()
    dialog.browser_page.enabled_check.setChecked(True)
    dialog.apply()
    assert Settings(settings.path).browser_enabled


def test_forget_removes_a_connected_browser(qtbot: Any, settings: Settings, new_vault: Vault) -> None:
    stored = Stored(new_vault)
    stored.clients["Firefox at home"] = {"key": "a2V5", "created": "2026-01-02T03:04:05+00:00"}
    stored.clients["Chromium at work"] = {"key": "b2V5", "created": "2026-01-02T03:04:05+00:00"}
    stored.save()
    page = BrowserSettingsPage(settings, new_vault)
    qtbot.addWidget(page)
    rows = page.findChildren(QWidget, "browser_client_row")
    names = [r.findChild(QWidget, "browser_client_name").text() for r in rows]  # type: ignore[union-attr]
    assert names == ["Chromium at work", "Firefox at home"]
    rows[1].findChild(QWidget, "browser_forget_button").click()  # type: ignore[union-attr]
    assert list(clients(new_vault)) == ["Chromium at work"]
    reopened = Vault.open(new_vault.path, PASSPHRASE)
    try:
        assert list(clients(reopened)) == ["Chromium at work"]
    finally:
        reopened.close()


# ---- the dialogs through the real proxy and server ------------------------------------------------


@pytest.fixture
def runtime(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "run"
    path.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(path))
    return path


@pytest.fixture
def serving(qtbot: Any, window: MainWindow, runtime: Path) -> MainWindow:
    window.settings.browser_enabled = True
    unlock(qtbot, window)
    assert window.browser.server is not None
    return window


@pytest.fixture
def ext(serving: MainWindow, runtime: Path) -> Iterator[Extension]:
    client = Extension(runtime)
    yield client
    assert client.proxy.stdin is not None
    assert client.proxy.stdout is not None
    client.proxy.stdin.close()
    rest = client.proxy.stdout.read()  # only lock notices may be left unread
    while rest:
        size = int.from_bytes(rest[:4], sys.byteorder)
        assert json.loads(rest[4 : 4 + size])["action"] in ("database-locked", "database-unlocked")
        rest = rest[4 + size :]
    client.proxy.stdout.close()
    assert client.proxy.wait(timeout=10) == 0


def associate(qtbot: Any, ext: Extension, name: str = "Firefox at home") -> Answer:
    assert via(qtbot, ext.change_keys)["success"] == "true"
    answer = Answer("browser_associate_dialog", name_it(name))
    reply = via(qtbot, ext.associate)
    assert (reply["success"], reply["id"]) == ("true", name)
    return answer


def test_the_user_names_the_browser_in_the_association_dialog(
    qtbot: Any, serving: MainWindow, ext: Extension
) -> None:
    answer = associate(qtbot, ext, "Firefox at home")
    assert len(answer.seen) == 1
    id_key = base64.b64encode(bytes(ext.id_key.public_key)).decode()
    assert fingerprint(id_key) in SHOWN[0]
    assert serving.vault is not None
    assert list(clients(serving.vault)) == ["Firefox at home"]
    assert via(qtbot, ext.test_associate)["success"] == "true"


def test_cancelling_the_association_dialog_refuses(qtbot: Any, serving: MainWindow, ext: Extension) -> None:
    assert via(qtbot, ext.change_keys)["success"] == "true"
    answer = Answer("browser_associate_dialog", lambda d: d.reject())
    reply = via(qtbot, ext.associate)
    assert reply["errorCode"] == 6
    assert len(answer.seen) == 1
    assert serving.vault is not None
    assert clients(serving.vault) == {}


def test_the_access_dialog_allows_remembers_and_denies(
    qtbot: Any, serving: MainWindow, ext: Extension
) -> None:
    associate(qtbot, ext)

    def allow_and_remember(dialog: AccessDialog) -> None:
        assert [dialog.list.item(i).text() for i in range(dialog.list.count())] == ["GitHub (alice)"]
        question = dialog.findChild(QLabel, "browser_access_text")
        assert question is not None
        assert question.text().startswith("The browser <b>Firefox at home</b> asks for logins on")
        dialog.remember_check.setChecked(True)
        dialog.allow_button.click()

    answer = Answer("browser_access_dialog", allow_and_remember)
    reply = via(qtbot, ext.get_logins, "https://github.com/login")
    assert [(e["name"], e["login"], e["password"]) for e in reply["entries"]] == [
        ("GitHub", "alice", "gh-s3cret")
    ]
    assert len(answer.seen) == 1
    again = Answer("browser_access_dialog", lambda d: d.reject())
    reply = via(qtbot, ext.get_logins, "https://github.com/")
    assert reply["entries"][0]["password"] == "gh-s3cret"
    assert again.seen == []  # remembered: no second question
    again.timer.stop()

    denied = Answer("browser_access_dialog", lambda d: d.deny_button.click())
    reply = via(qtbot, ext.get_logins, "https://bank.example/")
    assert reply["errorCode"] == DENIED
    assert len(denied.seen) == 1


def test_generate_password_uses_the_saved_generator_settings(
    qtbot: Any, serving: MainWindow, ext: Extension
) -> None:
    serving.settings.generator_options = {"length": 33, "symbols": False, "upper": False}
    associate(qtbot, ext)
    password = via(qtbot, ext.call, "generate-password")["password"]
    assert len(password) == 33
    assert password == password.lower()
    assert password.isalnum()


def read_until_error(ext: Extension) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    notices: list[dict[str, Any]] = []
    while True:
        value = ext.read()
        if "errorCode" in value:
            return notices, value
        notices.append(value)


def test_a_lock_while_the_access_dialog_is_open_answers_locked(
    qtbot: Any, serving: MainWindow, ext: Extension
) -> None:
    associate(qtbot, ext)
    answer = Answer("browser_access_dialog", lambda d: serving.lock())
    ext.send(ext.request("get-logins", {"url": "https://github.com", "keys": ext.keys()}))
    notices, error = via(qtbot, read_until_error, ext)
    assert error["errorCode"] == LOCKED
    assert notices == [{"action": "database-locked"}]
    assert len(answer.seen) == 1
    assert serving.vault is None


def test_closing_the_window_with_a_dialog_open_never_hangs_the_proxy(
    qtbot: Any, serving: MainWindow, ext: Extension
) -> None:
    associate(qtbot, ext)
    answer = Answer("browser_access_dialog", lambda d: serving.close())
    ext.send(ext.request("get-logins", {"url": "https://github.com", "keys": ext.keys()}))
    _notices, error = via(qtbot, read_until_error, ext)
    assert error["errorCode"] in (LOCKED, NOT_RUNNING)
    assert len(answer.seen) == 1
    assert serving.browser.server is None
    assert via(qtbot, ext.change_keys)["errorCode"] == NOT_RUNNING  # the proxy is still there


def test_the_windows_lock_and_unlock_notify_the_browser(
    qtbot: Any, serving: MainWindow, ext: Extension
) -> None:
    associate(qtbot, ext)
    assert via(qtbot, ext.get_logins, "https://nothing.test/")["errorCode"] == 15
    assert serving.browser.server is not None
    assert serving.browser.server.handler.index.built  # get-logins' entries by host
    serving.lock()
    assert not serving.browser.server.handler.index.built  # dropped at the lock
    assert via(qtbot, ext.read) == {"action": "database-locked"}
    reply = via(qtbot, ext.call, "get-databasehash")
    assert reply["errorCode"] == LOCKED
    unlock(qtbot, serving)
    assert via(qtbot, ext.read) == {"action": "database-unlocked"}
    assert via(qtbot, ext.call, "get-databasehash")["success"] == "true"


def test_turning_the_integration_off_stops_serving(qtbot: Any, serving: MainWindow, ext: Extension) -> None:
    assert via(qtbot, ext.change_keys)["success"] == "true"
    serving.settings.browser_enabled = False
    serving.apply_settings()
    assert serving.browser.server is None
    assert via(qtbot, ext.change_keys)["errorCode"] == NOT_RUNNING


# ---- the proxy starting the app ------------------------------------------------------------------


def test_the_proxy_starts_the_app_when_asked_to_trigger_unlock(
    qtbot: Any, tmp_path: Path, runtime: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No app is running: the reply is the "not running" error either way, and only a request
    with triggerUnlock starts ``vaultapp`` (a stand-in first on PATH records that it ran)."""
    bin_dir, marker = tmp_path / "bin", tmp_path / "started"
    bin_dir.mkdir()
    fake = bin_dir / "vaultapp"
    fake.write_text(f"#!/bin/sh\necho started >> {marker}\n")
    fake.chmod(stat.S_IRWXU)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    ext = Extension(runtime)
    try:
        ext.send({"action": "get-databasehash", "nonce": "x", "clientID": "c"})
        assert ext.read()["errorCode"] == NOT_RUNNING
        assert not marker.exists()
        ext.send({"action": "get-databasehash", "nonce": "x", "clientID": "c", "triggerUnlock": "true"})
        assert ext.read()["errorCode"] == NOT_RUNNING
        qtbot.waitUntil(marker.exists, timeout=10_000)
    finally:
        assert ext.close() == 0
    assert marker.read_text() == "started\n"


def test_the_page_cannot_put_markup_in_the_access_dialog(qtbot: Any, new_vault: Vault) -> None:
    entry = new_vault.add("Site", username="u", password="p", url="https://example.com")
    dialog = AccessDialog(None, [entry], '<a href="https://evil.test">example.com</a>', "<i>Work</i>")
    qtbot.addWidget(dialog)
    texts = [label.text() for label in dialog.findChildren(QLabel)]
    assert any("&lt;a href=" in text for text in texts)
    assert not any("<a href" in text for text in texts)
    assert any("The browser <b>&lt;i&gt;Work&lt;/i&gt;</b>" in text for text in texts)  # its name too


def test_a_locked_window_answers_locked_and_no_second_app_is_started(
    qtbot: Any, window: MainWindow, runtime: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the integration on, the window serves from its first paint: before any unlock the
    extension's unlock request gets "locked" from this app, and the proxy starts no other."""
    bin_dir, marker = tmp_path / "bin", tmp_path / "started"
    bin_dir.mkdir()
    fake = bin_dir / "vaultapp"
    fake.write_text(f"#!/bin/sh\necho started >> {marker}\n")
    fake.chmod(stat.S_IRWXU)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    window.settings.browser_enabled = True
    window.apply_settings()
    assert window.vault is None
    assert window.browser.server is not None
    ext = Extension(runtime)
    try:
        assert via(qtbot, ext.change_keys)["success"] == "true"
        reply = via(qtbot, lambda: ext.call("get-databasehash", {}, triggerUnlock="true"))
        assert reply["errorCode"] == LOCKED
    finally:
        assert ext.close() == 0
    assert not marker.exists()
