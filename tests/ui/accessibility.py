"""Accessibility checks for widget trees: every interactive widget must have a name that a
screen reader can announce.

``unnamed_interactive_widgets(root)`` returns the buttons, line edits, combos, check boxes,
spin boxes (and date edits), item views and text edits under ``root`` that have neither an
``accessibleName`` nor, unless ``strict``, a name Qt's accessibility layer derives (a button's
text, a form label's buddy). Qt's own inner widgets (``qt_*`` object names, the line edit inside
a spin box or combo box, a combo's popup list, an item view's header) are skipped.
"""

from __future__ import annotations

from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QWidget,
)

INTERACTIVE: tuple[type[QWidget], ...] = (
    QAbstractButton,  # push/tool buttons, check boxes, radio buttons
    QLineEdit,
    QComboBox,
    QAbstractSpinBox,  # spin boxes, date/time edits
    QAbstractItemView,  # list, table and tree views
    QTextEdit,
    QPlainTextEdit,
)

_INNER_PARENTS: tuple[type[QWidget], ...] = (QAbstractSpinBox, QComboBox, QTabBar)


def _is_qt_internal(widget: QWidget, root: QWidget) -> bool:
    """Qt's own parts: ``qt_*`` names, and anything inside a spin box, combo box or tab bar."""
    if widget.objectName().startswith("qt_"):
        return True
    if isinstance(widget, QHeaderView) and isinstance(widget.parentWidget(), QAbstractItemView):
        return True  # a view's own header is announced as part of the view
    current = widget.parentWidget()
    while current is not None and current is not root:
        if current.objectName().startswith("qt_") or isinstance(current, _INNER_PARENTS):
            return True
        current = current.parentWidget()
    return root is not widget and isinstance(root, _INNER_PARENTS)


def accessible_name(widget: QWidget, *, strict: bool = False) -> str:
    """The name assistive technology announces for ``widget``."""
    name = widget.accessibleName().strip()
    if name or strict:
        return name
    interface = QAccessible.queryAccessibleInterface(widget)
    if interface is None:
        return ""
    return (interface.text(QAccessible.Text.Name) or "").replace("&", "").strip()


def unnamed_interactive_widgets(
    root: QWidget, *, strict: bool = False, visible_only: bool = False
) -> list[QWidget]:
    """Interactive widgets under (and including) ``root`` that have no accessible name."""
    widgets = [root, *root.findChildren(QWidget)]
    missing: list[QWidget] = []
    for widget in widgets:
        if not isinstance(widget, INTERACTIVE) or _is_qt_internal(widget, root):
            continue
        if visible_only and not widget.isVisibleTo(root):
            continue
        if not accessible_name(widget, strict=strict):
            missing.append(widget)
    return missing


def describe(widgets: list[QWidget]) -> str:
    """A readable list for assertion messages: class, objectName and parent chain."""
    lines = []
    for widget in widgets:
        chain = []
        current: QWidget | None = widget
        while current is not None:
            chain.append(f"{type(current).__name__}({current.objectName() or '?'})")
            current = current.parentWidget()
        lines.append(" < ".join(chain))
    return "\n".join(lines)


def assert_all_named(root: QWidget, *, strict: bool = False) -> None:
    missing = unnamed_interactive_widgets(root, strict=strict)
    assert not missing, "interactive widgets without an accessible name:\n" + describe(missing)


def tab_order(start: QWidget, *, limit: int = 200) -> list[QWidget]:
    """The widgets Tab visits from ``start``, in order, until the chain comes back round."""
    from PySide6.QtCore import Qt

    order: list[QWidget] = [start]
    current = start.nextInFocusChain()
    while current is not None and current is not start and len(order) < limit:
        policy = current.focusPolicy()
        takes_tab = (policy.value & Qt.FocusPolicy.TabFocus.value) == Qt.FocusPolicy.TabFocus.value
        if takes_tab and current.isVisible() and current.isEnabled():
            order.append(current)
        current = current.nextInFocusChain()
    return order


def mnemonic(text: str) -> str:
    """The letter after a single ``&`` in ``text`` (lower case), or "" (``&&`` is a literal)."""
    i = 0
    while i < len(text) - 1:
        if text[i] == "&":
            if text[i + 1] != "&":
                return text[i + 1].lower()
            i += 1
        i += 1
    return ""


def duplicate_mnemonics(root: QWidget) -> dict[str, list[str]]:
    """Alt+letter keys that more than one shown control under ``root`` claims (labels with a
    buddy, buttons, group boxes): {letter: [texts]}. With two, Qt only cycles the focus
    between them and a button with that key is never pressed."""
    claims: dict[str, list[str]] = {}
    for widget in root.findChildren(QWidget):
        if not widget.isVisibleTo(root):
            continue
        if isinstance(widget, QAbstractButton) or (
            isinstance(widget, QLabel) and widget.buddy() is not None
        ):
            text = widget.text()
        elif isinstance(widget, QGroupBox):
            text = widget.title()
        else:
            continue
        letter = mnemonic(text)
        if letter:
            claims.setdefault(letter, []).append(text)
    return {letter: texts for letter, texts in claims.items() if len(texts) > 1}


def mnemonic_clashes(root: QWidget) -> dict[str, list[str]]:
    """Alt+letter keys claimed twice by controls that can be on screen together under
    ``root``: every button, buddied label and group box, shown now or shown later (an error's
    "Open settings…", a conflict's buttons), plus the tab titles; only pages of a tab or stack
    other than the current one are left out (Qt does not fire a hidden page's mnemonics).
    {letter: [texts]}. Call it once per tab to cover every page."""
    from PySide6.QtWidgets import QStackedWidget, QTabBar

    def on_current_page(widget: QWidget) -> bool:
        child, parent = widget, widget.parentWidget()
        while parent is not None and child is not root:
            if isinstance(parent, QStackedWidget) and parent.currentWidget() is not child:
                return False
            child, parent = parent, parent.parentWidget()
        return True

    claims: dict[str, list[str]] = {}
    for widget in root.findChildren(QWidget):
        if not on_current_page(widget):
            continue
        if isinstance(widget, QAbstractButton) or (
            isinstance(widget, QLabel) and widget.buddy() is not None
        ):
            texts = [widget.text()]
        elif isinstance(widget, QGroupBox):
            texts = [widget.title()]
        elif isinstance(widget, QTabBar):
            texts = [widget.tabText(i) for i in range(widget.count())]
        else:
            continue
        for text in texts:
            letter = mnemonic(text)
            if letter:
                claims.setdefault(letter, []).append(text)
    return {letter: texts for letter, texts in claims.items() if len(texts) > 1}
