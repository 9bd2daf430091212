"""Find user-visible strings that skip the translation machinery (an AST scan of the window's code).

A string literal (or f-string) with letters in it, passed where Qt shows text — ``setText``,
``setToolTip``, ``QLabel("…")``, ``QMessageBox.warning(parent, "…", "…")``, ``addRow("…", …)``
and the like — must be wrapped: ``tr("…")`` or ``fill(tr("…%1"), value)``.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# method name -> positions of the arguments that are shown to the user
_SHOWN_FIRST = [
    "setText",
    "setWindowTitle",
    "setToolTip",
    "setPlaceholderText",
    "setStatusTip",
    "setWhatsThis",
    "setTitle",
    "setLabelText",
    "setAccessibleName",
    "setAccessibleDescription",
    "setInformativeText",
    "setDetailedText",
    "showMessage",
    "setSpecialValueText",
    "setSuffix",
    "setPrefix",
    "setHeaderLabels",
    "setHorizontalHeaderLabels",
    "setVerticalHeaderLabels",
    "addItems",
    "setOkButtonText",
    "setCancelButtonText",
    "addRow",
    "setIconText",
    "setHtml",
    "showText",
]
METHODS: dict[str, tuple[int, ...]] = {
    **dict.fromkeys(_SHOWN_FIRST, (0,)),
    "setTabText": (1,),
    "setTabToolTip": (1,),
    "setItemText": (1,),
    "setButtonText": (1,),
    "setHeaderData": (2,),
    "insertRow": (1,),
    "addTab": (1, 2),
    "insertTab": (2, 3),
    "addAction": (0, 1),
    "addMenu": (0, 1),
    "addSection": (0, 1),
    "addItem": (0, 1),
    "insertItem": (1, 2),
    "addButton": (0,),
}
# Class.static -> positions (only matched on these classes, so logging.warning is left alone)
STATICS: dict[str, tuple[int, ...]] = {
    **{f"QMessageBox.{n}": (1, 2) for n in ("warning", "information", "question", "critical", "about")},
    **{f"QInputDialog.{n}": (1, 2) for n in ("getText", "getItem", "getInt", "getMultiLineText")},
    "QFileDialog.getOpenFileName": (1, 3),
    "QFileDialog.getOpenFileNames": (1, 3),
    "QFileDialog.getSaveFileName": (1, 3),
    "QFileDialog.getExistingDirectory": (1,),
    "QToolTip.showText": (1,),
}
CONSTRUCTORS: dict[str, tuple[int, ...]] = {
    "QLabel": (0,),
    "QPushButton": (0, 1),
    "QCheckBox": (0,),
    "QRadioButton": (0,),
    "QGroupBox": (0,),
    "QAction": (0, 1),
    "QMenu": (0,),
    "QListWidgetItem": (0, 1),
    "QTreeWidgetItem": (0, 1),
    "QTableWidgetItem": (0, 1),
    "QCommandLinkButton": (0, 1),
    "QMessageBox": (1, 2),
    "QProgressDialog": (0, 1),
    "QWizardPage": (),
    "QStandardItem": (0, 1),
}
KEYWORDS = frozenset(
    [
        "text",
        "title",
        "toolTip",
        "windowTitle",
        "placeholderText",
        "statusTip",
        "caption",
        "placeholder",
        "tip",
        "label",
        "message",
        "question",
        "heading",
        "informative",
        "accessibleName",
        "accessibleDescription",
    ]
)
# Calls whose text comes first, or second after an icon: addItem(text, data), addItem(icon, text)
ICON_FIRST = frozenset(
    ["addItem", "addAction", "addMenu", "addSection", "QPushButton", "QAction", "QListWidgetItem",
     "QTreeWidgetItem", "QTableWidgetItem", "QStandardItem", "QCommandLinkButton"]
)  # fmt: skip
WRAPPERS = frozenset(("tr", "fill", "translate", "QT_TRANSLATE_NOOP", "QT_TR_NOOP"))
_WORDS = re.compile(r"[A-Za-z]{2,}")
_CODE_NAME = re.compile(r"[A-Z]+[0-9]+")
_SUFFIX = re.compile(r"\.[A-Za-z0-9]+")  # .vault
_MARKUP = re.compile(r"<[^>]*>|&[A-Za-z]+;|%\d")


def has_words(text: str) -> bool:
    """Words a reader sees: markup (``<code>%1</code>``) and places do not count."""
    if _CODE_NAME.fullmatch(text) or _SUFFIX.fullmatch(text):  # SHA256, .vault: the same in every language
        return False
    return bool(_WORDS.search(_MARKUP.sub(" ", text)))


@dataclass(frozen=True)
class Unwrapped:
    path: Path
    node: ast.expr
    text: str

    def __str__(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.node.lineno}: {self.text!r}"


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        inner = _name(func.value)
        return f"{inner}.{func.attr}" if inner else func.attr
    return ""


def literal_text(node: ast.expr) -> str | None:
    """The words of a bare literal shown as is (None if it is wrapped, computed, or has no words)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value if has_words(node.value) else None
    if isinstance(node, ast.JoinedStr):
        text = "".join(v.value if isinstance(v, ast.Constant) else "%1" for v in node.values)
        return text if has_words(str(text)) else None
    return None


def bare_literals(node: ast.expr) -> list[ast.expr]:
    """The unwrapped literals in an argument: itself, or inside a list, an if-else, a + or a %."""
    if isinstance(node, ast.Call) and _name(node.func).split(".")[-1] in WRAPPERS:
        return []
    if literal_text(node) is not None:
        return [node]
    found: list[ast.expr] = []
    if isinstance(node, (ast.List, ast.Tuple)):
        for element in node.elts:
            found += bare_literals(element)
    elif isinstance(node, ast.IfExp):
        found += bare_literals(node.body) + bare_literals(node.orelse)
    elif isinstance(node, ast.BinOp):
        found += bare_literals(node.left) + bare_literals(node.right)
    return found


def _is_text(node: ast.expr) -> bool:
    """A string, or a call that makes one (tr, fill), rather than an icon."""
    if isinstance(node, (ast.Constant, ast.JoinedStr)):
        return isinstance(node, ast.JoinedStr) or isinstance(node.value, str)
    if isinstance(node, ast.Call):
        return _name(node.func).split(".")[-1] in WRAPPERS
    if isinstance(node, ast.IfExp):
        return _is_text(node.body)
    if isinstance(node, ast.BinOp):
        return _is_text(node.left)
    return isinstance(node, (ast.List, ast.Tuple)) or (
        isinstance(node, ast.Name) and "icon" not in node.id.lower()
    )


def shown_arguments(call: ast.Call, extra: dict[str, tuple[int, ...]] | None = None) -> list[ast.expr]:
    name = _name(call.func)
    last = name.split(".")[-1]
    positions: tuple[int, ...] = ()
    if len(name.split(".")) >= 2 and ".".join(name.split(".")[-2:]) in STATICS:
        positions = STATICS[".".join(name.split(".")[-2:])]
    elif isinstance(call.func, ast.Name) and last in CONSTRUCTORS:
        positions = CONSTRUCTORS[last]
    elif isinstance(call.func, ast.Attribute) and last in METHODS:
        positions = METHODS[last]
    elif extra and last in extra:
        positions = extra[last]
    elif isinstance(call.func, ast.Name) and last in METHODS:  # a local wrapper named like Qt's
        positions = ()
    if last in ICON_FIRST and call.args and not _is_text(call.args[0]):
        positions = (1,)  # (icon, text, …)
    elif last in ICON_FIRST:
        positions = (0,)  # (text, data or parent, …)
    args = [call.args[i] for i in positions if i < len(call.args)]
    args += [k.value for k in call.keywords if k.arg in KEYWORDS]
    return args


def helpers_of(trees: list[ast.Module]) -> dict[str, tuple[int, ...]]:
    """Functions and methods of the window that pass a parameter on to a text position
    (``_button(name, tip, …)``, ``confirm(title, text)``), followed through each other."""
    functions = [f for tree in trees for f in ast.walk(tree) if isinstance(f, ast.FunctionDef)]
    found: dict[str, tuple[int, ...]] = {}
    changed = True
    while changed:
        changed = False
        for function in functions:
            if function.name.startswith("__"):  # constructors: their calls are by class name
                continue
            params = [a.arg for a in function.args.args]
            skip = 1 if params[:1] in (["self"], ["cls"]) else 0
            shown = set(found.get(function.name, ()))
            for call in ast.walk(function):
                if isinstance(call, ast.Call):
                    for arg in shown_arguments(call, found):
                        for name in _names(arg):
                            if name in params[skip:]:
                                shown.add(params.index(name) - skip)
            if shown and tuple(sorted(shown)) != found.get(function.name):
                found[function.name] = tuple(sorted(shown))
                changed = True
    return found


def _names(node: ast.expr) -> list[str]:
    """The parameters an argument shows as they are: ``title``, ``title or tr("vaultapp")``."""
    if isinstance(node, ast.Name):
        return [node.id]
    if isinstance(node, ast.BoolOp):
        return [name for value in node.values for name in _names(value)]
    if isinstance(node, ast.IfExp):
        return _names(node.body) + _names(node.orelse)
    return []


def window_helpers() -> dict[str, tuple[int, ...]]:
    return helpers_of([ast.parse(p.read_text(encoding="utf-8")) for p in window_modules()])


def scan(path: Path, extra: dict[str, tuple[int, ...]] | None = None) -> list[Unwrapped]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    extra = window_helpers() if extra is None else extra
    found: list[Unwrapped] = []
    for call in ast.walk(tree):
        if isinstance(call, ast.Call):
            for arg in shown_arguments(call, extra):
                found += [Unwrapped(path, lit, literal_text(lit) or "") for lit in bare_literals(arg)]
    return sorted(found, key=lambda u: (u.node.lineno, u.node.col_offset))


def window_modules() -> list[Path]:
    modules = sorted((ROOT / "vaultapp" / "gui").glob("*.py"))
    return modules + sorted(p for p in (ROOT / "vaultapp").glob("*/gui.py") if p.parent.name != "gui")
