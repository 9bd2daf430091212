"""Bitwarden's JSON export: unencrypted, or password-protected (see ``bitwarden_crypto``).

Mapping: ``name`` → title, ``notes``, ``favorite`` → favourite, ``login.username``/``password``/
``totp``, the first ``login.uris[].uri`` → URL and the others → custom fields ``URL 2``, ``URL 3``…
(a URI's match rule is noted as not kept); the folder's name → folder, or for an organisation's
export (collections, no folders) the first collection → folder and the others → tags;
``fields[]`` → custom fields (hidden ones protected, booleans as ``true``/``false``, a linked field
as a field whose value names what it links to: ``Linked to Password``); cards, identities and SSH
keys → named fields (card number, security code, SSN, passport and licence numbers and the SSH
private key protected) and a ``card``/``identity``/``ssh`` tag; ``reprompt`` → a field
``Bitwarden reprompt``; ``passwordHistory`` → earlier versions of the entry, one per password,
dated when it was last used; ``deletedDate`` → the Trash; ``login.fido2Credentials`` → a passkey
in KeePassXC's layout (``core.passkeys``: the PKCS#8 key as PEM, the credential id as base64url;
a second passkey gets an entry of its own); ``creationDate``/``revisionDate`` → times; the item
``id`` → UUID, so importing the same export twice adds nothing. Anything else an item holds is
named in the notes as not brought in. A passkey's counter, display names and key type are not
kept (KeePassXC keeps none of them; the key itself says its type).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any, Final

from vaultapp.core.errors import UsageError
from vaultapp.interop.bitwarden_crypto import PasswordNeededError, envelope_of, open_envelope
from vaultapp.interop.bitwarden_passkeys import passkey_fields
from vaultapp.interop.records import Parsed, Problem, Record, read_text, title_for

HIDDEN_FIELD: Final = 1
LINKED_FIELD: Final = 3
KINDS: Final = {1: "login", 2: "note", 3: "card", 4: "identity", 5: "ssh"}
REPROMPT_FIELD: Final = "Bitwarden reprompt"
ITEM_KEYS: Final = frozenset({
    "id", "organizationId", "folderId", "type", "reprompt", "name", "notes", "favorite", "fields",
    "login", "secureNote", "card", "identity", "sshKey", "collectionIds", "revisionDate",
    "creationDate", "deletedDate", "passwordHistory",
})  # fmt: skip
LOGIN_KEYS: Final = frozenset(
    {"uris", "username", "password", "totp", "fido2Credentials", "passwordRevisionDate"}
)
# Each section's keys → (field name, protected).
SECTIONS: Final[dict[str, dict[str, tuple[str, bool]]]] = {
    "card": {
        "cardholderName": ("Cardholder", False), "brand": ("Card brand", False),
        "number": ("Card number", True), "expMonth": ("Expiry month", False),
        "expYear": ("Expiry year", False), "code": ("Security code", True),
    },
    "identity": {
        "title": ("Name title", False), "firstName": ("First name", False),
        "middleName": ("Middle name", False), "lastName": ("Last name", False),
        "address1": ("Address 1", False), "address2": ("Address 2", False),
        "address3": ("Address 3", False), "city": ("City", False), "state": ("State", False),
        "postalCode": ("Postal code", False), "country": ("Country", False),
        "company": ("Company", False), "email": ("Email", False), "phone": ("Phone", False),
        "ssn": ("Social security number", True), "username": ("Identity username", False),
        "passportNumber": ("Passport number", True), "licenseNumber": ("Licence number", True),
    },
    "sshKey": {
        "privateKey": ("SSH private key", True), "publicKey": ("SSH public key", False),
        "keyFingerprint": ("SSH fingerprint", False),
    },
    "secureNote": {},
}  # fmt: skip
# Bitwarden's LinkedIdType: what a linked custom field shows.
LINKED_TO: Final = {
    100: "Username", 101: "Password",
    **{300 + n: SECTIONS["card"][k][0] for n, k in enumerate(
        ("cardholderName", "expMonth", "expYear", "code", "brand", "number"))},
    **{400 + n: SECTIONS["identity"][k][0] for n, k in enumerate(
        ("title", "middleName", "address1", "address2", "address3", "city", "state", "postalCode",
         "country", "company", "email", "phone", "ssn", "username", "passportNumber", "licenseNumber",
         "firstName", "lastName"))},
    418: "Full name",
}  # fmt: skip

# Bounds checked before ``json.loads`` builds anything. A real export nests six deep (file ->
# items -> item -> login -> uris -> uri) and holds some 60 keys and values in 13 objects and
# lists per item: these leave room for 100,000 items (with some spare), and keep the import of a
# file at every bound at about 660 MiB peak, where 86 MiB of empty lists alone would take 4 GB.
DEPTH_MAX: Final = 20
ITEMS_MAX: Final = 100_000
CONTAINERS_MAX: Final = 2_000_000  # objects and lists
VALUES_MAX: Final = 8_000_000  # keys and values (commas and colons)
_ESCAPE: Final = re.compile(r"\\.", re.DOTALL)
_STRING: Final = re.compile(r'"[^"]*"')  # once escapes are gone; each match ends at the next quote
_INNERMOST: Final = re.compile(r"\[[^\[\]{}]*\]|\{[^\[\]{}]*\}")


def import_bitwarden_json(path: object, password: str | None = None) -> Parsed:
    """Read a Bitwarden JSON export; ``password`` opens a password-protected one.

    Raises:
        PasswordNeededError: a password-protected export and no ``password``.
        WrongPassphraseError: the password does not open it.
        UsageError, DamagedFileError, KdfParamsRejectedError: the file (see ``parse_bitwarden_json``).
    """
    return parse_bitwarden_json(read_text(path), password)


def read_bitwarden_json(path: object) -> Parsed | None:
    """``import_bitwarden_json`` without a password: None for a password-protected export whose
    envelope is sound (its password is asked next), so every other error comes first."""
    try:
        return import_bitwarden_json(path)
    except PasswordNeededError:
        return None


def parse_bitwarden_json(text: str, password: str | None = None) -> Parsed:
    """Read the text of a Bitwarden JSON export; an item with text no vault can hold (a lone
    surrogate such as ``\\ud800``) is skipped and reported, the others are imported.

    Raises:
        UsageError: not JSON, too deep or too large for a password export, not a Bitwarden
            export, or one restricted to the Bitwarden account.
        PasswordNeededError: a password-protected export and no ``password``.
        WrongPassphraseError, DamagedFileError, KdfParamsRejectedError: a password-protected
            export the password does not open, a damaged one, or one with hostile KDF settings.
    """
    data = _load(text)
    envelope = envelope_of(data)
    if envelope is not None:
        if password is None:
            raise PasswordNeededError("This Bitwarden export is password-protected; its password is needed.")
        data = _load(open_envelope(envelope, password))
        if data.get("encrypted") is True:
            raise UsageError("The Bitwarden export holds another encrypted export; export it again.")
    folders = {f.get("id"): str(f.get("name", "")) for f in _list(data, "folders") if isinstance(f, dict)}
    collections = {
        c.get("id"): str(c.get("name", "")) for c in _list(data, "collections") if isinstance(c, dict)
    }
    items = _list(data, "items")
    if len(items) > ITEMS_MAX:
        raise UsageError(
            f"The file holds {len(items):,} items; an import takes at most {ITEMS_MAX:,}. "
            "Split the export (by folder or collection) and import the parts."
        )
    parsed = Parsed()
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            parsed.skipped.append(Problem(0, f"item {number} is not an object"))
            continue
        notes: list[Problem] = []
        try:
            records = _record(item, number, folders, collections, notes)
        except (TypeError, ValueError, AttributeError) as exc:
            parsed.skipped.append(Problem(0, f"item {number} ({item.get('name')!r}) is malformed: {exc}"))
            continue
        if not records:
            parsed.skipped.append(Problem(0, f"item {number} has no name, username or URL"))
        elif (where := next(filter(None, map(_invalid_text, records)), None)) is not None:
            parsed.skipped.append(
                Problem(
                    0,
                    f"item {number} ({records[0].title!r}) has an invalid character (an unpaired UTF-16 "
                    f"surrogate escape such as \\ud800) in its {where}; fix it in Bitwarden and import again",
                )
            )
        else:
            parsed.records.extend(records)
            parsed.notes.extend(notes)
    return parsed


def _load(text: str) -> dict[str, Any]:
    check_json_size(text)
    try:
        data = json.loads(text, strict=False)  # raw control characters in strings are kept
    except json.JSONDecodeError as exc:
        raise UsageError(
            f"The file is not JSON (line {exc.lineno}: {exc.msg}); export it again from Bitwarden."
        ) from None
    except ValueError:  # an integer of more than 4,300 digits
        raise UsageError("The file holds a number too long for a password export; export it again.") from None
    if not isinstance(data, dict) or not isinstance(data.get("items", []), list):
        raise UsageError("The file is not a Bitwarden JSON export (it has no list of items).")
    return data


def _invalid_text(record: Record) -> str | None:
    """The name of the first field of ``record`` that is not valid Unicode text, or None."""
    fields = [
        ("title", record.title), ("username", record.username), ("password", record.password),
        ("URL", record.url), ("notes", record.notes), ("TOTP", record.totp), ("folder", record.folder),
        *(("tags", tag) for tag in record.tags),
        *((f"field {name!r}", f"{name}{value}") for name, value, _ in record.custom),
        *(("password history", old.password) for old in record.history),
    ]  # fmt: skip
    for where, text in fields:
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            return where
    return None


def check_json_size(text: str) -> None:
    """Refuse JSON nested deeper than ``DEPTH_MAX`` or with more than ``CONTAINERS_MAX`` objects
    and lists or ``VALUES_MAX`` keys and values, before anything is built. Strings are set aside
    first (escapes, then quoted runs: two linear passes, where one pattern for escaped strings
    would rescan from every quote of an unterminated one); then the innermost objects and lists
    are removed one level per pass, each pass counting what it removed.

    Raises:
        UsageError: a bound is exceeded (the message gives the bound).
    """
    bare = _STRING.sub("0", _ESCAPE.sub("", text))
    values = bare.count(",") + bare.count(":") + 1
    containers = 0
    for _ in range(DEPTH_MAX):
        if values > VALUES_MAX or containers > CONTAINERS_MAX:
            break
        bare, removed = _INNERMOST.subn("0", bare)
        containers += removed
        if not removed:
            break
    else:
        if _INNERMOST.search(bare):
            raise UsageError(
                f"The file nests lists or objects more than {DEPTH_MAX} deep, where a Bitwarden export "
                "nests six: it is not a Bitwarden export. Export the vault again from Bitwarden."
            )
    if values > VALUES_MAX or containers > CONTAINERS_MAX:
        raise UsageError(
            f"The file holds more than {CONTAINERS_MAX:,} objects and lists or {VALUES_MAX:,} values, "
            "far more than a Bitwarden export of 100,000 items; it is not one. Export the vault again."
        )


def _list(obj: dict[str, Any], key: str) -> list[Any]:
    value = obj.get(key)
    return value if isinstance(value, list) else []


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _time(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _record(
    item: dict[str, Any], number: int, folders: dict[Any, str], collections: dict[Any, str],
    notes: list[Problem],
) -> list[Record]:  # fmt: skip
    """The records for one item (a second passkey makes a second record), or none when the
    item has nothing to name it by; what is not brought in goes to ``notes``."""
    login = item.get("login") or {}
    if not isinstance(login, dict):
        raise TypeError("login is not an object")
    uris = [u for u in login.get("uris") or [] if isinstance(u, dict) and u.get("uri")]
    url = _text(uris[0].get("uri")) if uris else ""
    username = _text(login.get("username"))
    title = title_for(_text(item.get("name")), url, username)
    if not title:
        return []
    label = f"item {number} ({title!r})"

    def drop(what: str, why: str = "vaultapp has no place for it") -> None:
        notes.append(Problem(0, f"{label}: {what} not brought in ({why})"))

    kind_number = item.get("type")
    kind = KINDS.get(kind_number, "")  # type: ignore[arg-type]
    if kind_number is not None and not kind:
        notes.append(
            Problem(0, f"{label}: unknown item type {kind_number!r}; its name, notes and fields came in")
        )
    for key, value in item.items():
        if key not in ITEM_KEYS and value not in (None, "", [], {}):
            drop(f"{key!r}")
    for key, value in login.items():
        if key not in LOGIN_KEYS and value not in (None, "", [], {}):
            drop(f"login {key!r}")
    custom = _fields(item, drop)
    custom.extend((f"URL {n}", _text(u.get("uri")), False) for n, u in enumerate(uris[1:], start=2))
    for n, uri in enumerate(uris, start=1):
        if uri.get("match") is not None:
            drop(f"the match rule of URL {n}", "vaultapp matches by host")
    custom.extend(_sections(item))
    if item.get("reprompt") == 1:
        custom.append((REPROMPT_FIELD, "1", False))
    ids = [c for c in item.get("collectionIds") or [] if c in collections]
    folder = folders.get(item.get("folderId"), "")
    if not folder and ids:
        folder, ids = collections[ids[0]], ids[1:]  # an organisation's export has collections, not folders
    tags = tuple(collections[c] for c in ids)
    base = Record(
        uuid=_text(item.get("id")) or None, title=title, username=username,
        password=_text(login.get("password")), url=url, notes=_text(item.get("notes")),
        totp=_text(login.get("totp")), folder=folder,
        tags=(*tags, kind) if kind in ("card", "identity", "ssh") else tags, custom=tuple(custom),
        created=_time(item.get("creationDate")), modified=_time(item.get("revisionDate")),
        favourite=item.get("favorite") is True, trashed=_time(item.get("deletedDate")),
    )  # fmt: skip
    base = replace(base, history=_history(base, item.get("passwordHistory"), drop))
    credentials = [p for p in login.get("fido2Credentials") or [] if isinstance(p, dict)]
    records = [base]
    for n, credential in enumerate(credentials, start=1):

        def drop_key(what: str, why: str, n: int = n) -> None:
            drop(f"passkey {n}: {what}", why)

        fields = passkey_fields(credential, drop_key)
        if fields is None:
            continue
        if records[0] is base:
            records[0] = replace(base, custom=(*base.custom, *fields))
        else:  # KeePassXC holds one passkey per entry: the others get entries of their own
            records.append(
                Record(
                    title=f"{title} (passkey {n})",
                    username=_text(credential.get("userName")) or username,
                    url=url,
                    folder=folder,
                    tags=base.tags,
                    custom=fields,
                    created=base.created,
                    modified=base.modified,
                    trashed=base.trashed,
                )
            )
            notes.append(Problem(0, f"{label}: passkey {n} kept as the entry {title + f' (passkey {n})'!r}"))
    return records


def _fields(item: dict[str, Any], drop: Callable[..., None]) -> list[tuple[str, str, bool]]:
    """The item's custom fields: text, hidden (protected), boolean ("true"/"false") and linked
    ones (a field whose value names what it links to)."""
    custom: list[tuple[str, str, bool]] = []
    for n, field in enumerate(item.get("fields") or [], start=1):
        if not isinstance(field, dict):
            drop(f"custom field {n}", "it is not an object")
            continue
        name = _text(field.get("name")) or "Field"
        kind = field.get("type")
        if kind == LINKED_FIELD:
            target = LINKED_TO.get(field.get("linkedId"))  # type: ignore[arg-type]
            value = (
                f"Linked to {target}" if target else f"Linked to Bitwarden field {field.get('linkedId')!r}"
            )
            custom.append((name, value, False))
            continue
        if kind not in (0, 1, 2, None):
            drop(f"custom field {name!r}'s type {kind!r}", "unknown type; kept as text")
        raw = field.get("value")
        text = ("true" if raw else "false") if isinstance(raw, bool) else _text(raw)
        custom.append((name, text, kind == HIDDEN_FIELD))
    return custom


def _sections(item: dict[str, Any]) -> list[tuple[str, str, bool]]:
    """A card's, identity's or SSH key's values as named fields, the secret ones protected; a
    key this importer does not know keeps Bitwarden's name."""
    custom: list[tuple[str, str, bool]] = []
    for section, names in SECTIONS.items():
        values = item.get(section)
        if not isinstance(values, dict):
            continue
        for key, value in values.items():
            if value in (None, "") or (section == "secureNote" and key == "type"):
                continue
            name, protected = names.get(key, (f"{section} {key}", False))
            custom.append((name, _text(value), protected))
    return custom


def _history(base: Record, entries: object, drop: Callable[..., None]) -> tuple[Record, ...]:
    """Bitwarden's password history as earlier versions, oldest first: each is the item with
    that password, dated when it was last used."""
    if not isinstance(entries, list):
        return ()
    olds = []
    for n, old in enumerate(entries, start=1):
        if not isinstance(old, dict) or not isinstance(old.get("password"), str):
            drop(f"password history {n}", "it has no password")
            continue
        when = _time(old.get("lastUsedDate"))
        olds.append(replace(base, password=old["password"], modified=when or base.created, trashed=None))
    epoch = datetime.min.replace(tzinfo=UTC)
    return tuple(sorted(olds, key=lambda r: r.modified or epoch))
