"""``python -m sprintdesk`` and the ``sprintdesk`` launcher."""

from __future__ import annotations

import sys


def main() -> int:
    from sprintdesk.launch import main as launch_main

    return launch_main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
