"""Lock with the system: logind's PrepareForSleep, the session's Lock and the screensavers'
ActiveChanged, emitted on private buses by a stand-in service, lock the real window."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.desktop.buses import FakeDesktop, fake_desktop
from tests.gui.conftest import unlock
from vaultapp.core import TEST_POLICY
from vaultapp.gui.main_window import MainWindow
from vaultapp.gui.settings import Settings


@pytest.fixture
def desktop(tmp_path: Path) -> Iterator[FakeDesktop]:
    with fake_desktop(tmp_path) as fake:
        yield fake


@pytest.fixture
def listening(qtbot, settings: Settings, demo_vault: Path, desktop: FakeDesktop) -> Iterator[MainWindow]:
    """An unlocked window listening on the private buses."""
    win = MainWindow(settings, policy=TEST_POLICY, vault_path=demo_vault)
    win.desktop.bus_addresses = (desktop.system_address, desktop.session_address)
    qtbot.addWidget(win)
    win.show()
    unlock(qtbot, win)
    bridge = win.desktop.bridge
    assert bridge is not None
    assert bridge.listener.wait_ready(30)
    assert bridge.status == {"sleep": "", "screensaver": "", "session-lock": ""}
    yield win
    win.lock()


@pytest.mark.parametrize(
    ("command", "source"),
    [
        ("sleep true", "sleep"),
        ("lock", "session-lock"),
        ("screensaver true", "screensaver"),
        ("gnome true", "screensaver"),
        ("xfce true", "screensaver"),
    ],
)
def test_a_system_signal_locks_the_vault(qtbot, listening: MainWindow, desktop: FakeDesktop, command: str,
                                         source: str) -> None:  # fmt: skip
    """Going to sleep, the session locked, a screensaver starting: each locks the unlocked vault."""
    assert listening.vault is not None
    with qtbot.waitSignal(listening.desktop.handled, timeout=10_000) as blocker:
        desktop.send(command)
    assert blocker.args == [source, True]
    assert listening.vault is None
    assert listening.stack.currentWidget() is listening.unlock_view


def test_waking_up_or_the_screen_unlocking_does_not_lock(qtbot, listening: MainWindow,
                                                         desktop: FakeDesktop) -> None:  # fmt: skip
    """PrepareForSleep(false) and ActiveChanged(false) are not locking signals: the first signal
    that reaches the window is the later locking one (one sender's signals keep their order)."""
    heard: list[str] = []
    listening.desktop.handled.connect(lambda source, _locked: heard.append(source))
    desktop.send("sleep false")
    with qtbot.waitSignal(listening.desktop.handled, timeout=10_000):
        desktop.send("lock")
    assert heard == ["session-lock"]
    unlock(qtbot, listening)
    desktop.send("screensaver false")
    with qtbot.waitSignal(listening.desktop.handled, timeout=10_000):
        desktop.send("screensaver true")
    assert heard == ["session-lock", "screensaver"]


@pytest.mark.parametrize(("command", "flag"), [("sleep true", "sleep"), ("lock", "session-lock"),
                                               ("gnome true", "screensaver")])  # fmt: skip
def test_a_switched_off_source_leaves_the_vault_unlocked(qtbot, listening: MainWindow, desktop: FakeDesktop,
                                                         command: str, flag: str) -> None:  # fmt: skip
    """With its switch off in Settings → Desktop, the signal is heard and the vault stays open."""
    listening.desktop.options.set(flag, False)
    with qtbot.waitSignal(listening.desktop.handled, timeout=10_000) as blocker:
        desktop.send(command)
    assert blocker.args == [flag, False]
    assert listening.vault is not None


def test_no_buses_leave_the_sources_quietly_unavailable(qtbot, settings: Settings, demo_vault: Path,
                                                         tmp_path: Path) -> None:  # fmt: skip
    """Without a system or session bus the window runs as before; the settings page says why."""
    from vaultapp.gui.dialogs import SettingsDialog

    win = MainWindow(settings, policy=TEST_POLICY, vault_path=demo_vault)
    win.desktop.bus_addresses = (f"unix:path={tmp_path}/none", f"unix:path={tmp_path}/none-either")
    qtbot.addWidget(win)
    win.show()
    unlock(qtbot, win)
    bridge = win.desktop.bridge
    assert bridge is not None
    assert bridge.listener.wait_ready(30)
    status = win.desktop.lock_status()
    assert set(status) == {"sleep", "screensaver", "session-lock"}
    assert all(" bus cannot be reached " in text for text in status.values()), status
    dialog = SettingsDialog(win, settings, win.vault)
    qtbot.addWidget(dialog)
    notes = dialog.desktop_page.notes
    expected = "Not available here: the system bus cannot be reached (FileNotFoundError)."
    assert notes["sleep"].text() == expected
    assert "session bus cannot be reached" in notes["screensaver"].text()
    assert dialog.desktop_page.checks["sleep"].isChecked()  # the switch keeps its value for later
    assert win.vault is not None
    win.lock()


def test_all_lock_switches_off_stops_listening(qtbot, listening: MainWindow) -> None:
    """Turning every lock switch off ends the listener thread (no D-Bus connection kept)."""
    bridge = listening.desktop.bridge
    assert bridge is not None
    assert bridge.listener.running
    for flag in ("sleep", "screensaver", "session-lock"):
        listening.desktop.options.set(flag, False)
    listening.apply_settings()
    assert listening.desktop.bridge is None
    assert not bridge.listener.running
