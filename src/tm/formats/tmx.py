"""TMX, the exchange format of translation memories: read 1.4 and 1.1, write 1.4.

Reading streams ``<tu>`` elements with :func:`tm.formats.xml.iterparse_xml` and clears
each one, so a file of a million units is read in bounded memory. Language comes from
``xml:lang`` (TMX 1.4) or ``lang`` (TMX 1.1, as OmegaT and older tools write). Inline codes
become tm's numbered tags (:mod:`tm.placeholders`): ``<bpt>``/``<ept>`` and ``<hi>`` →
``<1>…</1>``; ``<ph>``, ``<it>``, ``<ut>`` → ``<2/>``. A code's number is its ``x``
attribute when it has one (``x`` ties the codes of one unit's languages together), else
the next free number; the native code inside is not kept. Most units are taken apart by
the C of :func:`_unit_parts` where ``make`` built it (:func:`_compiled_parts`).

Writing produces TMX 1.4 valid against the LISA DTD: one ``<tu>`` per unit with a ``<tuv>``
per language, provenance in ``<prop type="x-…">`` and the standard date and id attributes.
:func:`write_tmx` streams to a binary file; :func:`tmx_bytes` returns the document.
"""

from __future__ import annotations

import functools
import io
import mmap
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from lxml import etree

from tm.compiled import built_from
from tm.errors import FormatError
from tm.formats.xml import iterparse_xml
from tm.memory import Provenance, Unit
from tm.placeholders import Tag, tokens

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
KNOWN_DTDS = ("tmx11.dtd", "tmx12.dtd", "tmx13.dtd", "tmx14.dtd")
PROPS = {"x-release": "release", "x-segment": "segment", "x-file": "file", "x-origin": "origin"}
_STANDALONE = {"ph", "it", "ut"}
_TU = re.compile(rb"<tu[\s>]")


def sniff(data: bytes) -> bool:
    """True when ``data`` (the start of a file) looks like TMX."""
    return re.search(rb"<tmx[\s>]", data[:4096]) is not None


def count_units(path: Path) -> int:
    """A quick count of ``<tu`` elements, for a progress bar's length."""
    if Path(path).stat().st_size == 0:
        return 0
    with open(path, "rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
        return sum(1 for _ in _TU.finditer(data))


def read_tmx(path: Path, shown: str | None = None, origin: str = "tmx") -> Iterator[Unit]:
    """Every translation unit of a TMX file, in order, one at a time.

    Units with fewer than two languages are still returned (a monolingual memory is a
    memory too); a unit with no language or no text is skipped.
    """
    for variants, provenance, status, notes in read_tmx_parts(path, shown, origin):
        yield Unit(variants, provenance, status, None, notes)


def read_tmx_parts(
    path: Path, shown: str | None = None, origin: str = "tmx"
) -> Iterator[tuple[dict[str, str], Provenance, str, tuple[str, ...]]]:
    """:func:`read_tmx`'s units as their parts (variants, provenance, status, notes), for a
    reader that sends them on rather than making units of them."""
    shown = shown or str(path)
    compiled = _compiled_parts()
    for element in iterparse_xml(path, shown, "tu", KNOWN_DTDS):
        parts = compiled and compiled(element, origin, PROPS, _language, _provenance, _iso_date)
        if parts is None:  # not built, or a unit it leaves to the Python
            parts = _unit_parts(element, shown, origin)
        _release(element)
        if parts[0]:
            yield parts


def _unit_parts(
    tu: etree._Element, shown: str, origin: str
) -> tuple[dict[str, str], Provenance, str, tuple[str, ...]]:
    variants: dict[str, str] = {}
    props: dict[str, str] = {}
    notes = []
    status = "approved"
    # who and when: the unit's attributes, else a variant's (OmegaT puts them on <tuv>);
    # looked for only where there are attributes (most units have none but the languages)
    translator = date = ""
    if tu.keys():
        translator = tu.get("changeid") or tu.get("creationid") or ""
        date = tu.get("changedate") or tu.get("creationdate") or ""
    for child in tu:
        tag = child.tag
        if tag == "tuv":
            lang = child.get(XML_LANG) or child.get("lang")
            if (not translator or not date) and len(child.keys()) > 1:
                translator = translator or child.get("changeid") or child.get("creationid") or ""
                date = date or child.get("changedate") or child.get("creationdate") or ""
            if not lang:
                raise FormatError("<tuv> without xml:lang (or lang)", shown, child.sourceline)
            for seg in child:  # faster than child.find("seg"), which compiles a path each time
                if seg.tag == "seg":
                    break
            else:
                raise FormatError("<tuv> without <seg>", shown, child.sourceline)
            text = seg.text or "" if not len(seg) else _segment_text(seg)
            if text.strip():
                variants[_language(lang)] = text
        elif tag == "prop":
            kind = child.get("type", "")
            if kind in PROPS:
                props[PROPS[kind]] = child.text or ""
            elif kind == "x-status" and (child.text or "") in ("approved", "draft"):
                status = child.text or "approved"
        elif tag == "note" and child.text:
            notes.append(child.text)
    provenance = _provenance(
        props.get("release", ""),
        props.get("segment", ""),
        props.get("file", ""),
        translator,
        props.get("origin", origin),
        _iso_date(date) if date else "",
    )
    return variants, provenance, status, tuple(notes)


@functools.cache
def _compiled_parts() -> Callable | None:
    """``tm.formats._tmx.unit_parts``, the C of :func:`_unit_parts` for the usual shape of
    unit (plain ``<seg>`` texts and attribute values; None for any other), when ``make``
    built it from the ``_tmx.c`` beside it (:func:`tm.compiled.built_from`) against the lxml
    that runs (it reads lxml's element struct); None otherwise.

    It takes a large import's reader 2 µs a unit where the Python takes 10: a million
    units' reader spends 8 s less."""
    built = built_from("tm.formats._tmx", Path(__file__).with_name("_tmx.c"))
    return built.unit_parts if built is not None and etree.__version__ == built.LXML_VERSION else None


# units of one file mostly share their provenance: one immutable object serves them all
_provenance = functools.lru_cache(maxsize=4096)(Provenance)


def _segment_text(seg: etree._Element) -> str:
    """The text of a ``<seg>`` with inline codes as numbered tags."""
    used: set[int] = set()
    paired: dict[str, int] = {}
    parts: list[str] = [seg.text or ""]

    def number(code: etree._Element) -> int:
        x = code.get("x", "")
        n = int(x) if x.isdigit() and int(x) not in used else max(used, default=0) + 1
        used.add(n)
        return n

    def walk(parent: etree._Element) -> None:
        for code in parent:
            if not isinstance(code.tag, str):  # a comment or processing instruction
                parts.append(code.tail or "")
                continue
            if code.tag == "bpt":
                n = number(code)
                paired[code.get("i", str(n))] = n
                parts.append(f"<{n}>")
            elif code.tag == "ept":
                n = paired.pop(code.get("i", ""), None)
                parts.append(f"</{n}>" if n is not None else f"<{number(code)}/>")
            elif code.tag == "hi":
                n = number(code)
                parts.append(f"<{n}>{code.text or ''}")
                walk(code)
                parts.append(f"</{n}>")
            elif code.tag in _STANDALONE:
                parts.append(f"<{number(code)}/>")
            parts.append(code.tail or "")

    walk(seg)
    return "".join(parts)


def _release(element: etree._Element) -> None:
    """Free a streamed element and the finished siblings before it."""
    element.clear()
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


@functools.lru_cache(maxsize=256)
def _language(code: str) -> str:
    """``EN-US`` → ``en``, ``fr_FR`` → ``fr``: tm's languages are bare ISO 639 codes, as in
    tm.toml, so that an OmegaT memory in ``EN-US`` serves an ``en`` workspace."""
    return code.replace("_", "-").split("-")[0].lower()


@functools.lru_cache(maxsize=1024)
def _iso_date(value: str) -> str:
    """TMX's ``20120522T101010Z`` → ``2012-05-22T10:10:10+00:00``; other forms kept as given.

    The form TMX prescribes is read by slicing (``strptime`` costs about 11 µs, a third of
    all a large import's reader does per unit when every unit has its own date); any other
    goes to ``strptime``, with the same results."""
    if len(value) == 16 and value[8] == "T" and value[15] == "Z" and (value[:8] + value[9:15]).isdecimal():
        try:
            date = int(value[:4]), int(value[4:6]), int(value[6:8])
            time = int(value[9:11]), int(value[11:13]), int(value[13:15])
            when = datetime(*date, *time, tzinfo=UTC)
        except ValueError:
            return value
        return when.isoformat(timespec="seconds")
    try:
        return datetime.strptime(value, "%Y%m%dT%H%M%S%z").isoformat(timespec="seconds")
    except ValueError:
        return value


def _tmx_date(value: str) -> str | None:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.utcoffset() is None:
        return moment.strftime("%Y%m%dT%H%M%SZ")
    return (moment - moment.utcoffset()).strftime("%Y%m%dT%H%M%SZ")


def write_tmx(
    units: Iterable[Unit | Mapping[str, str]],
    output: BinaryIO,
    source_lang: str = "*all*",
    tool_version: str = "0.1.0",
) -> int:
    """Stream TMX 1.4 for ``units`` to ``output``; return how many units were written.

    A unit is a :class:`~tm.memory.Unit` or a plain ``{lang: text}`` mapping (an aligned
    release's sentences, for instance). ``source_lang`` is the header's ``srclang``:
    ``*all*`` (any language may be the source) unless one is named.
    """
    written = 0
    with etree.xmlfile(output, encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element("tmx", version="1.4"):
            xf.write("\n")
            xf.write(
                etree.Element(
                    "header",
                    creationtool="tm",
                    creationtoolversion=tool_version,
                    segtype="sentence",
                    datatype="plaintext",
                    adminlang="en",
                    srclang=source_lang,
                    **{"o-tmf": "tm"},
                ),
                pretty_print=True,
            )
            with xf.element("body"):
                xf.write("\n")
                for unit in units:
                    if not isinstance(unit, Unit):
                        unit = Unit(dict(unit))
                    if unit.variants:
                        xf.write(_tu(unit))
                        written += 1
            xf.write("\n")
    output.write(b"\n")
    return written


def tmx_bytes(units: Iterable[Unit | Mapping[str, str]], source_lang: str = "*all*") -> bytes:
    """The TMX 1.4 document for ``units`` (see :func:`write_tmx`)."""
    buffer = io.BytesIO()
    write_tmx(units, buffer, source_lang)
    return buffer.getvalue()


def _tu(unit: Unit) -> etree._Element:
    p = unit.provenance
    tu = etree.Element("tu")
    if unit.id is not None:
        tu.set("tuid", str(unit.id))
    date = _tmx_date(p.date) if p.date else None
    if date:
        tu.set("creationdate", date)
    if p.translator:
        tu.set("creationid", p.translator)
    for note in unit.notes:
        etree.SubElement(tu, "note").text = note
    for kind, field in PROPS.items():
        value = getattr(p, field)
        if value:
            etree.SubElement(tu, "prop", type=kind).text = value
    etree.SubElement(tu, "prop", type="x-status").text = unit.status
    for lang, text in unit.variants.items():
        tuv = etree.SubElement(tu, "tuv", {XML_LANG: lang})
        _fill_segment(etree.SubElement(tuv, "seg"), text)
    _indent(tu)
    return tu


def _indent(tu: etree._Element) -> None:
    """Line breaks and indentation between a unit's elements, never inside a segment, whose
    every character is text: lxml's pretty printing indents a segment holding nothing but
    inline codes, and the spaces would come back as the segment's text."""
    tu.text = "\n  "
    for child in tu:
        child.tail = "\n  "
        if child.tag == "tuv":
            child.text = "\n    "
            child[0].tail = "\n  "
    tu[-1].tail = "\n"
    tu.tail = "\n"


def _fill_segment(seg: etree._Element, text: str) -> None:
    """Numbered tags → ``<bpt>``/``<ept>``/``<ph>``; everything else stays text."""
    last: etree._Element | None = None
    for token in tokens(text):
        if isinstance(token, Tag):
            if token.kind == "open":
                last = etree.SubElement(seg, "bpt", i=token.id, x=token.id)
            elif token.kind == "close":
                last = etree.SubElement(seg, "ept", i=token.id)
            else:
                last = etree.SubElement(seg, "ph", x=token.id)
        elif last is None:
            seg.text = (seg.text or "") + token
        else:
            last.tail = (last.tail or "") + token
