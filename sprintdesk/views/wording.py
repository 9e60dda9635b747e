"""Counted phrases in Qt code: "1 person", "2 people", through Qt's plural forms.

``tr_n(context, "%n people", n, one="%n person")`` asks Qt's translator for the phrase with the
count (``QCoreApplication.translate(context, text, None, n)``), so a translation with numerus
forms decides. SprintDesk ships no English translation file, and without one Qt only puts the
number in place of ``%n`` ("1 people"): then the English singular or plural given here is used.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def tr_n(context: str, text: str, n: int, *, one: str, many: str | None = None) -> str:
    """``text`` (the plural, with ``%n``) translated for ``n``; ``one`` is its singular and
    ``many`` the plural when ``text`` is not plain English (``"%n hour(s) ago"``)."""
    translated = QCoreApplication.translate(context, text, None, n)
    untranslated = text.replace("%n", str(n))
    if translated != untranslated:
        return translated  # a translator gave the right form for n
    return (one if n == 1 else (many or text)).replace("%n", str(n))
