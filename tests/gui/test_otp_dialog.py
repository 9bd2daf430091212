"""One-time code setup: URI, manual fields, QR codes both ways, clipboard images."""

from __future__ import annotations

import os
import threading

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QPushButton

from vaultapp.core.otpauth import parse_uri
from vaultapp.gui.otp_dialog import OtpSetupDialog, qr_pixmap, read_qr

URI = "otpauth://totp/ACME%20Co:john@example.com?secret=JBSWY3DPEHPK3PXP&issuer=ACME%20Co&digits=8&period=60"


def test_qr_code_round_trip(qtbot) -> None:
    """A QR code drawn by segno reads back (zxing-cpp) to the same URI."""
    assert read_qr(qr_pixmap(URI).toImage()) == URI


def test_pasted_uri_fills_the_form_and_ok_returns_an_equivalent_uri(qtbot) -> None:
    """Every parameter of a pasted URI lands in its field; OK gives a URI with the same meaning."""
    dialog = OtpSetupDialog(None)
    qtbot.addWidget(dialog)
    dialog.uri_edit.setText(URI)
    assert (dialog.issuer_edit.text(), dialog.account_edit.text()) == ("ACME Co", "john@example.com")
    assert (dialog.digits.value(), dialog.period.value()) == (8, 60)
    assert len(dialog.code_label.text().split("<code>")[1].split("</code>")[0]) == 8
    dialog.ok_button.click()
    assert parse_uri(dialog.result_text or "") == parse_uri(URI)


def test_manual_secret_builds_a_uri(qtbot) -> None:
    """Typing the secret and choices by hand gives a URI with them."""
    dialog = OtpSetupDialog(None, account="me", issuer="Site")
    qtbot.addWidget(dialog)
    dialog.secret_edit.setText("jbsw y3dp ehpk 3pxp")
    dialog.algorithm.setCurrentText("SHA256")
    dialog.ok_button.click()
    params = parse_uri(dialog.result_text or "")
    assert (params.issuer, params.account, params.algorithm, params.secret_base32) == (
        "Site", "me", "SHA256", "JBSWY3DPEHPK3PXP",
    )  # fmt: skip


def test_bad_secret_blocks_ok_with_a_message(qtbot) -> None:
    """An unusable secret is explained and OK is disabled."""
    dialog = OtpSetupDialog(None)
    qtbot.addWidget(dialog)
    dialog.secret_edit.setText("not base32!")
    assert "base32" in dialog.error_label.text()
    assert not dialog.ok_button.isEnabled()


def test_qr_from_clipboard_image(qtbot) -> None:
    """A screenshot of a QR code on the clipboard sets up the codes."""
    QGuiApplication.clipboard().setImage(qr_pixmap(URI).toImage())
    dialog = OtpSetupDialog(None)
    qtbot.addWidget(dialog)
    dialog.read_clipboard()
    assert dialog.secret_edit.text() == "JBSWY3DPEHPK3PXP"
    QGuiApplication.clipboard().setText("just text")
    dialog.read_clipboard()
    assert "no image" in dialog.error_label.text()


def _choose_file(monkeypatch, path) -> None:
    from PySide6.QtWidgets import QFileDialog

    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **kwargs: (str(path), ""))


def test_qr_from_an_image_file(qtbot, tmp_path, monkeypatch) -> None:
    """ "Read QR from image…" reads the chosen file and sets up the codes."""
    image = tmp_path / "qr.png"
    assert qr_pixmap(URI).save(str(image), "PNG")
    _choose_file(monkeypatch, image)
    dialog = OtpSetupDialog(None)
    qtbot.addWidget(dialog)
    dialog.findChild(QPushButton, "otp_read_file").click()
    assert dialog.secret_edit.text() == "JBSWY3DPEHPK3PXP"


def test_qr_image_file_over_the_limit_is_refused_unread(qtbot, tmp_path, monkeypatch) -> None:
    """An "image" larger than IMAGE_MAX is refused by its size, in the dialog's error line."""
    from vaultapp.gui.otp_dialog import IMAGE_MAX

    big = tmp_path / "huge.png"
    with big.open("wb") as handle:
        handle.truncate(IMAGE_MAX + 1)  # sparse: costs no disk
    _choose_file(monkeypatch, big)
    dialog = OtpSetupDialog(None)
    qtbot.addWidget(dialog)
    dialog.findChild(QPushButton, "otp_read_file").click()
    assert "huge.png" in dialog.error_label.text()
    assert "larger than" in dialog.error_label.text()


def test_qr_image_that_is_a_fifo_is_refused_without_blocking(qtbot, tmp_path, monkeypatch) -> None:
    """A FIFO chosen as the image is refused before it is opened (Qt's open would block)."""
    fifo = tmp_path / "qr.png"
    os.mkfifo(fifo)

    def writer() -> None:  # lets a reader that did open the FIFO go on (so a regression fails, not hangs)
        with fifo.open("wb"):
            pass

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    _choose_file(monkeypatch, fifo)
    dialog = OtpSetupDialog(None)
    qtbot.addWidget(dialog)
    dialog.findChild(QPushButton, "otp_read_file").click()
    assert "named pipe" in dialog.error_label.text()
    fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # release the writer thread
    thread.join(timeout=10)
    os.close(fd)
