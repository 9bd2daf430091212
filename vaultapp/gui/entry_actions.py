"""What the window does to one entry: copy its fields, add, edit, duplicate, trash, restore, history."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction

from vaultapp.core.errors import VaultError
from vaultapp.gui.messages import show_error

if TYPE_CHECKING:
    from vaultapp.core.entry import Entry
    from vaultapp.gui.editor import EntryEditor, Values
    from vaultapp.gui.main_window import MainWindow


class EntryActions:
    """The Entry menu's commands on the selected entry, the editor they open (kept as the window's
    ``editor`` so a lock can keep an unsaved edit as a draft), and the drafts offered on unlock."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window

    def copy_field(self, field: str, entry: Entry | None = None) -> None:
        """Copy a field of ``entry`` (the tray's recent entries) or of the selected entry."""
        from vaultapp.gui.detail import HOTP_HINT, totp_now

        w = self.window
        entry = entry or w.vault_view.current_entry()
        vault = w.vault
        if vault is None or entry is None:
            return
        w.desktop.used(entry.uuid)  # the tray's recent entries
        if field == "username" and entry.username:
            w.clipboard.copy(entry.username, "Username", sensitive=False)
            w.statusBar().showMessage("Username copied.", 3000)
        elif field == "url" and entry.url:
            w.clipboard.copy(entry.url, "URL", sensitive=False)
            w.statusBar().showMessage("URL copied.", 3000)
        elif field == "password" and entry.password is not None:
            w.clipboard.copy(vault.reveal(entry.password), "Password")
            vault.note("entry.copied", entry.uuid, {"field": "password"})
        elif field == "totp" and entry.totp is not None:
            code = totp_now(vault.reveal, entry)
            if code is not None and code[0] == HOTP_HINT:  # counter-based: each copy uses one up
                from vaultapp.generators.otp import hotp

                try:
                    code = (hotp(vault.next_hotp(entry.uuid)), 0)
                except VaultError as exc:
                    show_error(w, exc, "Could not use the next one-time code")
                    return
                w.after_change(entry)
            if code is None:
                w.statusBar().showMessage("This entry's one-time code secret is not usable.", 5000)
            else:
                w.clipboard.copy(code[0], "One-time code")
                vault.note("entry.copied", entry.uuid, {"field": "totp"})

    def new_entry(self) -> None:
        from vaultapp.gui.editor import EMPTY

        w = self.window
        if w.vault is None:
            return
        values = dict(EMPTY)
        scope = w.vault_view.proxy.scope
        if scope.kind == "folder":
            values["folder"] = scope.value
        elif scope.kind == "tag":
            values["tags"] = [scope.value]
        elif scope.kind == "favourites":
            values["favourite"] = True
        self.open_editor(values, None)

    def edit_entry(self) -> None:
        w = self.window
        entry = w.vault_view.current_entry()
        if w.vault is None or entry is None or entry.trashed is not None:
            return
        self.open_editor(self.values_of(entry), entry.uuid)

    def duplicate_entry(self) -> None:
        w = self.window
        entry = w.vault_view.current_entry()
        if w.vault is None or entry is None:
            return
        copy = w.vault.duplicate(entry.uuid)
        w.save()
        w.after_change(copy)

    def delete_entry(self) -> None:
        w = self.window
        entry = w.vault_view.current_entry()
        vault = w.vault
        if vault is None or entry is None:
            return
        if entry.trashed is not None:
            if not w.confirm("Delete for good?", f"Delete “{entry.title}” for good? This cannot be undone."):
                return
            vault.purge(entry.uuid)
            w.vault_view.model.remove_entry(entry.uuid)
            w.save()
            w.after_change(None)
            return
        if not w.confirm(
            "Move to Trash?", f"Move “{entry.title}” to the Trash? You can restore it from there."
        ):
            return
        trashed = vault.trash(entry.uuid)
        w.save()
        w.after_change(trashed, select=False)
        w.statusBar().showMessage(f"Moved “{entry.title}” to the Trash.", 5000)

    def restore_entry(self) -> None:
        w = self.window
        entry = w.vault_view.current_entry()
        if w.vault is None or entry is None or entry.trashed is None:
            return
        restored = w.vault.restore(entry.uuid)
        w.save()
        w.after_change(restored, select=False)
        w.statusBar().showMessage(f"Restored “{entry.title}”.", 5000)

    def show_history(self) -> None:
        from vaultapp.gui import dialogs

        w = self.window
        entry = w.vault_view.current_entry()
        if w.vault is None or entry is None:
            return
        index = dialogs.HistoryDialog.ask(w, entry)
        if index is None:
            return
        restored = w.vault.restore_version(entry.uuid, index)
        w.save()
        w.after_change(restored)

    def values_of(self, entry: Entry) -> Values:
        w = self.window
        assert w.vault is not None
        reveal = w.vault.reveal
        return {
            "title": entry.title, "username": entry.username,
            "password": None if entry.password is None else reveal(entry.password),
            "url": entry.url, "notes": entry.notes, "tags": list(entry.tags), "folder": entry.folder,
            "totp": None if entry.totp is None else reveal(entry.totp),
            "custom": [(c.name, reveal(c.value) if not isinstance(c.value, str) else c.value, c.protected)
                       for c in entry.custom],
            "expires": entry.expires, "favourite": entry.favourite, "attachments": entry.attachments,
        }  # fmt: skip

    def open_editor(self, values: Values, target: str | None, *, draft_key: str | None = None) -> EntryEditor:
        """Open the (window-modal, non-blocking) editor; saving applies and writes at once."""
        from vaultapp.gui.editor import EntryEditor

        w = self.window
        assert w.vault is not None
        folders = sorted({e.folder for e in w.vault.entries if e.folder}, key=str.casefold)

        def on_save(new_values: Values) -> None:
            vault = w.vault
            assert vault is not None
            entry = vault.add(**new_values) if target is None else vault.update(target, **new_values)
            if draft_key is not None:
                vault.discard_draft(draft_key)
            w.save()
            w.after_change(entry)

        generate = w.tools.open_generator
        title = "New entry" if target is None else f"Edit {values.get('title') or 'entry'}"
        editor = EntryEditor(
            w, values, on_save, folders=folders, target=target, title=title,
            generate=lambda: generate(for_editor=True, parent=editor, rules=editor.site_rules()),
            attachments=w.attachment_actions,
        )  # fmt: skip
        editor.setObjectName("entry_editor")
        # The editor is window-modal, so the window's Ctrl+L would not reach it: lock from here too
        # (the unsaved values are kept as an encrypted draft, as on an idle lock).
        lock = QAction("Lock", editor, objectName="editor_lock_action")
        lock.setShortcut(w.actions_by_name["lock_action"].shortcut())
        lock.triggered.connect(lambda _checked=False: w.lock())
        editor.addAction(lock)
        w.editor = editor
        if target is not None:
            logged = False

            def revealed(shown: bool) -> None:
                nonlocal logged
                if shown and not logged and w.vault is not None:
                    logged = True  # once per editor, however often the eye is toggled
                    w.vault.note("entry.revealed", target, {"field": "password", "where": "editor"})

            editor.password_edit.toggle_action.toggled.connect(revealed)

        def finished(_result: int) -> None:
            if w.editor is editor:
                w.editor = None
            if (
                draft_key is not None
                and w.vault is not None
                and any(d.entry.uuid == draft_key for d in w.vault.drafts)
            ):
                w.vault.discard_draft(draft_key)
                w.save()

        editor.finished.connect(finished)
        editor.open()
        return editor

    def offer_drafts(self) -> None:
        w = self.window
        vault = w.vault
        if vault is None:
            return
        for draft in vault.drafts:
            target = (
                draft.target
                if draft.target is not None and draft.target in {e.uuid for e in vault.entries}
                else None
            )
            name = draft.entry.title or "a new entry"
            if w.confirm(
                "Unsaved edit", f"You were editing “{name}” when the vault locked. Continue editing?"
            ):
                values = self.values_of(draft.entry)
                self.open_editor(values, target, draft_key=draft.entry.uuid)
                return  # one editor at a time; other drafts are offered at the next unlock
            vault.discard_draft(draft.entry.uuid)
            w.save()
