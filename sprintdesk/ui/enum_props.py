"""Qt enum settings by name, for the code that runs before the window's first paint.

PySide6 builds the whole ``Qt`` namespace, every enum in it, the first time any ``Qt.…`` name
is touched: well over the 2 ms a start-up trick must buy to stay (``python -m bench startup``
prints its share of a bare PySide6 label's start-up; 15% in the run that kept it). Qt's
property system takes enum and flag values by their names (``"AlignRight|AlignVCenter"``), so
the widgets of the first frame are set up that way and the namespace is built after the first
paint.
"""

from __future__ import annotations

from PySide6.QtCore import QObject


def set_enums(obj: QObject, **values: str) -> None:
    """Set enum properties by their value names; a wrong name or property raises."""
    for name, value in values.items():
        meta = obj.metaObject()
        index = meta.indexOfProperty(name)
        if index < 0 or not obj.setProperty(name, value):
            raise ValueError(f"{type(obj).__name__} has no enum property {name} = {value!r}")
