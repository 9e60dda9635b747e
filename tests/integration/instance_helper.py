"""Child process for test_single_instance.

Usage: python instance_helper.py DATA_DIR hold      take the folder, print "ready", wait for a
                                                    raise request, print "raised", exit 0
       python instance_helper.py DATA_DIR launch    a second launch: print "signalled" or
                                                    "acquired"
       python instance_helper.py DATA_DIR lock-only take the lock file but never listen
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QLockFile, QTimer  # noqa: E402

from sprintdesk.ui.single_instance import LOCK_FILENAME, acquire_or_signal  # noqa: E402


def main() -> int:
    data_dir, mode = Path(sys.argv[1]), sys.argv[2]
    app = QCoreApplication([sys.argv[0]])
    QTimer.singleShot(20_000, lambda: app.exit(3))  # never outlive a broken test
    if mode == "lock-only":
        lock = QLockFile(str(data_dir / LOCK_FILENAME))
        lock.setStaleLockTime(0)
        assert lock.tryLock(1000)
        print("ready", flush=True)
        return app.exec()
    instance = acquire_or_signal(data_dir)
    if mode == "launch":
        print("signalled" if instance is None else "acquired", flush=True)
        return 0
    assert instance is not None, "the folder was already held"

    def raised() -> None:
        print("raised", flush=True)
        app.quit()

    instance.raiseRequested.connect(raised)
    print("ready", flush=True)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
