"""A stand-in for logind (on a private "system" bus) and the screensavers (on a private session
bus), for the lock-with-the-system tests: ``python fake_desktop.py SYSTEM_ADDRESS SESSION_ADDRESS``.

It owns ``org.freedesktop.login1`` (answering ``GetSessionByPID``/``GetSession`` with
``SESSION_PATH``), ``org.freedesktop.ScreenSaver``, ``org.gnome.ScreenSaver`` and
``org.xfce.ScreenSaver``, prints ``ready``, then reads commands on stdin, emits the signal and
prints ``sent <command>``: ``sleep true|false``, ``lock``, ``screensaver true|false``,
``gnome true|false``, ``xfce true|false``.
"""

from __future__ import annotations

import asyncio
import sys

from dbus_fast import BusType, Message, MessageType
from dbus_fast.aio import MessageBus

SESSION_PATH = "/org/freedesktop/login1/session/c7"
LOGIND = "org.freedesktop.login1"


def answer_logind(bus: MessageBus, message: Message) -> bool:
    if message.message_type != MessageType.METHOD_CALL or message.interface != f"{LOGIND}.Manager":
        return False
    if message.member in ("GetSessionByPID", "GetSession"):
        bus.send(Message.new_method_return(message, "o", [SESSION_PATH]))
        return True
    return False


async def main(system_address: str, session_address: str) -> None:
    system = await MessageBus(bus_address=system_address, bus_type=BusType.SYSTEM).connect()
    session = await MessageBus(bus_address=session_address).connect()
    system.add_message_handler(lambda m: answer_logind(system, m))
    await system.request_name(LOGIND)
    await session.request_name("org.freedesktop.ScreenSaver")
    await session.request_name("org.gnome.ScreenSaver")
    await session.request_name("org.xfce.ScreenSaver")
    print("ready", flush=True)
    loop = asyncio.get_running_loop()
    while True:
        line = await loop.run_in_executor(None, sys.stdin.readline)
        if not line:
            break
        command, _, argument = line.strip().partition(" ")
        flag = argument == "true"
        if command == "sleep":
            bus, path = system, "/org/freedesktop/login1"
            interface, member = f"{LOGIND}.Manager", "PrepareForSleep"
        elif command == "lock":
            bus, path, interface, member = system, SESSION_PATH, f"{LOGIND}.Session", "Lock"
        elif command == "screensaver":
            bus, path = session, "/org/freedesktop/ScreenSaver"
            interface, member = "org.freedesktop.ScreenSaver", "ActiveChanged"
        elif command == "xfce":
            bus, path = session, "/org/xfce/ScreenSaver"
            interface, member = "org.xfce.ScreenSaver", "ActiveChanged"
        elif command == "gnome":
            bus, path = session, "/org/gnome/ScreenSaver"
            interface, member = "org.gnome.ScreenSaver", "ActiveChanged"
        else:
            print(f"unknown {command}", flush=True)
            continue
        signature, body = ("", []) if command == "lock" else ("b", [flag])
        await bus.send(Message.new_signal(path, interface, member, signature, body))
        print(f"sent {line.strip()}", flush=True)
    system.disconnect()
    session.disconnect()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
