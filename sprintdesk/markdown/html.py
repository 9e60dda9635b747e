"""GitHub-flavoured markdown -> safe HTML for the preview (Qt-free).

``markdown`` renders (tables, fenced code, line breaks as GitHub comments have them), after a
small pass that re-indents nested lists the way GitHub nests them (2-, 3- or 4-space nesting all
nest; Python-Markdown alone wants 4) and turns ``<details>`` into plain paragraphs the preview
can show. ``nh3`` then sanitises with an allow-list: no scripts, frames, styles, images or event
attributes survive, and links keep only http(s) and mailto targets. Images become plain links.
"""

from __future__ import annotations

import html
import re

import markdown
import nh3

ALLOWED_TAGS = {
    "a",
    "p",
    "br",
    "hr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "b",
    "i",
    "code",
    "pre",
    "blockquote",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "del",
    "s",
    "sup",
    "sub",
    "kbd",
    "span",
    "div",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto"}

_LIST = re.compile(r"^( *)([-*+]|\d{1,9}[.)])( +|$)(.*)$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_DETAILS = re.compile(r"^\s*<details\b[^>]*>\s*(?:<summary>(?P<summary>.*?)</summary>)?\s*$", re.I)
_SUMMARY = re.compile(r"^\s*<summary>(?P<summary>.*?)</summary>\s*$", re.I)
_END_DETAILS = re.compile(r"^\s*</details>\s*$", re.I)
_IMG = re.compile(r"<img\b[^>]*>", re.I)
_ATTR = re.compile(r"""(\w+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_TASK = re.compile(r"<li>(\s*<p>)?\s*\[([ xX])\]\s*")
# Python-Markdown makes the last item before a blank line "loose" (<li><p>) when it holds a
# nested list; GitHub keeps such a list tight.
_LOOSE_BEFORE_LIST = re.compile(
    r"<li>\s*<p>((?:(?!</?p>|</li>).){0,5000}?)</p>\s*(?=<[uo]l>)", re.S
)


def normalise_markdown(text: str) -> str:
    """Re-indent nested lists to 4 spaces per level, as GitHub would nest them, put a blank
    line before a list that follows a paragraph, and unwrap ``<details>`` blocks."""
    out: list[str] = []
    stack: list[int] = []  # content columns of the open list items, in source spaces
    fence: str | None = None
    previous_blank = True
    previous_list = False
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.expandtabs(4)
        fence_match = _FENCE.match(line)
        if fence is not None:
            out.append(" " * (4 * len(stack)) + line.lstrip() if stack else line)
            if fence_match and fence_match.group(1)[0] == fence[0]:
                fence = None
            continue
        if not line.strip():
            out.append("")
            previous_blank = True
            continue
        details = _DETAILS.match(line)
        summary = _SUMMARY.match(line)
        if details or summary or _END_DETAILS.match(line):
            found = details or summary
            label = found.group("summary") if found is not None else None
            stack = []
            out.append("")
            if label:
                out.append(f"▸ **{label.strip()}**")
                out.append("")
            previous_blank, previous_list = True, False
            continue
        indent = len(line) - len(line.lstrip(" "))
        listed = _LIST.match(line)
        if fence_match:
            fence = fence_match.group(1)
        if listed and not fence_match:
            while stack and indent < stack[-1]:
                stack.pop()
            if not stack and not previous_blank and not previous_list:
                out.append("")
            depth = len(stack)
            marker = listed.group(2)
            gap = len(listed.group(3)) if 0 < len(listed.group(3)) <= 4 else 1
            stack.append(indent + len(marker) + gap)
            out.append(f"{' ' * (4 * depth)}{marker} {listed.group(4)}".rstrip())
            previous_blank, previous_list = False, True
            continue
        if stack:
            if indent >= stack[0] or not previous_blank:
                while len(stack) > 1 and indent < stack[-1]:
                    stack.pop()
                level = len(stack) if indent >= stack[-1] else len(stack) - 1
                out.append(
                    " " * (4 * max(level, 1 if not previous_blank else level)) + line.lstrip()
                )
                previous_blank = False
                continue
            stack = []
        out.append(line)
        previous_blank, previous_list = False, False
    return "\n".join(out)


def _image_as_link(match: re.Match[str]) -> str:
    attrs = {
        m.group(1).lower(): m.group(2) or m.group(3) or m.group(4) or ""
        for m in _ATTR.finditer(match.group(0))
    }
    alt = html.escape(html.unescape(attrs.get("alt", "")).strip() or "image", quote=False)
    src = html.escape(html.unescape(attrs.get("src", "")), quote=True)
    return f'<a href="{src}">[image: {alt}]</a>'


def _task(match: re.Match[str]) -> str:
    box = "☑ " if match.group(2) in "xX" else "☐ "
    return f"<li>{match.group(1) or ''}{box}"


def github_html(text: str) -> str:
    """Sanitised HTML for ``text`` as GitHub shows an issue body or comment."""
    source = normalise_markdown(text)
    rendered = markdown.markdown(
        source,
        extensions=["tables", "fenced_code", "sane_lists", "nl2br"],
        extension_configs={"tables": {"use_align_attribute": True}},
        output_format="html",
    )
    rendered = _LOOSE_BEFORE_LIST.sub(r"<li>\1", rendered)
    rendered = _IMG.sub(_image_as_link, rendered)
    rendered = _TASK.sub(_task, rendered)
    return nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
