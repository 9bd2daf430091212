"""Two real Syncthing instances on 127.0.0.1 sharing one folder, for the sync tests.

Each instance has its own home (keys, config, database) and its own copy of the folder. Nothing
leaves the loopback interface: global and local discovery, relays, NAT traversal, usage and
crash reporting are off, and each device knows the other's address. The tests drive the
instances through Syncthing's REST API (scans, pausing the other device) and wait for them
through its event stream (a long poll that returns as soon as something happens), never by
sleeping.
"""

from __future__ import annotations

import contextlib
import fnmatch
import json
import os
import secrets
import shutil
import socket
import subprocess
import time
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

FOLDER_ID = "vault"
START_TIMEOUT = 60.0  # seconds: Syncthing opening its database and API on a loaded CI machine
SYNC_TIMEOUT = 120.0  # seconds for the two instances to agree after a change


def syncthing_binary() -> str:
    found = shutil.which("syncthing")
    if found is None:
        if os.environ.get("VAULTAPP_REQUIRE_SYNCTHING") == "1":
            pytest.fail(
                "syncthing is not installed (apt-get install syncthing); VAULTAPP_REQUIRE_SYNCTHING=1"
            )
        pytest.skip("syncthing is not installed (apt-get install syncthing)")
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class Instance:
    """One Syncthing process: its home, its folder, its REST API."""

    def __init__(self, binary: str, root: Path, name: str) -> None:
        self.binary = binary
        self.name = name
        self.home = root / f"syncthing-{name}"
        self.folder = root / f"sync-{name}"
        self.folder.mkdir()
        self.log = root / f"syncthing-{name}.log"
        self.api_key = secrets.token_hex(16)
        self.gui_port = free_port()
        self.listen_port = free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.event_id = 0
        subprocess.run([binary, "generate", f"--home={self.home}", "--no-default-folder"],
                       check=True, capture_output=True, timeout=START_TIMEOUT)  # fmt: skip
        result = subprocess.run([binary, "serve", f"--home={self.home}", "--device-id"], check=True,
                                capture_output=True, text=True, timeout=START_TIMEOUT)  # fmt: skip
        self.device_id = result.stdout.strip()

    def configure(self, other: Instance) -> None:
        """Loopback only, the other device at its address, the shared folder with simple versioning."""
        path = self.home / "config.xml"
        tree = ET.parse(path)  # noqa: S314 - the config Syncthing just generated
        config = tree.getroot()
        options = config.find("options")
        assert options is not None
        settings = {
            "listenAddress": f"tcp://127.0.0.1:{self.listen_port}",
            "globalAnnounceEnabled": "false",
            "localAnnounceEnabled": "false",
            "relaysEnabled": "false",
            "natEnabled": "false",
            "urAccepted": "-1",
            "autoUpgradeIntervalH": "0",
            "crashReportingEnabled": "false",
            "startBrowser": "false",
            "reconnectionIntervalS": "1",
        }
        for key, value in settings.items():
            element = options.find(key)
            if element is None:
                element = ET.SubElement(options, key)
            element.text = value
        gui = config.find("gui")
        assert gui is not None
        gui.find("address").text = f"127.0.0.1:{self.gui_port}"  # type: ignore[union-attr]
        gui.find("apikey").text = self.api_key  # type: ignore[union-attr]
        device = ET.SubElement(config, "device", id=other.device_id, name=other.name, compression="metadata")
        ET.SubElement(device, "address").text = f"tcp://127.0.0.1:{other.listen_port}"
        # Changes are picked up by explicit scans (the tests say when a machine has written),
        # not by the file watcher's delay: the same sync, at the moment the test chooses.
        folder = ET.SubElement(config, "folder", id=FOLDER_ID, label="Passwords", path=str(self.folder),
                               type="sendreceive", rescanIntervalS="3600",
                               fsWatcherEnabled="false")  # fmt: skip
        for device_id in (self.device_id, other.device_id):
            ET.SubElement(folder, "device", id=device_id)
        versioning = ET.SubElement(folder, "versioning", type="simple")
        ET.SubElement(versioning, "param", key="keep", val="10")
        ET.SubElement(folder, "maxConflicts").text = "10"
        tree.write(path)

    def start(self) -> None:
        env = {**os.environ, "STNOUPGRADE": "1", "STNORESTART": "1", "HOME": str(self.home)}
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [self.binary, "serve", f"--home={self.home}", "--no-browser", "--no-restart", "--no-upgrade"],
                stdout=log, stderr=subprocess.STDOUT, env=env,
            )  # fmt: skip
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                self.get("/rest/system/ping", timeout=2)
                break
            except OSError as exc:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(
                        f"Syncthing {self.name} did not start:\n{self.log.read_text()[-3000:]}"
                    ) from exc
                self.wait_for_process(0.2)

    def wait_for_process(self, seconds: float) -> None:
        """Wait while starting: on the process (which ends the wait if it dies), not on a clock."""
        assert self.process is not None
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=seconds)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=20)

    def request(self, method: str, path: str, body: object = None, timeout: float = 30) -> object:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(f"http://127.0.0.1:{self.gui_port}{path}", data=data, method=method)
        req.add_header("X-API-Key", self.api_key)
        if data is not None:
            req.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(req, timeout=timeout) as response:  # noqa: S310 - loopback only
            raw = response.read()
        return json.loads(raw) if raw.strip() else None

    def get(self, path: str, timeout: float = 30) -> object:
        return self.request("GET", path, timeout=timeout)

    def post(self, path: str, body: object = None) -> object:
        return self.request("POST", path, body)

    def scan(self) -> None:
        """What the file watcher does after a save: look at the folder now."""
        self.post(f"/rest/db/scan?folder={FOLDER_ID}")

    def connected(self, other: Instance) -> bool:
        connections = self.get("/rest/system/connections")
        assert isinstance(connections, dict)
        return bool(connections["connections"].get(other.device_id, {}).get("connected"))

    def pause(self, other: Instance) -> None:
        self.post(f"/rest/system/pause?device={other.device_id}")

    def resume(self, other: Instance) -> None:
        self.post(f"/rest/system/resume?device={other.device_id}")

    def next_events(self, timeout: int = 1) -> None:
        """Block until Syncthing reports something (or ``timeout`` seconds pass)."""
        events = self.get(f"/rest/events?since={self.event_id}&timeout={timeout}", timeout=timeout + 30)
        assert isinstance(events, list)
        if events:
            self.event_id = max(int(e["id"]) for e in events)


def visible_files(folder: Path) -> dict[str, bytes]:
    """The folder as Syncthing shares it: file names and contents, without Syncthing's own folders
    (``.stfolder``, ``.stversions``), its temporary files and what ``.stignore`` leaves out
    (simple name patterns only, which is all the tests use)."""
    ignore = folder / ".stignore"
    patterns = [
        line.strip()
        for line in (ignore.read_text().splitlines() if ignore.exists() else [])
        if line.strip() and not line.startswith("//")
    ]
    files = {}
    for path in folder.iterdir():
        if path.name.startswith((".syncthing.", "~syncthing~", ".stignore")) or any(
            fnmatch.fnmatchcase(path.name, p) for p in patterns
        ):
            continue
        try:
            if path.is_file():
                files[path.name] = path.read_bytes()
        except FileNotFoundError:  # Syncthing renamed it into place meanwhile: seen next time
            continue
    return files


class Pair:
    """Two machines, each with a Syncthing instance and a vaultapp home of its own."""

    def __init__(self, a: Instance, b: Instance) -> None:
        self.a, self.b = a, b

    def wait(self, condition: Callable[[], bool], what: str, timeout: float = SYNC_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                logs = "\n".join(i.log.read_text()[-2000:] for i in (self.a, self.b))
                fa, fb = visible_files(self.a.folder), visible_files(self.b.folder)
                files = sorted(n for n in fa.keys() | fb.keys() if fa.get(n) != fb.get(n))
                raise AssertionError(
                    f"Syncthing did not get to: {what} within {timeout:.0f} s\ndiffering: {files}\n{logs}"
                )
            self.a.next_events()

    def wait_connected(self) -> None:
        self.wait(lambda: self.a.connected(self.b) and self.b.connected(self.a), "the two devices connected")

    def wait_disconnected(self) -> None:
        self.wait(lambda: not self.a.connected(self.b) and not self.b.connected(self.a), "disconnected")

    def in_sync(self) -> bool:
        return visible_files(self.a.folder) == visible_files(self.b.folder)

    def sync(self, condition: Callable[[], bool] | None = None, what: str = "the same files") -> None:
        """Both machines scan, then wait until both folders hold the same files (and ``condition``)."""
        self.a.scan()
        self.b.scan()
        self.wait(lambda: self.in_sync() and (condition is None or condition()), what)

    def disconnect(self) -> None:
        self.a.pause(self.b)
        self.b.pause(self.a)
        self.wait_disconnected()

    def reconnect(self) -> None:
        self.a.resume(self.b)
        self.b.resume(self.a)
        self.wait_connected()


@contextmanager
def syncthing_pair(root: Path) -> Iterator[Pair]:
    binary = syncthing_binary()
    a, b = Instance(binary, root, "a"), Instance(binary, root, "b")
    a.configure(b)
    b.configure(a)
    try:
        a.start()
        b.start()
        pair = Pair(a, b)
        pair.wait_connected()
        yield pair
    finally:
        a.stop()
        b.stop()
