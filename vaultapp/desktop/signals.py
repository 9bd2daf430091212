"""Lock with the system: logind's ``PrepareForSleep``, this session's ``Lock`` and the
screensavers' ``ActiveChanged``, heard on the system and session buses (dbus-fast, on a thread
of its own running an asyncio loop; no Qt). A bus that is not there leaves its sources quietly
unavailable, each with a reason for the settings page.

Only broadcast signals from the services' own names count: the bus delivers a signal for a match
rule that names the sender only when it comes from that name's owner, and a signal sent to this
process directly (a destination set) is ignored.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from dbus_fast import BusType, Message, MessageType
from dbus_fast.aio import MessageBus

SLEEP: Final = "sleep"
SCREENSAVER: Final = "screensaver"
SESSION_LOCK: Final = "session-lock"
SOURCES: Final = (SLEEP, SCREENSAVER, SESSION_LOCK)

LOGIND: Final = "org.freedesktop.login1"
LOGIND_PATH: Final = "/org/freedesktop/login1"
SESSION_PATH_AUTO: Final = "auto"


@dataclass(frozen=True, slots=True)
class Rule:
    """One signal that locks: who sends it, on which bus, and whether its first argument must
    be true (``PrepareForSleep(true)``: going to sleep; ``ActiveChanged(true)``: screen locked)."""

    source: str
    system: bool
    sender: str
    interface: str
    member: str
    path: str | None = None
    needs_true: bool = True

    def match(self, session_path: str | None = None) -> str:
        """The bus's match-rule string for this signal."""
        parts = [
            "type='signal'",
            f"sender='{self.sender}'",
            f"interface='{self.interface}'",
            f"member='{self.member}'",
        ]
        path = session_path if self.path == SESSION_PATH_AUTO else self.path
        if path:
            parts.append(f"path='{path}'")
        return ",".join(parts)


RULES: Final = (
    Rule(SLEEP, True, LOGIND, f"{LOGIND}.Manager", "PrepareForSleep", LOGIND_PATH),
    Rule(SESSION_LOCK, True, LOGIND, f"{LOGIND}.Session", "Lock", SESSION_PATH_AUTO, needs_true=False),
    Rule(SCREENSAVER, False, "org.freedesktop.ScreenSaver", "org.freedesktop.ScreenSaver", "ActiveChanged"),
    Rule(SCREENSAVER, False, "org.gnome.ScreenSaver", "org.gnome.ScreenSaver", "ActiveChanged"),
    Rule(SCREENSAVER, False, "org.xfce.ScreenSaver", "org.xfce.ScreenSaver", "ActiveChanged"),
)


def session_bus_address() -> str | None:
    """``$DBUS_SESSION_BUS_ADDRESS``, or the systemd user bus in ``$XDG_RUNTIME_DIR``; None without."""
    address = os.environ.get("DBUS_SESSION_BUS_ADDRESS", "")
    if address:
        return address
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    if runtime and os.path.isabs(runtime) and os.path.exists(os.path.join(runtime, "bus")):  # noqa: PTH110, PTH117, PTH118
        return f"unix:path={os.path.join(runtime, 'bus')}"  # noqa: PTH118
    return None


def system_bus_address() -> str:
    return os.environ.get("DBUS_SYSTEM_BUS_ADDRESS", "") or "unix:path=/var/run/dbus/system_bus_socket"


def classify(message: Message, session_path: str | None) -> str | None:
    """The source a received message locks for, or None (not ours, not broadcast, or an unlock)."""
    if message.message_type != MessageType.SIGNAL or message.destination:
        return None
    for rule in RULES:
        if (rule.interface, rule.member) != (message.interface, message.member):
            continue
        path = session_path if rule.path == SESSION_PATH_AUTO else rule.path
        if path is not None and message.path != path:
            continue
        if rule.path == SESSION_PATH_AUTO and path is None:
            continue
        if rule.needs_true and not (message.body and message.body[0] is True):
            return None
        return rule.source
    return None


class LockSignals:
    """Listens on its own thread from ``start`` to ``stop``; calls ``on_lock(source)`` (from that
    thread) for each locking signal and ``on_ready()`` once every bus was tried. ``status`` maps
    each source to "" (heard) or why it is unavailable."""

    def __init__(
        self,
        on_lock: Callable[[str], None],
        *,
        on_ready: Callable[[], None] | None = None,
        system_address: str | None = None,
        session_address: str | None = None,
    ) -> None:
        self.on_lock = on_lock
        self.on_ready = on_ready
        self.system_address = system_address or system_bus_address()
        self.session_address = session_address if session_address is not None else session_bus_address()
        self.status: dict[str, str] = dict.fromkeys(SOURCES, "not started")
        self.session_path: str | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._buses: list[MessageBus] = []
        self._ready = threading.Event()

    @property
    def running(self) -> bool:
        return self._thread is not None

    def start(self) -> None:
        if self._thread is not None:
            return
        self._loop = asyncio.new_event_loop()
        task = self._loop.create_task(self._listen())
        self._thread = threading.Thread(
            target=self._run, args=(self._loop, task), name="vaultapp-lock-signals", daemon=True
        )
        self._thread.start()

    def wait_ready(self, timeout: float | None = None) -> bool:
        """Block until every bus was tried (for scripts and tests; the window uses ``on_ready``)."""
        return self._ready.wait(timeout)

    def stop(self) -> None:
        """End listening, at once (a bus still being reached is given up)."""
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        self._thread = None
        loop.call_soon_threadsafe(self._cancel)
        thread.join(5)

    def _cancel(self) -> None:
        for task in asyncio.all_tasks():
            task.cancel()

    def _run(self, loop: asyncio.AbstractEventLoop, task: asyncio.Task[None]) -> None:
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(task)
        except asyncio.CancelledError:
            pass  # stop()
        finally:
            loop.close()
            self._ready.set()

    async def _listen(self) -> None:
        try:
            await self._connect_all()
            self._ready.set()
            if self.on_ready is not None:
                self.on_ready()
            await asyncio.Event().wait()  # until stop() cancels this
        finally:
            for bus in self._buses:
                bus.disconnect()
            self._buses.clear()

    async def _connect_all(self) -> None:
        system, why = await self._connect(self.system_address, BusType.SYSTEM, "system bus")
        if system is not None:
            self.session_path = await self._session_path(system)
        for rule in RULES:
            if not rule.system:
                continue
            if system is None:
                self.status[rule.source] = why
            elif rule.path == SESSION_PATH_AUTO and self.session_path is None:
                self.status[rule.source] = "this program runs in no logind session"
            else:
                self.status[rule.source] = await self._add_match(system, rule)
        if self.session_address is None:
            self.status[SCREENSAVER] = "there is no session bus (DBUS_SESSION_BUS_ADDRESS is not set)"
            return
        session, why = await self._connect(self.session_address, BusType.SESSION, "session bus")
        if session is None:
            self.status[SCREENSAVER] = why
            return
        results = [await self._add_match(session, rule) for rule in RULES if not rule.system]
        self.status[SCREENSAVER] = "" if "" in results else results[0]

    async def _connect(self, address: str, bus_type: BusType, name: str) -> tuple[MessageBus | None, str]:
        """The connected bus, or None and why not."""
        try:
            bus = await MessageBus(bus_address=address, bus_type=bus_type).connect()
        except Exception as exc:  # noqa: BLE001 - any failure to reach a bus makes its sources unavailable
            return None, f"the {name} cannot be reached ({exc.__class__.__name__})"
        self._buses.append(bus)
        bus.add_message_handler(self._handle)
        return bus, ""

    async def _add_match(self, bus: MessageBus, rule: Rule) -> str:
        message = Message(
            destination="org.freedesktop.DBus",
            path="/org/freedesktop/DBus",
            interface="org.freedesktop.DBus",
            member="AddMatch",
            signature="s",
            body=[rule.match(self.session_path)],
        )
        try:
            reply = await bus.call(message)
        except Exception as exc:  # noqa: BLE001 - the bus went away meanwhile
            return f"the bus went away ({exc.__class__.__name__})"
        if reply is None or reply.message_type == MessageType.ERROR:
            return "the bus refused to pass this signal on"
        return ""

    async def _session_path(self, bus: MessageBus) -> str | None:
        """This process's logind session object (by our process id, else by $XDG_SESSION_ID)."""
        asks: list[tuple[str, str, list[object]]] = [("GetSessionByPID", "u", [os.getpid()])]
        session_id = os.environ.get("XDG_SESSION_ID", "")
        if session_id:
            asks.append(("GetSession", "s", [session_id]))
        for member, signature, body in asks:
            try:
                reply = await bus.call(
                    Message(
                        destination=LOGIND,
                        path=LOGIND_PATH,
                        interface=f"{LOGIND}.Manager",
                        member=member,
                        signature=signature,
                        body=body,
                    )
                )
            except Exception:  # noqa: BLE001, S112 - no logind: no session
                continue
            if reply is not None and reply.message_type == MessageType.METHOD_RETURN and reply.body:
                return str(reply.body[0])
        return None

    def _handle(self, message: Message) -> bool:
        source = classify(message, self.session_path)
        if source is not None:
            self.on_lock(source)
        return False  # never a reply from here: dbus-fast answers calls it exports (none)
