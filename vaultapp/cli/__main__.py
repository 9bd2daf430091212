"""``python -m vaultapp.cli``: the same as ``vaultapp-cli``."""

import sys

from vaultapp.cli import main

sys.exit(main())
