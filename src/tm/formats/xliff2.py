"""XLIFF 2.1 (core, plus the matches module for memory suggestions).

``<xliff version="2.1" srcLang trgLang>``, one ``<file original="RELEASE">``, one ``<group>``
per paragraph, one ``<unit id="SEGMENT-ID">`` with one ``<segment>``. States::

    untranslated  <segment state="initial">, no <target>
    fuzzy         <segment state="initial"> with a <target>
    translated    <segment state="translated">

A target counts as translated only when its segment says ``translated``, ``reviewed`` or
``final``; ``initial`` (also the default when a tool drops the attribute) with text is fuzzy,
so a fuzzy translation comes back fuzzy and nothing unconfirmed reaches the memory.
translate-toolkit's ``Xliff2Unit.isfuzzy`` reads the states the same way.
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
    settle_space,
    sniff_root,
)
from tm.model import Catalog, Entry, Suggestion

NS = "urn:oasis:names:tc:xliff:document:2.0"
MTC = "urn:oasis:names:tc:xliff:matches:2.0"
INLINE = InlineNames(NS, paired="pc", standalone="ph", lone_open="sc", lone_close="ec", isolated=True)
APPROVED_STATES = {"translated", "reviewed", "final"}
SEGMENT = "s1"
# <note category="…"> for what XLIFF 2 core has no element for.
CONTEXT, LOCATION, PREVIOUS, COMMENT = "context", "location", "previous-source", "comment"


def _el(parent: etree._Element, local: str, text: str | None = None, ns: str = NS, **attrs: str):
    return element(parent, ns, local, text, **attrs)


class Xliff2Format:
    name = "xliff2"
    suffixes = (".xliff", ".xlf")

    def sniff(self, data: bytes) -> bool:
        return sniff_root(data, NS)

    def write(self, catalog: Catalog) -> bytes:
        nsmap = {None: NS, "mtc": MTC}
        root = etree.Element(
            f"{{{NS}}}xliff", version="2.1", srcLang=catalog.source_lang, trgLang=catalog.lang, nsmap=nsmap
        )
        file = _el(root, "file", id="f1", original=catalog.release)
        for paragraph, entries in paragraphs(catalog.entries):
            group = _el(file, "group", id=paragraph)
            for entry in entries:
                _write_unit(group, entry)
        return serialise(root)

    def read(self, data: bytes, path: str) -> Catalog:
        root, files = read_document(data, path, NS, "XLIFF 2")
        if not root.get("trgLang"):
            raise FormatError("XLIFF without trgLang; cannot tell the target language", path, root.sourceline)
        releases = {f.get("original") or f.get("id") for f in files}
        if len(releases) > 1:
            raise FormatError("the file holds several releases; send one per file", path, files[1].sourceline)
        release = (files[0].get("original") or files[0].get("id") or "").strip()
        catalog = Catalog(release, language(root.get("srcLang")), language(root.get("trgLang")))
        catalog.header = {"X-Release": release, "X-Source-Language": catalog.source_lang}
        catalog.entries = read_units(files, f"{{{NS}}}unit", path, _read_unit)
        return catalog


def _write_unit(group: etree._Element, entry: Entry) -> None:
    unit = _el(group, "unit", id=entry.id)
    unit.set(XML_SPACE, "preserve")
    if entry.suggestions:
        matches = _el(unit, "matches", ns=MTC)
        for suggestion in entry.suggestions:
            match = _el(
                matches,
                "match",
                ns=MTC,
                ref=f"#{SEGMENT}",
                matchQuality=str(suggestion.score),
                origin=suggestion.origin,
                type="tm",
            )
            fill_inline(_el(match, "source"), suggestion.source, INLINE)
            fill_inline(_el(match, "target"), suggestion.target, INLINE)
    notes = [(CONTEXT, entry.context)] if entry.context else []
    notes += [(LOCATION, reference) for reference in entry.references]
    if entry.fuzzy and entry.previous_source is not None and entry.target:
        notes.append((PREVIOUS, entry.previous_source))
    notes += [(COMMENT, comment) for comment in entry.comments]
    if notes:
        container = _el(unit, "notes")
        for category, text in notes:
            _el(container, "note", text, category=category)
    segment = _el(
        unit, "segment", id=SEGMENT, state="translated" if entry.state == "translated" else "initial"
    )
    fill_inline(_el(segment, "source"), entry.source, INLINE)
    if entry.target:
        fill_inline(_el(segment, "target"), entry.target, INLINE)


def _read_unit(unit: etree._Element, path: str) -> Entry:
    sources, targets, states = [], [], []
    for part in unit:
        kind = localname(part)
        if kind not in ("segment", "ignorable"):
            continue
        source, target = part.find(f"{{{NS}}}source"), part.find(f"{{{NS}}}target")
        if source is None:
            raise FormatError(f"unit '{unit.get('id')}' has a {kind} without <source>", path, part.sourceline)
        sources.append(inline_text(source, whole=False))
        if kind == "ignorable":
            targets.append(inline_text(target, whole=False) if target is not None else sources[-1])
            continue
        targets.append(inline_text(target, whole=False) if target is not None else None)
        states.append(part.get("state", "initial"))
    if not sources:
        raise FormatError(f"unit '{unit.get('id')}' has no <segment>", path, unit.sourceline)
    entry = Entry(id=unit.get("id", ""), source=settle_space("".join(sources), unit))
    if all(t is not None for t in targets):
        entry.target = settle_space("".join(targets), unit)
        entry.fuzzy = bool(entry.target) and not all(s in APPROVED_STATES for s in states)
    for note in unit.iterfind(f"{{{NS}}}notes/{{{NS}}}note"):
        text, category = note.text or "", note.get("category")
        if category == CONTEXT:
            entry.context = text
        elif category == LOCATION:
            entry.references.append(text)
        elif category == PREVIOUS:
            entry.previous_source = text
        else:
            entry.comments.append(text)
    if not entry.fuzzy:
        entry.previous_source = None
    for match in unit.iterfind(f"{{{MTC}}}matches/{{{MTC}}}match"):
        source, target = match.find(f"{{{NS}}}source"), match.find(f"{{{NS}}}target")
        try:
            score = round(float(match.get("matchQuality", "")))
        except ValueError:
            continue
        if target is not None:
            entry.suggestions.append(
                Suggestion(
                    inline_text(source) if source is not None else "",
                    inline_text(target),
                    score,
                    match.get("origin") or "memory",
                )
            )
    return entry


FORMAT = Xliff2Format()
