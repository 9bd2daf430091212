"""The dialogs of File → Export… and Import…: a new passphrase for a backup or KeePass file, a
KeePass database's key (passphrase, key file, an empty password), and the import preview that
lists every line on what was not brought in before anything changes.
"""

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from vaultapp.gui.i18n import fill, tr
from vaultapp.gui.widgets import PassphraseEdit, at_least_wide, hbox


class CheckedDialog(QDialog):
    """A hint, a small form and OK/Cancel; OK runs ``_check``, which accepts or says inline why not."""

    def __init__(self, parent: QWidget | None, name: str, title: str, *, width: int) -> None:
        super().__init__(parent, objectName=name)
        self.setWindowTitle(title)
        self._width = width
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
        at_least_wide(self, self._width)

    def _check(self) -> None:
        self.accept()


class NewPassphraseDialog(CheckedDialog):
    """A passphrase for a file about to be written: twice, with an inline mismatch message."""

    def __init__(self, parent: QWidget | None, what: str) -> None:
        super().__init__(parent, "new_passphrase_dialog", fill(tr("Passphrase for the %1"), what), width=440)
        self.first = PassphraseEdit(self, placeholder=tr("Passphrase"))
        self.first.setObjectName("file_passphrase")
        self.second = PassphraseEdit(self, placeholder=tr("The same again"))
        self.second.setObjectName("file_passphrase_again")
        self.lay_out(
            fill(
                tr(
                    "The %1 gets its own passphrase. To use the vault's, type the vault's passphrase here. "
                    "Without it, the file cannot be opened: keep it somewhere safe."
                ),
                what,
            ),
            [(tr("Passphrase:"), self.first), (tr("Again:"), self.second)],
        )

    def _check(self) -> None:
        if not self.first.text():
            self.message.setText(tr("Choose a passphrase."))
        elif self.first.text() != self.second.text():
            self.message.setText(tr("The two passphrases differ."))
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
        super().__init__(parent, "kdbx_key_dialog", fill(tr("Open %1"), name), width=480)
        self.passphrase = PassphraseEdit(self, placeholder=tr("The database's passphrase"))
        self.passphrase.setObjectName("kdbx_passphrase")
        self.keyfile = QLineEdit(self, objectName="kdbx_keyfile")
        self.keyfile.setPlaceholderText(tr("None"))
        self.keyfile.setAccessibleName(tr("Key file"))
        self.keyfile.setClearButtonEnabled(True)
        browse = QPushButton(tr("Browse…"), self, objectName="kdbx_keyfile_browse")
        browse.clicked.connect(self._browse)
        self.no_password = QCheckBox(
            tr("The database has an empty password"), self, objectName="kdbx_no_password"
        )
        self.no_password.toggled.connect(lambda on: self.passphrase.setEnabled(not on))
        self.lay_out(
            fill(
                tr(
                    "Enter what %1 was locked with in KeePass or KeePassXC. "
                    "Leave the passphrase empty if the database has only a key file."
                ),
                name,
            ),
            [
                (tr("Passphrase:"), self.passphrase),
                ("", self.no_password),
                (tr("Key file:"), hbox(self.keyfile, browse)),
            ],
        )

    def _browse(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, tr("Key file"), "", tr("Key files (*.keyx *.key);;All files (*)")
        )
        if name:
            self.keyfile.setText(name)

    def _check(self) -> None:
        if (
            not self.passphrase.text()
            and not self.keyfile.text().strip()
            and not self.no_password.isChecked()
        ):
            self.message.setText(
                tr("Enter the passphrase, choose the key file, or both (or tick “empty password”).")
            )
        else:
            self.accept()  # the core checks the key file itself and says what is wrong with it

    def key(self) -> tuple[str, Path | None]:
        keyfile = self.keyfile.text().strip()
        passphrase = "" if self.no_password.isChecked() else self.passphrase.text()
        return passphrase, Path(keyfile) if keyfile else None

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
        self.setWindowTitle(tr("Import"))
        heading = fill(tr("Import %1 into this vault?") if changes else tr("%1 holds nothing new."), name)
        self.summary = QLabel(
            "\n".join([heading, *(["", *summary] if summary else [])]), objectName="import_summary"
        )
        self.summary.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        self.problems = QPlainTextEdit(self, objectName="import_problems")
        self.problems.setAccessibleName(tr("What was not brought in"))
        self.problems.setReadOnly(True)
        self.problems.setPlainText("\n".join(problems))
        self.problems.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.problems.setVisible(bool(problems))
        what = QLabel(
            tr("%n thing(s) in the file were not brought in, or were kept another way:", None, len(problems)),
            objectName="import_problems_heading",
        )
        what.setVisible(bool(problems))
        layout.addWidget(what)
        layout.addWidget(self.problems)
        buttons = QDialogButtonBox(self)
        if changes:
            self.import_button = buttons.addButton(tr("Import"), QDialogButtonBox.ButtonRole.AcceptRole)
            self.import_button.setObjectName("import_confirm")
            buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        else:
            buttons.addButton(QDialogButtonBox.StandardButton.Close)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        at_least_wide(self, 560)

    @classmethod
    def ask(
        cls, parent: QWidget | None, name: str, summary: list[str], problems: list[str], *, changes: bool
    ) -> bool:
        dialog = cls(parent, name, summary, problems, changes=changes)
        return dialog.exec() == QDialog.DialogCode.Accepted and changes
