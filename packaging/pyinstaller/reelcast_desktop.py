"""Frozen entry point of `reelcast-desktop` (desktop.app.main calls freeze_support itself)."""

import sys

if __name__ == "__main__":
    from desktop.app import main

    sys.exit(main())
