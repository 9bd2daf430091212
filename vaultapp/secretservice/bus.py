"""The session bus itself: calls to the bus daemon, a caller's executable, and who owns
``org.freedesktop.secrets`` now (for the settings page and the "name taken" message). No Qt."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Final

from dbus_fast import BusType, Message, MessageType
from dbus_fast.aio import MessageBus

from vaultapp.secretservice import paths

START_WAIT: Final = 5.0  # seconds for the bus connection and the name


def bus_call(member: str, argument: str) -> Message:
    """A call to the bus daemon itself with one string argument."""
    return Message(
        destination="org.freedesktop.DBus", path="/org/freedesktop/DBus", interface="org.freedesktop.DBus",
        member=member, signature="s", body=[argument],
    )  # fmt: skip


class NameTakenError(Exception):
    """Another program (gnome-keyring, KeePassXC…) owns ``org.freedesktop.secrets``."""


def program_of(pid: int) -> str:
    """The executable of process ``pid`` (its /proc link), or its name, or ''."""
    try:
        return str(Path(f"/proc/{pid}/exe").readlink())
    except OSError:
        try:
            with open(f"/proc/{pid}/comm", encoding="utf-8", errors="replace") as comm:
                return comm.read().strip()
        except OSError:
            return ""


def provider(address: str | None = None) -> str:
    """The program that owns ``org.freedesktop.secrets`` on the session bus now ('' for none);
    for the settings page (a short private loop, at most ``START_WAIT`` seconds).

    Raises:
        OSError: no session bus.
    """

    async def ask() -> str:
        try:
            bus = await MessageBus(bus_address=address, bus_type=BusType.SESSION).connect()
        except Exception as exc:  # noqa: BLE001 - no address, refused, unauthenticated
            raise OSError(str(exc)) from None
        try:
            reply = await bus.call(bus_call("GetNameOwner", paths.BUS_NAME))
            if reply is None or reply.message_type != MessageType.METHOD_RETURN:
                return ""
            pid = await bus.call(bus_call("GetConnectionUnixProcessID", str(reply.body[0])))
            if pid is None or pid.message_type != MessageType.METHOD_RETURN:
                return "another program"
            return program_of(int(pid.body[0])) or "another program"
        finally:
            bus.disconnect()

    async def bounded() -> str:
        return await asyncio.wait_for(ask(), START_WAIT)

    try:
        return asyncio.run(bounded())
    except TimeoutError:
        raise OSError("the session bus did not answer in time") from None


class QuietBus(MessageBus):
    """The connection without dbus-fast's ObjectManager signals: there is no ObjectManager here,
    and each export would read every property of the new object (a trip to the app's thread)."""

    def _emit_interface_added(self, path: str, interface: object) -> None:
        return None

    def _emit_interface_removed(self, path: str, removed_interfaces: list[str]) -> None:
        return None
