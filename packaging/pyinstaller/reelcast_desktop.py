"""Frozen entry point of `reelcast-desktop` (desktop.app.main calls freeze_support itself)."""

import sys

if __name__ == "__main__":
    from engine.paths import use_user_bytecode_cache

    use_user_bytecode_cache()  # the embedding child runs through this executable too
    from desktop.app import main

    sys.exit(main())
