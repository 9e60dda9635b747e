"""Run every benchmark module (``bench/bench_*.py``) in turn: ``python -m bench [NAME ...]``.

Each module has a ``main()`` that prints its figures. Names on the command line (``markdown``
for ``bench_markdown``) limit the run to those modules.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    wanted = set(argv if argv is not None else sys.argv[1:])
    folder = Path(__file__).resolve().parent
    status = 0
    for path in sorted(folder.glob("bench_*.py")):
        name = path.stem
        if wanted and name not in wanted and name.removeprefix("bench_") not in wanted:
            continue
        print(f"== {name}", flush=True)
        module = importlib.import_module(f"bench.{name}")
        result = module.main()
        if isinstance(result, int) and result:
            status = result
    return status


if __name__ == "__main__":
    sys.exit(main())
