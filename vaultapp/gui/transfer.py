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

from PySide6.QtCore import QT_TR_NOOP, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QInputDialog,
    QLineEdit,
    QProgressDialog,
    QWidget,
)

from vaultapp.core.errors import ImportCancelledError, VaultError
from vaultapp.gui.i18n import fill, tr
from vaultapp.gui.messages import show_error
from vaultapp.gui.transfer_dialogs import ImportPreviewDialog, KdbxKeyDialog, NewPassphraseDialog
from vaultapp.gui.workers import run_in_background
from vaultapp.interop.catalog import MORE_IMPORTS

if TYPE_CHECKING:
    from vaultapp.gui.host import WindowHost
    from vaultapp.interop.formats import ExportFormat, ImportFormat, ImportOutcome

IMPORT_FILTER = QT_TR_NOOP(
    "Everything vaultapp can import "
    "(*.csv *.kdbx *.xml *.json *.env .env *.vault *.backup *.bak* *.1pux *.zip);;"
    "KeePass databases (*.kdbx);;KeePass XML exports (*.xml);;CSV files (*.csv);;"
    "Bitwarden JSON exports (*.json);;"
    "1Password exports (*.1pux);;Proton Pass or Keeper JSON exports (*.json *.zip);;"
    ".env files (*.env .env);;vaultapp backups (*.vault *.backup *.bak*);;All files (*)"
)
EXPORTS: dict[str, tuple[str, str, str]] = {  # format: (title, file filter, suffix)
    "backup": (QT_TR_NOOP("Export encrypted backup"), QT_TR_NOOP("vaultapp backups (*.vault)"), ".vault"),
    "csv": (QT_TR_NOOP("Export CSV"), QT_TR_NOOP("CSV files (*.csv)"), ".csv"),
    "kdbx": (QT_TR_NOOP("Export KeePass database"), QT_TR_NOOP("KeePass databases (*.kdbx)"), ".kdbx"),
}
FORMAT_LABELS = {
    "csv": QT_TR_NOOP("CSV (KeePassXC, Bitwarden or a header row naming the columns)"),
    "kdbx": QT_TR_NOOP("KeePass / KeePassXC database (.kdbx)"),
    "bitwarden-json": QT_TR_NOOP("Bitwarden JSON export (unencrypted or password-protected)"),
    "env": QT_TR_NOOP(".env file (NAME=value lines)"),
    "backup": QT_TR_NOOP("vaultapp backup or vault file"),
    **MORE_IMPORTS,  # other programs' exports (interop/catalog.py)
}
PLAINTEXT_WARNING = QT_TR_NOOP(
    "A CSV file holds every password in PLAIN TEXT. Anything that can read the file (sync tools, "
    "backups, other programs, anyone with your disk) can read your passwords.\n\n"
    "Export anyway? Delete the file as soon as you no longer need it."
)


class _Progress(QObject):
    changed = Signal(int, int)


class Transfers:
    """Export and import for one window (its dialogs are methods the tests replace)."""

    def __init__(self, parent: QWidget, host: WindowHost) -> None:
        self.parent = parent  # of the file dialogs, questions and progress
        self.host = host
        self.progress: QProgressDialog | None = None
        self.busy = False

    # ---- questions (test seams) ----------------------------------------------------------------

    def ask_save_path(self, title: str, file_filter: str, suggested: str) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(self.parent, title, suggested, file_filter)
        return Path(name) if name else None

    def ask_open_path(self) -> Path | None:
        vault = self.host.vault
        start = str(vault.path.parent) if vault is not None else ""
        name, _ = QFileDialog.getOpenFileName(self.parent, tr("Import"), start, tr(IMPORT_FILTER))
        return Path(name) if name else None

    def ask_format(self, path: Path) -> ImportFormat | None:
        labels = [tr(label) for label in FORMAT_LABELS.values()]
        label, ok = QInputDialog.getItem(
            self.parent, tr("Import"), fill(tr("What kind of file is %1?"), path.name), labels, 0, False
        )
        return list(FORMAT_LABELS)[labels.index(label)] if ok else None  # type: ignore[return-value]

    def ask_new_passphrase(self, what: str) -> str | None:
        return NewPassphraseDialog.ask(self.parent, what)

    def confirm_import(self, name: str, summary: list[str], problems: list[str], *, changes: bool) -> bool:
        """Whether to apply an import: a Yes/No question when nothing was left out, else the
        preview that lists every line on what was (before anything changes)."""
        if not problems:
            text = "\n".join([f"Import {name} into this vault?", "", *summary])
            return changes and self.host.confirm(tr("Import"), text)
        return ImportPreviewDialog.ask(self.parent, name, summary, problems, changes=changes)

    def ask_export_password(self, name: str) -> str | None:
        """A password-protected Bitwarden export's password (a test seam)."""
        text, ok = QInputDialog.getText(
            self.parent, tr("Bitwarden export password"),
            fill(tr("%1 is a password-protected Bitwarden export. "
                    "Its password (chosen when exporting):"), name),
            QLineEdit.EchoMode.Password,
        )  # fmt: skip
        return text if ok and text else None

    def ask_kdbx_key(self, name: str) -> tuple[str, Path | None] | None:
        """A KeePass database's passphrase and key file (either may be empty, not both)."""
        return KdbxKeyDialog.ask(self.parent, name)

    # ---- export --------------------------------------------------------------------------------

    def export(self, fmt: ExportFormat) -> None:
        host = self.host
        vault = host.vault
        if vault is None or self.busy:
            return
        title, file_filter, suffix = EXPORTS[fmt]
        if fmt == "csv" and not host.confirm(tr("Plain-text export"), tr(PLAINTEXT_WARNING)):
            return
        stamp = datetime.now(UTC).astimezone().strftime("%Y-%m-%d")
        suggested = str(vault.path.parent / f"{vault.path.stem}-{stamp}{suffix}")
        path = self.ask_save_path(tr(title), tr(file_filter), suggested)
        if path is None:
            return
        passphrase = None
        if fmt != "csv":
            passphrase = self.ask_new_passphrase(tr("backup") if fmt == "backup" else tr("KeePass database"))
            if passphrase is None:
                return
        from vaultapp.interop.formats import export_file
        from vaultapp.interop.records import Problem

        notes: list[Problem] = []

        def work() -> int:
            # The file dialog already asked before replacing a file: write beside it, then swap.
            target = path.with_name(f".{path.name}.{os.getpid()}.new") if path.exists() else path
            try:
                count = export_file(vault, target, fmt, passphrase=passphrase, notes=notes)
                if target != path:
                    target.replace(path)
            finally:
                if target != path:
                    target.unlink(missing_ok=True)
            return count

        def done(count: int) -> None:
            self._finish()
            what = {
                "backup": tr(
                    "an encrypted backup of %n entry(ies) to %1 (read back and checked)", None, count
                ),
                "kdbx": tr("%n entry(ies) to the KeePass database %1", None, count),
                "csv": tr("%n entry(ies) to %1 in PLAIN TEXT; delete it when you are done", None, count),
            }[fmt]
            what = fill(what, path.name)
            host.statusBar().showMessage(fill(tr("Wrote %1."), what), 15_000)
            if notes:  # what the file could not carry as it was: said, never dropped silently
                from PySide6.QtWidgets import QMessageBox

                shown = "\n".join(f"• {note}" for note in notes[:30])
                more = "\n" + fill(tr("… and %1 more"), len(notes) - 30) if len(notes) > 30 else ""
                box = QMessageBox(
                    QMessageBox.Icon.Information, tr("Export notes"),
                    fill(tr("Wrote %1.\n\nNotes:\n%2%3"), what, shown, more),
                    parent=self.parent,
                )  # fmt: skip
                box.setObjectName("export-notes")
                box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
                box.open()

        self._start(fill(tr("Exporting to %1…"), path.name), cancellable=False)
        run_in_background(self.parent, work, done, lambda exc: self._failed(exc, tr("Could not export")))

    # ---- import --------------------------------------------------------------------------------

    def import_file(self, path: Path | None = None) -> None:
        """File → Import…: choose a file and its format, ask for its passphrase, then read it in
        the background."""
        host = self.host
        vault = host.vault
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
            passphrase = host.ask_passphrase(path.name)
            if passphrase is None:
                return
        self._read_import(path, fmt, passphrase, keyfile)

    def _read_import(
        self, path: Path, fmt: ImportFormat, passphrase: str | None, keyfile: Path | None,
        *, allow_slow_kdf: bool = False,
    ) -> None:  # fmt: skip
        from vaultapp.core.errors import SlowKdfError
        from vaultapp.interop.formats import plan_file_import

        host = self.host
        vault = host.vault
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
                raise ImportCancelledError(tr("Import cancelled; the vault is unchanged."))
            return plan_file_import(
                vault, path, fmt, passphrase=passphrase, keyfile=keyfile, progress=progress,
                allow_slow_kdf=allow_slow_kdf,
            )  # fmt: skip

        def planned(outcome: ImportOutcome) -> None:
            self._finish()
            relay.deleteLater()
            if host.vault is not vault or cancelled.is_set():
                host.statusBar().showMessage(tr("Import cancelled; the vault is unchanged."), 8000)
                return
            self._apply(outcome, path.name, fmt)

        def failed(exc: BaseException) -> None:
            from vaultapp.interop.bitwarden_crypto import PasswordNeededError

            relay.deleteLater()
            if isinstance(exc, PasswordNeededError):  # a password-protected Bitwarden export
                self._finish()
                password = self.ask_export_password(path.name)
                if password is None:
                    host.statusBar().showMessage(tr("Import cancelled; the vault is unchanged."), 8000)
                else:
                    self._read_import(path, fmt, password, keyfile, allow_slow_kdf=allow_slow_kdf)
            elif isinstance(exc, ImportCancelledError):
                self._finish()
                host.statusBar().showMessage(str(exc), 8000)
            elif isinstance(exc, SlowKdfError):  # nothing was derived: ask, as the unlock view does
                self._finish()
                if host.confirm(
                    tr("Slow to open"),
                    fill(tr("%1\n\nOpen it anyway? The window stays usable; Cancel stops waiting."), exc),
                ):
                    self._read_import(path, fmt, passphrase, keyfile, allow_slow_kdf=True)
                else:
                    host.statusBar().showMessage(tr("Import cancelled; the vault is unchanged."), 8000)
            else:
                self._failed(exc, tr("Could not import"))

        dialog = self._start(fill(tr("Reading %1…"), path.name), cancellable=True)
        dialog.canceled.connect(cancelled.set)
        run_in_background(self.parent, work, planned, failed)

    def _apply(self, outcome: ImportOutcome, name: str, source: str) -> None:
        host = self.host
        vault = host.vault
        assert vault is not None
        plan = outcome.plan
        lines = [
            fill(label, len(titles), ", ".join(titles[:6]) + (" …" if len(titles) > 6 else ""))
            for label, titles in (
                (tr("Added: %1 (%2)"), plan.added),
                (tr("Updated: %1 (%2)"), plan.updated),
                (tr("Deleted: %1 (%2)"), plan.deleted),
            )
            if titles
        ]
        if plan.unchanged:
            lines.append(fill(tr("Already in the vault: %1"), plan.unchanged))
        problems = [line[0].upper() + line[1:] for line in outcome.lines()]
        if not plan.changes:
            host.statusBar().showMessage(fill(tr("%1 holds nothing new."), name), 8000)
            if problems:
                self.confirm_import(name, lines, problems, changes=False)
            return
        if not self.confirm_import(name, lines, problems, changes=True):
            host.statusBar().showMessage(tr("Import cancelled; the vault is unchanged."), 8000)
            return
        vault.apply(plan, source=source)
        if host.save():
            host.statusBar().showMessage(
                fill(tr("Imported %1: %2, %3."), name, plan.summary(), outcome.tally()), 15_000
            )
        host.reload_model()

    # ---- progress ------------------------------------------------------------------------------

    def _start(self, text: str, *, cancellable: bool) -> QProgressDialog:
        self.busy = True
        dialog = QProgressDialog(text, tr("Cancel") if cancellable else "", 0, 0, self.parent)
        dialog.setObjectName("transfer_progress")
        dialog.setWindowTitle(tr("vaultapp"))
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
            self.progress.setLabelText(
                fill(tr("Importing %1 of %2 entry(ies)…", None, total), format(done, ","), format(total, ","))
            )
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
            show_error(self.parent, exc, title)
        else:
            show_error(self.parent, VaultError(fill(tr("Unexpected %1: %2"), type(exc).__name__, exc)), title)
