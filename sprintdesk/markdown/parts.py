"""Markdown blocks and size-aware splitting into GitHub-sized parts (Qt-free).

A :class:`Doc` collects blocks (headings, list items, paragraphs, ``<details>`` openings) and
remembers, for each, the headings it sits under. :func:`split` packs blocks into texts of at
most ``limit`` characters, cutting only between blocks (never inside a list item), never right
after a heading, closing an open ``<details>`` at the end of a part and opening it again, with
the headings marked "(continued)", at the start of the next.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

CONTINUED = "(continued)"
CONTINUED_NEXT = "*(continued in the next comment)*"


# --- the document builder -----------------------------------------------------------------


@dataclass
class Chunk:
    """One block of a part: it is never cut, unless alone it exceeds a whole part."""

    text: str
    sep: str  # what goes before it when it follows another chunk
    reopen: tuple[str, ...]  # headings/blocks to repeat when a continuation starts here
    close: str  # what to close when a part ends just before this chunk
    keep: bool = False  # a heading or opening: never end a part right after it


@dataclass
class Doc:
    """Blocks in order, with the heading stack and any open ``<details>`` they sit in."""

    chunks: list[Chunk] = field(default_factory=list)
    stack: list[tuple[int, str]] = field(default_factory=list)
    details: str | None = None
    in_list: bool = False

    def _context(self) -> tuple[tuple[str, ...], str]:
        reopen: list[str] = []
        if self.details is not None:
            reopen.append(f"<details>\n<summary>{self.details} {CONTINUED}</summary>")
        reopen.extend(f"{'#' * level} {text} {CONTINUED}" for level, text in self.stack)
        return tuple(reopen), ("</details>" if self.details is not None else "")

    def add(self, text: str, *, item: bool = False, keep: bool = False) -> None:
        reopen, close = self._context()
        sep = "\n" if item and self.in_list else "\n\n"
        self.chunks.append(Chunk(text, sep, reopen, close, keep))
        self.in_list = item

    def heading(self, level: int, text: str) -> None:
        while self.stack and self.stack[-1][0] >= level:
            self.stack.pop()
        self.add(f"{'#' * level} {text}", keep=True)
        self.stack.append((level, text))

    def para(self, text: str) -> None:
        if text:
            self.add(text)

    def items(self, texts: Iterable[str]) -> None:
        for text in texts:
            self.add(text, item=True)
        self.in_list = False

    def open_details(self, summary: str) -> None:
        self.add(f"<details>\n<summary>{summary}</summary>", keep=True)
        self.details = summary
        self.stack = []

    def close_details(self) -> None:
        self.details = None
        self.stack = []
        self.add("</details>")


def list_item(number: int | None, first: str, subs: Iterable[str]) -> str:
    """A list item with 4-space nested sub-items (GitHub and the preview nest them alike)."""
    marker = f"{number}." if number is not None else "-"
    out = [f"{marker} {first}"]
    out.extend(f"    - {sub}" for sub in subs if sub)
    return "\n".join(out)


# --- splitting ---------------------------------------------------------------------------


def continued_from(index: int, count: int) -> str:
    return f"*(continued from the previous comment, part {index} of {count})*"


def join_chunks(chunks: list[Chunk]) -> str:
    out: list[str] = []
    for i, chunk in enumerate(chunks):
        if i:
            out.append(chunk.sep)
        out.append(chunk.text)
    return "".join(out)


def _hard_split(text: str, budget: int) -> list[str]:
    """Last resort for a single item longer than a whole part: split at lines, then chars."""
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > budget:
            if current:
                pieces.append(current)
                current = ""
            pieces.append(line[:budget])
            line = line[budget:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > budget:
            pieces.append(current)
            current = line
        else:
            current = candidate
    if current:
        pieces.append(current)
    return pieces


def split(
    chunks: list[Chunk], limit: int, head: str = "", tail: str = "", first_tail: str = ""
) -> list[str]:
    """Pack chunks into texts of at most ``limit`` characters.

    ``head`` opens the first text, ``tail`` ends the last one, ``first_tail`` (the marker) is
    kept in the first text whatever happens.
    """
    whole = join_chunks(chunks)
    single = head + whole + tail + first_tail
    if len(single) + 1 <= limit:
        return [single + "\n"]
    worst_intro = len(continued_from(99999, 99999)) + 2
    worst_outro = len(CONTINUED_NEXT) + 2
    groups: list[tuple[int, int]] = []  # [start, end) chunk indexes per part
    start = 0
    size = len(head)
    expanded: list[Chunk] = []
    for chunk in chunks:
        budget = limit - worst_intro - worst_outro - len(tail) - len(first_tail) - 64
        budget -= sum(len(r) + 2 for r in chunk.reopen) + len(chunk.close) + 2
        if len(chunk.text) > max(budget, 256):
            for piece in _hard_split(chunk.text, max(budget, 256)):
                expanded.append(Chunk(piece, chunk.sep, chunk.reopen, chunk.close))
        else:
            expanded.append(chunk)

    def opened(index: int) -> int:
        return worst_intro + sum(len(r) + 2 for r in expanded[index].reopen)

    for index, chunk in enumerate(expanded):
        reserve = worst_outro + len(chunk.close) + 2 + len(tail) + 1
        if not groups:
            reserve += len(first_tail)
        add = len(chunk.sep) + len(chunk.text) if index > start else len(chunk.text)
        if index > start and size + add + reserve > limit:
            cut = index
            while cut - 1 > start and expanded[cut - 1].keep:
                cut -= 1
            moved = opened(cut) + len(expanded[cut].text)
            moved += sum(len(c.sep) + len(c.text) for c in expanded[cut + 1 : index + 1])
            if (cut - 1 == start and expanded[start].keep) or moved + reserve > limit:
                cut = index  # headings alone, or too much to move: cut right here
                moved = opened(cut) + len(expanded[cut].text)
            groups.append((start, cut))
            start = cut
            size = moved
        else:
            size += add
    groups.append((start, len(expanded)))
    count = len(groups)
    texts: list[str] = []
    for number, (begin, end) in enumerate(groups, 1):
        part = expanded[begin:end]
        pieces: list[str] = []
        if number == 1:
            pieces.append(head)
        else:
            intro = [continued_from(number, count), *part[0].reopen]
            pieces.append("\n\n".join(intro) + "\n\n")
        pieces.append(join_chunks(part))
        if number < count:
            closing = expanded[end].close
            pieces.append(("\n\n" + closing if closing else "") + "\n\n" + CONTINUED_NEXT)
        else:
            pieces.append(tail)
        if number == 1:
            pieces.append(first_tail)
        texts.append("".join(pieces) + "\n")
    return texts
