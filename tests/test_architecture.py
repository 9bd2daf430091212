"""Architecture rules checked by machine: no Qt below gui/, no `random`, light CLI start-up."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "vaultapp"


def _modules_after(code: str) -> set[str]:
    script = f"{code}\nimport sys\nprint('\\n'.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    return set(out.split())


def test_core_generators_and_cli_never_import_qt() -> None:
    """Importing the core, the generators and the CLI loads no PySide6 module, even indirectly."""
    loaded = _modules_after(
        "import vaultapp.core, vaultapp.core.vault, vaultapp.generators.password, vaultapp.cli"
    )
    assert not {m for m in loaded if m.startswith("PySide6")}


def test_cli_version_imports_nothing_heavy() -> None:
    """`vaultapp-cli --version` loads neither cryptography, argon2, filelock nor Qt."""
    loaded = _modules_after(
        "from vaultapp import cli\ntry:\n    cli.main(['--version'])\nexcept SystemExit:\n    pass"
    )
    heavy = {
        m for m in loaded if m.split(".")[0] in {"cryptography", "argon2", "filelock", "PySide6", "json"}
    }
    assert heavy == set()


def test_cli_fast_commands_import_no_vault() -> None:
    """`generate` loads no vault, cryptography, argon2 nor any other command group's module;
    `totp --secret` loads no vault nor argon2 (only the HMAC it computes with)."""
    run = "from vaultapp.cli import main\nmain({argv!r})"
    loaded = _modules_after(run.format(argv=["generate", "password"]))
    heavy = {"cryptography", "argon2", "filelock", "PySide6"}
    assert {m for m in loaded if m.split(".")[0] in heavy} == set()
    commands = {"vaultfile", "entries", "transfer", "backups", "health", "totp"}
    groups = {m for m in loaded if m.startswith("vaultapp.cli.") and m.split(".")[2] in commands}
    assert groups == set()
    assert not {m for m in loaded if m.startswith("vaultapp.core.vault")}
    loaded = _modules_after(run.format(argv=["totp", "--secret", "JBSWY3DPEHPK3PXP"]))
    assert {m for m in loaded if m.split(".")[0] in {"argon2", "filelock", "PySide6"}} == set()
    assert not {m for m in loaded if m.startswith(("vaultapp.core.vault", "vaultapp.cli.entries"))}


def test_random_module_is_never_imported() -> None:
    """No module in vaultapp imports `random` (secrets only)."""
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(name == "random" or name.startswith("random.") for name in names):
                offenders.append(str(path))
    assert offenders == []


# The layers and the core, which never import Qt; an integration package (``vaultapp/browser/``...)
# may import it in one gui-facing module of its own, named ``gui.py`` (docs/ARCHITECTURE.md).
QT_FREE_PACKAGES = ("core", "generators", "interop", "health", "cli")
INTEGRATION_GUI_MODULE = "gui.py"


def _imported_modules(tree: ast.AST) -> list[str]:
    """Every module an import statement in ``tree`` names (``from X import y`` names X)."""
    modules = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.append(node.module)
    return modules


def qt_offenders(package: Path) -> list[str]:
    """Modules under ``package`` (vaultapp/) that import PySide6 but may not: anything outside
    ``gui/``, except one ``gui.py`` at the top of an integration package."""
    offenders = []
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package).parts
        if parts[0] == "gui":
            continue
        integration = len(parts) == 2 and parts[0] not in QT_FREE_PACKAGES
        if integration and parts[1] == INTEGRATION_GUI_MODULE:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if any(m == "PySide6" or m.startswith("PySide6.") for m in _imported_modules(tree)):
            offenders.append(str(path.relative_to(package)))
    return offenders


def test_only_gui_imports_pyside6() -> None:
    """Source check: PySide6 appears in import statements only under vaultapp/gui (and in an
    integration package's one gui-facing module, ``gui.py``)."""
    assert qt_offenders(PACKAGE) == []


def test_the_qt_rule_catches_an_import_outside_gui(tmp_path: Path) -> None:
    """The Qt rule is not vacuous: a planted import in the core, in the CLI, deep in an
    integration package or in a second module of one is caught; gui/ and an integration's
    ``gui.py`` are allowed."""
    plant = "from PySide6.QtCore import QObject\n"
    for name in ("core/leak.py", "cli/leak.py", "browser/native/leak.py", "browser/host.py"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(plant, encoding="utf-8")
    for name in ("gui/window.py", "browser/gui.py"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(plant, encoding="utf-8")
    assert qt_offenders(tmp_path) == [
        "browser/host.py", "browser/native/leak.py", "cli/leak.py", "core/leak.py"
    ]  # fmt: skip


def test_no_layer_loads_qt_even_indirectly() -> None:
    """Importing every module outside gui/ (and outside integration ``gui.py`` modules) loads
    no PySide6 module, even through another package."""
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if "gui" in parts or parts[-1] == "__main__" or path.name == INTEGRATION_GUI_MODULE:
            continue
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    loaded = _modules_after(
        "import importlib\n" + "".join(f"importlib.import_module({n!r})\n" for n in names)
    )
    assert {m for m in loaded if m.startswith("PySide6")} == set()


# Front ends reach the core through the façade (``Vault``) and its public modules; the rooms
# behind the façade are its own business.
FRONT_ENDS = ("cli", "gui")
BEHIND_THE_FACADE = {
    "vaultapp.core.contents", "vaultapp.core.folders", "vaultapp.core.vault_file", "vaultapp.core.delegation",
    "vaultapp.core.planning", "vaultapp.core.audit_trail", "vaultapp.core.rekey", "vaultapp.core.sealing",
    "vaultapp.core.vault_reading",
}  # fmt: skip


def private_uses(path: Path, own_package: str) -> list[str]:
    """What module ``path`` (of the front end ``own_package``, e.g. ``vaultapp.cli``) takes from
    another vaultapp package that it should not: a name or module starting with ``_``, an
    attribute starting with ``_`` of a vaultapp module it imported, or a room behind the façade."""
    found = []
    modules: dict[str, str] = {}  # local name -> vaultapp module it stands for

    def private(dotted: str) -> bool:
        return any(part.startswith("_") and not part.startswith("__") for part in dotted.split("."))

    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("vaultapp.") and not alias.name.startswith(own_package + "."):
                    modules[alias.asname or alias.name] = alias.name
                    if private(alias.name) or alias.name in BEHIND_THE_FACADE:
                        found.append(f"import {alias.name}")
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if not node.module.startswith("vaultapp") or node.module.startswith(own_package):
                continue
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                if private(full) or node.module in BEHIND_THE_FACADE or full in BEHIND_THE_FACADE:
                    found.append(f"from {node.module} import {alias.name}")
                modules[alias.asname or alias.name] = full
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
            base = node.value
            if isinstance(base, ast.Name) and base.id in modules:
                found.append(f"{modules[base.id]}.{node.attr}")
    return found


def test_front_ends_use_the_facade_and_public_names_only() -> None:
    """The CLI and the window import from other packages only public modules and names, and
    none of the rooms behind the ``Vault`` façade (contents, folders, vault_file, delegation,
    planning, audit_trail, rekey)."""
    offenders = []
    for front_end in FRONT_ENDS:
        for path in sorted((PACKAGE / front_end).rglob("*.py")):
            offenders += [
                f"{path.relative_to(PACKAGE)}: {use}" for use in private_uses(path, f"vaultapp.{front_end}")
            ]
    assert offenders == []


def test_the_front_end_rule_catches_private_names(tmp_path: Path) -> None:
    """The front-end rule is not vacuous: each kind of private use is caught, public ones and
    the front end's own private helpers are not."""
    plant = tmp_path / "leak.py"
    plant.write_text(
        "import vaultapp.core.vault_file\n"
        "from vaultapp.core.storage import _blocking, read_limited\n"
        "from vaultapp.core import contents, storage\n"
        "from vaultapp.core.vault import Vault\n"
        "from vaultapp.cli.output import _own_helper\n"
        "storage._READ_FLAGS, storage.read_limited, Vault\n",
        encoding="utf-8",
    )
    assert private_uses(plant, "vaultapp.cli") == [
        "import vaultapp.core.vault_file",
        "from vaultapp.core.storage import _blocking",
        "from vaultapp.core import contents",
        "vaultapp.core.storage._READ_FLAGS",
    ]


LINES_MAX = 500
# Modules allowed over LINES_MAX for now, each with the reason; remove an entry once it is split.
LONG_MODULES: dict[str, str] = {}


def test_no_module_is_over_500_lines() -> None:
    """Every module in vaultapp/ fits in LINES_MAX lines (a few screens), except those listed in
    LONG_MODULES, which must still be over it (a split module leaves the list)."""
    sizes = {
        str(path.relative_to(PACKAGE)): len(path.read_text(encoding="utf-8").splitlines())
        for path in PACKAGE.rglob("*.py")
    }
    too_long = {
        name: lines for name, lines in sizes.items() if lines > LINES_MAX and name not in LONG_MODULES
    }
    assert too_long == {}, f"split these modules where data flows (at most {LINES_MAX} lines each)"
    split_already = [name for name in LONG_MODULES if sizes.get(name, 0) <= LINES_MAX]
    assert split_already == [], "remove these from LONG_MODULES: they fit now"


PURE_ROOMS = (
    "contents.py", "folders.py", "planning.py", "merge.py", "entry.py", "body.py", "format.py",
    "audit_records.py", "sealing.py",
)  # fmt: skip
IO_MODULES = {"os", "io", "pathlib", "shutil", "tempfile", "fcntl", "subprocess", "socket"}
IO_ROOMS = {
    "vaultapp.core.storage", "vaultapp.core.saving", "vaultapp.core.locks", "vaultapp.core.vault_file",
    "vaultapp.core.audit", "vaultapp.core.vault", "vaultapp.core.vault_reading",
}  # fmt: skip


def test_the_contents_and_planning_rooms_do_no_file_io() -> None:
    """The in-memory rooms of the core (contents and folders, merge and import planning, entries,
    the body, the byte format, audit records and their chain) import nothing that touches files
    or processes and call no ``open``: they are tested without a disk, and file I/O stays in
    storage, saving, locks, vault_file and audit."""
    offenders = []
    for name in PURE_ROOMS:
        path = PACKAGE / "core" / name
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            modules: list[str] = []
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                modules = [node.module]
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "open":
                offenders.append(f"{name}: open()")
            for module in modules:
                if module.split(".")[0] in IO_MODULES or module in IO_ROOMS:
                    offenders.append(f"{name}: imports {module}")
    assert offenders == []
