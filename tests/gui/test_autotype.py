"""Auto-type from the window, on a private Xvfb with openbox: the global shortcut (sent through
XTEST by the test, as a keyboard would) types the matching entry into a separate program's
window; nothing is typed while the vault is locked; several matches bring up the chooser;
Entry → Perform auto-type types the selected entry into the window the user was in before.
The window itself is offscreen; only its typing goes to the test's X server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from tests.autotype.session import Target, target, x_session
from tests.gui.conftest import select, unlock
from tests.helpers import PASSPHRASE
from vaultapp.autotype.hotkey import parse_shortcut
from vaultapp.autotype.keymap import MODIFIER_KEYSYMS
from vaultapp.autotype.sequence import Char
from vaultapp.autotype.x11 import connect, read_keymap, type_strokes
from vaultapp.core import TEST_PARAMS, TEST_POLICY, Vault
from vaultapp.gui.autotype_link import LOCKED
from vaultapp.gui.main_window import MainWindow
from vaultapp.gui.settings import Settings

__all__ = ["target", "x_session"]  # fixtures

USERNAME = "jürgen@example.com"
PASSWORD = "é ß ü € {|} Pass~1"
WAIT_MS = 30_000


@pytest.fixture
def login_vault(tmp_path: Path) -> Path:
    path = tmp_path / "logins.vault"
    with Vault.create(path, PASSPHRASE, kdf=TEST_PARAMS, policy=TEST_POLICY) as vault:
        vault.add("Example Login", username=USERNAME, password=PASSWORD)
        vault.add("Other site", username="other", password="other-pw")
        vault.save()
    return path


@pytest.fixture
def window(qtbot, settings: Settings, login_vault: Path, x_session: str) -> Iterator[MainWindow]:
    win = MainWindow(settings, policy=TEST_POLICY, vault_path=login_vault)
    win.autotype.display_name = x_session  # the window is offscreen; auto-type uses the Xvfb
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.autotype.listener is not None, timeout=WAIT_MS)
    yield win
    try:
        qtbot.waitUntil(lambda: not win.autotype.busy, timeout=8000)  # no typing outlives the test
    except Exception:
        import faulthandler
        import sys

        faulthandler.dump_traceback(sys.stderr, all_threads=True)
        raise
    win.lock()
    win.autotype.close()


def press_shortcut(display_name: str, text: str = "Ctrl+Alt+A") -> None:
    """Press and release the shortcut through XTEST, as the keyboard would."""
    from Xlib import X
    from Xlib.ext import xtest

    display = connect(display_name)
    keymap = read_keymap(display)
    shortcut = parse_shortcut(text)
    key = keymap.find(shortcut.keysym)
    assert key is not None
    mods = [keymap.modifier(name) for name in sorted(shortcut.mods)]
    for code in [*mods, key.keycode]:
        xtest.fake_input(display, X.KeyPress, code)
    for code in [key.keycode, *reversed(mods)]:
        xtest.fake_input(display, X.KeyRelease, code)
    display.sync()
    display.close()
    assert MODIFIER_KEYSYMS  # the modifiers pressed are the ones the typer knows


def submitted(qtbot, window: MainWindow, target: Target) -> dict[str, str]:
    """What the target got at Enter, once the typing has ended; it is typed once, nothing after."""
    qtbot.waitUntil(lambda: target.last("submit") is not None, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not window.autotype.busy, timeout=WAIT_MS)
    found = target.last("submit")
    assert found is not None
    assert target.seen[-1] == found
    assert [line["event"] for line in target.seen].count("submit") == 1
    return found


def test_the_global_shortcut_types_the_matching_entry(qtbot, window: MainWindow, x_session: str) -> None:
    unlock(qtbot, window)
    target = Target(x_session)  # "Example Login - Test": only "Example Login" matches
    try:
        press_shortcut(x_session)
        typed = submitted(qtbot, window, target)
    finally:
        target.close()
    assert (typed["username"], typed["password"]) == (USERNAME, PASSWORD)
    assert window.vault is not None
    records = [r for r in window.vault.verify_log().records if r.event == "entry.typed"]
    assert [r.detail for r in records] == [{"fields": ["password", "username"]}]
    qtbot.waitUntil(lambda: not window.autotype.busy, timeout=WAIT_MS)  # the worker has ended
    assert window.statusBar().currentMessage() == "Typed “Example Login”."


def test_nothing_is_typed_while_the_vault_is_locked(qtbot, window: MainWindow, x_session: str) -> None:
    target = Target(x_session)
    try:
        press_shortcut(x_session)
        qtbot.waitUntil(lambda: window.statusBar().currentMessage() == LOCKED, timeout=WAIT_MS)
        # The shortcut was handled and typed nothing: a key typed now is the first to arrive.
        type_strokes([Char("#")], display_name=x_session)
        qtbot.waitUntil(lambda: target.last("text") is not None, timeout=WAIT_MS)
        assert [line["username"] for line in target.seen if line["event"] == "text"] == ["#"]
    finally:
        target.close()


def test_several_matches_bring_up_the_chooser(qtbot, window: MainWindow, x_session: str) -> None:
    unlock(qtbot, window)
    assert window.vault is not None
    window.vault.add("Example Login", username="second", password="second-pw")
    target = Target(x_session)
    try:
        press_shortcut(x_session)
        qtbot.waitUntil(lambda: window.autotype.chooser is not None, timeout=WAIT_MS)
        chooser = window.autotype.chooser
        assert chooser is not None
        assert [chooser.list.item(r).text() for r in range(chooser.list.count())] == [
            f"Example Login — {USERNAME}",
            "Example Login — second",
        ]
        assert target.last("text") is None  # nothing typed before the choice
        chooser.filter.setText("second")
        qtbot.keyClick(chooser.filter, Qt.Key.Key_Return)
        typed = submitted(qtbot, window, target)
    finally:
        target.close()
    assert (typed["username"], typed["password"]) == ("second", "second-pw")


def test_the_chooser_can_be_cancelled_and_a_lock_closes_it(qtbot, window: MainWindow, x_session: str) -> None:
    unlock(qtbot, window)
    assert window.vault is not None
    window.vault.add("Example Login", username="second", password="second-pw")
    target = Target(x_session)
    try:
        press_shortcut(x_session)
        qtbot.waitUntil(lambda: window.autotype.chooser is not None, timeout=WAIT_MS)
        window.lock()
        assert window.autotype.chooser is None
        type_strokes([Char("#")], display_name=x_session)
        qtbot.waitUntil(lambda: target.last("text") is not None, timeout=WAIT_MS)
        assert [line["username"] for line in target.seen if line["event"] == "text"] == ["#"]
    finally:
        target.close()


def test_perform_autotype_types_the_selected_entry_into_the_previous_window(
    qtbot, window: MainWindow, x_session: str
) -> None:
    unlock(qtbot, window)
    target = Target(x_session, "Some other program")  # no entry matches its title
    try:
        qtbot.waitUntil(lambda: window.autotype.listener.previous() == target.window, timeout=WAIT_MS)
        select(window, "Other site")
        window.actions_by_name["autotype_action"].trigger()
        typed = submitted(qtbot, window, target)
    finally:
        target.close()
    assert (typed["username"], typed["password"]) == ("other", "other-pw")
    assert window.actions_by_name["autotype_action"].shortcut().toString() == "Ctrl+Shift+V"


def test_the_real_window_on_x11(x_session: str) -> None:
    """tests/gui/autotype_window.py: the window on the X server itself, in its own process."""
    env = {**os.environ, "DISPLAY": x_session, "QT_QPA_PLATFORM": "xcb"}
    done = subprocess.run(
        [sys.executable, "-m", "tests.gui.autotype_window"], env=env, capture_output=True, text=True,
        timeout=300, check=False, cwd=Path(__file__).parents[2],
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    steps = {line["step"]: line for line in map(json.loads, done.stdout.splitlines())}
    assert steps["start"]["platform"] == "xcb"
    assert steps["start"]["active"].endswith("vaultapp")  # vaultapp's own window has the focus
    perform = steps["perform"]
    assert (perform["typed"]["username"], perform["typed"]["password"]) == ("other", "other-pw")
    assert perform["minimised"] is True
    shortcut = steps["shortcut"]["typed"]
    assert (shortcut["username"], shortcut["password"]) == ("user-é", "pw€{|}")
    assert steps["chooser"]["active"] == "Auto-type: choose an entry"
    chosen = steps["chosen"]["typed"]
    assert (chosen["username"], chosen["password"]) == ("second", "second-pw")
