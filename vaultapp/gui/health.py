"""The Health view (findings of ``vaultapp.health.report``) and the audit-log view."""

from __future__ import annotations

import contextlib
import html
import threading
from typing import TYPE_CHECKING, Final

from PySide6.QtCore import QT_TR_NOOP, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from vaultapp.core.errors import CancelledError, VaultError
from vaultapp.gui.i18n import fill, tr
from vaultapp.gui.messages import error_text
from vaultapp.gui.widgets import size_within_screen
from vaultapp.gui.workers import run_in_background

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtWidgets import QWidget

    from vaultapp.core.vault import Vault
    from vaultapp.gui.host import WindowHost
    from vaultapp.health.report import Report

SEVERITY_COLOURS = {3: "#d9534f", 2: "#e0a800", 1: "#5bc0de"}


# The health report's words (vaultapp.health is pure, without Qt), translated here: its severities
# and kinds by key, its suggested actions by their English text (an unknown one is shown as it is).
SEVERITY_TEXT: Final = {3: QT_TR_NOOP("High"), 2: QT_TR_NOOP("Medium"), 1: QT_TR_NOOP("Low")}
KIND_TEXT: Final = {
    "breached": QT_TR_NOOP("Breached"),
    "weak": QT_TR_NOOP("Weak"),
    "reused": QT_TR_NOOP("Reused"),
    "expired": QT_TR_NOOP("Expired"),
    "fair": QT_TR_NOOP("Fair"),
    "old": QT_TR_NOOP("Old"),
}
_ACTIONS: Final = (
    QT_TR_NOOP("Regenerate"),
    QT_TR_NOOP("Regenerate (use a different password for each site)"),
    QT_TR_NOOP("Change the password and set a new expiry date"),
    QT_TR_NOOP("Change the password"),
)


class _SortItem(QTableWidgetItem):
    """Sorts by a key kept in UserRole (severity as a number, not as text)."""

    def __lt__(self, other: QTableWidgetItem) -> bool:
        mine, theirs = self.data(Qt.ItemDataRole.UserRole), other.data(Qt.ItemDataRole.UserRole)
        if mine is not None and theirs is not None:
            return bool(mine < theirs)
        return super().__lt__(other)


def _item(text: str, key: object = None) -> QTableWidgetItem:
    item = _SortItem(text)
    if text:  # a long suggestion or detail is elided in its column: the tooltip has all of it
        item.setToolTip(text)
    if key is not None:
        item.setData(Qt.ItemDataRole.UserRole, key)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    return item


def _table(columns: list[str], name: str) -> QTableWidget:
    table = QTableWidget(0, len(columns), objectName=name)
    table.setTabKeyNavigation(False)  # Tab moves on to the buttons; arrows move in the table
    table.setHorizontalHeaderLabels(columns)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.setAlternatingRowColors(True)
    table.horizontalHeader().setStretchLastSection(True)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    table.setWordWrap(False)
    return table


class _Progress(QObject):
    changed = Signal(int, int)


class HealthDialog(QDialog):
    """Runs the report in a worker (progress, Cancel), then lists the findings, sortable.
    *Open entry* shows the entry in its editor; *Regenerate password…* opens the generator (with
    the entry's site rules) and saves the new password, keeping the old one in the history."""

    def __init__(
        self,
        parent: QWidget,
        host: WindowHost,
        *,
        open_entry: Callable[[str], None],
        generate: Callable[[QWidget, str | None], str | None],
    ) -> None:
        """``open_entry(uuid)`` edits an entry; ``generate(parent, rules)`` asks for a password."""
        super().__init__(parent)
        self.host = host
        self._open_entry = open_entry
        self._generate = generate
        self.setWindowTitle(tr("Password health"))
        size_within_screen(self, 820, 460)
        self.report: Report | None = None
        self._cancel = threading.Event()
        self.running = False

        self.summary = QLabel(tr("Checking passwords…"), objectName="health_summary")
        self.summary.setWordWrap(True)
        font = self.summary.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        self.summary.setFont(font)
        self.progress = QProgressBar(objectName="health_progress")
        self.cancel_button = QPushButton(tr("Cancel"), objectName="health_cancel_button")
        self.cancel_button.clicked.connect(self._cancel.set)
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.cancel_button)

        self.table = _table(
            [tr("Severity"), tr("Entry"), tr("Finding"), tr("Details"), tr("Suggested action")],
            "health_table",
        )
        self.table.setAccessibleName(tr("Findings"))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setColumnWidth(1, 170)
        self.table.setColumnWidth(3, 300)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemDoubleClicked.connect(lambda _item: self.open_entry())

        self.empty = QLabel("", objectName="health_empty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.hide()
        self.attachments = QLabel(objectName="health_attachments")  # the largest, when there are any
        self.attachments.setWordWrap(True)
        self.attachments.setTextFormat(Qt.TextFormat.RichText)
        self.attachments.hide()

        self.open_button = QPushButton(tr("Open entry"), objectName="health_open_button")
        self.open_button.clicked.connect(self.open_entry)
        self.regenerate_button = QPushButton(
            tr("Regenerate password…"), objectName="health_regenerate_button"
        )
        self.regenerate_button.clicked.connect(self.regenerate)
        self.recheck_button = QPushButton(tr("Check again"), objectName="health_recheck_button")
        self.recheck_button.clicked.connect(self.start)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        for button in (self.open_button, self.regenerate_button, self.recheck_button):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(buttons)

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(progress_row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty, 1)
        layout.addWidget(self.attachments)
        layout.addLayout(row)
        self._update_buttons()

    # ---- running the report -------------------------------------------------------------------

    def start(self) -> None:
        """Run the report off the GUI thread; the findings appear when it is done."""
        from vaultapp.health.report import check

        vault = self.host.vault
        if vault is None or self.running:
            return
        self.running = True
        self._cancel.clear()
        self.progress.setRange(0, 0)
        self.progress.show()
        self.cancel_button.show()
        self.summary.setText(tr("Checking passwords…"))
        relay = _Progress(self)
        relay.changed.connect(self._show_progress)

        def progress(done: int, total: int) -> bool:
            relay.changed.emit(done, total)
            return not self._cancel.is_set()

        def finished(report: Report) -> None:
            relay.deleteLater()
            self.running = False
            self._show(report)
            if report.cache_changed and self.host.vault is vault:
                with contextlib.suppress(VaultError):  # bookkeeping: no backup, failing is harmless
                    vault.save(backup=False)

        def failed(exc: BaseException) -> None:
            relay.deleteLater()
            self.running = False
            self.progress.hide()
            self.cancel_button.hide()
            text = tr("Cancelled.") if isinstance(exc, CancelledError) else error_text(exc)
            self.summary.setText(fill(tr("The report did not finish: %1"), text))

        run_in_background(self, lambda: check(vault, progress=progress), finished, failed)

    def _show_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.summary.setText(fill(tr("Checking passwords… %1 of %2"), done, total))

    def _show(self, report: Report) -> None:
        self.report = report
        self.progress.hide()
        self.cancel_button.hide()
        count = len(report.findings)
        verdict = (
            tr("Excellent") if report.score >= 90 else tr("Good") if report.score >= 70 else tr("Needs work")
        )
        self.summary.setText(
            fill(
                tr("<b>Health %1/100</b> — %2. %3, %4."),
                report.score,
                verdict,
                tr("%n password(s) checked", None, len(report.entries)),
                tr("%n finding(s)", None, count),
            )
        )
        self.table.setSortingEnabled(False)
        self.table.setRowCount(len(report.findings))

        for row, finding in enumerate(report.findings):
            severity = _item(tr(SEVERITY_TEXT.get(finding.severity, "")), finding.severity)
            severity.setForeground(Qt.GlobalColor.white)
            severity.setBackground(_colour(finding.severity))
            title = _item(finding.title, finding.title.casefold())
            title.setData(Qt.ItemDataRole.UserRole + 1, finding.uuid)
            kind = tr(KIND_TEXT[finding.kind]) if finding.kind in KIND_TEXT else finding.kind.capitalize()
            cells = [severity, title, _item(kind), _item(finding.detail), _item(tr(finding.action))]
            for column, item in enumerate(cells):
                self.table.setItem(row, column, item)
        self.table.setSortingEnabled(True)
        self.table.sortItems(0, Qt.SortOrder.DescendingOrder)
        self.table.setVisible(bool(count))
        self.empty.setVisible(not count)
        self.empty.setText(tr("No weak, reused, leaked, old or expired passwords. Well done."))
        if count:
            self.table.selectRow(0)
        self._show_attachments(report)
        self._update_buttons()

    def _show_attachments(self, report: Report) -> None:
        """The vault's largest attachments (sizes from the entries: nothing is decrypted)."""
        from vaultapp.gui.attachments import size_text

        largest = report.largest_attachments
        self.attachments.setVisible(bool(largest))
        if not largest:
            return
        rows = "".join(
            f"<tr><td align='right'>{size_text(a.size)}&nbsp;&nbsp;</td><td>{html.escape(a.title)}: "
            f"{html.escape(a.name)}{f' (in {a.entries} entries, stored once)' if a.entries > 1 else ''}"
            "</td></tr>"
            for a in largest
        )
        self.attachments.setText(
            fill(
                tr(
                    "<b>Attachments</b>: %1 in all (at most 1 GiB per vault, 64 MiB per file); "
                    "the largest:<table>%2</table>"
                ),
                size_text(report.attachments_size),
                rows,
            )
        )

    # ---- actions ------------------------------------------------------------------------------

    def selected_uuid(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.table.item(rows[0].row(), 1)
        return None if item is None else str(item.data(Qt.ItemDataRole.UserRole + 1))

    def _update_buttons(self) -> None:
        chosen = self.selected_uuid() is not None and not self.running
        self.open_button.setEnabled(chosen)
        self.regenerate_button.setEnabled(chosen)
        self.recheck_button.setEnabled(not self.running and self.report is not None)

    def open_entry(self) -> None:
        """Close the report and open the entry in its editor."""
        uuid = self.selected_uuid()
        if uuid is None:
            return
        self.accept()
        self._open_entry(uuid)

    def regenerate(self) -> None:
        """Generate a new password for the selected entry (its site rules apply) and save it."""
        host, uuid = self.host, self.selected_uuid()
        vault = host.vault
        if vault is None or uuid is None:
            return
        try:
            entry = vault.get(uuid)
        except VaultError:
            return
        rules = next(
            (
                c.value
                for c in entry.custom
                if c.name.strip().lower() == "passwordrules" and isinstance(c.value, str)
            ),
            None,
        )
        value = self._generate(self, rules)
        if not value:
            return
        updated = vault.update(uuid, password=value)
        if host.save():
            host.after_change(updated, select=False)
            self.start()


def _colour(severity: int) -> object:
    from PySide6.QtGui import QColor

    return QColor(SEVERITY_COLOURS[severity])


class LogDialog(QDialog):
    """The audit log, newest first, with the verification result on top."""

    def __init__(self, parent: QWidget, vault: Vault) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Audit log"))
        size_within_screen(self, 760, 440)
        self.status = QLabel(objectName="log_status")
        self.status.setWordWrap(True)
        self.table = _table(
            ["#", tr("Time"), tr("Event"), tr("Entry"), tr("Details"), tr("Authenticated")], "log_table"
        )
        self.table.setAccessibleName(tr("Audit log events"))
        header = self.table.horizontalHeader()
        for column in (0, 1, 2, 5):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        self.table.setColumnWidth(3, 160)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)
        stored = tr(
            "Stored beside the vault in %1. It holds event types, times and entry IDs: "
            "never a secret or a title."
        )
        layout.addWidget(QLabel(fill(stored, vault.audit_path.name)))
        layout.addWidget(buttons)
        try:
            result = vault.verify_log()
        except VaultError as exc:
            self.status.setText(fill(tr("The audit log could not be read: %1"), error_text(exc)))
            return
        titles = {e.uuid: e.title for e in (*vault.entries, *vault.trashed_entries)}
        notes = "".join(fill(tr("<br>Note: %1"), html.escape(note)) for note in result.notes[:6])
        if result.ok:
            unauth = result.unauthenticated
            failed = tr("; %n failed unlock(s) (unauthenticated)", None, unauth) if unauth else ""
            self.status.setText(
                fill(
                    tr(
                        "<span style='color:#2e7d32'><b>Verified:</b></span> %n record(s), none edited, "
                        "removed or reordered%1.%2",
                        None,
                        len(result.records),
                    ),
                    failed,
                    notes,
                )
            )
        else:
            problems = "<br>".join(html.escape(p) for p in result.problems[:6])
            self.status.setText(
                fill(
                    tr(
                        "<span style='color:#d9534f'><b>The log does not verify.</b></span> "
                        "Someone changed it, "
                        "or it was damaged (the vault itself is not affected):<br>%1%2"
                    ),
                    problems,
                    notes,
                )
            )
        records = list(reversed(result.records))
        self.table.setRowCount(len(records))
        for row, record in enumerate(records):
            cells = [
                _item(str(record.seq), record.seq),
                _item(record.time.astimezone().strftime("%Y-%m-%d %H:%M:%S"), record.seq),
                _item(record.description),
                _item("" if record.uuid is None else titles.get(record.uuid, "(deleted entry)")),
                _item(record.details),
                _item(
                    tr("yes") if record.authenticated
                    else tr("NO: forged (only failed unlocks lack a MAC)") if record.forged
                    else tr("no (failed unlock)")
                ),
            ]  # fmt: skip
            if record.forged:
                for item in cells:
                    item.setForeground(_colour(3))
            for column, item in enumerate(cells):
                self.table.setItem(row, column, item)
        self.table.setSortingEnabled(True)


__all__ = ["HealthDialog", "LogDialog"]
