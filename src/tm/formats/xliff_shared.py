"""What the XLIFF 1.2 and XLIFF 2.x adapters share: inline markup, paragraph groups, unit checks.

Segment text carries inline markup as numbered tags (``<1>…</1>``, ``<2/>``, see
:mod:`tm.placeholders`). In XLIFF they become real elements: a tag pair that nests properly
becomes one paired element (``<g>``/``<pc>``), a standalone tag an empty one (``<x/>``/``<ph/>``),
and an opening or closing tag without its partner an isolated one (``<bx/>``/``<ex/>``,
``<sc/>``/``<ec/>``). Reading turns every inline element a translator's tool may write back
into the same numbered text; markers (``<mrk>``, ``<sm/>``/``<em/>``) are transparent.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from lxml import etree

from tm.errors import FormatError
from tm.formats.xml import parse_xml
from tm.model import Entry
from tm.placeholders import Tag, tokens

XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_NEWLINE_RUN = re.compile(r"[ \t]*\r?\n\s*")


@dataclass(frozen=True)
class InlineNames:
    """The element names one XLIFF version uses for inline codes."""

    namespace: str
    paired: str  # <g id> / <pc id>
    standalone: str  # <x id/> / <ph id/>
    lone_open: str  # <bx id/> / <sc id isolated="yes"/>
    lone_close: str  # <ex id/> / <ec id isolated="yes"/>
    isolated: bool  # 2.x marks lone codes isolated="yes"

    def tag(self, local: str) -> str:
        return f"{{{self.namespace}}}{local}"


def _pairs(parts: list[str | Tag]) -> set[int]:
    """Indexes of the tags that open or close a properly nested pair."""
    paired: set[int] = set()
    stack: list[tuple[str, int]] = []
    for index, part in enumerate(parts):
        if not isinstance(part, Tag):
            continue
        if part.kind == "open":
            stack.append((part.id, index))
        elif part.kind == "close" and stack and stack[-1][0] == part.id:
            paired.update((stack.pop()[1], index))
    return paired


def fill_inline(element: etree._Element, text: str, names: InlineNames) -> etree._Element:
    """Write ``text`` into ``element``, its numbered tags as inline elements."""
    parts = tokens(text)
    paired = _pairs(parts)
    parents = [element]
    last: etree._Element | None = None  # the element whose tail takes the next text

    def append_text(run: str) -> None:
        if last is None:
            parents[-1].text = (parents[-1].text or "") + run
        else:
            last.tail = (last.tail or "") + run

    for index, part in enumerate(parts):
        if isinstance(part, str):
            append_text(part)
            continue
        if index in paired and part.kind == "open":
            child = etree.SubElement(parents[-1], names.tag(names.paired), id=part.id)
            parents.append(child)
            last = None
            continue
        if index in paired:  # the close of a pair
            last = parents.pop()
            continue
        local = {"empty": names.standalone, "open": names.lone_open, "close": names.lone_close}[part.kind]
        last = etree.SubElement(parents[-1], names.tag(local), id=part.id)
        if names.isolated and part.kind != "empty":
            last.set("isolated", "yes")
    return element


# Elements whose content is native code (XLIFF 1.2): read as one tag, never as text.
_CODE_OPEN = {"bpt", "bx", "sc"}
_CODE_CLOSE = {"ept", "ex", "ec"}
_CODE_EMPTY = {"ph", "x"}
_PAIRED = {"g", "pc"}


def inline_text(element: etree._Element, whole: bool = True) -> str:
    """The numbered-tag text of a ``<source>``/``<target>``, whatever inline codes it uses.

    ``whole=False`` for one part of a split unit: its white space is settled on the joined text.
    """
    out: list[str] = []
    _walk(element, out)
    text = "".join(out)
    return settle_space(text, element) if whole else text


def settle_space(text: str, element: etree._Element) -> str:
    """Undo a tool's re-indentation (line breaks and what follows them), unless space is preserved."""
    return text if preserves_space(element) else _NEWLINE_RUN.sub(" ", text).strip()


def _walk(element: etree._Element, out: list[str]) -> None:
    if element.text:
        out.append(element.text)
    for child in element:
        if isinstance(child.tag, str):
            local = etree.QName(child).localname
            number = child.get("rid") or child.get("startRef") or child.get("id") or "0"
            if local in _PAIRED:
                out.append(f"<{child.get('id')}>")
                _walk(child, out)
                out.append(f"</{child.get('id')}>")
            elif local in _CODE_OPEN:
                out.append(f"<{number}>")
            elif local in _CODE_CLOSE:
                out.append(f"</{number}>")
            elif local == "it":  # an isolated code says itself which end it is
                out.append(f"<{number}>" if child.get("pos") == "open" else f"</{number}>")
            elif local in _CODE_EMPTY:
                out.append(f"<{child.get('id')}/>")
            elif local == "cp":
                out.append(chr(int(child.get("hex", "20"), 16)))
            else:  # mrk, sm/em and anything unknown: its text counts, the element does not
                _walk(child, out)
        if child.tail:
            out.append(child.tail)


def preserves_space(element: etree._Element) -> bool:
    """True when ``xml:space="preserve"`` is in effect for ``element``."""
    for node in (element, *element.iterancestors()):
        value = node.get(XML_SPACE)
        if value is not None:
            return value == "preserve"
    return False


def element(
    parent: etree._Element, namespace: str, local: str, text: str | None = None, **attrs: str
) -> etree._Element:
    """A child element; ``source_language=`` and ``from_=`` name ``source-language`` and ``from``."""
    names = {key.rstrip("_").replace("_", "-"): value for key, value in attrs.items()}
    child = etree.SubElement(parent, f"{{{namespace}}}{local}", names)
    if text is not None:
        child.text = text
    return child


def read_document(data: bytes, path: str, namespace: str, label: str) -> tuple[etree._Element, list]:
    """The ``<xliff>`` root of a returned file and its ``<file>`` elements, parsed safely."""
    root = parse_xml(data, path)
    if localname(root) != "xliff" or etree.QName(root).namespace != namespace:
        raise FormatError(f"not an {label} document (the root must be <xliff> in {namespace})", path)
    files = root.findall(f"{{{namespace}}}file")
    if not files:
        raise FormatError("XLIFF without a <file> element", path, root.sourceline)
    return root, files


def read_units(files: list, tag: str, path: str, read_unit) -> list[Entry]:
    """Every unit named ``tag`` in ``files``, read by ``read_unit``, after checking ids are unique."""
    units = [unit for file in files for unit in file.iter(tag)]
    check_unique(((unit.get("id") or "", unit.sourceline) for unit in units), path)
    return [read_unit(unit, path) for unit in units]


def paragraph_key(segment_id: str) -> str:
    """``p4`` for ``p4.s1``: segment IDs say which paragraph they belong to."""
    return segment_id.rsplit(".", 1)[0] if "." in segment_id else segment_id


def paragraphs(entries: Iterable[Entry]) -> Iterator[tuple[str, list[Entry]]]:
    """Active entries grouped by paragraph, in the order paragraphs first appear."""
    grouped: dict[str, list[Entry]] = {}
    for entry in entries:
        if not entry.obsolete:
            grouped.setdefault(paragraph_key(entry.id), []).append(entry)
    yield from grouped.items()


def check_unique(units: Iterable[tuple[str, int | None]], path: str) -> None:
    """Refuse a file that holds the same unit twice (the second one is named, with its line)."""
    first: dict[str, int | None] = {}
    for unit_id, line in units:
        if not unit_id:
            raise FormatError("a unit has no id; cannot tell which segment it translates", path, line)
        if unit_id in first:
            where = f" (first at line {first[unit_id]})" if first[unit_id] else ""
            raise FormatError(f"duplicate unit '{unit_id}'{where}", path, line)
        first[unit_id] = line


def language(code: str | None) -> str:
    """``fr`` for ``fr-FR``, ``fr_CA`` or ``FR``: workspaces name languages by their primary subtag."""
    return (code or "").strip().replace("_", "-").split("-")[0].lower()


# Elements with text content: indentation never goes inside them.
_LEAVES = {"source", "target", "note", "context"}


def serialise(root: etree._Element) -> bytes:
    """The document with structure indented and text content left exactly as it is."""
    _indent(root, 0)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8") + b"\n"


def _indent(element: etree._Element, level: int) -> None:
    children = list(element)
    if not children or localname(element) in _LEAVES:
        return
    element.text = "\n" + " " * (level + 1)
    for child in children:
        _indent(child, level + 1)
        child.tail = "\n" + " " * (level + 1)
    children[-1].tail = "\n" + " " * level


def localname(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


_ROOT = re.compile(rb"<(?:[\w.-]+:)?xliff\b[^>]*>")


def sniff_root(data: bytes, namespace: str) -> bool:
    """True when the document's root is ``<xliff>`` in ``namespace`` (with any prefix)."""
    match = _ROOT.search(data[:65536])
    return match is not None and namespace.encode() in match.group(0)
