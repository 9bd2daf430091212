"""Typed access to the app's settings (QSettings, INI file). Never holds a secret."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

RECENT_MAX = 8


def default_settings_path() -> Path:
    """~/.config/vaultapp/settings.ini on Linux (Qt's per-user config folder; no extra import)."""
    from PySide6.QtCore import QStandardPaths

    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericConfigLocation)
    return Path(folder) / "vaultapp" / "settings.ini"


def default_vault_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("vaultapp", appauthor=False)) / "Passwords.vault"


class Settings:
    """Clipboard timeout, idle lock, lock on minimize, passwords in table, theme, browser
    integration, generator options, recent vaults."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_settings_path()
        self._q = QSettings(str(self.path), QSettings.Format.IniFormat)

    def _int(self, key: str, default: int) -> int:
        try:
            return int(self._q.value(key, default))
        except (TypeError, ValueError):
            return default

    def _bool(self, key: str, default: bool) -> bool:
        value = self._q.value(key, default)
        return value in (True, "true", "1", 1) if not isinstance(value, bool) else value

    @property
    def clipboard_seconds(self) -> int:
        return max(0, self._int("clipboard/clear_seconds", 15))

    @clipboard_seconds.setter
    def clipboard_seconds(self, value: int) -> None:
        self._q.setValue("clipboard/clear_seconds", int(value))

    @property
    def idle_lock_seconds(self) -> int:
        """Seconds without input before the vault locks; 0 turns it off."""
        return max(0, self._int("lock/idle_seconds", 300))

    @idle_lock_seconds.setter
    def idle_lock_seconds(self, value: int) -> None:
        self._q.setValue("lock/idle_seconds", int(value))

    @property
    def lock_on_minimize(self) -> bool:
        return self._bool("lock/on_minimize", False)

    @lock_on_minimize.setter
    def lock_on_minimize(self, value: bool) -> None:
        self._q.setValue("lock/on_minimize", bool(value))

    @property
    def warn_open_attachment(self) -> bool:
        """Warn before opening an attachment that its copy is plaintext on disk while open."""
        return self._bool("attachments/warn_open", True)

    @warn_open_attachment.setter
    def warn_open_attachment(self, value: bool) -> None:
        self._q.setValue("attachments/warn_open", bool(value))

    @property
    def show_passwords_in_table(self) -> bool:
        return self._bool("view/show_passwords", False)

    @show_passwords_in_table.setter
    def show_passwords_in_table(self, value: bool) -> None:
        self._q.setValue("view/show_passwords", bool(value))

    @property
    def theme(self) -> str:
        value = str(self._q.value("view/theme", "system"))
        return value if value in ("system", "light", "dark") else "system"

    @theme.setter
    def theme(self, value: str) -> None:
        self._q.setValue("view/theme", value)

    @property
    def browser_enabled(self) -> bool:
        """Serve KeePassXC-Browser while a vault is unlocked (Settings → Browser integration)."""
        return self._bool("browser/enabled", False)

    @browser_enabled.setter
    def browser_enabled(self, value: bool) -> None:
        self._q.setValue("browser/enabled", bool(value))

    @property
    def ssh_agent_enabled(self) -> bool:
        """Add the vault's add-on-unlock SSH keys to the agent at unlock (Settings → SSH agent)."""
        return self._bool("sshagent/enabled", False)

    @ssh_agent_enabled.setter
    def ssh_agent_enabled(self, value: bool) -> None:
        self._q.setValue("sshagent/enabled", bool(value))

    @property
    def generator_options(self) -> dict[str, object]:
        """The generator dialog's last options (kinds, lengths, switches; never a value)."""
        import json

        try:
            value = json.loads(str(self._q.value("generator/options", "{}")))
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}

    @generator_options.setter
    def generator_options(self, options: dict[str, object]) -> None:
        import json

        self._q.setValue("generator/options", json.dumps(options))

    def flag(self, key: str, default: bool) -> bool:
        """A switch stored under ``key`` (a settings page's own, such as gui.desktop_settings)."""
        return self._bool(key, default)

    def set_flag(self, key: str, value: bool) -> None:
        self._q.setValue(key, bool(value))

    def layout_state(self, name: str) -> bytes | None:
        """A saved Qt layout (window geometry, splitter sizes, table columns and sort order)."""
        value = self._q.value(f"layout/{name}")
        if isinstance(value, QByteArray) and not value.isEmpty():
            return bytes(value.data())
        return None

    def set_layout_state(self, name: str, state: bytes) -> None:
        self._q.setValue(f"layout/{name}", QByteArray(state))

    @property
    def recent_vaults(self) -> list[str]:
        value = self._q.value("recent/vaults", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or []) if v]

    def remember_vault(self, path: Path | str) -> None:
        path = str(Path(path).absolute())
        recent = [p for p in self.recent_vaults if p != path]
        self._q.setValue("recent/vaults", [path, *recent][:RECENT_MAX])

    def forget_vault(self, path: str) -> None:
        self._q.setValue("recent/vaults", [p for p in self.recent_vaults if p != path])

    def sync(self) -> None:
        self._q.sync()
