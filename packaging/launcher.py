"""Entry script for the PyInstaller bundle: the same as the ``sprintdesk`` launcher."""

from __future__ import annotations

import sys

from sprintdesk.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
