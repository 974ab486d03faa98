"""GNU gettext PO files: the working copies in ``locales/`` and what most translators use."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import polib

from tm.errors import FormatError
from tm.formats.po_reader import PoRecord, header_fields, read_records
from tm.formats.xliff_shared import check_unique
from tm.model import Catalog, Entry

PLURAL_FORMS = {
    "ar": "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : "
    "n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);",
    "en": "nplurals=2; plural=(n != 1);",
    "fr": "nplurals=2; plural=(n > 1);",
}
MATCH_COMMENT = "memory match:"
DEFAULT_PLURAL_FORMS = "nplurals=2; plural=(n != 1);"
_CHARSET = re.compile(rb"charset=([-\w.:]+)", re.IGNORECASE)
_SOURCE_REFERENCE = re.compile(r"^(?:.*/)?sources/(?P<release>[^/]+)\.[a-z]{2,3}(?:-[A-Za-z0-9]+)?\.\w+$")


def header_for(catalog: Catalog) -> dict[str, str]:
    """The full PO header: standard fields first, then what tm needs to read the file back."""
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M+0000")
    header = {
        "Project-Id-Version": catalog.release,
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": now,
        "PO-Revision-Date": now,
        "Last-Translator": "",
        "Language-Team": "",
        "Language": catalog.lang,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": PLURAL_FORMS.get(catalog.lang, DEFAULT_PLURAL_FORMS),
        "X-Generator": "tm",
        "X-Release": catalog.release,
        "X-Source-Language": catalog.source_lang,
    }
    header.update({k: v for k, v in catalog.header.items() if v or k not in header})
    header["Language"] = catalog.lang
    header["X-Source-Language"] = catalog.source_lang
    return header


class PoFormat:
    name = "po"
    suffixes = (".po", ".pot")

    def sniff(self, data: bytes) -> bool:
        head = data.lstrip(b"\xef\xbb\xbf").lstrip()
        return head.startswith((b"#", b"msgid", b"msgctxt")) or b'\nmsgid "' in data[:4096]

    def write(self, catalog: Catalog) -> bytes:
        po = polib.POFile(wrapwidth=78)
        po.metadata = header_for(catalog)
        for entry in catalog.entries:
            po.append(_po_entry(entry))
        return str(po).encode("utf-8")

    def read(self, data: bytes, path: str) -> Catalog:
        records = read_records(_decode(data, path), path)
        meta: dict[str, str] = {}
        if records and records[0].msgid == "" and records[0].msgctxt is None:
            meta = header_fields(records.pop(0).msgstr or "")
        catalog = Catalog(
            release=_release_of(meta, records),
            source_lang=meta.get("X-Source-Language", "").strip(),
            lang=meta.get("Language", "").strip().replace("-", "_").split("_")[0],
            header=meta,
        )
        catalog.entries = [_entry(r) for r in records]
        active = [r for r in records if r.msgctxt and not r.obsolete]
        check_unique(((r.msgctxt, r.line) for r in active), path)
        return catalog


def _release_of(meta: dict[str, str], records: list[PoRecord]) -> str:
    """The release a PO file is for, from what survives translators' tools.

    ``X-Release`` first; tools that rebuild the header (Babel) drop it, so then the source
    references (``#: sources/<release>.<lang>.<ext>:<line>``), then ``Project-Id-Version``.
    """
    if meta.get("X-Release", "").strip():
        return meta["X-Release"].strip()
    for record in records:
        for reference in record.references:
            match = _SOURCE_REFERENCE.match(reference.rsplit(":", 1)[0])
            if match:
                return match["release"]
    words = meta.get("Project-Id-Version", "").split()
    return words[0] if words else ""


def _decode(data: bytes, path: str) -> str:
    data = data.removeprefix(b"\xef\xbb\xbf")
    match = _CHARSET.search(data[:4096])
    charset = match.group(1).decode("ascii") if match else "utf-8"
    if charset.upper() == "CHARSET":
        charset = "utf-8"
    try:
        text = data.decode(charset)
    except LookupError:
        raise FormatError(f"unknown charset '{charset}' in the PO header", path) from None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FormatError(f"not valid {charset} text", path, line) from None
    return text.replace("\r\n", "\n")


def _po_entry(entry: Entry) -> polib.POEntry:
    if not entry.target and entry.suggestions and not entry.obsolete:
        return _suggestion_entry(entry)
    flags = list(dict.fromkeys((["fuzzy"] if entry.fuzzy and entry.target else []) + entry.flags))
    item = polib.POEntry(
        msgctxt=entry.id,
        msgid=entry.source,
        msgstr=entry.target,
        comment=entry.context,
        tcomment="\n".join(entry.comments),
        occurrences=[tuple(ref.rsplit(":", 1)) if ":" in ref else (ref, "") for ref in entry.references],
        flags=flags,
        obsolete=entry.obsolete,
    )
    if entry.previous_source is not None and entry.fuzzy:
        item.previous_msgctxt = entry.id
        item.previous_msgid = entry.previous_source
    return item


def _suggestion_entry(entry: Entry) -> polib.POEntry:
    """An untranslated entry offered its best memory match: fuzzy, ``#| msgid`` and the score."""
    best = max(entry.suggestions, key=lambda s: s.score)
    offered = Entry(
        id=entry.id,
        source=entry.source,
        target=best.target,
        fuzzy=True,
        previous_source=best.source,
        context=entry.context,
        references=entry.references,
        comments=[*entry.comments, f"{MATCH_COMMENT} {best.score}%"],
        flags=entry.flags,
    )
    return _po_entry(offered)


def _entry(record: PoRecord) -> Entry:
    return Entry(
        id=record.msgctxt or "",
        source=record.msgid or "",
        target=record.msgstr or "",
        fuzzy="fuzzy" in record.flags,
        previous_source=record.previous_msgid,
        context="\n".join(record.comments),
        references=list(record.references),
        comments=list(record.translator_comments),
        flags=[f for f in record.flags if f != "fuzzy"],
        obsolete=record.obsolete,
    )


FORMAT = PoFormat()
