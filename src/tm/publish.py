"""``tm merge``: finished versions of a release in every language, and aligned views."""

from __future__ import annotations

import csv
import html
import io
from dataclasses import dataclass, field
from pathlib import Path

from tm import locales
from tm.checks import ERROR, check_segment, entry_waivers
from tm.errors import GateFailed
from tm.model import LANGUAGE_NAMES, Document, Entry, Segment, direction
from tm.sources import render_release
from tm.workspace import Workspace, atomic_write

EXTENSIONS = {"txt": "txt", "md": "md", "html": "html"}


@dataclass
class Version:
    """One language of a release, ready to publish or not."""

    lang: str
    translations: dict[str, str]
    gaps: list[tuple[str, str]] = field(default_factory=list)  # (segment ID, why)


@dataclass
class Publication:
    release: str
    paths: list[Path] = field(default_factory=list)
    gaps: dict[str, list[tuple[str, str]]] = field(default_factory=dict)


def collect_versions(workspace: Workspace, document: Document) -> list[Version]:
    """The source version and one version per target language, with their gaps."""
    release = document.release
    versions = [Version(release.lang, {s.id: s.raw for s in document.segments})]
    for lang in workspace.targets(release):
        catalog = locales.load(workspace, release.id, lang)
        entries = catalog.by_id() if catalog else {}
        version = Version(lang, {})
        for segment in document.segments:
            entry = entries.get(segment.id)
            if entry is None or not entry.target or entry.source != segment.text:
                version.gaps.append((segment.id, "untranslated"))
            elif entry.fuzzy:
                version.gaps.append((segment.id, "fuzzy"))
            elif errors := _check_errors(entry, release.lang, lang):
                version.gaps.append((segment.id, "check error: " + ", ".join(errors)))
            else:
                version.translations[segment.id] = entry.target
        versions.append(version)
    return versions


def _check_errors(entry: Entry, source_lang: str, lang: str) -> list[str]:
    """The IDs of the error-level checks a finished translation fails (waivers honoured)."""
    findings = check_segment(entry.source, entry.target, source_lang, lang, entry.id, entry_waivers(entry))
    return [f.check for f in findings if f.severity == ERROR and not f.waived]


def merge(
    workspace: Workspace,
    release_id: str,
    langs: list[str] | None = None,
    aligned: list[str] | None = None,
    allow_partial: bool = False,
    out_dir: Path | None = None,
) -> Publication:
    """Write ``build/<release>/<release>.<lang>.<ext>`` for each language (and aligned views).

    A version with gaps (untranslated, fuzzy, or failing an error-level check) is refused
    unless ``allow_partial``, which fills them from the source.
    """
    release = workspace.release(release_id)
    document = locales.parse(workspace, release)
    versions = [v for v in collect_versions(workspace, document) if not langs or v.lang in langs]
    incomplete = [v for v in versions if v.gaps]
    if incomplete and not allow_partial:
        detail = "; ".join(
            f"{v.lang}: " + ", ".join(f"{sid} ({why})" for sid, why in v.gaps) for v in incomplete
        )
        raise GateFailed(
            f"{release.id} is not complete ({detail}); translate these segments "
            "or pass --allow-partial to fill them from the source"
        )
    out = (out_dir or workspace.build_dir) / release.id
    publication = Publication(release.id)
    ext = EXTENSIONS[release.format]
    for version in versions:
        path = out / f"{release.id}.{version.lang}.{ext}"
        atomic_write(path, render_release(document, version.translations, version.lang))
        publication.paths.append(path)
        if version.gaps:
            publication.gaps[version.lang] = version.gaps
    kinds = list(ALIGNED) if "all" in (aligned or []) else list(dict.fromkeys(aligned or []))
    for kind in kinds:
        path = out / f"{release.id}.aligned.{kind}"
        atomic_write(path, ALIGNED[kind](document, versions))
        publication.paths.append(path)
    return publication


def _cell(document: Document, version: Version, segment: Segment) -> str:
    """A segment's text in one language for an aligned view: one line, gaps from the source."""
    if version.lang == document.release.lang:
        return segment.text
    return version.translations.get(segment.id) or segment.text


def aligned_html(document: Document, versions: list[Version]) -> str:
    """A self-contained side-by-side page: one row per segment, grouped by paragraph."""
    head = "".join(
        f'<th lang="{v.lang}" dir="{direction(v.lang)}">{LANGUAGE_NAMES.get(v.lang, v.lang)}</th>'
        for v in versions
    )
    bodies = []
    for paragraph in document.paragraphs:
        rows = []
        for segment in paragraph:
            cells = "".join(
                f'<td lang="{v.lang}" dir="{direction(v.lang)}">'
                f"{html.escape(_cell(document, v, segment))}</td>"
                for v in versions
            )
            rows.append(f'<tr id="{segment.id}"><th class="id">{segment.id}</th>{cells}</tr>')
        bodies.append("<tbody>" + "".join(rows) + "</tbody>")
    title = html.escape(document.release.id)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}: aligned</title>
<style>
body {{ font-family: system-ui, "Noto Naskh Arabic", sans-serif; margin: 1rem; }}
table {{ border-collapse: collapse; width: 100%; table-layout: fixed; }}
td, th {{ vertical-align: top; padding: .35rem .5rem; overflow-wrap: anywhere; }}
thead th {{ text-align: start; border-bottom: 2px solid #444; }}
tbody {{ border-bottom: 1px solid #bbb; }}
th.id {{ width: 3.5rem; color: #999; font-weight: normal; font-size: .7rem; text-align: start; }}
td[dir="rtl"] {{ text-align: right; font-size: 1.1em; }}
@page {{ size: A4 landscape; margin: 12mm; }}
@media print {{ body {{ margin: 0; font-size: 9pt; }} tbody {{ break-inside: avoid; }} }}
</style></head><body>
<h1>{title}</h1>
<table><thead><tr><th class="id"></th>{head}</tr></thead>
{chr(10).join(bodies)}
</table></body></html>
"""


def aligned_csv(document: Document, versions: list[Version]) -> str:
    """One row per segment, one column per language; UTF-8 with a BOM so spreadsheets
    recognise the encoding, CRLF line ends as RFC 4180 has them."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["release", "segment", *(v.lang for v in versions)])
    for segment in document.segments:
        writer.writerow(
            [
                document.release.id,
                segment.id,
                *(_cell(document, v, segment) for v in versions),
            ]
        )
    return "\ufeff" + out.getvalue()


def aligned_tmx(document: Document, versions: list[Version]) -> bytes:
    """A multilingual TMX 1.4: one ``tu`` per segment (``tuid`` = release:segment) holding
    every language that has a finished translation; gaps are left out, never filled."""
    from tm.formats.tmx import tmx_bytes
    from tm.memory import Provenance, Unit

    release = document.release
    units = (
        Unit(
            {
                v.lang: segment.text if v.lang == release.lang else v.translations[segment.id]
                for v in versions
                if v.lang == release.lang or segment.id in v.translations
            },
            Provenance(release=release.id, segment=segment.id, origin="aligned"),
            id=f"{release.id}:{segment.id}",
        )
        for segment in document.segments
    )
    return tmx_bytes(units, source_lang=release.lang)


ALIGNED = {"html": aligned_html, "csv": aligned_csv, "tmx": aligned_tmx}
