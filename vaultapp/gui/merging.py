"""Other copies of this vault: merging a file in, sync tools' conflict copies, automatic backups."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from vaultapp.core.errors import VaultError
from vaultapp.gui.i18n import fill, tr
from vaultapp.gui.messages import error_text, show_error

if TYPE_CHECKING:
    from vaultapp.core.vault import Vault
    from vaultapp.gui.main_window import MainWindow


class Merging:
    """Each change from another copy is shown as a preview first, then merged (or restored) and
    saved in one step; the current version stays recoverable (in history or as a backup)."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window

    def merge_from_file(self, path: Path | str | None = None) -> None:
        """File → Merge from file…: another copy of this vault, with a preview."""
        from PySide6.QtWidgets import QFileDialog

        w = self.window
        from vaultapp.core.vault import Vault

        if w.vault is None:
            return
        if path is None:
            name, _ = QFileDialog.getOpenFileName(w, tr("Merge from file"), str(w.vault.path.parent),
                                                  tr("Vaults (*.vault*);;All files (*)"))  # fmt: skip
            if not name:
                return
            path = name
        path = Path(path)
        from vaultapp.core.errors import SlowKdfError
        from vaultapp.gui.second_factors import yubikey_driver

        try:
            needs = Vault.read_header(path).factors
        except VaultError as exc:
            show_error(w, exc, tr("Could not merge"))
            return
        passphrase = w.ask_passphrase(path.name) if needs.passphrase else None
        if needs.passphrase and passphrase is None:
            return
        # A copy of this vault that needs a key file: the one this vault was unlocked with.
        keyfile = w.settings.keyfile_for(w.vault.path) or None if needs.keyfile else None
        policy = w.policy or w.vault.policy
        try:
            factors = {"keyfile": keyfile, "yubikey": yubikey_driver() if needs.yubikey_slot else None}
            try:
                other = Vault.open(path, passphrase, policy=policy, audit=False, **factors)  # type: ignore[arg-type]
            except SlowKdfError as exc:  # nothing was derived yet: ask, as the unlock view does
                if not w.confirm(
                    tr("Slow to open"), fill(tr("%1\n\nOpen it anyway? The window waits meanwhile."), exc)
                ):
                    return
                other = Vault.open(
                    path, passphrase, policy=policy, audit=False, allow_slow_kdf=True, **factors
                )  # type: ignore[arg-type]
            with other:
                self.merge_with_preview(other, path.name)
        except VaultError as exc:
            show_error(w, exc, tr("Could not merge"))

    def merge_with_preview(self, other: Vault, name: str) -> bool:
        """Show what merging ``other`` would change; merge and save if the user agrees."""
        w = self.window
        vault = w.vault
        assert vault is not None
        preview = vault.plan_merge(other)
        if not preview.changes:
            w.statusBar().showMessage(fill(tr("%1 holds nothing new."), name), 5000)
            return True
        lines = [fill(label, ", ".join(titles[:8]) + (" …" if len(titles) > 8 else ""))
                 for label, titles in ((tr("Added: %1"), preview.added), (tr("Updated: %1"), preview.updated),
                                       (tr("Deleted: %1"), preview.deleted)) if titles]  # fmt: skip
        text = fill(tr("Merge %1 into this vault?"), name) + "\n\n" + "\n".join(lines)
        text += "\n\n" + tr(
            "Later edits win (by the order of edits, not clocks); the others go into history."
        )
        if (future := preview.future_warning()) is not None:
            text += f"\n\n{future}"
        if not w.confirm(tr("Merge copies"), text):
            return False
        result = vault.merge_from(other)
        w.save()
        w.reload_model()
        w.statusBar().showMessage(fill(tr("Merged %1: %2."), name, result.summary()), 8000)
        return True

    def offer_conflict_copies(self) -> None:
        """Sync tools leave conflicted copies beside the vault; offer to merge each one."""
        from vaultapp.core.storage import find_conflict_copies, set_aside

        w = self.window
        vault = w.vault
        if vault is None:
            return
        for copy_path in find_conflict_copies(vault.path):
            try:
                copy = vault.open_copy(copy_path)
            except VaultError as exc:
                w.statusBar().showMessage(f"{copy_path.name}: {error_text(exc)}", 10_000)
                continue
            with copy:
                merged = self.merge_with_preview(copy, copy_path.name)
            if merged:
                try:
                    set_aside(copy_path)
                except OSError as exc:
                    w.statusBar().showMessage(
                        fill(tr("Merged, but could not set %1 aside: %2"), copy_path.name, exc), 8000
                    )

    def choose_backup(self, backups: list[Path]) -> Path | None:
        """Pick one automatic backup (a test seam)."""
        import datetime

        from PySide6.QtWidgets import QInputDialog

        labels = [
            fill(
                tr("%1  —  saved %2"),
                p.name,
                f"{datetime.datetime.fromtimestamp(p.stat().st_mtime):%Y-%m-%d %H:%M:%S}",
            )
            for p in backups
        ]
        title, label = tr("Restore from automatic backup"), tr("Backup (newest first):")
        chosen, ok = QInputDialog.getItem(self.window, title, label, labels, 0, False)
        return backups[labels.index(chosen)] if ok else None

    def restore_from_backup(self) -> None:
        """File → Restore from automatic backup…: today's version becomes a backup itself."""
        w = self.window
        vault = w.vault
        if vault is None:
            return
        backups = vault.backups()
        if not backups:
            w.statusBar().showMessage(tr("There are no automatic backups of this vault yet."), 5000)
            return
        chosen = self.choose_backup(backups)
        if chosen is None:
            return
        question = fill(
            tr(
                "Replace the current entries with %1? "
                "The current version is kept as the newest backup, so this can be undone."
            ),
            chosen.name,
        )
        if not w.confirm(tr("Restore backup?"), question):
            return
        try:
            vault.restore_backup(chosen)
        except VaultError as exc:
            show_error(w, exc, tr("Could not restore"))
            return
        w.save()
        w.reload_model()
        w.statusBar().showMessage(fill(tr("Restored %1."), chosen.name), 8000)
