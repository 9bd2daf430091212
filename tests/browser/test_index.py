"""get-logins' host index (``browser.index``) through the real proxy and server: built at the
first request, it follows every change to the vault made after it (an entry added, edited to
another site, given a new password, trashed, removed; the vault locked and another opened), so the
next request sees the vault as it is now."""

from __future__ import annotations

from typing import Any

from tests.browser import test_app
from tests.browser.client import Extension
from tests.browser.test_app import App, associated, via
from tests.helpers import open_vault

# test_app's fixtures: a vault with sites, the real server, a real proxy speaking as the extension
app, server, ext, runtime = test_app.app, test_app.server, test_app.ext, test_app.runtime


def names(reply: dict[str, Any]) -> list[str]:
    return [e["name"] for e in reply.get("entries") or []]


def test_entries_changed_after_the_first_request_are_seen_by_the_next(
    qtbot: Any, app: App, ext: Extension
) -> None:
    associated(qtbot, ext)
    vault = app.vault
    assert vault is not None
    assert names(via(qtbot, ext.get_logins, "https://example.com/login")) == ["Example login", "Example"]
    assert via(qtbot, ext.get_logins, "https://new.test/")["errorCode"] == 15  # the index is built
    added = vault.add("New site", username="nina", password="pw-new", url="https://new.test")
    assert names(via(qtbot, ext.get_logins, "https://new.test/")) == ["New site"]
    vault.update(added.uuid, password="pw-newer")
    (entry,) = via(qtbot, ext.get_logins, "https://new.test/")["entries"]
    assert entry["password"] == "pw-newer"
    vault.update(added.uuid, url="https://moved.test")
    assert via(qtbot, ext.get_logins, "https://new.test/")["errorCode"] == 15
    assert names(via(qtbot, ext.get_logins, "https://moved.test/")) == ["New site"]
    vault.update(added.uuid, custom=[("KP2A_URL", "https://extra.test", False)])
    assert names(via(qtbot, ext.get_logins, "https://extra.test/")) == ["New site"]
    vault.trash(added.uuid)
    assert via(qtbot, ext.get_logins, "https://moved.test/")["errorCode"] == 15
    example = next(e for e in vault.entries if e.title == "Example login")
    vault.remove(example.uuid)
    assert names(via(qtbot, ext.get_logins, "https://example.com/login")) == ["Example"]


def test_locked_then_another_vault_is_served_from_its_own_entries(
    qtbot: Any, app: App, ext: Extension
) -> None:
    associated(qtbot, ext)
    first = app.vault
    assert first is not None
    assert names(via(qtbot, ext.get_logins, "https://example.com/")) == ["Example", "Example login"]
    first.save()
    path = first.path
    first.close()
    app.vault = None
    assert via(qtbot, ext.get_logins, "https://example.com/")["errorCode"] == 1
    second = open_vault(path)
    second.remove(next(e for e in second.entries if e.title == "Example").uuid)
    app.vault = second
    assert names(via(qtbot, ext.get_logins, "https://example.com/")) == ["Example login"]
    second.close()
