"""The browsers' native-messaging manifests: where they go, what they say, another host's
manifest detected, kept aside when replaced and restored on uninstall; and the CLI over them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.test_contract import cli, one_line_error
from vaultapp.browser import manifests

KEEPASSXC = {
    "name": "org.keepassxc.keepassxc_browser",
    "description": "KeePassXC integration with native messaging support",
    "path": "/usr/bin/keepassxc-proxy",
    "type": "stdio",
    "allowed_origins": ["chrome-extension://oboonakemofpalcgghocfoadofidjkkk/"],
}


def test_folders_per_browser(isolated_home: Path) -> None:
    config = isolated_home / ".config"
    assert manifests.hosts_dir("chromium") == config / "chromium/NativeMessagingHosts"
    assert manifests.hosts_dir("chrome") == config / "google-chrome/NativeMessagingHosts"
    assert manifests.hosts_dir("brave") == config / "BraveSoftware/Brave-Browser/NativeMessagingHosts"
    assert manifests.hosts_dir("vivaldi") == config / "vivaldi/NativeMessagingHosts"
    assert manifests.hosts_dir("edge") == config / "microsoft-edge/NativeMessagingHosts"
    assert manifests.hosts_dir("firefox") == isolated_home / ".mozilla/native-messaging-hosts"


def test_install_writes_the_manifest_the_browser_reads(isolated_home: Path) -> None:
    status = manifests.install("chromium", proxy="/opt/vaultapp/bin/vaultapp-proxy")
    assert status.state == "vaultapp"
    data = json.loads(status.path.read_text())
    assert data["name"] == "org.keepassxc.keepassxc_browser"
    assert data["path"] == "/opt/vaultapp/bin/vaultapp-proxy"
    assert data["type"] == "stdio"
    assert data["allowed_origins"] == [
        "chrome-extension://oboonakemofpalcgghocfoadofidjkkk/",
        "chrome-extension://pdffhmdngciaglkoonimfcmckehcpafo/",
    ]
    firefox = manifests.install("firefox", proxy="/p")
    assert json.loads(firefox.path.read_text())["allowed_extensions"] == ["keepassxc-browser@keepassxc.org"]
    assert firefox.path.name == "org.keepassxc.keepassxc_browser.json"


def test_another_host_is_reported_kept_aside_and_restored(isolated_home: Path) -> None:
    path = manifests.hosts_dir("chrome") / manifests.FILE_NAME
    path.parent.mkdir(parents=True)
    original = json.dumps(KEEPASSXC).encode()
    path.write_bytes(original)
    status = manifests.status("chrome")
    assert (status.state, status.host) == ("foreign", "/usr/bin/keepassxc-proxy")
    assert "keepassxc-proxy" in status.describe()
    with pytest.raises(manifests.ForeignHostError, match="--replace"):
        manifests.install("chrome", proxy="/p")
    assert path.read_bytes() == original  # nothing changed
    status = manifests.install("chrome", replace=True, proxy="/p")
    assert (status.state, status.backup) == ("vaultapp", True)
    status = manifests.install("chrome", replace=True, proxy="/p2")  # again: the backup stays KeePassXC's
    assert path.with_name(manifests.FILE_NAME + manifests.BACKUP_SUFFIX).read_bytes() == original
    status = manifests.uninstall("chrome")
    assert status.state == "foreign"
    assert path.read_bytes() == original
    assert not status.backup
    assert manifests.uninstall("chrome").state == "foreign"  # never removes another host's file


def test_proxy_path_is_the_installed_entry_point() -> None:
    path = Path(manifests.proxy_path())
    assert path.name == "vaultapp-proxy"
    assert path.exists()


def test_the_launcher_the_manifests_start_runs_the_proxy(isolated_home: Path, tmp_path: Path) -> None:
    """The manifests point at a launcher (-IS: no site); it answers like the proxy."""
    from tests.browser.client import HEADER

    status = manifests.install("firefox")
    launcher = json.loads(status.path.read_text())["path"]
    assert launcher == str(isolated_home / ".local/share/vaultapp/vaultapp-proxy")
    assert Path(launcher).stat().st_mode & 0o777 == 0o700
    request = json.dumps({"action": "get-databasehash"}).encode()
    result = subprocess.run(
        [launcher], input=HEADER.pack(len(request)) + request, capture_output=True, check=True,
        env={"PATH": "/usr/bin:/bin", "XDG_RUNTIME_DIR": str(tmp_path)},
    )  # fmt: skip
    (size,) = HEADER.unpack(result.stdout[:4])
    assert json.loads(result.stdout[4 : 4 + size])["errorCode"] == 5


def test_cli_browser_status_install_uninstall(isolated_home: Path) -> None:
    (isolated_home / ".mozilla").mkdir()  # Firefox is "installed"; the others are not
    out = cli("browser", "status").stdout
    assert "firefox: not set up" in out
    assert "chromium: not installed for this user" in out
    out = cli("browser", "install").stdout  # only the browsers found
    assert out.startswith("firefox: vaultapp (")
    manifest = isolated_home / ".mozilla/native-messaging-hosts/org.keepassxc.keepassxc_browser.json"
    assert Path(json.loads(manifest.read_text())["path"]).name == "vaultapp-proxy"
    chrome = isolated_home / ".config/google-chrome/NativeMessagingHosts" / manifests.FILE_NAME
    chrome.parent.mkdir(parents=True)
    chrome.write_text(json.dumps(KEEPASSXC))
    result = cli("browser", "install", "--browser", "chrome", check_rc=2)
    assert "--replace" in one_line_error(result)
    out = cli(
        "browser", "install", "--browser", "chrome", "--replace", "--origin", "chrome-extension://abc/"
    ).stdout
    assert "kept aside" in out
    assert "chrome-extension://abc/" in json.loads(chrome.read_text())["allowed_origins"]
    assert "keepassxc-proxy" in cli("browser", "uninstall", "--browser", "chrome").stdout
    assert (
        "unknown browser" in one_line_error(cli("browser", "status", "--browser", "lynx", check_rc=2)).lower()
    )


def test_cli_browser_starts_without_the_vault_or_qt() -> None:
    script = (
        "import sys\nfrom vaultapp.cli import main\nmain(['browser', 'status'])\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'PySide6', 'nacl', 'argon2'} "
        "or m.startswith('vaultapp.core.vault')))"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert out.splitlines()[-1] == "[]"
