"""End to end with the real extension in a real browser: Debian's Chromium on a private Xvfb
loads the released KeePassXC-Browser 1.9.9.1 unpacked (read from ../shared/data, never copied),
starts the real ``vaultapp-proxy`` from a manifest in its profile, and talks to the real window:
the association dialog is answered by the test, nothing is filled while the vault is locked, a
login page on 127.0.0.1 is filled after the access dialog, and a second site asks again. The
filled values are read back through Chromium's DevTools protocol (tests/browser/cdp.py).

Slow (a browser start); skipped without Chromium or the extension unless
``VAULTAPP_REQUIRE_CHROMIUM=1`` (``.ci/run`` installs Chromium and sets it)."""

from __future__ import annotations

import hashlib
import http.server
import json
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.cdp import Chromium
from tests.gui.browser_helpers import Answer, name_it, via
from tests.gui.conftest import unlock
from tests.xserver import xvfb
from vaultapp.browser import manifests
from vaultapp.browser.stored import clients
from vaultapp.gui.main_window import MainWindow

EXTENSION = Path(__file__).resolve().parents[3] / "shared/data/keepassxc-browser-1.9.9.1/extension"
if not EXTENSION.is_dir():
    EXTENSION = Path("/work/shared/data/keepassxc-browser-1.9.9.1/extension")
REQUIRE = os.environ.get("VAULTAPP_REQUIRE_CHROMIUM") == "1"
PAGE = (
    b"<!doctype html><html><body><form action='/login' method='post'>"
    b"<input type='text' id='user' name='user' autocomplete='username'>"
    b"<input type='password' id='pass' name='pass' autocomplete='current-password'>"
    b"<button type='submit'>Log in</button></form></body></html>"
)
FIELDS = (  # the form's values, or null before the page is there
    "document.getElementById('pass') && "
    "[document.getElementById('user').value, document.getElementById('pass').value]"
)

pytestmark = pytest.mark.slow


def unpacked_id(path: Path) -> str:
    """Chromium's id for an unpacked extension: SHA-256 of its path, 32 hex digits as a-p."""
    digest = hashlib.sha256(str(path).encode()).hexdigest()[:32]
    return "".join(chr(ord("a") + int(c, 16)) for c in digest)


def until(check: Callable[[], Any], what: str, seconds: float = 60) -> Any:
    """Poll ``check`` (in the worker thread) until it returns something true."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"gave up waiting: {what}")


@pytest.fixture
def x_display() -> Iterator[str]:
    missing = [tool for tool in ("Xvfb", "chromium") if shutil.which(tool) is None]
    if not EXTENSION.is_dir():
        missing.append(str(EXTENSION))
    if missing:
        if REQUIRE:
            pytest.fail(f"VAULTAPP_REQUIRE_CHROMIUM is set but {', '.join(missing)} is missing")
        pytest.skip(f"needs {', '.join(missing)} (apt-get install chromium xvfb)")
    with xvfb(range(70, 80)) as display:
        yield display


@pytest.fixture
def site() -> Iterator[int]:
    class Page(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(PAGE)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield int(server.server_address[1])
    server.shutdown()
    server.server_close()


@pytest.fixture
def runtime(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "run"
    path.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(path))
    return path


def test_the_real_extension_associates_and_fills_in_chromium(
    qtbot: Any, window: MainWindow, runtime: Path, tmp_path: Path, x_display: str, site: int
) -> None:
    window.settings.browser_enabled = True
    unlock(qtbot, window)
    vault = window.vault
    assert vault is not None
    vault.add("Local site", username="alice", password="e2e-s3cret", url=f"http://127.0.0.1:{site}")
    vault.add("Other host", username="bob", password="e2e-other", url=f"http://localhost:{site}")
    vault.save()
    profile = tmp_path / "profile"
    (profile / "NativeMessagingHosts").mkdir(parents=True)
    ext_id = unpacked_id(EXTENSION)
    manifest = manifests.manifest("chromium", manifests.proxy_path(), (f"chrome-extension://{ext_id}/",))
    (profile / "NativeMessagingHosts" / manifests.FILE_NAME).write_text(json.dumps(manifest))
    env = {**os.environ, "DISPLAY": x_display, "XDG_RUNTIME_DIR": str(runtime)}
    env.pop("QT_QPA_PLATFORM", None)
    browser = Chromium(
        [str(shutil.which("chromium")), f"--user-data-dir={profile}", "--no-first-run",
         "--no-default-browser-check", "--no-sandbox", "--disable-gpu",
         f"--disable-extensions-except={EXTENSION}", f"--load-extension={EXTENSION}",
         "--disable-features=DisableLoadExtensionCommandLineSwitch", "about:blank"],
        env, str(tmp_path / "chromium.log"),
    )  # fmt: skip
    try:
        run(qtbot, window, browser, ext_id, site)
    finally:
        browser.close()


def run(qtbot: Any, window: MainWindow, browser: Chromium, ext_id: str, site: int) -> None:
    def worker_session() -> str:
        def find() -> str | None:
            targets = browser.send("Target.getTargets")["targetInfos"]
            return next(
                (t["targetId"] for t in targets if t["type"] == "service_worker" and ext_id in t["url"]),
                None,
            )

        session = browser.attach(until(find, "the extension's service worker"))
        until(lambda: browser.evaluate(session, "typeof page === 'object' && !!page.settings"), "settings")
        return session

    worker = via(qtbot, worker_session)

    def evaluate(expression: str) -> Any:
        return via(qtbot, lambda: browser.evaluate(worker, expression))

    # The extension fills a single match by itself (its default waits for a click).
    evaluate(
        "page.settings.autoFillSingleEntry = true;"
        "browser.storage.local.set({settings: page.settings}).then(() => true)"
    )
    named = Answer("browser_associate_dialog", name_it("Chromium e2e"))
    assert evaluate("keepass.reconnect(null).then(String)") == "true"  # the proxy answers
    assert evaluate("keepass.associate(null).then(String)") == "2"  # AssociatedAction.NEW_ASSOCIATION
    assert len(named.seen) == 1
    assert window.vault is not None
    assert list(clients(window.vault)) == ["Chromium e2e"]
    assert evaluate("keepass.isAssociated()") is True

    def open_page(url: str) -> str:
        target = browser.send("Target.createTarget", {"url": url})["targetId"]
        return browser.attach(target)

    def filled(session: str) -> list[str]:
        return until(lambda: (v := browser.evaluate(session, FIELDS)) and v[0] and v, "the fields filled")

    # Locked: the extension hears it, and the page stays empty.
    window.lock()
    via(qtbot, lambda: until(lambda: browser.evaluate(worker, "keepass.isDatabaseClosed"), "locked notice"))
    locked_tab = via(qtbot, open_page, f"http://127.0.0.1:{site}/")
    loaded = "document.readyState === 'complete'"
    via(qtbot, lambda: until(lambda: browser.evaluate(locked_tab, loaded), "the page loaded"))
    url = json.dumps(f"http://127.0.0.1:{site}/")
    # Asked while locked, the extension gets no logins: either none at once, or (when its
    # unlock request is still waiting for the user) no answer at all; the page stays empty.
    asked = (
        f"Promise.race([keepass.retrieveCredentials(null, [{url}, {url}, true]).then(r => r.length),"
        " new Promise(done => setTimeout(() => done('waiting for unlock'), 5000))])"
    )
    assert evaluate(asked) in (0, "waiting for unlock")
    assert via(qtbot, lambda: browser.evaluate(locked_tab, FIELDS)) == ["", ""]

    # Unlocked: the first site asks Allow/Deny, then fills.
    allow = Answer("browser_access_dialog", lambda d: d.allow_button.click())
    unlock(qtbot, window)
    tab = via(qtbot, open_page, f"http://127.0.0.1:{site}/")
    assert via(qtbot, filled, tab) == ["alice", "e2e-s3cret"]
    assert len(allow.seen) == 1

    # A second site gets its own question.
    again = Answer("browser_access_dialog", lambda d: d.allow_button.click())
    other = via(qtbot, open_page, f"http://localhost:{site}/")
    assert via(qtbot, filled, other) == ["bob", "e2e-other"]
    assert len(again.seen) == 1
