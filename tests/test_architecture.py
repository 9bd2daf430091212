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


# An integration's one gui-facing module, where a Qt class is the right tool (ARCHITECTURE.md).
QT_OUTSIDE_GUI = {"browser/qt_server.py"}


def test_no_pyside6_import_statement_outside_gui() -> None:
    """Source check: PySide6 appears in import statements only under vaultapp/gui (and in the
    integrations' gui-facing modules listed in QT_OUTSIDE_GUI)."""
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE)
        if "gui" in relative.parts or relative.as_posix() in QT_OUTSIDE_GUI:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import | ast.ImportFrom):
                module = node.module if isinstance(node, ast.ImportFrom) else node.names[0].name
                if module and module.startswith("PySide6"):
                    offenders.append(str(path))
    assert offenders == []


PURE_ROOMS = ("contents.py", "folders.py", "planning.py", "merge.py", "entry.py", "body.py", "format.py")
IO_MODULES = {"os", "io", "pathlib", "shutil", "tempfile", "fcntl", "subprocess", "socket"}
IO_ROOMS = {"vaultapp.core.storage", "vaultapp.core.vault_file", "vaultapp.core.audit", "vaultapp.core.vault"}


def test_the_contents_and_planning_rooms_do_no_file_io() -> None:
    """The in-memory rooms of the core (contents, merge and import planning, entries, the body,
    the byte format) import nothing that touches files or processes and call no ``open``: they
    are tested without a disk, and file I/O stays in storage, vault_file and audit."""
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
