"""HTML releases, read with lxml's HTML parser (the way browsers parse: it never gives up).

The parsed tree is written back out by this reader, which notes where every piece of text
and markup lands; that written form is what the skeleton and the segments are cut from. So
merging the source language back gives the same document (compared as parsed trees), not
the same bytes: attribute quoting, character references and the white space between the
doctype and ``<html>`` are normalised, while text, comments, scripts and styles are kept.

- Block elements (``p``, ``h1``…``h6``, ``li``, ``td``, ``title``, ``div``…) are paragraphs;
  text directly inside a container around child blocks is a paragraph of its own.
- Inline elements (``a``, ``strong``, ``em``, ``b``, ``i``, ``span``, ``sup``, ``sub``,
  ``code``…) are paired placeholders, ``br``/``img`` and comments standalone ones.
- ``title`` and ``alt`` attributes, and the ``content`` of ``<meta name="description">`` (and
  of the Open Graph and Twitter title and description), are segments of their own (one per
  attribute), numbered after the paragraph they sit in, or before the content of the block
  that carries them.
- ``script`` and ``style`` pass through untouched; ``pre`` keeps its white space.
- Target versions get ``<html lang=… dir=…>`` for their language (Arabic ``rtl``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from tm.errors import SourceError
from tm.model import Document, Release, Skeleton, direction
from tm.segment import Segmenter
from tm.sources.inline import Assembly, Unit, filler, sentences

_BLOCK_NAMES = (
    "address article aside blockquote body caption center dd details dialog dir div dl dt "
    "fieldset figcaption figure footer form frameset h1 h2 h3 h4 h5 h6 head header hgroup hr "
    "html legend li main menu nav noscript ol optgroup option p pre section select summary "
    "table tbody td template textarea tfoot th thead title tr ul"
)
_VOID_NAMES = "area base br col embed hr img input link meta param source track wbr"
BLOCK = frozenset(_BLOCK_NAMES.split(" "))
OPAQUE = frozenset({"script", "style"})
VOID = frozenset(_VOID_NAMES.split(" "))
TRANSLATABLE_ATTRIBUTES = ("title", "alt")
# <meta name|property=… content=…> whose content a reader sees (search results, link previews).
TRANSLATABLE_META = frozenset({"description", "og:title", "og:description", "twitter:title",
                               "twitter:description"})  # fmt: skip
CONTEXTS = {"p": "paragraph", "li": "list item", "td": "table cell", "th": "table header",
            "title": "title", "blockquote": "block quote", "figcaption": "caption",
            "caption": "caption", "dt": "term", "dd": "definition"}  # fmt: skip

# In the skeleton and in placeholder markup, a reference to an attribute segment, or the
# <html> start tag (whose lang and dir depend on the version). Private-use characters: valid
# in XML, so exchange formats can carry the markup, and never met in a press release.
_OPEN, _CLOSE = "\ue000", "\ue001"
_MARKER = re.compile(f"{_OPEN}([^{_CLOSE}]*){_CLOSE}")
_TEXT_PIECES = re.compile(r"(?P<white>[ \t\n\r\f]+)|(?P<escaped>[&<>])|(?P<space>\s+)|(?P<word>[^\s&<>]+)")
_WHITE = re.compile(r"[ \t\n\r\f]+")
_HTML_LANG = re.compile(r' (?:lang|dir)="[^"]*"')


@dataclass
class _Block:
    """One run of inline content, or one translatable attribute, in document order."""

    context: str
    line: int
    units: list[Unit] = field(default_factory=list)
    attribute: str | None = None  # the marker key, for an attribute
    value: str = ""
    after: list[_Block] = field(default_factory=list)  # attributes inside the run


class HtmlFormat:
    name = "html"
    suffixes = (".html", ".htm")

    def parse(self, text: str, release: Release, segmenter: Segmenter) -> Document:
        import lxml.html
        from lxml import etree

        path = str(release.path)
        try:
            root = lxml.html.document_fromstring(text)
        except (etree.ParserError, ValueError) as exc:
            raise SourceError(f"cannot read as HTML: {exc}", path) from None
        writer = _Writer()
        writer.document(root)
        writer.write(text[len(text.rstrip()) :])  # the final line break, which no tree keeps
        return writer.document_for(release, segmenter)

    def render(self, document: Document, translations: Mapping[str, str], lang: str) -> str:
        written = document.skeleton.render(filler(document, translations, escape))
        segments = document.by_id
        source = lang == document.release.lang

        def resolve(match: re.Match) -> str:
            key = match[1]
            if key.startswith(":"):
                tag = key[1:]
                if source:
                    return tag
                tag = _HTML_LANG.sub("", tag)
                return f'{tag[:-1]} lang="{lang}" dir="{direction(lang)}">'
            segment = segments[key]
            return escape(translations.get(key) or segment.raw, attribute=True)

        return _MARKER.sub(resolve, written)


def escape(text: str, attribute: bool = False) -> str:
    """Text made literal in HTML (and inside a double-quoted attribute value)."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;") if attribute else text


def is_tree_equal(left, right) -> bool:
    """Two parsed HTML documents with the same doctype, elements, attributes and text."""
    if left.getroottree().docinfo.doctype != right.getroottree().docinfo.doctype:
        return False
    return _same(left, right)


def _same(a, b) -> bool:
    if a.tag != b.tag or dict(a.attrib) != dict(b.attrib):
        return False
    if (a.text or "") != (b.text or "") or (a.tail or "") != (b.tail or ""):
        return False
    return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))


class _Writer:
    """Writes a parsed tree back out as HTML, noting the units of every run of inline content."""

    def __init__(self):
        self.out: list[str] = []
        self.length = 0
        self.blocks: list[_Block] = []
        self.pre = 0
        self.keys = 0

    def write(self, text: str) -> tuple[int, int]:
        start = self.length
        self.out.append(text)
        self.length += len(text)
        return start, self.length

    def document(self, root) -> None:
        doctype = root.getroottree().docinfo.doctype
        if doctype:
            self.write(doctype + "\n")
        for node in reversed(list(root.itersiblings(preceding=True))):
            self.write(_other(node))
        self.element(root)
        for node in root.itersiblings():
            self.write(_other(node))

    def element(self, element) -> None:
        """A block (or container) element: its own start tag, runs and child blocks."""
        tag = element.tag
        if not isinstance(tag, str):
            self.write(_other(element))
            return
        start = self.start_tag(element, self.blocks)
        if tag == "html":
            self.write(f"{_OPEN}:{start}{_CLOSE}")
        else:
            self.write(start)
        if tag in OPAQUE:
            self.write((element.text or "") + f"</{tag}>")
            return
        if tag in VOID:
            return
        self.pre += tag == "pre"
        run = self.new_run(element, element)
        self.text(element.text, run)
        for child in element:
            if _is_inline(child):
                self.inline(child, run)
            else:
                self.flush(run)
                self.element(child)
                run = self.new_run(element, child)
            self.text(child.tail, run)
        self.flush(run)
        self.pre -= tag == "pre"
        self.write(f"</{tag}>")

    def new_run(self, block, near) -> _Block:
        context = _context(block.tag)
        return _Block(context, near.sourceline or block.sourceline or 1)

    def flush(self, run: _Block) -> None:
        self.blocks.append(run)
        self.blocks.extend(run.after)

    def inline(self, element, run: _Block) -> None:
        tag = element.tag
        if not isinstance(tag, str) or tag in OPAQUE:
            run.units.append(Unit("empty", *self.write(_other(element))))
            return
        start = self.start_tag(element, run.after)
        if tag in VOID:
            run.units.append(Unit("empty", *self.write(start), shown=" " if tag == "br" else ""))
            return
        pair = len(run.units) + 1
        run.units.append(Unit("open", *self.write(start), pair=pair))
        self.text(element.text, run)
        for child in element:
            self.inline(child, run)
            self.text(child.tail, run)
        run.units.append(Unit("close", *self.write(f"</{tag}>"), pair=pair))

    def text(self, text: str | None, run: _Block) -> None:
        """Text written escaped, in units: HTML white space runs (one space to translators,
        outside ``pre``), characters that need escaping, other white space, words."""
        if not text:
            return
        position, written = self.length, []
        for piece in _TEXT_PIECES.finditer(text):
            chunk, kind = piece[0], piece.lastgroup
            out = escape(chunk) if kind == "escaped" else chunk
            shown = " " if kind == "white" and not self.pre else chunk
            run.units.append(Unit("text", position, position + len(out), shown))
            position += len(out)
            written.append(out)
        self.write("".join(written))

    def start_tag(self, element, attributes: list[_Block]) -> str:
        written = [f"<{element.tag}"]
        for name, value in element.attrib.items():
            if _translatable(element, name) and _has_letters(value):
                self.keys += 1
                key = f"a{self.keys}"
                attributes.append(
                    _Block(
                        f"{name} attribute of <{element.tag}>",
                        element.sourceline or 1,
                        attribute=key,
                        value=value,
                    )
                )
                written.append(f' {name}="{_OPEN}{key}{_CLOSE}"')
            else:
                written.append(f' {name}="{escape(value, attribute=True)}"')
        return "".join(written) + ">"

    def document_for(self, release: Release, segmenter: Segmenter) -> Document:
        assembly = Assembly("".join(self.out))
        ids: dict[str, str] = {}  # attribute marker → segment ID
        for block in self.blocks:
            if block.attribute is not None:
                text = _WHITE.sub(" ", block.value).strip()
                ids[block.attribute] = assembly.outside(text, block.value, block.line, block.context)
                continue
            found = sentences(assembly.source, block.units, segmenter)
            if found:
                assembly.block(found, block.context, lambda _offset, line=block.line: line)
        document = assembly.document(release)

        values = {s.id: s.raw for s in document.segments}

        def rename(value: str) -> str:
            return _MARKER.sub(lambda m: _OPEN + ids.get(m[1], m[1]) + _CLOSE, value)

        def as_in_source(value: str) -> str:
            return _MARKER.sub(lambda m: escape(values[ids[m[1]]], attribute=True), value)

        # raw is the sentence as in the source; the markup keeps the references, filled
        # with each version's attribute translations when it is rendered.
        segments = tuple(
            replace(
                s, raw=as_in_source(s.raw), markup=tuple((n, rename(o), rename(c)) for n, o, c in s.markup)
            )
            for s in document.segments
        )
        parts = tuple(rename(p) if isinstance(p, str) else p for p in document.skeleton.parts)
        return Document(release, Skeleton(parts), segments)


def _is_inline(element) -> bool:
    tag = element.tag
    if not isinstance(tag, str) or tag in OPAQUE:
        return True
    if tag in BLOCK:
        return False
    return not any(isinstance(d.tag, str) and d.tag in BLOCK for d in element.iterdescendants())


def _translatable(element, attribute: str) -> bool:
    if element.tag == "meta":
        kind = element.get("name") or element.get("property") or ""
        return attribute == "content" and kind.lower() in TRANSLATABLE_META
    return attribute in TRANSLATABLE_ATTRIBUTES and element.tag != "html"


def _has_letters(value: str) -> bool:
    return any(c.isalpha() for c in value)


def _context(tag: str) -> str:
    if re.fullmatch(r"h[1-6]", tag):
        return f"heading {tag[1]}"
    return CONTEXTS.get(tag, f"<{tag}>")


def _other(node) -> str:
    """A comment, processing instruction, script or style, written exactly as parsed."""
    from lxml import etree

    if node.tag is etree.Comment:
        return f"<!--{node.text or ''}-->"
    if isinstance(node.tag, str):  # script or style inside a run
        attributes = "".join(f' {n}="{escape(v, attribute=True)}"' for n, v in node.attrib.items())
        return f"<{node.tag}{attributes}>{node.text or ''}</{node.tag}>"
    return etree.tostring(node, method="html", encoding="unicode", with_tail=False)


FORMAT = HtmlFormat()
