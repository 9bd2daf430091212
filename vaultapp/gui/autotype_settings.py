"""Settings → Auto-type: on/off, the global shortcut (default Ctrl+Alt+A), the default sequence
(KeePassXC's ``{USERNAME}{TAB}{PASSWORD}{ENTER}``), matching by title and by URL. The values
live in the app's settings file under ``autotype/`` (never a secret); ``AutoTypeOptions`` reads
and writes them, the page edits them and is applied with the dialog's OK."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QKeySequenceEdit,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from vaultapp.autotype.hotkey import DEFAULT_SHORTCUT
from vaultapp.autotype.sequence import DEFAULT_SEQUENCE

if TYPE_CHECKING:
    from vaultapp.gui.settings import Settings


class AutoTypeOptions:
    """Typed access to the ``autotype/`` keys of the app's settings."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._q = settings._q

    def _bool(self, key: str, default: bool) -> bool:
        value = self._q.value(f"autotype/{key}", default)
        return value in (True, "true", "1", 1) if not isinstance(value, bool) else value

    def _text(self, key: str, default: str) -> str:
        value = self._q.value(f"autotype/{key}", default)
        return value if isinstance(value, str) else default

    @property
    def enabled(self) -> bool:
        return self._bool("enabled", True)

    @enabled.setter
    def enabled(self, value: bool) -> None:
        self._q.setValue("autotype/enabled", bool(value))

    @property
    def shortcut(self) -> str:
        """Qt's portable text, as ``Ctrl+Alt+A``; "" for no global shortcut."""
        return self._text("shortcut", DEFAULT_SHORTCUT)

    @shortcut.setter
    def shortcut(self, value: str) -> None:
        self._q.setValue("autotype/shortcut", value)

    @property
    def sequence(self) -> str:
        return self._text("sequence", DEFAULT_SEQUENCE).strip() or DEFAULT_SEQUENCE

    @sequence.setter
    def sequence(self, value: str) -> None:
        self._q.setValue("autotype/sequence", value.strip() or DEFAULT_SEQUENCE)

    @property
    def match_title(self) -> bool:
        return self._bool("match_title", True)

    @match_title.setter
    def match_title(self, value: bool) -> None:
        self._q.setValue("autotype/match_title", bool(value))

    @property
    def match_url(self) -> bool:
        return self._bool("match_url", True)

    @match_url.setter
    def match_url(self, value: bool) -> None:
        self._q.setValue("autotype/match_url", bool(value))


class AutoTypeSettingsPage(QWidget):
    """The page. A sequence that does not parse keeps the dialog open (``problem``)."""

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("autotype_settings_page")
        self.options = AutoTypeOptions(settings)
        o = self.options
        self.enabled_check = QCheckBox("Auto-type: type an entry's login into another window",
                                       objectName="autotype_enabled_check")  # fmt: skip
        self.enabled_check.setChecked(o.enabled)
        self.shortcut_edit = QKeySequenceEdit(QKeySequence(o.shortcut), objectName="autotype_shortcut_edit")
        self.shortcut_edit.setMaximumSequenceLength(1)
        self.shortcut_edit.setClearButtonEnabled(True)
        self.sequence_edit = QLineEdit(o.sequence, objectName="autotype_sequence_edit")
        self.title_check = QCheckBox("Match a window whose title contains the entry's title",
                                     objectName="autotype_match_title_check")  # fmt: skip
        self.title_check.setChecked(o.match_title)
        self.url_check = QCheckBox("Match a window whose title contains the host of the entry's URL",
                                   objectName="autotype_match_url_check")  # fmt: skip
        self.url_check.setChecked(o.match_url)
        self.message = QLabel("", objectName="autotype_message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        help_text = QLabel(
            "The global shortcut types into the active window the entry whose title, URL or window "
            "association matches that window's title; Entry → Perform auto-type (Ctrl+Shift+V) types "
            "the selected entry into the window you were in before. An entry can have its own "
            "sequence (custom field AutoType-Sequence) and window associations (AutoType-Window)."
        )
        help_text.setWordWrap(True)
        from vaultapp.gui.autotype_link import session_problem

        self.session = QLabel(session_problem() or "", objectName="autotype_session_label")
        self.session.setWordWrap(True)
        self.session.setVisible(bool(self.session.text()))
        form = QFormLayout()
        form.addRow("Global shortcut", self.shortcut_edit)
        form.addRow("Default sequence", self.sequence_edit)
        form.addRow("", self.title_check)
        form.addRow("", self.url_check)
        layout = QVBoxLayout(self)
        layout.addWidget(self.session)
        layout.addWidget(self.enabled_check)
        layout.addLayout(form)
        layout.addWidget(help_text)
        layout.addWidget(self.message)
        layout.addStretch(1)

    def problem(self) -> str | None:
        """Why the page cannot be applied (a sequence or shortcut that does not parse), or None."""
        from vaultapp.autotype.hotkey import parse_shortcut
        from vaultapp.autotype.sequence import parse
        from vaultapp.core.errors import UsageError

        try:
            parse(self.sequence_edit.text().strip() or DEFAULT_SEQUENCE)
            text = self.shortcut_text()
            if text:
                parse_shortcut(text)
        except UsageError as exc:
            self.message.setText(str(exc))
            return str(exc)
        self.message.clear()
        return None

    def shortcut_text(self) -> str:
        return self.shortcut_edit.keySequence().toString(QKeySequence.SequenceFormat.PortableText)

    def apply(self) -> None:
        o = self.options
        o.enabled = self.enabled_check.isChecked()
        o.shortcut = self.shortcut_text()
        o.sequence = self.sequence_edit.text()
        o.match_title = self.title_check.isChecked()
        o.match_url = self.url_check.isChecked()
