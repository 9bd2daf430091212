"""Where the shipped resources (icons, desktop file, later wordlists) are.

In a wheel they are inside the package (``vaultapp/resources``); in a source checkout they are in
the repository's top-level ``resources/`` folder.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGED = Path(__file__).resolve().parent / "resources"
_CHECKOUT = Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    """The path of a shipped resource, e.g. ``resource_path("icons", "lock.svg")``."""
    base = _PACKAGED if _PACKAGED.is_dir() else _CHECKOUT
    return base.joinpath(*parts)
