"""Markdown releases, read with markdown-it-py (CommonMark plus GFM tables).

markdown-it finds the blocks (headings, paragraphs, list items, block quotes, table cells)
and parses their inline markup; its block tokens carry source lines but its inline tokens do
not, so this reader follows each inline token along the source text to learn exactly which
characters it came from. Everything outside the sentences (block markers, indentation, link
URLs, blank lines, reference definitions, HTML blocks, code blocks) is the skeleton, so
merging the source language back gives the file byte for byte.

Inside a sentence, emphasis, strong emphasis and links are paired placeholders (the link
text is translated, the URL is not); an image is a pair around its alt text; inline code,
inline HTML and autolinks are standalone placeholders, kept as they are.
"""

from __future__ import annotations

import bisect
import html
import itertools
import re
from collections.abc import Mapping

from tm.errors import SourceError
from tm.model import Document, Release
from tm.segment import Segmenter
from tm.sources.inline import Assembly, Unit, filler, sentences, text_units

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_ENTITY = re.compile(r"&(?:#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[A-Za-z][A-Za-z0-9]{1,31});")
# Container markers that may come before a block's text on its line: quotes, list bullets,
# ordered-list numbers, heading hashes, indentation.
_LINE_PREFIX = re.compile(r"(?:[ \t]*(?:>|[-+*](?=[ \t])|\d{1,9}[.)](?=[ \t])|#{1,6}(?=[ \t]|$)))*[ \t]*")
_SOFT_BREAK = re.compile(r"[ \t]*\n[ \t]*")
_HARD_BREAK = re.compile(r"(?:[ \t]*\\?)\n[ \t]*")
_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")  # what a backslash escapes
_PLAIN = re.compile(r"[^&\\]+")  # text with neither a character reference nor an escape
_CELL_SEPARATOR = re.compile(r"(?<!\\)\|")
_ESCAPE = re.compile(r"[\\`*_\[\]<>|]|&(?=#?\w+;)")
# What would start a heading, quote, list, rule or fence if it began a translated line.
_LINE_START = re.compile(
    r"^(?:#{1,6}(?=[ \t]|$)|>|[-+*](?=[ \t]|$)|[=~`-]{3,}|(?P<number>\d{1,9})(?P<mark>[.)])(?=[ \t]|$))"
)


class _Misaligned(Exception):
    """The inline tokens could not be followed along the source (a reader bug, not bad input)."""


class MarkdownFormat:
    name = "md"
    suffixes = (".md", ".markdown")

    def parse(self, text: str, release: Release, segmenter: Segmenter) -> Document:
        from markdown_it import MarkdownIt

        parser = MarkdownIt("commonmark").enable("table")
        env: dict = {}
        tokens = parser.parse(text, env)
        lines = _Lines(text)
        references = set(env.get("references", {}))

        assembly = Assembly(text)
        stack: list[str] = []
        cells: list[tuple[int, int]] = []
        for token in tokens:
            if token.nesting == 1:
                stack.append(token.tag if token.type == "heading_open" else token.type)
                if token.type == "tr_open" and token.map:
                    cells = lines.cells(token.map[0])
                continue
            if token.nesting == -1:
                stack.pop()
                continue
            if token.type != "inline" or not token.map:
                continue
            in_cell = bool(stack) and stack[-1] in ("th_open", "td_open")
            if in_cell and not cells:
                continue  # a cell markdown-it made up for a short row
            try:
                if in_cell:
                    start, end = cells.pop(0)
                    content, positions = text[start:end], list(range(start, end + 1))
                else:
                    content, positions = lines.locate(token.content, token.map[0])
                units = _Aligner(content, references).units(token.children or [])
            except _Misaligned:
                raise SourceError(
                    "cannot follow this Markdown block's inline markup; simplify it or report it",
                    str(release.path),
                    token.map[0] + 1,
                ) from None
            units = [Unit(u.kind, positions[u.start], positions[u.end], u.shown, u.pair) for u in units]
            found = sentences(text, units, segmenter)
            if found:
                assembly.block(found, _block_kind(stack, token), lines.line_of)
        return assembly.document(release)

    def render(self, document: Document, translations: Mapping[str, str], lang: str) -> str:
        return document.skeleton.render(filler(document, translations, escape))


def escape(text: str) -> str:
    """Translated text made literal in Markdown: no markup, no line break, no block marker."""
    text = _ESCAPE.sub(lambda m: "\\" + m[0], " ".join(text.splitlines()))
    match = _LINE_START.match(text)
    if match and match["number"]:
        return f"{match['number']}\\{match['mark']}{text[match.end() :]}"
    return "\\" + text if match else text


def _block_kind(stack: list[str], token) -> str:
    children = [c for c in token.children or [] if c.type != "softbreak"]
    if len(children) == 1 and children[0].type == "image":
        return "image alt"
    for opened in reversed(stack):
        if re.fullmatch(r"h[1-6]", opened):
            return f"heading {opened[1]}"
        if opened == "th_open":
            return "table header"
        if opened == "td_open":
            return "table cell"
        if opened == "list_item_open":
            return "list item"
        if opened == "blockquote_open":
            return "block quote"
    return "paragraph"


class _Lines:
    """Line starts and ends in the source (CRLF, CR or LF), and content → source offsets."""

    def __init__(self, text: str):
        self.text = text
        self.starts = [0]
        self.ends = []
        for brk in _LINE_BREAK.finditer(text):
            self.ends.append(brk.start())
            self.starts.append(brk.end())
        self.ends.append(len(text))

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset)

    def locate(self, content: str, first_line: int) -> tuple[str, list[int]]:
        """Source offset of every character of a block's inline ``content`` (and of its end).

        markdown-it gives the block's lines without their container markers; each content line
        is found at the end of its source line. Lines of Unicode white space only (a no-break
        space) at the start of a paragraph are trimmed away by markdown-it: skip them.
        """
        positions: list[int] = []
        content_lines = content.split("\n")
        last = len(self.starts) - 1
        while first_line < last and content_lines[0] and not _after_prefix(self.line(first_line)).strip():
            first_line += 1
        for index, piece in enumerate(content_lines):
            number = min(first_line + index, last)
            line = self.line(number)
            column, lead = _column(line, piece)
            base = self.starts[number] + column
            positions.extend([base] * lead)
            positions.extend(base + i for i in range(len(piece) - lead))
            if index < len(content_lines) - 1:
                positions.append(self.ends[number])
            else:
                positions.append(base + len(piece) - lead)
        return content, positions

    def line(self, number: int) -> str:
        return self.text[self.starts[number] : self.ends[number]]

    def cells(self, number: int) -> list[tuple[int, int]]:
        """Source spans of the cells of a table row, white space around each left out."""
        start, end = self.starts[number], self.ends[number]
        start += _LINE_PREFIX.match(self.text, start, end).end() - start  # a table in a quote
        row = self.text[start:end]
        bounds = [-1, *(m.start() for m in _CELL_SEPARATOR.finditer(row)), len(row)]
        spans = []
        for left, right in itertools.pairwise(bounds):
            cell = row[left + 1 : right]
            lead = len(cell) - len(cell.lstrip())
            spans.append((start + left + 1 + lead, start + left + 1 + len(cell.rstrip())))
        if row.strip().startswith("|"):
            spans.pop(0)
        if row.rstrip().endswith("|") and not row.rstrip().endswith("\\|"):
            spans.pop()
        return spans


def _after_prefix(line: str) -> str:
    return line[_LINE_PREFIX.match(line).end() :]


def _column(line: str, piece: str) -> tuple[int, int]:
    """Where ``piece`` (a content line) starts in its source ``line``.

    Also how many of its first characters are not in the source: markdown-it turns a tab in
    the indentation into spaces; those take no room in the source.
    """
    prefix = _LINE_PREFIX.match(line).end()
    found = [k for k in range(min(prefix, len(line)) + 1) if line.startswith(piece, k)]
    if found:
        return found[-1], 0
    found_after = line.find(piece, prefix)
    if found_after >= 0:
        return found_after, 0
    stripped = piece.lstrip(" \t")
    column = line.find(stripped, min(prefix, len(line))) if stripped else prefix
    if column < 0:
        raise _Misaligned
    return column, len(piece) - len(stripped)


class _Aligner:
    """Follows markdown-it's inline tokens along the block's content, yielding units."""

    def __init__(self, content: str, references: set[str]):
        self.content = content
        self.references = references
        self.at = 0
        self.pairs = 0
        self.open: list[int] = []
        self.result: list[Unit] = []

    def units(self, children) -> list[Unit]:
        self.walk(children)
        if self.at != len(self.content):
            raise _Misaligned
        return self.result

    def walk(self, children) -> None:
        skipping = False
        for token in children:
            kind = token.type
            if skipping:
                skipping = kind != "link_close"
                continue
            if kind == "text":
                self.text(token.content)
            elif kind in ("softbreak", "hardbreak"):
                pattern = _SOFT_BREAK if kind == "softbreak" else _HARD_BREAK
                match = pattern.match(self.content, self.at)
                if not match:
                    raise _Misaligned
                kind = "empty" if kind == "hardbreak" else "text"
                self.result.append(Unit(kind, self.at, match.end(), " "))
                self.at = match.end()
            elif kind in ("em_open", "strong_open"):
                self.opening(self.expect(token.markup))
            elif kind in ("em_close", "strong_close"):
                self.closing(self.expect(token.markup))
            elif kind == "code_inline":
                run = re.compile(rf"(?<!`){re.escape(token.markup)}(?!`)")
                match = run.search(self.content, self.expect(token.markup))
                if not match:
                    raise _Misaligned
                self.empty(match.end())
            elif kind == "html_inline":
                self.empty(self.expect(token.content))
            elif kind == "link_open" and token.markup == "autolink":
                end = self.content.find(">", self.at)
                if not self.content.startswith("<", self.at) or end < 0:
                    raise _Misaligned
                self.empty(end + 1)
                skipping = True
            elif kind == "link_open":
                self.opening(self.expect("["))
            elif kind == "link_close":
                self.closing(self.link_tail(self.expect("]")))
            elif kind == "image":
                self.opening(self.expect("!["))
                self.walk(token.children or [])
                self.closing(self.link_tail(self.expect("]")))
            else:
                raise _Misaligned

    def text(self, expected: str) -> None:
        content, j = self.content, 0
        while j < len(expected):
            at = self.at
            plain = _PLAIN.match(expected, j)
            if plain and content.startswith(plain[0], at):
                self.result.extend(text_units(at, plain[0]))
                self.at, j = at + len(plain[0]), plain.end()
                continue
            entity = _ENTITY.match(content, at)
            decoded = html.unescape(entity[0]) if entity else ""
            if decoded and decoded != entity[0] and expected.startswith(decoded, j):
                self.result.append(Unit("text", at, entity.end(), decoded))
                self.at, j = entity.end(), j + len(decoded)
            elif expected[j] in _PUNCTUATION and content.startswith("\\" + expected[j], at):
                self.result.append(Unit("text", at, at + 2, expected[j]))
                self.at, j = at + 2, j + 1
            elif content.startswith(expected[j], at):
                self.result.append(Unit("text", at, at + 1, expected[j]))
                self.at, j = at + 1, j + 1
            else:
                raise _Misaligned

    def expect(self, literal: str) -> int:
        if not self.content.startswith(literal, self.at):
            raise _Misaligned
        return self.at + len(literal)

    def opening(self, end: int) -> None:
        self.pairs += 1
        self.open.append(self.pairs)
        self.result.append(Unit("open", self.at, end, pair=self.pairs))
        self.at = end

    def closing(self, end: int) -> None:
        if not self.open:
            raise _Misaligned
        self.result.append(Unit("close", self.at, end, pair=self.open.pop()))
        self.at = end

    def empty(self, end: int) -> None:
        self.result.append(Unit("empty", self.at, end))
        self.at = end

    def link_tail(self, at: int) -> int:
        """The end of ``(destination "title")``, ``[label]`` or ``[]`` after a link's ``]``."""
        from markdown_it.common.utils import normalizeReference

        content = self.content
        if content.startswith("(", at):
            end = _inline_destination(content, at)
            if end is not None:
                return end
        if content.startswith("[", at):
            close = _skip_escaped(content, at + 1, "]")
            if close is not None:
                label = content[at + 1 : close]
                if not label.strip() or normalizeReference(label) in self.references:
                    return close + 1
        return at


def _inline_destination(content: str, at: int) -> int | None:
    """The end of ``(url "title")`` starting at ``at`` (the opening parenthesis)."""
    j = _skip_space(content, at + 1)
    if content.startswith("<", j):
        end = _skip_escaped(content, j + 1, ">")
        if end is None:
            return None
        j = end + 1
    else:
        depth = 0
        while j < len(content) and not content[j].isspace():
            char = content[j]
            if char == "\\" and j + 1 < len(content):
                j += 2
                continue
            if char == "(":
                depth += 1
            elif char == ")":
                if depth == 0:
                    break
                depth -= 1
            j += 1
    j = _skip_space(content, j)
    if j < len(content) and content[j] in "\"'(":
        end = _skip_escaped(content, j + 1, ")" if content[j] == "(" else content[j])
        if end is None:
            return None
        j = _skip_space(content, end + 1)
    return j + 1 if content.startswith(")", j) else None


def _skip_space(content: str, j: int) -> int:
    while j < len(content) and content[j] in " \t\n":
        j += 1
    return j


def _skip_escaped(content: str, j: int, closer: str) -> int | None:
    while j < len(content):
        if content[j] == "\\":
            j += 2
            continue
        if content[j] == closer:
            return j
        j += 1
    return None


FORMAT = MarkdownFormat()
