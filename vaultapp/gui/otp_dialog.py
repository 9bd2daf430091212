"""Set up an entry's one-time codes: paste an otpauth URI, read a QR code (image file or
clipboard), or fill in the secret and parameters by hand; show the URI as a QR code to move the
account to a phone. Parsing and building URIs is ``vaultapp.core.otpauth``."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from vaultapp.core.errors import VaultError
from vaultapp.core.otpauth import OtpParams, build_uri, decode_secret, parse
from vaultapp.gui.i18n import fill, tr
from vaultapp.gui.widgets import at_least_wide, hbox

IMAGE_MAX = 32 << 20  # a screenshot of a QR code is far smaller


def read_qr(image: QImage) -> str:
    """The text of the first QR code in ``image``.

    Raises:
        VaultError: no QR code found.
    """
    import zxingcpp

    gray = image.convertToFormat(QImage.Format.Format_Grayscale8)
    results = zxingcpp.read_barcodes(gray, formats=zxingcpp.BarcodeFormat.QRCode)
    if not results:
        raise VaultError(tr("No QR code found in that image. Try a sharper or larger picture."))
    return str(results[0].text)


def qr_pixmap(text: str, scale: int = 6) -> QPixmap:
    """A QR code of ``text`` (segno), for showing the URI to a phone."""
    import io

    import segno

    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=scale, border=4)
    pixmap = QPixmap()
    pixmap.loadFromData(buffer.getvalue(), "PNG")
    return pixmap


class OtpSetupDialog(QDialog):
    """``result_text`` holds the otpauth URI to store after OK (or "" to remove the codes)."""

    def __init__(
        self, parent: QWidget | None, initial: str = "", *, account: str = "", issuer: str = ""
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("One-time codes"))
        self.result_text: str | None = None
        self.uri_edit = QLineEdit(objectName="otp_uri_edit")
        self.uri_edit.setPlaceholderText(tr("paste otpauth://totp/… or the secret the site shows"))
        self.uri_edit.setEchoMode(QLineEdit.EchoMode.PasswordEchoOnEdit)  # it carries the secret
        self.secret_edit = QLineEdit(objectName="otp_secret_edit")
        self.secret_edit.setEchoMode(QLineEdit.EchoMode.PasswordEchoOnEdit)
        self.issuer_edit = QLineEdit(issuer, objectName="otp_issuer_edit")
        self.account_edit = QLineEdit(account, objectName="otp_account_edit")
        self.digits = QSpinBox(objectName="otp_digits")
        self.digits.setRange(6, 8)
        self.period = QSpinBox(objectName="otp_period")
        self.period.setRange(1, 86_400)
        self.period.setValue(30)
        self.period.setSuffix(" s")
        self.algorithm = QComboBox(objectName="otp_algorithm")
        self.algorithm.addItems(["SHA1", "SHA256", "SHA512"])
        self.code_label = QLabel(objectName="otp_code")
        self.error_label = QLabel(objectName="otp_error")
        self.error_label.setStyleSheet("color: #dc2626;")
        self.error_label.setWordWrap(True)
        self.qr_label = QLabel(objectName="otp_qr")
        self.qr_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.qr_label.hide()
        read_file = QPushButton(tr("Read QR from image…"), objectName="otp_read_file")
        read_file.clicked.connect(self._read_file)
        read_clipboard = QPushButton(tr("Paste QR image"), objectName="otp_read_clipboard")
        read_clipboard.clicked.connect(self.read_clipboard)
        self.show_qr = QPushButton(tr("Show QR for a phone"), objectName="otp_show_qr")
        self.show_qr.setCheckable(True)
        self.show_qr.toggled.connect(self._toggle_qr)

        form = QFormLayout()
        form.addRow(tr("URI or secret"), self.uri_edit)
        form.addRow("", hbox(read_file, read_clipboard))
        form.addRow(QLabel(tr("<b>Or by hand</b>")))
        form.addRow(tr("Secret (base32)"), self.secret_edit)
        form.addRow(tr("Issuer"), self.issuer_edit)
        form.addRow(tr("Account"), self.account_edit)
        form.addRow(tr("Digits"), self.digits)
        form.addRow(tr("Period"), self.period)
        form.addRow(tr("Algorithm"), self.algorithm)
        form.addRow(tr("Current code"), self.code_label)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        remove = buttons.addButton(tr("Remove codes"), QDialogButtonBox.ButtonRole.DestructiveRole)
        remove.clicked.connect(self._remove)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.show_qr)
        layout.addWidget(self.qr_label)
        layout.addWidget(buttons)
        at_least_wide(self, 520)

        self.uri_edit.textChanged.connect(self._from_uri)
        for edit in (self.secret_edit, self.issuer_edit, self.account_edit):
            edit.textChanged.connect(self._refresh)
        for spin in (self.digits, self.period):
            spin.valueChanged.connect(self._refresh)
        self.algorithm.currentIndexChanged.connect(self._refresh)
        if initial:
            self.uri_edit.setText(initial)
        self._refresh()

    def _from_uri(self, text: str) -> None:
        if not text.strip():
            return
        try:
            params = parse(text)
        except VaultError as exc:
            self._error(str(exc))
            return
        for widget in (self.secret_edit, self.issuer_edit, self.account_edit, self.digits, self.period):
            widget.blockSignals(True)
        self.secret_edit.setText(params.secret_base32)
        if params.issuer or text.strip().lower().startswith("otpauth:"):
            self.issuer_edit.setText(params.issuer)
            self.account_edit.setText(params.account)
        self.digits.setValue(params.digits)
        self.period.setValue(params.period)
        self.algorithm.setCurrentText(params.algorithm)
        for widget in (self.secret_edit, self.issuer_edit, self.account_edit, self.digits, self.period):
            widget.blockSignals(False)
        self._refresh()

    def params(self) -> OtpParams:
        """The parameters the form describes. Raises VaultError when they are not usable."""
        return OtpParams(
            decode_secret(self.secret_edit.text()),
            digits=self.digits.value(),
            period=self.period.value(),
            algorithm=self.algorithm.currentText(),
            issuer=self.issuer_edit.text().strip(),
            account=self.account_edit.text().strip(),
        )

    def _error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))
        self.ok_button.setEnabled(not text)
        self.show_qr.setEnabled(not text)
        if text:
            self.code_label.clear()
            self.show_qr.setChecked(False)

    def _refresh(self, *_args: object) -> None:
        if not self.secret_edit.text().strip():
            self._error(tr("Paste a URI, read a QR code, or type the secret."))
            return
        try:
            params = self.params()
        except VaultError as exc:
            self._error(str(exc))
            return
        self._error("")
        from vaultapp.generators.otp import remaining_seconds, totp

        now = time.time()
        self.code_label.setText(
            fill(tr("<code>%1</code>  (%2 s left)"), totp(params, now), remaining_seconds(params, now))
        )
        if self.show_qr.isChecked():
            self.qr_label.setPixmap(qr_pixmap(build_uri(params)))

    def _toggle_qr(self, on: bool) -> None:
        self.qr_label.setVisible(on)
        if on:
            self._refresh()
        self.adjustSize()

    def load_image(self, image: QImage) -> None:
        try:
            self.uri_edit.setText(read_qr(image))
        except VaultError as exc:
            self._error(str(exc))

    def _read_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, tr("QR code image"), "", tr("Images (*.png *.jpg *.jpeg *.bmp *.gif)")
        )
        if name:
            self.load_file(name)

    def load_file(self, name: str) -> None:
        """Read an image file through the core's bounded reader (never a FIFO or a device,
        at most ``IMAGE_MAX`` bytes), then look for a QR code in it."""
        from pathlib import Path

        from vaultapp.core.storage import read_limited

        try:
            data = read_limited(Path(name), IMAGE_MAX)
        except OSError as exc:
            self._error(fill(tr("Cannot read %1: %2."), Path(name).name, exc.strerror or exc))
            return
        self.load_image(QImage.fromData(data))

    def read_clipboard(self) -> None:
        image = QGuiApplication.clipboard().image()
        if image.isNull():
            self._error(tr("The clipboard holds no image; copy a screenshot of the QR code first."))
        else:
            self.load_image(image)

    def _accept(self) -> None:
        try:
            self.result_text = build_uri(self.params())
        except VaultError as exc:
            self._error(str(exc))
            return
        self.accept()

    def _remove(self) -> None:
        self.result_text = ""
        self.accept()
