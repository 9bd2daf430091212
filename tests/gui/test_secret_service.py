"""The window's Secret Service on a private session bus, driven by the real secret-tool (libsecret),
secretstorage and keyring: store, lookup, search, replace, delete, lock, the unlock prompt, both
session algorithms, the per-program question and the audit log."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.gui.conftest import titles, unlock
from tests.gui.secret_helpers import Background, in_thread, secret_tool, session_bus  # noqa: F401 - fixture
from vaultapp.gui.main_window import MainWindow

pytestmark = pytest.mark.usefixtures("session_bus")


@pytest.fixture
def served(qtbot: Any, window: MainWindow) -> MainWindow:
    window.settings.secret_service_enabled = True
    window.settings.secret_service_folder = "Keyring"
    unlock(qtbot, window)
    assert window.secrets.server is not None, window.secrets.error
    return window


def store(qtbot: Any, label: str, secret: str, *attrs: str) -> None:
    done = secret_tool(qtbot, "store", f"--label={label}", *attrs, stdin=secret)
    assert done.returncode == 0, done.stderr


def test_store_lookup_search_replace_delete_with_secret_tool(qtbot: Any, served: MainWindow) -> None:
    store(qtbot, "Deploy token", "tok-1", "service", "deploy", "user", "ci")
    store(qtbot, "Other", "other-pw", "service", "other", "user", "ci")
    vault = served.vault
    assert vault is not None
    entry = next(e for e in vault.entries if e.title == "Deploy token")
    assert entry.folder == "Keyring"
    assert {f.name: f.value for f in entry.custom} == {"attr:service": "deploy", "attr:user": "ci"}
    assert "Deploy token" in titles(served)  # an ordinary entry, shown in the window

    found = secret_tool(qtbot, "lookup", "service", "deploy")
    assert (found.returncode, found.stdout) == (0, "tok-1")
    listed = secret_tool(qtbot, "search", "--all", "user", "ci")
    assert listed.stdout.count("label = ") == 2
    only = secret_tool(qtbot, "search", "--all", "service", "other")
    assert "label = Other" in only.stdout
    assert "Deploy token" not in only.stdout
    assert secret_tool(qtbot, "lookup", "service", "nowhere").returncode == 1

    store(qtbot, "Deploy token", "tok-2", "service", "deploy", "user", "ci")  # replaces
    assert secret_tool(qtbot, "lookup", "service", "deploy").stdout == "tok-2"
    same = [e for e in vault.entries if e.title == "Deploy token"]
    assert len(same) == 1
    assert len(same[0].history) == 1

    assert secret_tool(qtbot, "clear", "service", "deploy").returncode == 0
    assert secret_tool(qtbot, "lookup", "service", "deploy").returncode == 1
    assert [e.title for e in vault.trashed_entries] == ["Deploy token"]


def test_only_the_chosen_folder_is_served(qtbot: Any, served: MainWindow) -> None:
    listed = secret_tool(qtbot, "search", "--all", "user", "")
    assert listed.stdout == ""
    everything = in_thread(qtbot, lambda: _secretstorage_labels())
    assert everything == []  # GitHub, Bank and Mail are in other folders


def _secretstorage_labels() -> list[str]:
    import secretstorage

    with secretstorage.dbus_init() as conn:
        return sorted(i.get_label() for i in secretstorage.get_default_collection(conn).get_all_items())


def test_lock_refuses_and_the_unlock_prompt_opens_the_unlock_window(qtbot: Any, served: MainWindow) -> None:
    import secretstorage

    store(qtbot, "Token", "t0k", "service", "svc")
    known = in_thread(qtbot, lambda: _call("SearchItems", "a{ss}", {"service": "svc"}))[0]
    assert len(known) == 1
    served.lock()
    refused = secret_tool(qtbot, "lookup", "service", "svc")
    assert (refused.returncode, refused.stdout) == (1, "")
    error = in_thread(qtbot, lambda: _call("GetSecrets", "aoo", known, None))  # in a plain session
    assert error == "org.freedesktop.Secret.Error.IsLocked"

    def unlock_from_client() -> tuple[bool, bool, str]:
        with secretstorage.dbus_init() as conn:
            collection = secretstorage.get_default_collection(conn)
            was_locked = collection.is_locked()
            dismissed = collection.unlock()
            item = next(collection.search_items({"service": "svc"}))
            return was_locked, dismissed, item.get_secret().decode()

    job = Background(unlock_from_client)
    server = served.secrets.server
    assert server is not None
    qtbot.waitUntil(lambda: any(p.shown for p in list(server.prompts.values())), timeout=20_000)
    assert served.stack.currentWidget() is served.unlock_view
    unlock(qtbot, served)
    qtbot.waitUntil(job.done.is_set, timeout=20_000)
    assert job.get() == (True, False, "t0k")


def _call(method: str, signature: str, *args: Any) -> Any:
    """One Service call on its own connection: the reply's body, or the error's name."""
    from jeepney import DBusAddress, HeaderFields, MessageType, new_method_call
    from jeepney.io.blocking import open_dbus_connection

    service = DBusAddress(
        "/org/freedesktop/secrets", "org.freedesktop.secrets", "org.freedesktop.Secret.Service"
    )
    with open_dbus_connection("SESSION") as conn:
        if None in args:  # the session: a plain one on this connection (a session ends with it)
            opened = new_method_call(service, "OpenSession", "sv", ("plain", ("s", "")))
            session = conn.send_and_get_reply(opened).body[1]
            args = tuple(session if a is None else a for a in args)
        reply = conn.send_and_get_reply(new_method_call(service, method, signature, args))
        if reply.header.message_type == MessageType.error:
            return reply.header.fields[HeaderFields.error_name]
        return reply.body


def test_a_client_can_lock_the_vault(qtbot: Any, served: MainWindow) -> None:
    import secretstorage

    def lock() -> None:
        with secretstorage.dbus_init() as conn:
            secretstorage.get_default_collection(conn).lock()

    in_thread(qtbot, lock)
    qtbot.waitUntil(lambda: served.vault is None, timeout=20_000)


def test_keyring_and_secretstorage_round_trip(qtbot: Any, served: MainWindow) -> None:
    from keyring.backends.SecretService import Keyring

    ring = Keyring()
    in_thread(qtbot, lambda: ring.set_password("api.example", "alice", "k3y"))
    assert in_thread(qtbot, lambda: ring.get_password("api.example", "alice")) == "k3y"
    in_thread(qtbot, lambda: ring.set_password("api.example", "alice", "k3y-2"))
    assert in_thread(qtbot, lambda: ring.get_password("api.example", "alice")) == "k3y-2"
    in_thread(qtbot, lambda: ring.delete_password("api.example", "alice"))
    assert in_thread(qtbot, lambda: ring.get_password("api.example", "alice")) is None


def test_both_session_algorithms_and_not_supported(
    qtbot: Any, served: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vaultapp.secretservice import objects

    opened: list[str] = []
    real = objects.open_session
    monkeypatch.setattr(objects, "open_session", lambda a, i: (opened.append(a), real(a, i))[1])
    store(qtbot, "Both", "b0th", "service", "both")
    assert secret_tool(qtbot, "lookup", "service", "both").stdout == "b0th"
    assert "dh-ietf1024-sha256-aes128-cbc-pkcs7" in opened  # libsecret's choice

    def over(algorithm: str) -> Any:
        from jeepney import DBusAddress, new_method_call
        from jeepney.io.blocking import open_dbus_connection

        service = DBusAddress(
            "/org/freedesktop/secrets", "org.freedesktop.secrets", "org.freedesktop.Secret.Service"
        )
        with open_dbus_connection("SESSION") as conn:
            call = new_method_call(service, "OpenSession", "sv", (algorithm, ("s", "")))
            reply = conn.send_and_get_reply(call)
            if algorithm != "plain":
                return reply.header.fields
            session = reply.body[1]
            call = new_method_call(service, "SearchItems", "a{ss}", ({"service": "both"},))
            found = conn.send_and_get_reply(call).body[0]
            call = new_method_call(service, "GetSecrets", "aoo", (found, session))
            return conn.send_and_get_reply(call).body[0]

    secrets = in_thread(qtbot, lambda: over("plain"))
    assert [v[2] for v in secrets.values()] == [b"b0th"]
    fields = in_thread(qtbot, lambda: over("rot13"))
    from jeepney import HeaderFields

    assert fields[HeaderFields.error_name] == "org.freedesktop.DBus.Error.NotSupported"


def test_reads_are_audited_without_the_secret(qtbot: Any, served: MainWindow) -> None:
    store(qtbot, "Audited", "never-in-the-log", "service", "audited")
    assert secret_tool(qtbot, "lookup", "service", "audited").stdout == "never-in-the-log"
    vault = served.vault
    assert vault is not None
    read = [r for r in vault.verify_log().records if r.event == "entry.revealed"]
    assert read
    assert read[-1].detail["where"] == "secret-service"
    assert read[-1].detail["program"].endswith("secret-tool")
    assert b"never-in-the-log" not in Path(vault.audit_path).read_bytes()


def test_ask_before_a_program_reads(qtbot: Any, served: MainWindow) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QPushButton

    store(qtbot, "Asked", "ask-pw", "service", "asked")
    served.settings.secret_service_confirm = True

    def answer(button: str) -> Any:
        # The question is modal (a nested event loop): answer it from a timer inside that loop.
        asked: list[bool] = []

        def click() -> None:
            prompt = served.secrets.prompt
            if prompt is not None and not asked:
                asked.append(True)
                prompt.findChild(QPushButton, f"secret_access_{button}").click()

        timer = QTimer()
        timer.timeout.connect(click)
        timer.start(20)
        try:
            done = secret_tool(qtbot, "lookup", "service", "asked")
        finally:
            timer.stop()
        assert asked == [True]
        return done

    assert answer("deny").returncode == 1
    assert answer("always").stdout == "ask-pw"
    assert any(p.endswith("secret-tool") for p in served.settings.secret_service_programs("allow"))
    assert secret_tool(qtbot, "lookup", "service", "asked").stdout == "ask-pw"  # no question now
    assert served.secrets.prompt is None


def test_another_provider_is_named_and_the_name_is_given_up(qtbot: Any, window: MainWindow) -> None:
    from jeepney.bus_messages import message_bus
    from jeepney.io.blocking import open_dbus_connection

    other = open_dbus_connection("SESSION")
    try:
        other.send_and_get_reply(message_bus.RequestName("org.freedesktop.secrets"))
        window.settings.secret_service_enabled = True
        unlock(qtbot, window)
        assert window.secrets.server is None
        assert "already provides the Secret Service" in window.secrets.error
        assert "python" in window.secrets.error
    finally:
        other.close()
    window.secrets.update()
    assert window.secrets.server is not None
    window.settings.secret_service_enabled = False
    window.secrets.update()
    assert window.secrets.server is None
    gone = in_thread(qtbot, _owner)
    assert gone is None


def _owner() -> Any:
    from jeepney.bus_messages import message_bus
    from jeepney.io.blocking import open_dbus_connection

    with open_dbus_connection("SESSION") as conn:
        return conn.send_and_get_reply(message_bus.NameHasOwner("org.freedesktop.secrets")).body[0] or None


def test_settings_page_switches_the_service_and_names_another_provider(
    qtbot: Any, window: MainWindow
) -> None:
    from jeepney.bus_messages import message_bus
    from jeepney.io.blocking import open_dbus_connection
    from PySide6.QtWidgets import QPushButton

    from vaultapp.gui.secret_settings import SecretSettingsPage

    unlock(qtbot, window)
    page = SecretSettingsPage(window.settings, window.vault, window.secrets)
    qtbot.addWidget(page)
    assert page.state.text() == "Nothing is the Secret Service now."
    assert page.folder_combo.currentText() == "Secret Service"
    page.enabled_check.setChecked(True)
    page.folder_combo.setCurrentText("Work")
    page.apply()
    window.apply_settings()
    assert window.secrets.server is not None
    assert secret_tool(qtbot, "search", "--all", "service", "x").stdout == ""
    store(qtbot, "In Work", "w0rk", "service", "x")
    assert window.vault is not None
    assert next(e for e in window.vault.entries if e.title == "In Work").folder == "Work"
    page.refresh()
    assert page.state.text() == "vaultapp is the Secret Service now."

    page.enabled_check.setChecked(False)
    page.apply()
    window.apply_settings()
    assert window.secrets.server is None
    other = open_dbus_connection("SESSION")
    try:
        other.send_and_get_reply(message_bus.RequestName("org.freedesktop.secrets"))
        page.refresh()
        assert "python" in page.state.text()
        assert page.state.text().endswith(
            "is the Secret Service now; quit it (or switch its provider off) first."
        )
    finally:
        other.close()

    window.settings.set_secret_service_programs("allow", ["/usr/bin/secret-tool"])
    page.refresh()
    forget = page.findChild(QPushButton, "secret_forget_button")
    assert forget is not None
    forget.click()
    assert window.settings.secret_service_programs("allow") == []


def test_secretstorage_edits_label_attributes_and_secret(qtbot: Any, served: MainWindow) -> None:
    import secretstorage

    def edit() -> tuple[str, dict[str, str], bytes, str]:
        with secretstorage.dbus_init() as conn:
            collection = secretstorage.get_default_collection(conn)
            item = collection.create_item("Label A", {"app": "x"}, b"sec", replace=False)
            item.set_label("Label B")
            item.set_attributes({"app": "x", "extra": "1"})
            item.set_secret(b"sec-2")
            return item.get_label(), item.get_attributes(), item.get_secret(), item.item_path

    label, attributes, secret, path = in_thread(qtbot, edit)
    assert (label, attributes, secret) == ("Label B", {"app": "x", "extra": "1"}, b"sec-2")
    vault = served.vault
    assert vault is not None
    entry = next(e for e in vault.entries if e.title == "Label B")
    assert path.endswith(entry.uuid.replace("-", ""))
    assert {f.name: f.value for f in entry.custom} == {"attr:app": "x", "attr:extra": "1"}
    assert vault.reveal(entry.password) == "sec-2"  # type: ignore[arg-type]
    properties = in_thread(qtbot, lambda: _all_properties(path))
    assert set(properties) == {"Label", "Attributes", "Locked", "Created", "Modified"}
    assert properties["Locked"] == ("b", False)


def _all_properties(path: str) -> dict[str, Any]:
    from jeepney import DBusAddress, Properties
    from jeepney.io.blocking import open_dbus_connection

    item = DBusAddress(path, "org.freedesktop.secrets", "org.freedesktop.Secret.Item")
    with open_dbus_connection("SESSION") as conn:
        return dict(conn.send_and_get_reply(Properties(item).get_all()).body[0])


def test_item_created_and_deleted_signals(qtbot: Any, served: MainWindow) -> None:
    import threading

    from jeepney import HeaderFields
    from jeepney.bus_messages import MatchRule, message_bus
    from jeepney.io.blocking import Proxy, open_dbus_connection

    ready = threading.Event()

    def watch() -> list[tuple[str, str]]:
        rule = MatchRule(type="signal", interface="org.freedesktop.Secret.Collection")
        with open_dbus_connection("SESSION") as conn:
            Proxy(message_bus, conn).AddMatch(rule)
            with conn.filter(rule) as queue:
                ready.set()
                seen = []
                while len(seen) < 2:
                    msg = conn.recv_until_filtered(queue, timeout=20)
                    seen.append((msg.header.fields[HeaderFields.member], msg.body[0]))
                return seen

    job = Background(watch)
    qtbot.waitUntil(ready.is_set, timeout=20_000)
    store(qtbot, "Signalled", "s1g", "service", "signals")
    assert secret_tool(qtbot, "clear", "service", "signals").returncode == 0
    qtbot.waitUntil(job.done.is_set, timeout=20_000)
    (created, path), (deleted, same) = job.get()
    assert (created, deleted) == ("ItemCreated", "ItemDeleted")
    assert path == same
    assert path.startswith("/org/freedesktop/secrets/collection/vaultapp/")
