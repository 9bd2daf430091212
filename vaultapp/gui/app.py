"""Start the desktop app: ``vaultapp [VAULT]`` or ``python -m vaultapp [VAULT]``."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from vaultapp.gui.theme import apply_theme


def build_window(argv: Sequence[str]):
    """Create the QApplication (if needed) and the main window; returns (app, window)."""
    from pathlib import Path

    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from vaultapp import __version__
    from vaultapp.gui.main_window import MainWindow
    from vaultapp.gui.settings import Settings
    from vaultapp.resources import resource_path

    app = QApplication.instance() or QApplication([sys.argv[0], *argv])
    app.setApplicationName("vaultapp")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("vaultapp")
    app.setWindowIcon(QIcon(str(resource_path("icons", "vaultapp.svg"))))
    settings = Settings()
    apply_theme(settings.theme)
    args = [a for a in argv if not a.startswith("-")]
    window = MainWindow(settings, vault_path=Path(args[0]) if args else None)
    return app, window


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if "--version" in argv:
        from vaultapp import __version__

        print(f"vaultapp {__version__}")
        return 0
    from PySide6.QtWidgets import QApplication

    from vaultapp.desktop import instance
    from vaultapp.desktop.gui import start_or_forward

    app = QApplication.instance() or QApplication([sys.argv[0], *argv])
    args = [a for a in argv if not a.startswith("-")]
    server = None
    try:  # a vaultapp already running gets this request (show, open PATH) and this one ends
        server = start_or_forward(instance.activate_request(args[0] if args else None))
    except instance.NotAnsweringError as exc:
        print(f"vaultapp: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"vaultapp: starting without the one-app-per-user check: {exc}", file=sys.stderr)
    else:
        if server is None:
            return 0
    app, window = build_window(argv)
    if server is not None:
        window.desktop.serve(server)
    window.desktop.show_at_start()
    return int(app.exec())


if __name__ == "__main__":
    sys.exit(main())
