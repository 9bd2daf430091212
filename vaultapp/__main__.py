"""``python -m vaultapp`` starts the desktop app."""

import sys

from vaultapp.gui.app import main

sys.exit(main())
