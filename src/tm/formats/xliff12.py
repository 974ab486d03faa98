"""XLIFF 1.2: what Trados, memoQ, OmegaT, Virtaal and most CAT tools read.

One ``<file>`` per release and language (``original`` is the release ID), one ``<group>``
per paragraph, one ``<trans-unit>`` per segment (``id`` is the segment ID). States::

    untranslated  <target state="needs-translation"/>
    fuzzy         <target state="needs-review-translation">   (approved absent)
    translated    <target state="translated">, approved="yes"

Read back, a target counts as translated only when the file says so (``state`` translated,
signed-off or final; or ``approved="yes"`` with no state): anything else with text is fuzzy.
"""

from __future__ import annotations

from lxml import etree

from tm.errors import FormatError
from tm.formats.xliff_shared import (
    XML_SPACE,
    InlineNames,
    element,
    fill_inline,
    inline_text,
    language,
    localname,
    paragraphs,
    read_document,
    read_units,
    serialise,
    sniff_root,
)
from tm.model import Catalog, Entry, Suggestion

NS = "urn:oasis:names:tc:xliff:document:1.2"
INLINE = InlineNames(NS, paired="g", standalone="x", lone_open="bx", lone_close="ex", isolated=False)
APPROVED_STATES = {"translated", "signed-off", "final"}
STATE_OUT = {
    "untranslated": "needs-translation",
    "fuzzy": "needs-review-translation",
    "translated": "translated",
}
CONTEXT_NOTE = "tm"  # <note from="tm"> holds the paragraph context; other notes are comments


def _el(parent: etree._Element, local: str, text: str | None = None, **attrs: str) -> etree._Element:
    return element(parent, NS, local, text, **attrs)


class Xliff12Format:
    name = "xliff"
    suffixes = (".xlf", ".xliff")

    def sniff(self, data: bytes) -> bool:
        return sniff_root(data, NS)

    def write(self, catalog: Catalog) -> bytes:
        root = etree.Element(f"{{{NS}}}xliff", version="1.2", nsmap={None: NS})
        file = _el(
            root,
            "file",
            original=catalog.release,
            source_language=catalog.source_lang,
            target_language=catalog.lang,
            datatype="plaintext",
            tool_id="tm",
        )
        header = _el(file, "header")
        _el(header, "tool", tool_id="tm", tool_name="tm")
        body = _el(file, "body")
        for paragraph, entries in paragraphs(catalog.entries):
            group = _el(body, "group", id=paragraph)
            for entry in entries:
                _write_unit(group, entry, catalog.lang)
        return serialise(root)

    def read(self, data: bytes, path: str) -> Catalog:
        _root, files = read_document(data, path, NS, "XLIFF 1.2")
        first = files[0]
        for other in files[1:]:
            if (other.get("original"), other.get("target-language")) != (
                first.get("original"),
                first.get("target-language"),
            ):
                raise FormatError(
                    "the file holds several releases or languages; send one per file", path, other.sourceline
                )
        catalog = Catalog(
            release=(first.get("original") or "").strip(),
            source_lang=language(first.get("source-language")),
            lang=language(first.get("target-language")),
        )
        catalog.header = {"X-Release": catalog.release, "X-Source-Language": catalog.source_lang}
        catalog.entries = read_units(files, f"{{{NS}}}trans-unit", path, _read_unit)
        return catalog


def _write_unit(group: etree._Element, entry: Entry, lang: str) -> None:
    unit = _el(group, "trans-unit", id=entry.id)
    unit.set(XML_SPACE, "preserve")
    if entry.state == "translated":
        unit.set("approved", "yes")
    fill_inline(_el(unit, "source"), entry.source, INLINE)
    target = fill_inline(_el(unit, "target"), entry.target, INLINE)
    target.set("state", STATE_OUT[entry.state])
    for reference in entry.references:
        where = _el(unit, "context-group", purpose="location")
        file, _, line = reference.rpartition(":") if ":" in reference else (reference, "", "")
        _el(where, "context", file, context_type="sourcefile")
        if line:
            _el(where, "context", line, context_type="linenumber")
    if entry.context:
        _el(unit, "note", entry.context, from_=CONTEXT_NOTE)
    for comment in entry.comments:
        _el(unit, "note", comment, from_="translator")
    if entry.fuzzy and entry.previous_source is not None and entry.target:
        previous = _el(unit, "alt-trans", alttranstype="previous-version", origin="tm")
        fill_inline(_el(previous, "source"), entry.previous_source, INLINE)
        fill_inline(_el(previous, "target"), entry.target, INLINE)
    for suggestion in entry.suggestions:
        alt = _el(unit, "alt-trans", match_quality=str(suggestion.score), origin=suggestion.origin)
        fill_inline(_el(alt, "source"), suggestion.source, INLINE)
        fill_inline(_el(alt, "target"), suggestion.target, INLINE)
        alt.set("{http://www.w3.org/XML/1998/namespace}lang", lang)


def _read_unit(unit: etree._Element, path: str) -> Entry:
    source = unit.find(f"{{{NS}}}source")
    if source is None:
        raise FormatError(f"unit '{unit.get('id')}' has no <source>", path, unit.sourceline)
    target = unit.find(f"{{{NS}}}target")
    entry = Entry(id=unit.get("id", ""), source=inline_text(source))
    if target is not None:
        entry.target = inline_text(target)
        state = target.get("state")
        approved = state in APPROVED_STATES or (state is None and unit.get("approved") == "yes")
        entry.fuzzy = bool(entry.target) and not approved
    for child in unit:
        kind = localname(child)
        if kind == "note":
            text = child.text or ""
            if child.get("from") == CONTEXT_NOTE:
                entry.context = text
            else:
                entry.comments.append(text)
        elif kind == "context-group" and child.get("purpose") == "location":
            entry.references.append(_location(child))
        elif kind == "alt-trans":
            _read_alternative(child, entry)
    return entry


def _location(group: etree._Element) -> str:
    found = {c.get("context-type"): (c.text or "") for c in group if localname(c) == "context"}
    file, line = found.get("sourcefile", ""), found.get("linenumber", "")
    return f"{file}:{line}" if line else file


def _read_alternative(alt: etree._Element, entry: Entry) -> None:
    source, target = alt.find(f"{{{NS}}}source"), alt.find(f"{{{NS}}}target")
    if target is None:
        return
    if alt.get("alttranstype") == "previous-version":
        if source is not None and entry.fuzzy:
            entry.previous_source = inline_text(source)
        return
    quality = (alt.get("match-quality") or "").strip().rstrip("%")
    try:
        score = round(float(quality))
    except ValueError:
        return  # a suggestion without a score is a tool's own business, not a memory match
    entry.suggestions.append(
        Suggestion(
            inline_text(source) if source is not None else "",
            inline_text(target),
            score,
            alt.get("origin") or "memory",
        )
    )


FORMAT = Xliff12Format()
