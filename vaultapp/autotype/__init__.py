"""Auto-type: KeePass sequences (parsing, expanding), choosing an entry by the window's title,
typing through X11's XTEST extension, and its one Qt module (gui.py: the global shortcut's
listener and the chooser)."""
