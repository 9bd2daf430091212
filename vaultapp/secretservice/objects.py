"""The spec's D-Bus objects (Service, Collection, Item, Session, Prompt) as dbus-fast interfaces.
They run on the service's own asyncio thread and reach the vault only through ``Server.app``
(the app's thread); no Qt here."""

# No ``from __future__ import annotations``: dbus-fast reads the D-Bus signatures from the
# annotations at class creation.

from typing import TYPE_CHECKING, Annotated, Any

from dbus_fast import PropertyAccess, Variant
from dbus_fast.annotations import DBusSignature
from dbus_fast.errors import DBusError
from dbus_fast.service import ServiceInterface, dbus_method, dbus_property, dbus_signal

from vaultapp.secretservice import paths
from vaultapp.secretservice.sessions import NotSupportedError, SessionError, open_session

if TYPE_CHECKING:
    from vaultapp.secretservice.server import Server

Str = Annotated[str, DBusSignature("s")]
Bool = Annotated[bool, DBusSignature("b")]
Path = Annotated[str, DBusSignature("o")]
Paths = Annotated[list[str], DBusSignature("ao")]
Var = Annotated[Variant, DBusSignature("v")]
Props = Annotated[dict[str, Variant], DBusSignature("a{sv}")]
Attrs = Annotated[dict[str, str], DBusSignature("a{ss}")]
UInt64 = Annotated[int, DBusSignature("t")]
Secret = Annotated[list[Any], DBusSignature("(oayays)")]
Secrets = Annotated[dict[str, list[Any]], DBusSignature("a{o(oayays)}")]
OpenReply = Annotated[list[Any], DBusSignature("vo")]
PathAndPrompt = Annotated[list[Any], DBusSignature("oo")]
PathsAndPrompt = Annotated[list[Any], DBusSignature("aoo")]
SearchReply = Annotated[list[Any], DBusSignature("aoao")]
Completion = Annotated[list[Any], DBusSignature("bv")]

NOT_SUPPORTED = "org.freedesktop.DBus.Error.NotSupported"
INVALID_ARGS = "org.freedesktop.DBus.Error.InvalidArgs"
ACCESS_DENIED = "org.freedesktop.DBus.Error.AccessDenied"
FAILED = "org.freedesktop.DBus.Error.Failed"
IS_LOCKED = "org.freedesktop.Secret.Error.IsLocked"
NO_SESSION = "org.freedesktop.Secret.Error.NoSession"
NO_SUCH_OBJECT = "org.freedesktop.Secret.Error.NoSuchObject"


class ServiceObject(ServiceInterface):
    """``/org/freedesktop/secrets``: sessions, search, secrets, lock and unlock, aliases."""

    def __init__(self, server: "Server") -> None:
        super().__init__("org.freedesktop.Secret.Service")
        self.server = server

    @dbus_method()
    def OpenSession(self, algorithm: Str, input: Var) -> OpenReply:  # noqa: N802
        try:
            data = input.value if input.signature == "ay" else b""
            session, output = open_session(algorithm, bytes(data))
        except NotSupportedError as exc:
            raise DBusError(NOT_SUPPORTED, str(exc)) from None
        except SessionError as exc:
            raise DBusError(INVALID_ARGS, str(exc)) from None
        path = self.server.add_session(session)
        return [Variant("ay", output) if output else Variant("s", ""), path]

    @dbus_method()
    def CreateCollection(self, properties: Props, alias: Str) -> PathAndPrompt:  # noqa: N802
        if alias in ("", "default") or self.server.alias(alias):
            return [paths.COLLECTION, "/"]
        raise DBusError(NOT_SUPPORTED, "vaultapp serves one collection (one folder of the vault).")

    @dbus_method()
    async def SearchItems(self, attributes: Attrs) -> SearchReply:  # noqa: N802
        unlocked = await self.server.search(attributes)
        return [unlocked, []]

    @dbus_method()
    async def Unlock(self, objects: Paths) -> PathsAndPrompt:  # noqa: N802
        return await self.server.unlock(objects)

    @dbus_method()
    async def Lock(self, objects: Paths) -> PathsAndPrompt:  # noqa: N802
        return await self.server.lock(objects)

    @dbus_method()
    async def GetSecrets(self, items: Paths, session: Path) -> Secrets:  # noqa: N802
        return await self.server.get_secrets(items, session)

    @dbus_method()
    def ReadAlias(self, name: Str) -> Path:  # noqa: N802
        return paths.COLLECTION if self.server.alias(name) else "/"

    @dbus_method()
    async def SetAlias(self, name: Str, collection: Path) -> None:  # noqa: N802
        await self.server.set_alias(name, collection)

    @dbus_property(access=PropertyAccess.READ)
    def Collections(self) -> Paths:  # noqa: N802
        return [paths.COLLECTION]

    @dbus_signal()
    def CollectionCreated(self, collection: str) -> Path:  # noqa: N802
        return collection

    @dbus_signal()
    def CollectionDeleted(self, collection: str) -> Path:  # noqa: N802
        return collection

    @dbus_signal()
    def CollectionChanged(self, collection: str) -> Path:  # noqa: N802
        return collection


class CollectionObject(ServiceInterface):
    """The one collection, at its own path and at ``/org/freedesktop/secrets/aliases/default``."""

    def __init__(self, server: "Server") -> None:
        super().__init__("org.freedesktop.Secret.Collection")
        self.server = server

    @dbus_method()
    def Delete(self) -> Path:  # noqa: N802
        raise DBusError(NOT_SUPPORTED, "Delete the folder in vaultapp itself; the service keeps it.")

    @dbus_method()
    async def SearchItems(self, attributes: Attrs) -> Paths:  # noqa: N802
        return await self.server.search(attributes)

    @dbus_method()
    async def CreateItem(self, properties: Props, secret: Secret, replace: Bool) -> PathAndPrompt:  # noqa: N802
        return [await self.server.create_item(properties, secret, replace), "/"]

    @dbus_property(access=PropertyAccess.READ)
    async def Items(self) -> Paths:  # noqa: N802
        return await self.server.search({})

    @dbus_property()
    async def Label(self) -> Str:  # noqa: N802
        return await self.server.collection_label()

    @Label.setter  # type: ignore[no-redef]
    def Label(self, value: Str) -> None:  # noqa: N802
        raise DBusError(NOT_SUPPORTED, "Choose the folder in vaultapp's settings.")

    @dbus_property(access=PropertyAccess.READ)
    def Locked(self) -> Bool:  # noqa: N802
        return self.server.locked

    @dbus_property(access=PropertyAccess.READ)
    def Created(self) -> UInt64:  # noqa: N802
        return 0

    @dbus_property(access=PropertyAccess.READ)
    def Modified(self) -> UInt64:  # noqa: N802
        return 0

    @dbus_signal()
    def ItemCreated(self, item: str) -> Path:  # noqa: N802
        return item

    @dbus_signal()
    def ItemDeleted(self, item: str) -> Path:  # noqa: N802
        return item

    @dbus_signal()
    def ItemChanged(self, item: str) -> Path:  # noqa: N802
        return item


class ItemObject(ServiceInterface):
    """One item (one entry of the folder)."""

    def __init__(self, server: "Server", item_id: str) -> None:
        super().__init__("org.freedesktop.Secret.Item")
        self.server = server
        self.item_id = item_id

    @dbus_method()
    async def Delete(self) -> Path:  # noqa: N802
        await self.server.delete_item(self.item_id)
        return "/"

    @dbus_method()
    async def GetSecret(self, session: Path) -> Secret:  # noqa: N802
        found = await self.server.get_secrets([paths.item_path(self.item_id)], session)
        return found[paths.item_path(self.item_id)]

    @dbus_method()
    async def SetSecret(self, secret: Secret) -> None:  # noqa: N802
        await self.server.set_secret(self.item_id, secret)

    @dbus_property(access=PropertyAccess.READ)
    def Locked(self) -> Bool:  # noqa: N802
        return self.server.locked

    @dbus_property()
    async def Attributes(self) -> Attrs:  # noqa: N802
        return (await self.server.item_info(self.item_id)).attributes

    @Attributes.setter  # type: ignore[no-redef]
    async def Attributes(self, value: Attrs) -> None:  # noqa: N802
        await self.server.update_item(self.item_id, attributes=value)

    @dbus_property()
    async def Label(self) -> Str:  # noqa: N802
        return (await self.server.item_info(self.item_id)).label

    @Label.setter  # type: ignore[no-redef]
    async def Label(self, value: Str) -> None:  # noqa: N802
        await self.server.update_item(self.item_id, label=value)

    @dbus_property(access=PropertyAccess.READ)
    async def Created(self) -> UInt64:  # noqa: N802
        return (await self.server.item_info(self.item_id)).created

    @dbus_property(access=PropertyAccess.READ)
    async def Modified(self) -> UInt64:  # noqa: N802
        return (await self.server.item_info(self.item_id)).modified


class SessionObject(ServiceInterface):
    def __init__(self, server: "Server", path: str) -> None:
        super().__init__("org.freedesktop.Secret.Session")
        self.server = server
        self.path = path

    @dbus_method()
    def Close(self) -> None:  # noqa: N802
        self.server.close_session(self.path)


class PromptObject(ServiceInterface):
    """An unlock prompt: ``Prompt`` shows the app's unlock window; ``Completed`` says how it ended."""

    def __init__(self, server: "Server", path: str, objects: list[str]) -> None:
        super().__init__("org.freedesktop.Secret.Prompt")
        self.server = server
        self.path = path
        self.objects = objects
        self.shown = False

    @dbus_method()
    async def Prompt(self, window_id: Str) -> None:  # noqa: N802
        self.shown = True
        await self.server.show_prompt(self)

    @dbus_method()
    def Dismiss(self) -> None:  # noqa: N802
        self.server.finish_prompt(self, dismissed=True)

    @dbus_signal()
    def Completed(self, dismissed: bool, result: Variant) -> Completion:  # noqa: N802
        return [dismissed, result]
