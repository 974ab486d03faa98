"""GNU gettext PO files: the working copies in ``locales/`` and what most translators use."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import polib

from tm.errors import FormatError
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
_SYNTAX_LINE = re.compile(r"line (\d+)")
# One PO line: blank, a comment, or an optional keyword followed by one complete C string.
_STRING = r'"(?:[^"\\]|\\.)*"'
_PO_LINE = re.compile(
    rf"^(?:#~\s*)?(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?{_STRING}\s*$"
    r"|^\s*$|^#.*$"
)


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
        text = _decode(data, path)
        _check_lines(text, path)
        try:
            po = polib.pofile(text, wrapwidth=78)
        except (OSError, ValueError) as exc:
            match = _SYNTAX_LINE.search(str(exc))
            line = int(match.group(1)) if match else None
            raise FormatError(f"malformed PO file: {_first_line(exc)}", path, line) from None
        meta = po.metadata
        catalog = Catalog(
            release=_release_of(meta, po),
            source_lang=meta.get("X-Source-Language", "").strip(),
            lang=meta.get("Language", "").strip().replace("-", "_").split("_")[0],
            header=dict(meta),
        )
        catalog.entries = [_entry(item) for item in po]
        active = [item for item in po if item.msgctxt and not item.obsolete]
        check_unique(((item.msgctxt, item.linenum) for item in active), path)
        return catalog


def _release_of(meta: dict[str, str], po: polib.POFile) -> str:
    """The release a PO file is for, from what survives translators' tools.

    ``X-Release`` first; tools that rebuild the header (Babel) drop it, so then the source
    references (``#: sources/<release>.<lang>.<ext>:<line>``), then ``Project-Id-Version``.
    """
    if meta.get("X-Release", "").strip():
        return meta["X-Release"].strip()
    for item in po:
        for path, _line in item.occurrences:
            match = _SOURCE_REFERENCE.match(path)
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


def _check_lines(text: str, path: str) -> None:
    """polib forgives broken strings; gettext does not, and neither do we."""
    for number, line in enumerate(text.split("\n"), 1):
        if not _PO_LINE.match(line):
            shown = line if len(line) <= 40 else line[:40] + "…"
            raise FormatError(f"malformed PO file: cannot read {shown!r}", path, number)


def _first_line(exc: Exception) -> str:
    return _SYNTAX_LINE.sub("", str(exc).splitlines()[0]).rstrip(" ():")


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


def _entry(item: polib.POEntry) -> Entry:
    flags = [f for f in item.flags if f != "fuzzy"]
    return Entry(
        id=item.msgctxt or "",
        source=item.msgid,
        target=item.msgstr,
        fuzzy="fuzzy" in item.flags,
        previous_source=item.previous_msgid,
        context=item.comment or "",
        references=[f"{p}:{n}" if n else p for p, n in item.occurrences],
        comments=item.tcomment.splitlines() if item.tcomment else [],
        flags=flags,
        obsolete=item.obsolete,
    )


FORMAT = PoFormat()
