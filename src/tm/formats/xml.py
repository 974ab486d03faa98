"""XML parsing that never expands entities, never loads a DTD and never touches the network.

Every XML file tm reads (XLIFF, TMX) goes through here. A document that declares entities
or points at an external DTD is refused outright rather than parsed with them ignored: a
translator's tool has no reason to send one, and an attacker has every reason to.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

from tm.errors import FormatError

_WHERE = re.compile(r",? line \d+, column \d+$")
_DOCTYPE = re.compile(rb"<!DOCTYPE\b(?P<body>[^\[>]*)(?:\[(?P<internal>.*?)\])?\s*>", re.DOTALL)


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=False,
    )


def refuse_declarations(data: bytes, path: str, known_dtds: tuple[str, ...] = ()) -> None:
    """Refuse entity declarations and external DTDs before any parser sees the document.

    ``known_dtds`` names system identifiers a format always carries (``tmx14.dtd``): those
    are allowed, since the DTD is never loaded anyway.
    """
    head = data[:65536]
    entity = head.find(b"<!ENTITY")
    if entity >= 0:
        raise FormatError(
            "XML declares entities; refused (no entity is ever expanded)", path, _line(data, entity)
        )
    match = _DOCTYPE.search(head)
    if (
        match
        and re.search(rb"\b(SYSTEM|PUBLIC)\b", match.group("body"))
        and not _names_known_dtd(match.group("body"), known_dtds)
    ):
        raise FormatError(
            "XML refers to an external DTD; refused (nothing is ever fetched)",
            path,
            _line(data, match.start()),
        )


def parse_xml(data: bytes, path: str) -> etree._Element:
    """The root element of a whole XML document, or a one-line FormatError with the line."""
    refuse_declarations(data, path)
    try:
        return etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError as exc:
        raise FormatError(f"malformed XML: {_WHERE.sub('', exc.msg)}", path, exc.lineno) from None


def iterparse_xml(
    source, path: str, tag: str | tuple[str, ...], known_dtds: tuple[str, ...] = ()
) -> Iterator[etree._Element]:
    """Stream the elements named ``tag`` from a file, in bounded memory.

    The caller clears each element when done with it (``element.clear()``).
    """
    with open(source, "rb") as handle:
        refuse_declarations(handle.read(65536), path, known_dtds)
    try:
        for _event, element in etree.iterparse(
            str(source),
            events=("end",),
            tag=tag,
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=True,
        ):
            yield element
    except etree.XMLSyntaxError as exc:
        raise FormatError(f"malformed XML: {_WHERE.sub('', exc.msg)}", path, exc.lineno) from None


def _names_known_dtd(body: bytes, known_dtds: tuple[str, ...]) -> bool:
    """True when the DOCTYPE's system identifier is one of ``known_dtds`` (a bare name)."""
    quoted = re.findall(rb"[\"']([^\"']*)[\"']", body)
    return bool(quoted) and quoted[-1].decode("latin-1") in known_dtds


def _line(data: bytes, offset: int) -> int:
    return data[:offset].count(b"\n") + 1
