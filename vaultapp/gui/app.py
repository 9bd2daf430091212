"""Start the desktop app. The window itself is built in the next milestone."""

from __future__ import annotations

import sys


def main() -> int:
    sys.stderr.write(
        "vaultapp: the desktop window is not built yet. Use 'vaultapp-cli --help' to manage a vault "
        "from the command line.\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
