"""Which D-Bus messages lock: broadcasts of the known signals only, with a true argument where
the signal has one, and the session's Lock only for this session's path."""

from __future__ import annotations

from dbus_fast import Message, MessageType

from vaultapp.desktop.signals import RULES, LockSignals, classify

SESSION = "/org/freedesktop/login1/session/c7"


def signal(path: str, interface: str, member: str, body: list[object], **extra: object) -> Message:
    signature = "b" if body else ""
    return Message(path=path, interface=interface, member=member, signature=signature, body=body,
                   message_type=MessageType.SIGNAL, **extra)  # type: ignore[arg-type]  # fmt: skip


def test_the_locking_signals_are_recognised() -> None:
    """PrepareForSleep(true), this session's Lock, both screensavers' ActiveChanged(true)."""
    manager = ("/org/freedesktop/login1", "org.freedesktop.login1.Manager", "PrepareForSleep")
    assert classify(signal(*manager, [True]), SESSION) == "sleep"
    assert classify(signal(SESSION, "org.freedesktop.login1.Session", "Lock", []), SESSION) == "session-lock"
    kde = ("/ScreenSaver", "org.freedesktop.ScreenSaver", "ActiveChanged")
    assert classify(signal(*kde, [True]), SESSION) == "screensaver"
    gnome = ("/org/gnome/ScreenSaver", "org.gnome.ScreenSaver", "ActiveChanged")
    assert classify(signal(*gnome, [True]), None) == "screensaver"


def test_waking_unblanking_other_sessions_and_direct_messages_do_not_lock() -> None:
    """The false halves, another session's Lock, a Lock when our session is unknown, a signal
    sent to this process directly (not a broadcast), and a method call never lock."""
    manager = ("/org/freedesktop/login1", "org.freedesktop.login1.Manager", "PrepareForSleep")
    assert classify(signal(*manager, [False]), SESSION) is None
    assert (
        classify(signal("/org/gnome/ScreenSaver", "org.gnome.ScreenSaver", "ActiveChanged", [False]), None)
        is None
    )
    other = "/org/freedesktop/login1/session/c8"
    assert classify(signal(other, "org.freedesktop.login1.Session", "Lock", []), SESSION) is None
    assert classify(signal(SESSION, "org.freedesktop.login1.Session", "Lock", []), None) is None
    assert classify(signal(*manager, [True], destination=":1.42"), SESSION) is None
    call = Message(path=manager[0], interface=manager[1], member=manager[2], signature="b", body=[True],
                   destination=":1.42")  # fmt: skip
    assert classify(call, SESSION) is None


def test_match_rules_name_the_sender() -> None:
    """Every match rule names its service, so the bus passes on only that service's signals."""
    for rule in RULES:
        assert f"sender='{rule.sender}'" in rule.match(SESSION)
    lock = next(r for r in RULES if r.member == "Lock")
    assert f"path='{SESSION}'" in lock.match(SESSION)


def test_unreachable_buses_make_every_source_unavailable(tmp_path) -> None:
    """No bus at either address: ready at once, each source says why, nothing raised."""
    heard: list[str] = []
    listener = LockSignals(
        heard.append, system_address=f"unix:path={tmp_path}/a", session_address=f"unix:path={tmp_path}/b"
    )
    listener.start()
    try:
        assert listener.wait_ready(30)
    finally:
        listener.stop()
    assert listener.status == {
        "sleep": "the system bus cannot be reached (FileNotFoundError)",
        "session-lock": "the system bus cannot be reached (FileNotFoundError)",
        "screensaver": "the session bus cannot be reached (FileNotFoundError)",
    }
    assert heard == []
    assert not listener.running


def test_stop_gives_up_a_bus_that_never_answers(tmp_path) -> None:
    """A bus socket that accepts but never speaks (a hung daemon): stop() ends the listener at
    once, the thread ends, and nothing is raised on it."""
    import socket

    hung = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    hung.bind(str(tmp_path / "hung"))
    hung.listen(1)
    try:
        hung_address, none = f"unix:path={tmp_path}/hung", f"unix:path={tmp_path}/none"
        listener = LockSignals(lambda _s: None, system_address=hung_address, session_address=none)
        listener.start()
        thread = listener._thread
        assert thread is not None
        listener.stop()
        assert not thread.is_alive()
        assert not listener.running
        assert listener.wait_ready(0)
    finally:
        hung.close()
