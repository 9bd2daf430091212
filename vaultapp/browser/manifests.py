"""The browsers' native-messaging manifests that point KeePassXC-Browser at ``vaultapp-proxy``:
where each browser looks, what is there now (nothing, ours, or another host such as KeePassXC's),
installing (another host's file is replaced only when asked, and kept as a backup beside it) and
uninstalling (which restores that backup). No Qt; the CLI's ``browser`` command and the window's
settings page call these.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal

from vaultapp.core.errors import UsageError

HOST_NAME: Final = "org.keepassxc.keepassxc_browser"
FILE_NAME: Final = HOST_NAME + ".json"
BACKUP_SUFFIX: Final = ".vaultapp-backup"
DESCRIPTION: Final = "vaultapp: passwords for KeePassXC-Browser"
# The released extension's IDs: the Chrome Web Store's and Microsoft Edge Add-ons' (Chromium
# browsers), and its Firefox add-on ID.
CHROMIUM_ORIGINS: Final = (
    "chrome-extension://oboonakemofpalcgghocfoadofidjkkk/",
    "chrome-extension://pdffhmdngciaglkoonimfcmckehcpafo/",
)
FIREFOX_EXTENSIONS: Final = ("keepassxc-browser@keepassxc.org",)

# browser -> (its folder under the config home, or under HOME for Firefox)
BROWSERS: Final = {
    "chromium": "chromium",
    "chrome": "google-chrome",
    "brave": "BraveSoftware/Brave-Browser",
    "vivaldi": "vivaldi",
    "edge": "microsoft-edge",
    "firefox": ".mozilla",
}

State = Literal["absent", "vaultapp", "foreign"]


def _config_home() -> Path:
    value = os.environ.get("XDG_CONFIG_HOME", "")
    return Path(value) if value and Path(value).is_absolute() else Path.home() / ".config"


def profile_dir(browser: str) -> Path:
    """The browser's own folder (whether it is installed for this user)."""
    if browser == "firefox":
        return Path.home() / ".mozilla"
    return _config_home() / BROWSERS[browser]


def hosts_dir(browser: str) -> Path:
    if browser == "firefox":
        return profile_dir(browser) / "native-messaging-hosts"
    return profile_dir(browser) / "NativeMessagingHosts"


def proxy_path() -> str:
    """The installed ``vaultapp-proxy`` (beside this Python, else on PATH)."""
    beside = Path(sys.executable).parent / "vaultapp-proxy"
    if beside.exists():
        return str(beside)
    found = shutil.which("vaultapp-proxy")
    if found is None:
        raise FileNotFoundError("vaultapp-proxy is not installed; reinstall vaultapp (pip install vaultapp).")
    return str(Path(found).resolve())


def _data_home() -> Path:
    value = os.environ.get("XDG_DATA_HOME", "")
    return Path(value) if value and Path(value).is_absolute() else Path.home() / ".local/share"


def launcher_path() -> Path:
    return _data_home() / "vaultapp" / "vaultapp-proxy"


def write_launcher() -> str:
    """Write the program the manifests start: ``vaultapp-proxy`` run by this Python in isolated
    mode without ``site`` (``-IS``: no site-packages scan, no .pth files, no PYTHON* variables),
    with only vaultapp's own folder on the path; the proxy needs nothing else. It starts in
    about the time of ``python3 -c pass``. Falls back to the console script when this Python's
    path cannot go in a ``#!`` line."""
    import vaultapp

    python = sys.executable
    if not python or any(c in python for c in " \t\n"):
        return proxy_path()
    root = str(Path(vaultapp.__file__).resolve().parent.parent)
    script = (
        f"#!{python} -IS\n"
        "# Written by vaultapp for the browsers' native-messaging manifests (vaultapp-cli browser).\n"
        f"import sys\nsys.path.insert(0, {root!r})\n"
        "from vaultapp.browser.proxy import main\nsys.exit(main())\n"
    )
    from vaultapp.core.saving import atomic_write

    path = launcher_path()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    atomic_write(path, script.encode("utf-8"), backup=False)
    path.chmod(0o700)
    return str(path)


def manifest(browser: str, proxy: str, extra_origins: tuple[str, ...] = ()) -> dict[str, Any]:
    data: dict[str, Any] = {"name": HOST_NAME, "description": DESCRIPTION, "path": proxy, "type": "stdio"}
    if browser == "firefox":
        data["allowed_extensions"] = list(FIREFOX_EXTENSIONS)
    else:
        data["allowed_origins"] = [*CHROMIUM_ORIGINS, *extra_origins]
    return data


@dataclass(frozen=True, slots=True)
class Status:
    browser: str
    path: Path
    state: State
    host: str = ""  # the program another host's manifest starts
    installed: bool = False  # the browser's own folder exists
    backup: bool = False  # another host's manifest is kept aside, restored on uninstall

    def describe(self) -> str:
        where = f"{self.browser}: "
        if self.state == "vaultapp":
            kept = " (the previous host's manifest is kept aside)" if self.backup else ""
            return where + f"vaultapp ({self.path}){kept}"
        if self.state == "foreign":
            return where + f"another host owns it: {self.host or 'unknown program'} ({self.path})"
        return where + ("not set up" if self.installed else "not installed for this user")


def _read(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_bytes()[: 1 << 20])
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def status(browser: str) -> Status:
    path = hosts_dir(browser) / FILE_NAME
    installed = profile_dir(browser).is_dir()
    backup = path.with_name(FILE_NAME + BACKUP_SUFFIX).exists()
    if not path.exists() and not path.is_symlink():
        return Status(browser, path, "absent", installed=installed, backup=backup)
    data = _read(path) or {}
    if data.get("description") == DESCRIPTION:
        return Status(browser, path, "vaultapp", str(data.get("path", "")), installed, backup)
    return Status(browser, path, "foreign", str(data.get("path", "")), installed, backup)


class ForeignHostError(UsageError):
    """Another host's manifest is there and replacing it was not asked for (exit code 2)."""


def _write(path: Path, data: dict[str, Any]) -> None:
    from vaultapp.core.saving import atomic_write

    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, (json.dumps(data, indent=2) + "\n").encode("utf-8"), backup=False)


def install(
    browser: str, *, replace: bool = False, proxy: str | None = None, extra_origins: tuple[str, ...] = ()
) -> Status:
    """Write vaultapp's manifest for ``browser``. Another host's manifest is moved aside to
    ``NAME.json.vaultapp-backup`` with ``replace``, else ForeignHostError (nothing changes).

    Raises:
        ForeignHostError: another host owns the name and ``replace`` is off.
        SaveFailedError: the file could not be written (the old one is intact).
    """
    current = status(browser)
    if current.state == "foreign":
        if not replace:
            raise ForeignHostError(
                f"{browser}: {current.host or 'another program'} already serves KeePassXC-Browser "
                f"({current.path}); run again with --replace to use vaultapp instead (it is kept and "
                "restored by 'uninstall')."
            )
        backup = current.path.with_name(FILE_NAME + BACKUP_SUFFIX)
        if not backup.exists():
            current.path.replace(backup)
    _write(current.path, manifest(browser, proxy or write_launcher(), extra_origins))
    return status(browser)


def uninstall(browser: str) -> Status:
    """Remove vaultapp's manifest for ``browser`` and put back the one it replaced, if any.
    Another host's manifest is never removed."""
    current = status(browser)
    if current.state == "vaultapp":
        current.path.unlink()
    backup = current.path.with_name(FILE_NAME + BACKUP_SUFFIX)
    if backup.exists() and status(browser).state == "absent":
        backup.replace(current.path)
    return status(browser)
