"""Security-review fixes seen from the window: HOTP codes use up their counter; a vault whose KDF
would take minutes is asked about before deriving, and the wait can be abandoned."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from tests.core.test_kdf_cost import GIB, HUGE_ARGON2, hostile_file
from tests.gui.conftest import select, unlock
from tests.helpers import PASSPHRASE, open_vault
from vaultapp.core import (
    TEST_PARAMS,
    TEST_POLICY,
    DamagedFileError,
    SlowKdfError,
    Vault,
    kdf,
    kdf_cost,
    vault_reading,
)
from vaultapp.core import vault as vault_module
from vaultapp.generators.otp import hotp, parse
from vaultapp.gui.main_window import MainWindow
from vaultapp.gui.settings import Settings
from vaultapp.gui.unlock import UnlockView

URI = "otpauth://hotp/Example:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&counter=5&issuer=Example"


def test_copying_an_hotp_code_uses_up_the_counter(qtbot, settings: Settings, tmp_path: Path) -> None:
    """The detail pane shows no HOTP code (that would use one up); each copy gives the next code
    and the counter on disk moves on at once."""
    path = tmp_path / "h.vault"
    with Vault.create(path, PASSPHRASE, kdf=TEST_PARAMS, policy=TEST_POLICY) as vault:
        uuid = vault.add("Bank token", totp=URI).uuid
        vault.save()
    win = MainWindow(settings, policy=TEST_POLICY, vault_path=path)
    qtbot.addWidget(win)
    win.show()
    unlock(qtbot, win)
    select(win, "Bank token")
    detail = win.vault_view.detail
    qtbot.waitUntil(lambda: detail.entry is not None and detail.entry.uuid == uuid)
    assert "counter-based" in detail.totp.text()
    copied = []
    for _ in range(2):
        win.actions_by_name["copy_totp_action"].trigger()
        copied.append(QGuiApplication.clipboard().text())
    assert copied == [hotp(parse(URI), 5), hotp(parse(URI), 6)]
    win.lock()
    with open_vault(path) as vault:
        assert parse(vault.reveal(vault.get(uuid).totp)).counter == 7  # type: ignore[arg-type]


def _window(qtbot, settings: Settings, path: Path) -> MainWindow:
    win = MainWindow(settings, policy=TEST_POLICY, vault_path=path)
    qtbot.addWidget(win)
    win.show()
    win.unlock_view.passphrase_edit.setText(PASSPHRASE)
    return win


def _settle() -> None:
    """Let abandoned workers end and deliver their (discarded) results."""
    QThreadPool.globalInstance().waitForDone(30_000)
    QApplication.processEvents()


def test_a_slow_kdf_is_asked_about_and_a_no_derives_nothing(
    qtbot, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A vault asking for 4 GiB x 16 passes: the window asks before deriving; "no" leaves it
    locked with the reason shown, and no derivation at those parameters ever started (spy)."""
    path = hostile_file(tmp_path / "gift.vault", HUGE_ARGON2)
    derived: list[int] = []
    real = kdf.argon2id_raw
    monkeypatch.setattr(kdf, "argon2id_raw", lambda *a, **k: derived.append(k["memory_kib"]) or real(*a, **k))
    monkeypatch.setattr(kdf_cost, "available_memory", lambda: 2 * GIB)  # refused here on any machine
    asked: list[str] = []
    monkeypatch.setattr(UnlockView, "ask_slow_kdf", lambda self, message: asked.append(message) or False)
    win = _window(qtbot, settings, path)
    view = win.unlock_view
    view.unlock_button.click()
    qtbot.waitUntil(lambda: not view.busy and view.error_label.isVisibleTo(view))
    assert len(asked) == 1
    assert "gift.vault asks for Argon2id, 4096 MiB, 16 passes" in asked[0]
    assert view.error_label.text().startswith("Not unlocked:")
    assert all(m <= 16 * 1024 for m in derived)
    assert win.vault is None


def test_stop_waiting_abandons_a_slow_unlock_and_discards_its_result(
    qtbot, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After "yes", the derivation runs in a worker with a Stop waiting button; pressing it frees
    the window at once (the derivation itself cannot be interrupted), and the vault the worker
    opens afterwards is closed, never shown."""
    path = tmp_path / "v.vault"
    Vault.create(path, PASSPHRASE, kdf=TEST_PARAMS, policy=TEST_POLICY).close()
    monkeypatch.setattr(vault_reading, "check_cost", lambda params, what: (_ for _ in ()).throw(
        SlowKdfError(f"{what} asks for a lot.")))  # fmt: skip
    started, release = threading.Event(), threading.Event()
    real = kdf.argon2id_raw

    def slow(*args: Any, **kwargs: Any) -> bytes:
        started.set()
        release.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(kdf, "argon2id_raw", slow)
    monkeypatch.setattr(UnlockView, "ask_slow_kdf", lambda self, message: True)
    closed: list[Vault] = []
    real_close = Vault.close
    monkeypatch.setattr(Vault, "close", lambda self: closed.append(self) or real_close(self))
    win = _window(qtbot, settings, path)
    view = win.unlock_view
    try:
        view.unlock_button.click()
        qtbot.waitUntil(started.is_set)
        assert view.busy
        assert view.cancel_button.isVisibleTo(view)
        with qtbot.assertNotEmitted(view.unlocked):
            view.cancel_button.click()
            assert not view.busy
            assert view.unlock_button.isEnabled()
            assert "cannot be interrupted" in view.error_label.text()
            release.set()
            _settle()
        assert [v.path for v in closed] == [path]
        assert win.vault is None
        assert "Stopped waiting" in view.error_label.text()
    finally:
        release.set()
        _settle()


def test_import_and_merge_of_a_slow_kdf_file_are_asked_about(
    qtbot, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """File → Import and File → Merge of a file asking for 4 GiB x 16 passes ask first, as
    the unlock view does: "no" derives nothing and changes nothing; "yes" opens it with the
    ceiling lifted (a spy stands in for that derivation)."""
    path = tmp_path / "mine.vault"
    Vault.create(path, PASSPHRASE, kdf=TEST_PARAMS, policy=TEST_POLICY).close()
    gift = hostile_file(tmp_path / "gift.vault", HUGE_ARGON2)
    derived: list[int] = []
    real_raw = kdf.argon2id_raw
    monkeypatch.setattr(
        kdf, "argon2id_raw", lambda *a, **k: derived.append(k["memory_kib"]) or real_raw(*a, **k)
    )
    monkeypatch.setattr(kdf_cost, "available_memory", lambda: 2 * GIB)  # refused here on any machine
    win = _window(qtbot, settings, path)
    win.unlock_view.unlock_button.click()
    qtbot.waitUntil(lambda: win.vault is not None)
    assert win.vault is not None
    before = win.vault.digest()
    asked: list[str] = []
    answer = [False]
    monkeypatch.setattr(win, "confirm", lambda title, text: asked.append(text) or answer[0])
    monkeypatch.setattr(win, "ask_passphrase", lambda name: PASSPHRASE)
    errors: list[str] = []
    monkeypatch.setattr("vaultapp.gui.merging.show_error", lambda p, exc, title: errors.append(str(exc)))
    monkeypatch.setattr("vaultapp.gui.transfer.show_error", lambda p, exc, title: errors.append(str(exc)))

    win.merging.merge_from_file(gift)
    win.transfers.import_file(gift)
    qtbot.waitUntil(lambda: len(asked) == 2 and not win.transfers.busy)
    assert all("gift.vault asks for Argon2id, 4096 MiB, 16 passes" in text for text in asked)
    assert all(m <= 16 * 1024 for m in derived)
    assert win.vault.digest() == before
    assert errors == []

    answer[0] = True  # yes: opened with the ceiling lifted; the spy ends it before deriving
    lifted: list[bool] = []
    real_open = vault_module.Vault.open.__func__  # type: ignore[attr-defined]

    def spy(cls: Any, *args: Any, **kw: Any) -> Vault:
        if kw.get("allow_slow_kdf"):
            lifted.append(True)
            raise DamagedFileError("stand-in: the derivation would start here")
        return real_open(cls, *args, **kw)  # type: ignore[no-any-return]

    monkeypatch.setattr(vault_module.Vault, "open", classmethod(spy))
    win.merging.merge_from_file(gift)
    win.transfers.import_file(gift)
    qtbot.waitUntil(lambda: len(lifted) == 2 and len(errors) == 2)
    assert all("stand-in" in e for e in errors)
    assert len(asked) == 4
    assert all(m <= 16 * 1024 for m in derived)
