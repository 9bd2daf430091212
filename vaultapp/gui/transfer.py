"""File → Export… and Import…: the window's front end over ``vaultapp.interop.formats``.

Slow work (key derivation, reading a large file, sealing thousands of entries) runs on the
thread pool behind a progress dialog. An import is planned completely in memory, shown as a
summary, and applied in one save only when the user agrees: cancelling at any point leaves the
vault exactly as it was.
"""

from __future__ import annotations

import os
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QInputDialog,
    QLabel,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from vaultapp.core.errors import ImportCancelledError, VaultError
from vaultapp.gui.messages import show_error
from vaultapp.gui.widgets import PassphraseEdit, hbox
from vaultapp.gui.workers import run_in_background

if TYPE_CHECKING:
    from vaultapp.gui.main_window import MainWindow
    from vaultapp.interop.formats import ExportFormat, ImportFormat, ImportOutcome

IMPORT_FILTER = (
    "Everything vaultapp can import (*.csv *.kdbx *.json *.env .env *.vault *.backup *.bak*);;"
    "KeePass databases (*.kdbx);;CSV files (*.csv);;Bitwarden JSON exports (*.json);;"
    ".env files (*.env .env);;vaultapp backups (*.vault *.backup *.bak*);;All files (*)"
)
EXPORTS: dict[str, tuple[str, str, str]] = {  # format: (title, file filter, suffix)
    "backup": ("Export encrypted backup", "vaultapp backups (*.vault)", ".vault"),
    "csv": ("Export CSV", "CSV files (*.csv)", ".csv"),
    "kdbx": ("Export KeePass database", "KeePass databases (*.kdbx)", ".kdbx"),
}
FORMAT_LABELS = {
    "csv": "CSV (KeePassXC, Bitwarden or a header row naming the columns)",
    "kdbx": "KeePass / KeePassXC database (.kdbx)",
    "bitwarden-json": "Bitwarden JSON export (unencrypted or password-protected)",
    "env": ".env file (NAME=value lines)",
    "backup": "vaultapp backup or vault file",
}
PLAINTEXT_WARNING = (
    "A CSV file holds every password in PLAIN TEXT. Anything that can read the file (sync tools, "
    "backups, other programs, anyone with your disk) can read your passwords.\n\n"
    "Export anyway? Delete the file as soon as you no longer need it."
)


class CheckedDialog(QDialog):
    """A hint, a small form and OK/Cancel; OK runs ``_check``, which accepts or says inline why not."""

    def __init__(self, parent: QWidget | None, name: str, title: str, *, width: int) -> None:
        super().__init__(parent, objectName=name)
        self.setWindowTitle(title)
        self.setMinimumWidth(width)
        self.message = QLabel("", objectName=f"{name}_message")
        self.message.setStyleSheet("color: #b00020;")

    def lay_out(self, hint: str, rows: list[tuple[str, QWidget | QLayout]]) -> None:
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        for label, field in rows:
            form.addRow(label, field)
        hint_label = QLabel(hint)
        hint_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(hint_label)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def _check(self) -> None:
        self.accept()


class NewPassphraseDialog(CheckedDialog):
    """A passphrase for a file about to be written: twice, with an inline mismatch message."""

    def __init__(self, parent: QWidget | None, what: str) -> None:
        super().__init__(parent, "new_passphrase_dialog", f"Passphrase for the {what}", width=440)
        self.first = PassphraseEdit(self, placeholder="Passphrase")
        self.first.setObjectName("file_passphrase")
        self.second = PassphraseEdit(self, placeholder="The same again")
        self.second.setObjectName("file_passphrase_again")
        self.lay_out(
            f"The {what} gets its own passphrase. To use the vault's, type the vault's passphrase here. "
            "Without it, the file cannot be opened: keep it somewhere safe.",
            [("Passphrase:", self.first), ("Again:", self.second)],
        )

    def _check(self) -> None:
        if not self.first.text():
            self.message.setText("Choose a passphrase.")
        elif self.first.text() != self.second.text():
            self.message.setText("The two passphrases differ.")
            self.second.selectAll()
            self.second.setFocus()
        else:
            self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, what: str) -> str | None:
        dialog = cls(parent, what)
        return dialog.first.text() if dialog.exec() == QDialog.DialogCode.Accepted else None


class KdbxKeyDialog(CheckedDialog):
    """What opens a KeePass database: its passphrase, its key file, or both (a "composite key")."""

    def __init__(self, parent: QWidget | None, name: str) -> None:
        super().__init__(parent, "kdbx_key_dialog", f"Open {name}", width=480)
        self.passphrase = PassphraseEdit(self, placeholder="The database's passphrase")
        self.passphrase.setObjectName("kdbx_passphrase")
        self.keyfile = QLineEdit(self, objectName="kdbx_keyfile")
        self.keyfile.setPlaceholderText("None")
        self.keyfile.setClearButtonEnabled(True)
        browse = QPushButton("Browse…", self, objectName="kdbx_keyfile_browse")
        browse.clicked.connect(self._browse)
        self.lay_out(
            f"Enter what {name} was locked with in KeePass or KeePassXC. Leave the passphrase empty "
            "if the database has only a key file.",
            [("Passphrase:", self.passphrase), ("Key file:", hbox(self.keyfile, browse))],
        )

    def _browse(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Key file", "", "Key files (*.keyx *.key);;All files (*)")
        if name:
            self.keyfile.setText(name)

    def _check(self) -> None:
        if not self.passphrase.text() and not self.keyfile.text().strip():
            self.message.setText("Enter the passphrase, choose the key file, or both.")
        else:
            self.accept()  # the core checks the key file itself and says what is wrong with it

    def key(self) -> tuple[str, Path | None]:
        keyfile = self.keyfile.text().strip()
        return self.passphrase.text(), Path(keyfile) if keyfile else None

    @classmethod
    def ask(cls, parent: QWidget | None, name: str) -> tuple[str, Path | None] | None:
        dialog = cls(parent, name)
        return dialog.key() if dialog.exec() == QDialog.DialogCode.Accepted else None


class ImportPreviewDialog(QDialog):
    """What an import would do and every line on what it could not bring in (or kept another
    way), shown before anything changes; Import applies it, Cancel leaves the vault as it was."""

    def __init__(
        self, parent: QWidget | None, name: str, summary: list[str], problems: list[str], *, changes: bool
    ) -> None:
        super().__init__(parent, objectName="import_preview")
        self.setWindowTitle("Import")
        self.setMinimumWidth(560)
        heading = f"Import {name} into this vault?" if changes else f"{name} holds nothing new."
        self.summary = QLabel(
            "\n".join([heading, *(["", *summary] if summary else [])]), objectName="import_summary"
        )
        self.summary.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        self.problems = QPlainTextEdit(self, objectName="import_problems")
        self.problems.setReadOnly(True)
        self.problems.setPlainText("\n".join(problems))
        self.problems.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.problems.setVisible(bool(problems))
        what = QLabel(
            f"{len(problems)} things in the file were not brought in, or were kept another way:",
            objectName="import_problems_heading",
        )
        what.setVisible(bool(problems))
        layout.addWidget(what)
        layout.addWidget(self.problems)
        buttons = QDialogButtonBox(self)
        if changes:
            self.import_button = buttons.addButton("Import", QDialogButtonBox.ButtonRole.AcceptRole)
            self.import_button.setObjectName("import_confirm")
            buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        else:
            buttons.addButton(QDialogButtonBox.StandardButton.Close)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @classmethod
    def ask(
        cls, parent: QWidget | None, name: str, summary: list[str], problems: list[str], *, changes: bool
    ) -> bool:
        dialog = cls(parent, name, summary, problems, changes=changes)
        return dialog.exec() == QDialog.DialogCode.Accepted and changes


class _Progress(QObject):
    changed = Signal(int, int)


class Transfers:
    """Export and import for one window (its dialogs are methods the tests replace)."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.progress: QProgressDialog | None = None
        self.busy = False

    # ---- questions (test seams) ----------------------------------------------------------------

    def ask_save_path(self, title: str, file_filter: str, suggested: str) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(self.window, title, suggested, file_filter)
        return Path(name) if name else None

    def ask_open_path(self) -> Path | None:
        vault = self.window.vault
        start = str(vault.path.parent) if vault is not None else ""
        name, _ = QFileDialog.getOpenFileName(self.window, "Import", start, IMPORT_FILTER)
        return Path(name) if name else None

    def ask_format(self, path: Path) -> ImportFormat | None:
        labels = list(FORMAT_LABELS.values())
        label, ok = QInputDialog.getItem(
            self.window, "Import", f"What kind of file is {path.name}?", labels, 0, False
        )
        return list(FORMAT_LABELS)[labels.index(label)] if ok else None  # type: ignore[return-value]

    def ask_new_passphrase(self, what: str) -> str | None:
        return NewPassphraseDialog.ask(self.window, what)

    def confirm_import(self, name: str, summary: list[str], problems: list[str], *, changes: bool) -> bool:
        """Whether to apply an import: a Yes/No question when nothing was left out, else the
        preview that lists every line on what was (before anything changes)."""
        if not problems:
            text = "\n".join([f"Import {name} into this vault?", "", *summary])
            return changes and self.window.confirm("Import", text)
        return ImportPreviewDialog.ask(self.window, name, summary, problems, changes=changes)

    def ask_export_password(self, name: str) -> str | None:
        """A password-protected Bitwarden export's password (a test seam)."""
        text, ok = QInputDialog.getText(
            self.window, "Bitwarden export password",
            f"{name} is a password-protected Bitwarden export. Its password (chosen when exporting):",
            QLineEdit.EchoMode.Password,
        )  # fmt: skip
        return text if ok and text else None

    def ask_kdbx_key(self, name: str) -> tuple[str, Path | None] | None:
        """A KeePass database's passphrase and key file (either may be empty, not both)."""
        return KdbxKeyDialog.ask(self.window, name)

    # ---- export --------------------------------------------------------------------------------

    def export(self, fmt: ExportFormat) -> None:
        window = self.window
        vault = window.vault
        if vault is None or self.busy:
            return
        title, file_filter, suffix = EXPORTS[fmt]
        if fmt == "csv" and not window.confirm("Plain-text export", PLAINTEXT_WARNING):
            return
        stamp = datetime.now(UTC).astimezone().strftime("%Y-%m-%d")
        suggested = str(vault.path.parent / f"{vault.path.stem}-{stamp}{suffix}")
        path = self.ask_save_path(title, file_filter, suggested)
        if path is None:
            return
        passphrase = None
        if fmt != "csv":
            passphrase = self.ask_new_passphrase("backup" if fmt == "backup" else "KeePass database")
            if passphrase is None:
                return
        from vaultapp.interop.formats import export_file

        def work() -> int:
            # The file dialog already asked before replacing a file: write beside it, then swap.
            target = path.with_name(f".{path.name}.{os.getpid()}.new") if path.exists() else path
            try:
                count = export_file(vault, target, fmt, passphrase=passphrase)
                if target != path:
                    target.replace(path)
            finally:
                if target != path:
                    target.unlink(missing_ok=True)
            return count

        def done(count: int) -> None:
            self._finish()
            what = {
                "backup": f"an encrypted backup of {count} entries to {path.name} (read back and checked)",
                "kdbx": f"{count} entries to the KeePass database {path.name}",
                "csv": f"{count} entries to {path.name} in PLAIN TEXT; delete it when you are done",
            }[fmt]
            window.statusBar().showMessage(f"Wrote {what}.", 15_000)

        self._start(f"Exporting to {path.name}…", cancellable=False)
        run_in_background(window, work, done, lambda exc: self._failed(exc, "Could not export"))

    # ---- import --------------------------------------------------------------------------------

    def import_file(self, path: Path | None = None) -> None:
        """File → Import…: choose a file and its format, ask for its passphrase, then read it in
        the background."""
        window = self.window
        vault = window.vault
        if vault is None or self.busy:
            return
        from vaultapp.interop.formats import NEEDS_PASSPHRASE, guess_format

        path = path or self.ask_open_path()
        if path is None:
            return
        fmt = guess_format(path) or self.ask_format(path)
        if fmt is None:
            return
        passphrase: str | None = None
        keyfile: Path | None = None
        if fmt == "kdbx":
            key = self.ask_kdbx_key(path.name)
            if key is None:
                return
            passphrase, keyfile = key
        elif fmt in NEEDS_PASSPHRASE:
            passphrase = window.ask_passphrase(path.name)
            if passphrase is None:
                return
        self._read_import(path, fmt, passphrase, keyfile)

    def _read_import(
        self, path: Path, fmt: ImportFormat, passphrase: str | None, keyfile: Path | None,
        *, allow_slow_kdf: bool = False,
    ) -> None:  # fmt: skip
        from vaultapp.core.errors import SlowKdfError
        from vaultapp.interop.formats import plan_file_import

        window = self.window
        vault = window.vault
        if vault is None:
            return
        cancelled = threading.Event()
        relay = _Progress()
        relay.changed.connect(self._show_progress)

        def progress(done: int, total: int) -> bool:
            relay.changed.emit(done, total)
            return not cancelled.is_set()

        def work() -> ImportOutcome:
            if cancelled.is_set():
                raise ImportCancelledError("Import cancelled; the vault is unchanged.")
            return plan_file_import(
                vault, path, fmt, passphrase=passphrase, keyfile=keyfile, progress=progress,
                allow_slow_kdf=allow_slow_kdf,
            )  # fmt: skip

        def planned(outcome: ImportOutcome) -> None:
            self._finish()
            relay.deleteLater()
            if window.vault is not vault or cancelled.is_set():
                window.statusBar().showMessage("Import cancelled; the vault is unchanged.", 8000)
                return
            self._apply(outcome, path.name, fmt)

        def failed(exc: BaseException) -> None:
            from vaultapp.interop.bitwarden_crypto import PasswordNeededError

            relay.deleteLater()
            if isinstance(exc, PasswordNeededError):  # a password-protected Bitwarden export
                self._finish()
                password = self.ask_export_password(path.name)
                if password is None:
                    window.statusBar().showMessage("Import cancelled; the vault is unchanged.", 8000)
                else:
                    self._read_import(path, fmt, password, keyfile, allow_slow_kdf=allow_slow_kdf)
            elif isinstance(exc, ImportCancelledError):
                self._finish()
                window.statusBar().showMessage(str(exc), 8000)
            elif isinstance(exc, SlowKdfError):  # nothing was derived: ask, as the unlock view does
                self._finish()
                if window.confirm(
                    "Slow to open", f"{exc}\n\nOpen it anyway? The window stays usable; Cancel stops waiting."
                ):
                    self._read_import(path, fmt, passphrase, keyfile, allow_slow_kdf=True)
                else:
                    window.statusBar().showMessage("Import cancelled; the vault is unchanged.", 8000)
            else:
                self._failed(exc, "Could not import")

        dialog = self._start(f"Reading {path.name}…", cancellable=True)
        dialog.canceled.connect(cancelled.set)
        run_in_background(window, work, planned, failed)

    def _apply(self, outcome: ImportOutcome, name: str, source: str) -> None:
        window = self.window
        vault = window.vault
        assert vault is not None
        plan = outcome.plan
        lines = [
            f"{label}: {len(titles)} ({', '.join(titles[:6])}{' …' if len(titles) > 6 else ''})"
            for label, titles in (("Added", plan.added), ("Updated", plan.updated), ("Deleted", plan.deleted))
            if titles
        ]
        if plan.unchanged:
            lines.append(f"Already in the vault: {plan.unchanged}")
        problems = [line[0].upper() + line[1:] for line in outcome.lines()]
        if not plan.changes:
            window.statusBar().showMessage(f"{name} holds nothing new.", 8000)
            if problems:
                self.confirm_import(name, lines, problems, changes=False)
            return
        if not self.confirm_import(name, lines, problems, changes=True):
            window.statusBar().showMessage("Import cancelled; the vault is unchanged.", 8000)
            return
        vault.apply(plan, source=source)
        if window.save():
            window.statusBar().showMessage(f"Imported {name}: {plan.summary()}, {outcome.tally()}.", 15_000)
        window._reload_model()

    # ---- progress ------------------------------------------------------------------------------

    def _start(self, text: str, *, cancellable: bool) -> QProgressDialog:
        self.busy = True
        dialog = QProgressDialog(text, "Cancel" if cancellable else "", 0, 0, self.window)
        dialog.setObjectName("transfer_progress")
        dialog.setWindowTitle("vaultapp")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        if not cancellable:
            dialog.setCancelButton(None)  # type: ignore[arg-type]
        dialog.setMinimumDuration(0)
        dialog.show()
        self.progress = dialog
        return dialog

    def _show_progress(self, done: int, total: int) -> None:
        if self.progress is not None and not self.progress.wasCanceled():
            self.progress.setLabelText(f"Importing {done:,} of {total:,} entries…")
            self.progress.setMaximum(max(total, 1))
            self.progress.setValue(done)

    def _finish(self) -> None:
        self.busy = False
        if self.progress is not None:
            self.progress.hide()
            self.progress.deleteLater()
            self.progress = None

    def _failed(self, exc: BaseException, title: str) -> None:
        self._finish()
        if isinstance(exc, VaultError):
            show_error(self.window, exc, title)
        else:
            show_error(self.window, VaultError(f"Unexpected {type(exc).__name__}: {exc}"), title)
