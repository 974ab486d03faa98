"""What translators' tools do to the files we send: each function edits or rewrites one file.

Used by the round-trip tests (live, with the tools installed here) and by
``tests/data/returned/make_returned.py`` (which kept their output as fixtures).
"""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import polib
from lxml import etree

from conftest import need_oracle

XLIFF12 = "urn:oasis:names:tc:xliff:document:1.2"


def fill_po(path: Path, translations: dict[str, str], fuzzy: frozenset[str] | set[str] = frozenset()) -> None:
    """polib: set translations (and fuzzy marks) by msgctxt, and save."""
    po = polib.pofile(str(path))
    for entry in po:
        if entry.msgctxt in translations:
            entry.msgstr = translations[entry.msgctxt]
            entry.flags = ["fuzzy"] if entry.msgctxt in fuzzy else []
    po.save(str(path))


def gettext(*args: str | Path) -> None:
    """Run one GNU gettext program (an oracle: CI fails without it)."""
    need_oracle(shutil.which(str(args[0])) is not None, f"GNU gettext ({args[0]})")
    subprocess.run([str(a) for a in args], check=True, capture_output=True)


def babel_rewrite(path: Path, translations: dict[str, str], width: int = 60) -> bytes:
    """Babel: read_po, set translations (clearing fuzzy), write_po; Babel rebuilds the header."""
    from babel.messages.pofile import read_po, write_po

    with path.open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if message.context in translations:
            message.string = translations[message.context]
            message.flags.discard("fuzzy")
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=width)
    return buffer.getvalue()


def ttk_xliff12(data: bytes, translations: dict[str, str], fuzzy: set[str] = frozenset()) -> bytes:
    """translate-toolkit's XLIFF 1.2 store: open, set targets (settarget approves), save."""
    from translate.storage.xliff import xlifffile

    store = xlifffile.parsestring(data)
    for unit in store.units:
        unit_id = unit.xmlelement.get("id")  # getid() prefixes the file's original
        unit.settarget(translations[unit_id])
        if unit_id in fuzzy:
            unit.markfuzzy(True)
    return bytes(store)


def ttk_xliff2(data: bytes, translations: dict[str, str], fuzzy: set[str] = frozenset()) -> bytes:
    """translate-toolkit's XLIFF 2 store: open, set targets, mark fuzzy or not, save."""
    from translate.storage.xliff2 import Xliff2File

    store = Xliff2File.parsestring(data)
    for unit in store.units:
        unit_id = unit.getunitelement().get("id")
        unit.settarget(translations[unit_id])
        unit.markfuzzy(unit_id in fuzzy)
    return bytes(store)


def reserialise(data: bytes, prefix: str = "x") -> bytes:
    """Another XML tool: its own namespace prefix, attributes reversed, tab indents, CRLF."""
    old = etree.fromstring(data)
    namespace = etree.QName(old).namespace
    nsmap = {prefix: namespace, "m": "urn:oasis:names:tc:xliff:matches:2.0"}

    def copy(element, parent):
        new = (
            etree.Element(element.tag, nsmap=nsmap)
            if parent is None
            else etree.SubElement(parent, element.tag)
        )
        for key, value in reversed(element.attrib.items()):
            new.set(key, value)
        new.text, new.tail = element.text, element.tail
        for child in element:
            if isinstance(child.tag, str):
                copy(child, new)
        if etree.QName(element).localname not in ("source", "target", "note", "context") and len(new):
            new.text = "\n\t"
            for child in new:
                child.tail = "\n\t"
        return new

    body = etree.tostring(copy(old, None), encoding="utf-8")
    return (b"<?xml version='1.0' encoding='utf-8'?>\n" + body).replace(b"\n", b"\r\n")


def split_into_mrk(data: bytes, translations: dict[str, str]) -> bytes:
    """A tool that segments further (OmegaT, Okapi): seg-source and targets made of mrk sub-segments."""

    def q(local: str) -> str:
        return f"{{{XLIFF12}}}{local}"

    root = etree.fromstring(data)
    for unit in root.iter(q("trans-unit")):
        source = unit.find(q("source")).text
        translation = translations[unit.get("id")]
        halves = [(source, translation)]
        if " " in source and " " in translation:
            halves = list(zip(source.split(" ", 1), translation.split(" ", 1), strict=True))
        seg_source = etree.Element(q("seg-source"))
        unit.find(q("source")).addnext(seg_source)
        target = unit.find(q("target"))
        target.set("state", "translated")
        for holder, side in ((seg_source, 0), (target, 1)):
            for mid, pair in enumerate(halves):
                mrk = etree.SubElement(holder, q("mrk"), mtype="seg", mid=str(mid))
                mrk.text = pair[side]
                mrk.tail = " " if mid < len(halves) - 1 else None
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
