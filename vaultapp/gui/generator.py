"""The generator dialog: one tab per kind, a live preview with its entropy, Copy, Regenerate,
and Use (when opened from the entry editor). Options persist in the settings."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont, QShowEvent, QTextOption
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from vaultapp.core.errors import VaultError
from vaultapp.generators.password import SYMBOLS, Generated
from vaultapp.gui.i18n import fill, tr
from vaultapp.gui.settings import Settings
from vaultapp.gui.widgets import at_least_wide

KINDS = ("password", "passphrase", "readable", "pin", "token")
# Bits at which the bar turns amber and green (a 6-word passphrase is 77.5 bits).
WEAK_BITS, STRONG_BITS = 50, 75


def _spin(low: int, high: int, value: int, name: str) -> QSpinBox:
    spin = QSpinBox(objectName=name)
    spin.setRange(low, high)
    spin.setValue(value)
    return spin


def _check(text: str, on: bool, name: str) -> QCheckBox:
    box = QCheckBox(text, objectName=name)
    box.setChecked(on)
    return box


class GeneratorDialog(QDialog):
    """Emits ``copy_requested(value)``; ``use_value`` is set when the user presses Use."""

    copy_requested = Signal(str)

    def __init__(
        self,
        parent: QWidget | None,
        settings: Settings,
        *,
        for_editor: bool = False,
        rules: str | None = None,
        kind: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Generate"))
        self.settings = settings
        self.use_value: str | None = None
        self.current: Generated | None = None
        saved: dict[str, Any] = settings.generator_options

        # password
        self.length = _spin(4, 1024, int(saved.get("length", 20)), "gen_length")
        self.lower = _check("a-z", saved.get("lower", True), "gen_lower")
        self.upper = _check("A-Z", saved.get("upper", True), "gen_upper")
        self.digits = _check("0-9", saved.get("digits", True), "gen_digits")
        self.symbols = _check(tr("Symbols"), saved.get("symbols", True), "gen_symbols")
        self.symbol_set = QLineEdit(str(saved.get("symbol_set", SYMBOLS)), objectName="gen_symbol_set")
        self.exclude = QLineEdit(str(saved.get("exclude", "")), objectName="gen_exclude")
        self.lookalikes = _check(
            tr("No look-alikes (0 O 1 l I |)"), saved.get("lookalikes", False), "gen_lookalikes"
        )
        self.rules = QLineEdit(str(saved.get("rules", "")), objectName="gen_rules")
        self.rules.setPlaceholderText(tr("a site's rules: minlength: 12; required: digit; allowed: [-!@#]"))
        password = QWidget()
        form = QFormLayout(password)
        form.addRow(tr("Length"), self.length)
        classes = QWidget()
        row = QVBoxLayout(classes)
        row.setContentsMargins(0, 0, 0, 0)
        for box in (self.lower, self.upper, self.digits, self.symbols):
            row.addWidget(box)
        form.addRow(tr("Characters"), classes)
        form.addRow(tr("Allowed symbols"), self.symbol_set)
        form.addRow(tr("Never use"), self.exclude)
        form.addRow("", self.lookalikes)
        form.addRow(tr("Site rules"), self.rules)

        # passphrase
        self.words = _spin(1, 64, int(saved.get("words", 6)), "gen_words")
        self.separator = QComboBox(objectName="gen_separator")
        self.separator.setEditable(True)
        for label, value in (
            (tr("space"), " "),
            ("-", "-"),
            (".", "."),
            (tr("random digit or symbol"), "random"),
        ):
            self.separator.addItem(label, value)
        self.separator.setCurrentIndex(max(0, self.separator.findData(saved.get("separator", " "))))
        self.capitalize = QComboBox(objectName="gen_capitalize")
        for label, value in ((tr("none"), "none"), (tr("First Letter"), "first"), (tr("ALL"), "all"),
                             (tr("random per word"), "random"), (tr("one random word"), "one")):  # fmt: skip
            self.capitalize.addItem(label, value)
        self.capitalize.setCurrentIndex(max(0, self.capitalize.findData(saved.get("capitalize", "none"))))
        self.extra = QComboBox(objectName="gen_extra")
        for label, value in ((tr("nothing"), ""), (tr("a digit"), "digit"), (tr("a symbol"), "symbol")):
            self.extra.addItem(label, value)
        self.extra.setCurrentIndex(max(0, self.extra.findData(saved.get("extra", ""))))
        passphrase = QWidget()
        form = QFormLayout(passphrase)
        form.addRow(tr("Words"), self.words)
        form.addRow(tr("Separator"), self.separator)
        form.addRow(tr("Capitalise"), self.capitalize)
        form.addRow(tr("Add to one word"), self.extra)
        form.addRow(QLabel(tr("Words come from the EFF large wordlist (7,776 words, CC BY 3.0).")))

        # readable
        self.readable_length = _spin(4, 256, int(saved.get("readable_length", 16)), "gen_readable_length")
        self.group = _spin(0, 16, int(saved.get("group", 4)), "gen_group")
        self.pronounceable = _check(
            tr("Pronounceable syllables"), saved.get("pronounceable", False), "gen_pronounce"
        )
        self.syllables = _spin(2, 64, int(saved.get("syllables", 10)), "gen_syllables")
        readable = QWidget()
        form = QFormLayout(readable)
        form.addRow(tr("Length"), self.readable_length)
        form.addRow(tr("Dash every"), self.group)
        form.addRow("", self.pronounceable)
        form.addRow(tr("Syllables"), self.syllables)

        # pin
        self.pin_digits = _spin(3, 64, int(saved.get("pin_digits", 6)), "gen_pin_digits")
        pin = QWidget()
        QFormLayout(pin).addRow(tr("Digits"), self.pin_digits)

        # token
        self.token_format = QComboBox(objectName="gen_token_format")
        for value in ("urlsafe", "hex", "base32", "api-key", "jwt-secret", "fernet", "uuid4"):
            self.token_format.addItem(value, value)
        self.token_format.setCurrentIndex(
            max(0, self.token_format.findData(saved.get("token_format", "urlsafe")))
        )
        self.token_bytes = _spin(8, 1024, int(saved.get("token_bytes", 32)), "gen_token_bytes")
        self.token_prefix = QLineEdit(str(saved.get("token_prefix", "")), objectName="gen_token_prefix")
        self.token_prefix.setPlaceholderText(tr("API key prefix, e.g. sk_live_"))
        token = QWidget()
        form = QFormLayout(token)
        form.addRow(tr("Format"), self.token_format)
        form.addRow(tr("Random bytes"), self.token_bytes)
        form.addRow(tr("Prefix"), self.token_prefix)

        self.tabs = QTabWidget(objectName="gen_tabs")
        for widget, label in ((password, tr("Password")), (passphrase, tr("Passphrase")),
                              (readable, tr("Readable")), (pin, tr("PIN")),
                              (token, tr("Token"))):  # fmt: skip
            self.tabs.addTab(widget, label)
        self.tabs.setCurrentIndex(
            KINDS.index(saved.get("kind", "password")) if saved.get("kind") in KINDS else 0
        )

        self.preview = QPlainTextEdit(objectName="gen_preview")
        self.preview.setAccessibleName(tr("Generated"))
        self.preview.setReadOnly(True)
        self.preview.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.preview.setFixedHeight(64)
        mono = QFont("monospace")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        mono.setPointSize(mono.pointSize() + 2)
        self.preview.setFont(mono)
        self.bar = QProgressBar(objectName="gen_entropy_bar")
        self.bar.setRange(0, 128)
        self.bar.setTextVisible(False)
        self.bar.setFixedHeight(8)
        self.entropy_label = QLabel(objectName="gen_entropy_label")
        self.error_label = QLabel(objectName="gen_error")
        self.error_label.setStyleSheet("color: #dc2626;")
        self.error_label.setWordWrap(True)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.regenerate_button = QPushButton(tr("Regenerate"), objectName="gen_regenerate")
        self.copy_button = QPushButton(tr("Copy"), objectName="gen_copy")
        buttons.addButton(self.regenerate_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.use_button = QPushButton(tr("Use"), objectName="gen_use")
        self.for_editor = for_editor
        if for_editor:
            buttons.addButton(self.use_button, QDialogButtonBox.ButtonRole.AcceptRole)
            # Enter = Use: Close must not be the default and throw the value away.
            buttons.button(QDialogButtonBox.StandardButton.Close).setAutoDefault(False)
            self.use_button.setDefault(True)
        self.use_button.setVisible(for_editor)
        buttons.rejected.connect(self.reject)
        self.regenerate_button.clicked.connect(self.regenerate)
        self.copy_button.clicked.connect(self._copy)
        self.use_button.clicked.connect(self._use)

        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.preview)
        layout.addWidget(self.bar)
        layout.addWidget(self.entropy_label)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        at_least_wide(self, 560)

        spins = (self.length, self.words, self.readable_length, self.group, self.syllables, self.pin_digits)
        for spin in (*spins, self.token_bytes):
            spin.valueChanged.connect(self.regenerate)
        for box in (self.lower, self.upper, self.digits, self.symbols, self.lookalikes, self.pronounceable):
            box.toggled.connect(self.regenerate)
        for edit in (self.symbol_set, self.exclude, self.rules, self.token_prefix):
            edit.textChanged.connect(self.regenerate)
        for combo in (self.capitalize, self.extra, self.token_format):
            combo.currentIndexChanged.connect(self.regenerate)
        self.separator.currentTextChanged.connect(self.regenerate)
        self.tabs.currentChanged.connect(self.regenerate)
        if kind is not None:
            self.tabs.setCurrentIndex(KINDS.index(kind))
        if for_editor:  # for one entry: its own site rules, never another site's from last time
            self.rules.setText(rules or "")
        if rules:
            self.tabs.setCurrentIndex(0)
        self.regenerate()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self.for_editor:  # the button box picks its own default when shown; Use stays it
            self.use_button.setDefault(True)

    @property
    def kind(self) -> str:
        return KINDS[self.tabs.currentIndex()]

    def _separator(self) -> str:
        index = self.separator.findText(self.separator.currentText())
        return str(self.separator.itemData(index)) if index >= 0 else self.separator.currentText()

    def options(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "length": self.length.value(),
            "lower": self.lower.isChecked(),
            "upper": self.upper.isChecked(),
            "digits": self.digits.isChecked(),
            "symbols": self.symbols.isChecked(),
            "symbol_set": self.symbol_set.text(),
            "exclude": self.exclude.text(),
            "lookalikes": self.lookalikes.isChecked(),
            "rules": self.rules.text(),
            "words": self.words.value(),
            "separator": self._separator(),
            "capitalize": self.capitalize.currentData(),
            "extra": self.extra.currentData(),
            "readable_length": self.readable_length.value(),
            "group": self.group.value(),
            "pronounceable": self.pronounceable.isChecked(),
            "syllables": self.syllables.value(),
            "pin_digits": self.pin_digits.value(),
            "token_format": self.token_format.currentData(),
            "token_bytes": self.token_bytes.value(),
            "token_prefix": self.token_prefix.text(),
        }

    def _generate(self) -> Generated:
        kind = self.kind
        if kind == "password" and self.rules.text().strip():
            from vaultapp.generators.passwordrules import generate_with_rules, parse_rules

            return generate_with_rules(parse_rules(self.rules.text()), self.length.value())[0]
        if kind == "password":
            from vaultapp.generators.password import PasswordPolicy, generate_password

            return generate_password(
                PasswordPolicy(
                    length=self.length.value(),
                    lower=self.lower.isChecked(),
                    upper=self.upper.isChecked(),
                    digits=self.digits.isChecked(),
                    symbols=self.symbols.isChecked(),
                    symbol_set=self.symbol_set.text(),
                    exclude=self.exclude.text(),
                    exclude_lookalikes=self.lookalikes.isChecked(),
                )
            )
        if kind == "passphrase":
            from vaultapp.generators.passphrase import PassphrasePolicy, generate_passphrases

            phrase = PassphrasePolicy(
                words=self.words.value(),
                separator=self._separator(),
                capitalize=self.capitalize.currentData(),
                extra=self.extra.currentData(),
            )
            return generate_passphrases(phrase)[0]
        if kind == "readable":
            from vaultapp.generators.readable import ReadablePolicy, generate_readable

            policy_r = ReadablePolicy(
                length=self.readable_length.value(), group=self.group.value(),
                pronounceable=self.pronounceable.isChecked(), syllables=self.syllables.value(),
            )  # fmt: skip
            return generate_readable(policy_r)[0]
        if kind == "pin":
            from vaultapp.generators.codes import generate_codes

            return generate_codes(self.pin_digits.value())[0]
        from vaultapp.generators.tokens import generate_token

        return generate_token(
            self.token_format.currentData(), nbytes=self.token_bytes.value(), prefix=self.token_prefix.text()
        )

    def regenerate(self, *_args: object) -> None:
        """Draw a new value with the current options (live, on every change)."""
        try:
            self.current = self._generate()
        except VaultError as exc:
            self.current = None
            self.preview.clear()
            self.error_label.setText(str(exc))
            self.error_label.show()
            self.bar.setValue(0)
            self.entropy_label.clear()
        else:
            self.error_label.hide()
            self.preview.setPlainText(self.current.value)
            bits = self.current.entropy_bits
            self.bar.setValue(min(128, round(bits)))
            color = "#dc2626" if bits < WEAK_BITS else "#ca8a04" if bits < STRONG_BITS else "#16a34a"
            self.bar.setStyleSheet(f"QProgressBar::chunk {{ background: {color}; border-radius: 3px; }}")
            self.entropy_label.setText(
                fill(tr("%1 bits of entropy (counted exactly for these options)"), format(bits, ".1f"))
            )
        for button in (self.copy_button, self.use_button):
            button.setEnabled(self.current is not None)

    def _copy(self) -> None:
        if self.current is not None:
            self.copy_requested.emit(self.current.value)

    def _use(self) -> None:
        if self.current is not None:
            self.use_value = self.current.value
            self.accept()

    def done(self, result: int) -> None:
        self.settings.generator_options = self.options()
        super().done(result)
