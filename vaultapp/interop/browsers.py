"""The password exports of web browsers: Chrome, Edge and Brave (one layout), Firefox, Safari.

- Chrome/Edge/Brave (Settings → Passwords → Export): ``name,url,username,password`` and, since
  2022, ``note``. ``name`` is the site's host; an Android app's row has an ``android://`` URL.
- Firefox (about:logins → Export): ``url,username,password,httpRealm,formActionOrigin,guid,
  timeCreated,timeLastUsed,timePasswordChanged``, the times in milliseconds since 1970. No
  title: the URL's host names the entry. ``guid`` becomes the UUID (re-importing adds nothing);
  ``timeCreated`` → created, ``timePasswordChanged`` → modified, ``timeLastUsed`` → a field
  ``Last used`` (a date), ``httpRealm``/``formActionOrigin`` → fields.
- Safari / Apple Passwords (File → Export): ``Title,URL,Username,Password,Notes,OTPAuth``; the
  ``OTPAuth`` URI becomes the entry's TOTP.

Any column a later version adds is kept as a custom field (protected if its name says secret).
"""

from __future__ import annotations

from typing import Final

from vaultapp.interop.records import Parsed
from vaultapp.interop.sources import Fields, Row, epoch, finish, read_source, read_table, stable_uuid, text_of

CHROME_HEADER: Final = ("name", "url", "username", "password", "note")
FIREFOX_HEADER: Final = (
    "url", "username", "password", "httpRealm", "formActionOrigin", "guid",
    "timeCreated", "timeLastUsed", "timePasswordChanged",
)  # fmt: skip
SAFARI_HEADER: Final = ("Title", "URL", "Username", "Password", "Notes", "OTPAuth")


def _keep_rest(row: Row, fields: Fields) -> None:
    for name, value in row.rest():
        fields.add(name, value)


def import_chrome_csv(path: object) -> Parsed:
    """Chrome's, Edge's or Brave's password CSV.

    Raises:
        DamagedFileError: not CSV, or no name/url/username/password columns.
    """
    what = "a Chrome, Edge or Brave password export"
    parsed = Parsed()
    table = read_table(text_of(read_source(path, what), "The file", what), what, CHROME_HEADER[:4], parsed)
    for row in table.rows:
        fields = Fields()
        url = row.get("url")
        title = row.get("name")
        if not title and url.startswith("android://") and "@" in url:
            title = url.split("@", 1)[1].split("/", 1)[0]  # the app's package name
        values = {"username": row.get("username"), "password": row.get("password"), "notes": row.get("note")}
        _keep_rest(row, fields)
        finish(parsed, row.line, "the row", title=title, url=url, custom=tuple(fields.items), **values)
    return parsed


def import_firefox_csv(path: object) -> Parsed:
    """Firefox's login export.

    Raises:
        DamagedFileError: not CSV, or no url/username/password columns.
    """
    what = "a Firefox login export"
    parsed = Parsed()
    table = read_table(text_of(read_source(path, what), "The file", what), what, FIREFOX_HEADER[:3], parsed)
    for row in table.rows:
        fields = Fields()
        url = row.get("url")
        created = epoch(row.get("timeCreated"), millis=True)
        changed = epoch(row.get("timePasswordChanged"), millis=True)
        used = epoch(row.get("timeLastUsed"), millis=True)
        if used is not None:
            fields.add("Last used", used.isoformat(timespec="seconds"), False)
        fields.add("HTTP realm", row.get("httpRealm"), False)
        fields.add("Form action origin", row.get("formActionOrigin"), False)
        guid, username, password = row.get("guid"), row.get("username"), row.get("password")
        _keep_rest(row, fields)
        finish(
            parsed, row.line, "the row", title="", url=url, username=username,
            password=password, uuid=stable_uuid("firefox", guid), created=created,
            modified=changed or created, custom=tuple(fields.items),
        )  # fmt: skip
    return parsed


def import_safari_csv(path: object) -> Parsed:
    """Safari's or Apple Passwords' export.

    Raises:
        DamagedFileError: not CSV, or no Title/URL/Username/Password columns.
    """
    what = "a Safari or Apple Passwords export"
    parsed = Parsed()
    table = read_table(text_of(read_source(path, what), "The file", what), what, SAFARI_HEADER[:4], parsed)
    for row in table.rows:
        fields = Fields()
        values = {
            "title": row.get("Title"), "url": row.get("URL"), "username": row.get("Username"),
            "password": row.get("Password"), "notes": row.get("Notes"), "totp": row.get("OTPAuth"),
        }  # fmt: skip
        _keep_rest(row, fields)
        finish(parsed, row.line, "the row", custom=tuple(fields.items), **values)
    return parsed
