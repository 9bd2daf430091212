"""The detail pane: every field of the selected entry, secrets masked, copy buttons."""

from __future__ import annotations

import time
from collections.abc import Callable
from html import escape
from typing import Final

from PySide6.QtCore import QT_TR_NOOP, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QFormLayout,
    QFrame,
    QLabel,
    QPlainTextEdit,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from vaultapp.core.entry import Entry, Sealed
from vaultapp.core.passkeys import is_passkey_field, passkey_of
from vaultapp.gui.attachments import DetailAttachments
from vaultapp.gui.i18n import fill, tr
from vaultapp.gui.widgets import hbox, icon

MASK = "••••••••••"
NARROW_CHARS: Final = 44  # below this width (in average characters) values go under their names


def _button(name: str, tip: str, object_name: str) -> QToolButton:
    """An icon button: its tooltip is also its name for screen readers (it shows no text)."""
    button = QToolButton(objectName=object_name)
    button.setIcon(icon(name))
    button.setToolTip(tip)
    button.setAccessibleName(tip.split(" (")[0])
    button.setAutoRaise(True)
    return button


def _value_label(object_name: str) -> QLabel:
    label = QLabel(objectName=object_name)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setWordWrap(True)
    return label


class DetailPane(QFrame):
    """Emits ``copy_requested(field)`` with field in username/password/url/totp."""

    copy_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detail_pane")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.entry: Entry | None = None
        self._reveal: Callable[[Sealed], str] | None = None
        self._totp: Callable[[Entry], tuple[str, int] | None] | None = None

        self.title = QLabel(objectName="detail_title")
        self.title.setWordWrap(True)
        self.username = _value_label("detail_username")
        self.password = _value_label("detail_password")
        self.url = _value_label("detail_url")
        self.url.setWordWrap(False)
        self.url.setMinimumWidth(60)
        self.url.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.url.installEventFilter(self)
        self.url.setOpenExternalLinks(True)
        self.url.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.totp = _value_label("detail_totp")
        self.totp.setAccessibleName(tr("One-time code"))
        self.tags = _value_label("detail_tags")
        self.folder = _value_label("detail_folder")
        self.expires = _value_label("detail_expires")
        self.times = _value_label("detail_times")
        self.custom = _value_label("detail_custom")
        self.passkey = _value_label("detail_passkey")
        self.notes = QPlainTextEdit(objectName="detail_notes")
        self.notes.setReadOnly(True)
        self.notes.setMaximumHeight(140)
        self.attachments = DetailAttachments()  # Save…, Open, drag out (its ``actions`` set by the window)

        self.copy_username = _button("copy", tr("Copy username (Ctrl+B)"), "copy_username_button")
        self.copy_password = _button("copy", tr("Copy password (Ctrl+C)"), "copy_password_button")
        self.copy_url = _button("copy", tr("Copy URL (Ctrl+U)"), "copy_url_button")
        self.copy_totp = _button("copy", tr("Copy one-time code (Ctrl+T)"), "copy_totp_button")
        self.reveal_button = _button("eye", tr("Show password"), "reveal_button")
        self.reveal_button.setCheckable(True)
        self.reveal_button.toggled.connect(self._show_password)
        for button, field in (
            (self.copy_username, "username"),
            (self.copy_password, "password"),
            (self.copy_url, "url"),
            (self.copy_totp, "totp"),
        ):
            button.clicked.connect(lambda _=False, f=field: self.copy_requested.emit(f))

        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.addRow(tr("Username"), hbox(self.username, self.copy_username))
        self.form.addRow(tr("Password"), hbox(self.password, self.reveal_button, self.copy_password))
        self.form.addRow(tr("URL"), hbox(self.url, self.copy_url))
        self.form.addRow(tr("One-time code"), hbox(self.totp, self.copy_totp))
        self.form.addRow(tr("Tags"), self.tags)
        self.form.addRow(tr("Folder"), self.folder)
        self.form.addRow(tr("Expires"), self.expires)
        self.form.addRow(tr("Passkey"), self.passkey)
        self.form.addRow(tr("Custom fields"), self.custom)
        self.form.addRow(tr("Notes"), self.notes)
        self.form.addRow(tr("Attachments"), self.attachments)
        self.form.addRow("", self.times)

        self.empty = QLabel(tr("Select an entry to see its details."), objectName="detail_empty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.body = QWidget()
        body_layout = QVBoxLayout(self.body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.addWidget(self.title)
        body_layout.addLayout(self.form)
        body_layout.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty)
        layout.addWidget(self.body)
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._refresh_totp)
        self.set_entry(None)

    def set_helpers(
        self, reveal: Callable[[Sealed], str] | None, totp: Callable[[Entry], tuple[str, int] | None] | None
    ) -> None:
        self._reveal, self._totp = reveal, totp

    def set_entry(self, entry: Entry | None) -> None:
        self.entry = entry
        self.reveal_button.setChecked(False)
        self.empty.setVisible(entry is None)
        self.body.setVisible(entry is not None)
        if entry is None:
            self._timer.stop()
            self.attachments.set_entry(None)
            return
        self.title.setText(f"<h3>{escape(entry.title)}</h3>")
        self.username.setText(escape(entry.username) or tr("<i>none</i>"))
        self._show_password(False)
        self._show_url()
        self.tags.setText(escape(", ".join(entry.tags)) or tr("<i>none</i>"))
        self.folder.setText(escape(entry.folder) or tr("<i>top level</i>"))
        self.expires.setText(
            tr("never") if entry.expires is None else entry.expires.astimezone().strftime("%Y-%m-%d")
        )
        self._show_passkey(entry)
        self.notes.setPlainText(entry.notes)
        self.attachments.set_entry(entry)
        self.form.setRowVisible(self.attachments, bool(entry.attachments))
        count = len(entry.history)
        history = tr(" · %n earlier version(s)", None, count) if count else ""
        self.times.setText(
            fill(
                tr("<span style='color:gray'>Modified %1 · created %2%3</span>"),
                format(entry.modified.astimezone(), "%Y-%m-%d %H:%M"),
                format(entry.created.astimezone(), "%Y-%m-%d"),
                history,
            )
        )
        self.copy_username.setEnabled(bool(entry.username))
        self.copy_password.setEnabled(entry.password is not None)
        self.reveal_button.setEnabled(entry.password is not None)
        self.copy_url.setEnabled(bool(entry.url))
        self.copy_totp.setEnabled(entry.totp is not None)
        self._refresh_totp()
        if entry.totp is not None:
            self._timer.start()
        else:
            self._timer.stop()

    def _show_passkey(self, entry: Entry) -> None:
        """A KeePassXC passkey is its own section (never its private key); its fields are not
        listed again among the custom fields."""
        passkey = passkey_of((c.name, c.value if isinstance(c.value, str) else None) for c in entry.custom)
        self.form.setRowVisible(self.passkey, passkey is not None)
        if passkey is not None:
            rows = ((tr("Site"), passkey.relying_party), (tr("Username"), passkey.username),
                    (tr("Credential ID"), short_id(passkey.credential_id)))  # fmt: skip
            self.passkey.setToolTip(fill(tr("Credential ID: %1"), passkey.credential_id))
            self.passkey.setText("<br>".join(f"<b>{name}</b>: {escape(value) or tr('<i>none</i>')}"
                                             for name, value in rows))  # fmt: skip
        custom = [c for c in entry.custom if passkey is None or not is_passkey_field(c.name)]
        self.custom.setText(
            "<br>".join(
                f"<b>{escape(c.name)}</b>: {MASK if c.protected else escape(str(c.value))}" for c in custom
            )
            or tr("<i>none</i>")
        )

    def _show_url(self) -> None:
        """The URL as one line, elided in the middle to the space there is (full URL as tooltip)."""
        entry = self.entry
        if entry is None or not entry.url:
            self.url.setText(tr("<i>none</i>"))
            self.url.setToolTip("")
            return
        width = max(self.url.width(), 120)
        shown = self.url.fontMetrics().elidedText(entry.url, Qt.TextElideMode.ElideMiddle, width)
        # The link colour from the palette now (a label keeps the one it parsed with).
        link = QApplication.palette().color(QPalette.ColorRole.Link).name()
        self.url.setText(
            f'<a href="{escape(entry.url, quote=True)}" style="color:{link}">{escape(shown)}</a>'
        )
        self.url.setToolTip(entry.url)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        """A new theme: the link colour is fixed when a label parses its HTML, so parse it again."""
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self.url.clear()
            self._show_url()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        """A narrow pane (a small window, QT_SCALE_FACTOR=2) puts each value under its name, at the
        pane's full width, rather than squeezing it beside the name or scrolling sideways."""
        narrow = event.size().width() < self.fontMetrics().averageCharWidth() * NARROW_CHARS
        policy = QFormLayout.RowWrapPolicy.WrapAllRows if narrow else QFormLayout.RowWrapPolicy.DontWrapRows
        if self.form.rowWrapPolicy() != policy:
            self.form.setRowWrapPolicy(policy)
            for row in range(self.form.rowCount()):  # a name above its value reads as a heading
                item = self.form.itemAt(row, QFormLayout.ItemRole.LabelRole)
                label = item.widget() if item is not None else None
                if isinstance(label, QLabel):
                    font = label.font()
                    font.setBold(narrow)
                    label.setFont(font)
        super().resizeEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self.url and event.type() == QEvent.Type.Resize:
            self._show_url()
        return False

    def _show_password(self, revealed: bool) -> None:
        entry = self.entry
        if entry is None or entry.password is None:
            self.password.setText(tr("<i>none</i>"))
            return
        if revealed and self._reveal is not None:
            self.password.setText(f"<code>{escape(self._reveal(entry.password))}</code>")
        else:
            self.password.setText(MASK)
        self.reveal_button.setIcon(icon("eye-off" if revealed else "eye"))

    def _refresh_totp(self) -> None:
        entry = self.entry
        if entry is None or entry.totp is None or self._totp is None:
            self.totp.setText(tr("<i>none</i>"))
            return
        result = self._totp(entry)
        if result is None:
            self.totp.setText(tr("<i>the stored secret is not usable</i>"))
            return
        code, left = result
        if code == HOTP_HINT:
            self.totp.setText(f"<i>{tr(HOTP_HINT)}</i>")
            return
        half = len(code) // 2
        code_html = f"<code style='font-size:14pt'>{code[:half]} {code[half:]}</code>"
        countdown = f" <span style='color:gray'>{left} s</span>" if left else ""
        self.totp.setText(code_html + countdown)
        self.totp.setAccessibleDescription(tr("%n second(s) until the next code", None, left) if left else "")

    def clear(self) -> None:
        self.set_entry(None)


def short_id(identifier: str) -> str:
    """A long opaque identifier as its start and end (one unbreakable word would widen the pane)."""
    return identifier if len(identifier) <= 20 else f"{identifier[:10]}…{identifier[-6:]}"


# An HOTP code is never shown without using up its counter (``Vault.next_hotp``): copy it instead.
HOTP_HINT: Final = QT_TR_NOOP("counter-based: copy it (Ctrl+T) for the next code")


def totp_now(reveal: Callable[[Sealed], str], entry: Entry) -> tuple[str, int] | None:
    """The entry's current code and seconds left, or None if its secret is unusable; for an
    HOTP entry ``(HOTP_HINT, 0)``: showing its code would use up the counter."""
    from vaultapp.core.errors import VaultError
    from vaultapp.generators.otp import code_now, parse, remaining_seconds

    if entry.totp is None:
        return None
    try:
        params = parse(reveal(entry.totp))
    except VaultError:
        return None
    if params.kind == "hotp":
        return HOTP_HINT, 0
    now = time.time()
    left = remaining_seconds(params, now) if params.kind == "totp" else 0
    return code_now(params, now), left
