"""The Secret Service's connection and state: its own thread running an asyncio loop with the
dbus-fast connection, the bus name (owned only while the service runs), sessions, prompts, the
items' objects, and every vault access handed to the app's thread (``on_app_thread``). No Qt."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import contextvars
import threading
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, TypeVar

from dbus_fast import BusType, Message, MessageType, NameFlag, RequestNameReply, Variant
from dbus_fast.aio import MessageBus
from dbus_fast.errors import DBusError

from vaultapp.secretservice import paths
from vaultapp.secretservice.bus import START_WAIT, NameTakenError, QuietBus, bus_call, program_of
from vaultapp.secretservice.callbacks import Callbacks
from vaultapp.secretservice.objects import (
    ACCESS_DENIED,
    FAILED,
    INVALID_ARGS,
    IS_LOCKED,
    NO_SESSION,
    NO_SUCH_OBJECT,
    CollectionObject,
    ItemObject,
    PromptObject,
    ServiceObject,
    SessionObject,
)
from vaultapp.secretservice.sessions import DH_AES, Session, SessionError, open_session
from vaultapp.secretservice.store import ItemInfo, Store, folder_label, info

if TYPE_CHECKING:
    from vaultapp.core.vault import Vault

T = TypeVar("T")
AppThread = Callable[[Callable[[], Any]], "concurrent.futures.Future[Any]"]
APP_WAIT: Final = 300.0  # seconds an answer from the app may take (a question to the user)
CALLER: contextvars.ContextVar[str] = contextvars.ContextVar("secret_service_caller", default="")


class Server:
    """Start on the app's thread with ``start``; ``state_changed`` after every lock, unlock and
    settings change; ``stop`` when the integration is switched off or the app quits."""

    def __init__(self, callbacks: Callbacks, on_app_thread: AppThread, *, address: str | None = None) -> None:
        self.callbacks = callbacks
        self.on_app_thread = on_app_thread
        self.address = address
        self.locked = True
        self.folder = ""
        self.aliases: set[str] = set()
        self.loop: asyncio.AbstractEventLoop | None = None
        self.bus: MessageBus | None = None
        self.thread: threading.Thread | None = None
        self.sessions: dict[str, tuple[Session, str]] = {}  # path -> (session, owner)
        self.prompts: dict[str, PromptObject] = {}
        self.items: dict[str, ItemObject] = {}  # exported (called at least once)
        self.infos: dict[str, ItemInfo] = {}  # every item listed since the unlock, as last read
        self.programs: dict[str, str] = {}  # unique bus name -> executable
        self.counter = 0
        self._stopping: asyncio.Event | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None

    # ---- running ----------------------------------------------------------------------------

    def start(self) -> None:
        """Connect and own the name, waiting at most ``START_WAIT`` seconds.

        Raises:
            NameTakenError: another program owns the name (its executable in the message).
            OSError: no session bus, or it did not answer in time.
        """
        self.state_changed(run_here=True)
        self.thread = threading.Thread(target=self._main, name="secret-service", daemon=True)
        self.thread.start()
        if not self._ready.wait(START_WAIT):
            self.stop()
            raise OSError("The session bus did not answer in time.")
        if self._error is not None:
            error, self._error = self._error, None
            self.thread.join(START_WAIT)
            self.thread = None
            raise error

    def stop(self) -> None:
        """Give up the name and close the connection (prompts still open are dismissed)."""
        loop, thread = self.loop, self.thread
        if loop is not None and self._stopping is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop ended meanwhile
                loop.call_soon_threadsafe(self._stopping.set)
        if thread is not None:
            thread.join(START_WAIT)
        self.thread = None

    def _main(self) -> None:
        loop = asyncio.new_event_loop()
        self.loop = loop
        try:
            loop.run_until_complete(self._serve())
        except BaseException as exc:  # noqa: BLE001 - handed to start() on the app's thread
            self._error = exc if isinstance(exc, (OSError, NameTakenError)) else OSError(str(exc))
        finally:
            self._ready.set()
            for task in asyncio.all_tasks(loop):
                task.cancel()
            loop.run_until_complete(asyncio.sleep(0))
            loop.close()

    async def _serve(self) -> None:
        self._stopping = asyncio.Event()
        try:
            if self.address is not None:
                bus = await asyncio.wait_for(QuietBus(bus_address=self.address).connect(), START_WAIT)
            else:
                bus = await asyncio.wait_for(QuietBus(bus_type=BusType.SESSION).connect(), START_WAIT)
        except Exception as exc:  # noqa: BLE001 - no address, refused, unauthenticated, too slow
            raise OSError(f"No session bus to serve on: {exc}") from None
        self.bus = bus
        self.service = ServiceObject(self)
        self.collection = CollectionObject(self)
        self.alias_object = CollectionObject(self)
        bus.add_message_handler(self._intercept)
        bus.export(paths.SERVICE, self.service)
        bus.export(paths.COLLECTION, self.collection)
        bus.export(paths.DEFAULT_ALIAS, self.alias_object)
        rule = "type='signal',sender='org.freedesktop.DBus',member='NameOwnerChanged'"
        await bus.call(bus_call("AddMatch", rule))
        reply = await bus.request_name(paths.BUS_NAME, NameFlag.DO_NOT_QUEUE)
        if reply not in (RequestNameReply.PRIMARY_OWNER, RequestNameReply.ALREADY_OWNER):
            owner = await self._owner_program()
            bus.disconnect()
            raise NameTakenError(f"{owner or 'Another program'} already provides the Secret Service.")
        open_session(DH_AES, b"\x02")  # the group's one-time check now, not in a client's first call
        self._ready.set()
        await self._stopping.wait()
        for prompt in list(self.prompts.values()):
            self.finish_prompt(prompt, dismissed=True)
        with contextlib.suppress(Exception):  # disconnecting frees the name anyway
            await asyncio.wait_for(bus.release_name(paths.BUS_NAME), 1.0)
        bus.disconnect()

    async def _owner_program(self) -> str:
        if self.bus is None:
            raise DBusError(FAILED, "The Secret Service is stopping.")
        reply = await self.bus.call(bus_call("GetNameOwner", paths.BUS_NAME))
        if reply is None or reply.message_type != MessageType.METHOD_RETURN:
            return ""
        return await self._program(str(reply.body[0]))

    async def _program(self, sender: str) -> str:
        if sender in self.programs:
            return self.programs[sender]
        if self.bus is None:
            raise DBusError(FAILED, "The Secret Service is stopping.")
        reply = await self.bus.call(bus_call("GetConnectionUnixProcessID", sender))
        program = ""
        if reply is not None and reply.message_type == MessageType.METHOD_RETURN:
            program = program_of(int(reply.body[0]))
        self.programs[sender] = program or "an unknown program"
        return self.programs[sender]

    def _intercept(self, msg: Message) -> Message | None:
        """Runs before dbus-fast dispatches: notes the caller (the task made next copies it),
        forgets clients that left, and answers calls to items not shown (locked or gone)."""
        if msg.message_type == MessageType.SIGNAL:
            if msg.member == "NameOwnerChanged" and msg.sender == "org.freedesktop.DBus":
                name, _old, new = msg.body
                if not new:
                    self.programs.pop(name, None)
                    for path in [p for p, (_s, owner) in self.sessions.items() if owner == name]:
                        self.close_session(path)
            return None
        if msg.message_type != MessageType.METHOD_CALL:
            return None
        CALLER.set(msg.sender or "")
        item = paths.item_of(msg.path or "")
        if item is not None and item not in self.items:
            if self.locked:
                return Message.new_error(msg, IS_LOCKED, "The vault is locked; unlock it in vaultapp.")
            if item not in self.infos:
                return Message.new_error(msg, NO_SUCH_OBJECT, "No such item.")
            self._export_items([item])  # items are exported when first called, not when listed
        return None

    # ---- the app's side ---------------------------------------------------------------------

    def state_changed(self, *, run_here: bool = False) -> None:
        """Call on the app's thread after a lock, an unlock or a settings change."""
        vault = self.callbacks.vault()
        folder = self.callbacks.folder()
        aliases = set()
        if vault is not None:
            stored = vault.integration_data("secretservice").get("aliases", [])
            aliases = {str(a) for a in stored} if isinstance(stored, list) else set()
        if run_here or self.loop is None:
            self.locked, self.folder, self.aliases = vault is None, folder, aliases
            return
        with contextlib.suppress(RuntimeError):  # the loop has ended
            self.loop.call_soon_threadsafe(self._apply_state, vault is None, folder, aliases)

    def _apply_state(self, locked: bool, folder: str, aliases: set[str]) -> None:
        changed = locked != self.locked or folder != self.folder
        self.locked, self.folder, self.aliases = locked, folder, aliases
        if not changed:
            return
        for item in list(self.items):
            self._unexport_item(item)
        self.infos.clear()
        if not locked:
            for prompt in [p for p in self.prompts.values() if p.shown]:
                self.finish_prompt(prompt, dismissed=False)
        self.collection.emit_properties_changed({"Locked": locked})
        self.service.CollectionChanged(paths.COLLECTION)

    async def app(self, fn: Callable[[], T]) -> T:
        """``fn`` run on the app's thread (the vault lives there)."""
        future = self.on_app_thread(fn)
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), APP_WAIT)
        except TimeoutError:
            raise DBusError(FAILED, "vaultapp did not answer in time.") from None

    def _store(self) -> Store:
        """On the app's thread: the collection, or IsLocked."""
        vault = self.callbacks.vault()
        if vault is None:
            raise DBusError(IS_LOCKED, "The vault is locked; unlock it in vaultapp.")
        return Store(vault, self.callbacks.folder())

    def _save(self, vault: Vault) -> None:
        from vaultapp.core.errors import VaultError

        try:
            vault.save(merge=True)
        except VaultError as exc:
            raise DBusError(FAILED, f"vaultapp could not save: {exc}") from None
        self.callbacks.changed()

    # ---- items ------------------------------------------------------------------------------

    def _export_items(self, ids: Iterable[str]) -> list[str]:
        if self.bus is None:
            raise DBusError(FAILED, "The Secret Service is stopping.")
        found = []
        for item in ids:
            if item not in self.items:
                self.items[item] = ItemObject(self, item)
                self.bus.export(paths.item_path(item), self.items[item])
            found.append(paths.item_path(item))
        return found

    def _unexport_item(self, item: str) -> None:
        if self.bus is not None and self.items.pop(item, None) is not None:
            self.bus.unexport(paths.item_path(item))

    async def search(self, attributes: Mapping[str, str]) -> list[str]:
        if self.locked:
            return []

        def find() -> list[ItemInfo]:
            store = self._store()
            return [info(entry) for entry in store.found(attributes)]

        try:
            found = await self.app(find)
        except DBusError:
            return []  # locked meanwhile
        self.infos.update((i.item_id, i) for i in found)
        return [paths.item_path(i.item_id) for i in found]

    async def item_info(self, item: str, *, fresh: bool = False) -> ItemInfo:
        """What was last read of the item (each search reads it again), or read now."""
        if not fresh and item in self.infos:
            return self.infos[item]

        def read() -> ItemInfo:
            entry = self._store().get(item)
            if entry is None:
                raise DBusError(NO_SUCH_OBJECT, "No such item.")
            return info(entry)

        self.infos[item] = await self.app(read)
        return self.infos[item]

    async def collection_label(self) -> str:
        return await self.app(lambda: folder_label(self.callbacks.folder()))

    async def create_item(self, properties: Mapping[str, Variant], secret: list[Any], replace: bool) -> str:
        label = properties.get("org.freedesktop.Secret.Item.Label")
        attrs = properties.get("org.freedesktop.Secret.Item.Attributes")
        attributes = dict(attrs.value) if attrs is not None and attrs.signature == "a{ss}" else {}
        text = str(label.value) if label is not None and label.signature == "s" else ""
        value, content_type = self._open_secret(secret)

        def create() -> tuple[str, bool]:
            store = self._store()
            made = store.create(text, attributes, value, content_type, replace=replace)
            self._save(store.vault)
            return made

        item, new = await self.app(create)
        await self.item_info(item, fresh=True)
        path = paths.item_path(item)
        (self.collection.ItemCreated if new else self.collection.ItemChanged)(path)
        return path

    async def set_secret(self, item: str, secret: list[Any]) -> None:
        value, content_type = self._open_secret(secret)

        def change() -> None:
            store = self._store()
            entry = store.get(item)
            if entry is None:
                raise DBusError(NO_SUCH_OBJECT, "No such item.")
            store.set_secret(entry, value, content_type)
            self._save(store.vault)

        await self.app(change)
        await self.item_info(item, fresh=True)
        self.collection.ItemChanged(paths.item_path(item))

    async def update_item(
        self, item: str, *, attributes: Mapping[str, str] | None = None, label: str | None = None
    ) -> None:
        def change() -> None:
            store = self._store()
            entry = store.get(item)
            if entry is None:
                raise DBusError(NO_SUCH_OBJECT, "No such item.")
            if attributes is not None:
                store.set_attributes(entry, attributes)
            if label is not None:
                store.set_label(store.get(item) or entry, label)
            self._save(store.vault)

        await self.app(change)
        await self.item_info(item, fresh=True)
        self.collection.ItemChanged(paths.item_path(item))

    async def delete_item(self, item: str) -> None:
        def delete() -> None:
            store = self._store()
            entry = store.get(item)
            if entry is None:
                raise DBusError(NO_SUCH_OBJECT, "No such item.")
            store.delete(entry)
            self._save(store.vault)

        await self.app(delete)
        self._unexport_item(item)
        self.infos.pop(item, None)
        self.collection.ItemDeleted(paths.item_path(item))

    # ---- secrets ----------------------------------------------------------------------------

    def _open_secret(self, secret: list[Any]) -> tuple[bytes, str]:
        session_path, parameters, value, content_type = secret
        session = self.session(session_path)
        try:
            return session.decrypt(bytes(parameters), bytes(value)), str(content_type or "text/plain")
        except SessionError as exc:
            raise DBusError(INVALID_ARGS, str(exc)) from None

    async def get_secrets(self, items: list[str], session_path: str) -> dict[str, list[Any]]:
        session = self.session(session_path)
        wanted = [(p, i) for p in items if (i := paths.item_of(p)) is not None]
        if not wanted:
            return {}
        if self.locked:
            raise DBusError(IS_LOCKED, "The vault is locked; unlock it in vaultapp.")
        program = await self._program(CALLER.get())

        logged: list[Callable[[], None]] = []

        def read() -> dict[str, tuple[bytes, str]]:
            store = self._store()
            entries = {path: entry for path, item in wanted if (entry := store.get(item)) is not None}
            if not entries:
                return {}
            if not self.callbacks.allow(program, [e.title for e in entries.values()]):
                raise DBusError(ACCESS_DENIED, f"vaultapp refused {program} these secrets.")
            found = {path: store.secret(entry) for path, entry in entries.items()}
            vault, uuids = store.vault, [e.uuid for e in entries.values()]
            names = ", ".join(e.title for e in entries.values())

            def log() -> None:
                detail = {"field": "password", "where": "secret-service", "program": program}
                for uuid in uuids:
                    vault.note("entry.revealed", uuid, detail)
                self.callbacks.notify(f"{Path(program).name or program} read {names} (Secret Service).")

            logged.append(log)
            return found

        secrets = await self.app(read)
        for log in logged:
            # Logged on the app's thread while the reply goes out: the log's fsync would otherwise
            # be most of a lookup's time. The records are written before the app does anything else.
            self.on_app_thread(log)
        reply = {}
        for path, (value, content_type) in secrets.items():
            parameters, sealed = session.encrypt(value)
            item = paths.item_path(paths.item_of(path) or "")  # alias paths answer as the collection
            reply[item] = [session_path, parameters, sealed, content_type]
        return reply

    # ---- sessions, prompts, aliases ---------------------------------------------------------

    def add_session(self, session: Session) -> str:
        self.counter += 1
        path = f"{paths.SESSION_PREFIX}{self.counter}"
        self.sessions[path] = (session, CALLER.get())
        if self.bus is None:
            raise DBusError(FAILED, "The Secret Service is stopping.")
        self.bus.export(path, SessionObject(self, path))
        return path

    def session(self, path: str) -> Session:
        found = self.sessions.get(path)
        if found is None:
            raise DBusError(NO_SESSION, "The session does not exist; open one with OpenSession.")
        return found[0]

    def close_session(self, path: str) -> None:
        if self.sessions.pop(path, None) is not None and self.bus is not None:
            self.bus.unexport(path)

    async def unlock(self, objects: list[str]) -> list[Any]:
        ours = [o for o in objects if o in (paths.COLLECTION, paths.DEFAULT_ALIAS) or paths.item_of(o)]
        if not self.locked:
            return [ours, "/"]
        self.counter += 1
        path = f"{paths.PROMPT_PREFIX}{self.counter}"
        prompt = PromptObject(self, path, ours)
        self.prompts[path] = prompt
        if self.bus is None:
            raise DBusError(FAILED, "The Secret Service is stopping.")
        self.bus.export(path, prompt)
        return [[], path]

    async def show_prompt(self, prompt: PromptObject) -> None:
        if not self.locked:
            asyncio.get_running_loop().call_soon(self.finish_prompt, prompt, False)
            return
        await self.app(self.callbacks.request_unlock)

    def finish_prompt(self, prompt: PromptObject, dismissed: bool) -> None:
        if self.prompts.pop(prompt.path, None) is None:
            return
        prompt.Completed(dismissed, Variant("ao", [] if dismissed else prompt.objects))
        if self.bus is not None:
            self.bus.unexport(prompt.path)

    async def lock(self, objects: list[str]) -> list[Any]:
        ours = [o for o in objects if o in (paths.COLLECTION, paths.DEFAULT_ALIAS) or paths.item_of(o)]
        if ours and not self.locked:
            await self.app(self.callbacks.lock)
        return [ours, "/"]

    def alias(self, name: str) -> bool:
        return name == "default" or name in self.aliases

    async def set_alias(self, name: str, collection: str) -> None:
        if collection not in ("/", paths.COLLECTION, paths.DEFAULT_ALIAS):
            raise DBusError(NO_SUCH_OBJECT, "vaultapp serves one collection.")
        if name == "default":
            return  # always the one collection

        def store() -> set[str]:
            vault = self._store().vault
            aliases = set(self.aliases)
            (aliases.discard if collection == "/" else aliases.add)(name)
            vault.set_integration_data("secretservice", {"aliases": sorted(aliases)} if aliases else {})
            self._save(vault)
            return aliases

        self.aliases = await self.app(store)
