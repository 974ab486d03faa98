"""Coverage numbers (pure) and their renderings for coordinators."""

from __future__ import annotations

import csv
import html
import io
import json
from dataclasses import asdict, dataclass, field

from tm import locales
from tm.model import Catalog, Document
from tm.workspace import Workspace


def count_words(text: str) -> int:
    """Source words: white-space-separated tokens (the rule for Arabic, and close to pocount)."""
    return len(text.split())


@dataclass
class Coverage:
    """How far one release is translated into one language."""

    segments: int = 0
    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    words: int = 0
    words_translated: int = 0
    errors: int = 0
    warnings: int = 0
    stale: bool = False

    @property
    def percent(self) -> float:
        return round(100 * self.words_translated / self.words, 1) if self.words else 100.0

    def add(self, other: Coverage) -> None:
        for name in (
            "segments",
            "translated",
            "fuzzy",
            "untranslated",
            "words",
            "words_translated",
            "errors",
            "warnings",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.stale = self.stale or other.stale

    def as_dict(self) -> dict:
        return {**asdict(self), "percent": self.percent}


@dataclass
class ReleaseStatus:
    release: str
    source_language: str
    languages: dict[str, Coverage] = field(default_factory=dict)


def coverage(document: Document, catalog: Catalog | None, stale: bool) -> Coverage:
    """Count translated, fuzzy and untranslated segments and source words."""
    result = Coverage(stale=stale)
    entries = catalog.by_id() if catalog else {}
    for segment in document.segments:
        words = count_words(segment.text)
        result.segments += 1
        result.words += words
        entry = entries.get(segment.id)
        state = entry.state if entry and entry.source == segment.text else "untranslated"
        if state == "translated":
            result.translated += 1
            result.words_translated += words
        elif state == "fuzzy":
            result.fuzzy += 1
        else:
            result.untranslated += 1
    return result


def workspace_status(
    workspace: Workspace, release_ids: list[str], langs: list[str] | None = None
) -> list[ReleaseStatus]:
    statuses = []
    for release in workspace.select(release_ids):
        document = locales.parse(workspace, release)
        status = ReleaseStatus(release.id, release.lang)
        for lang in workspace.targets(release):
            if langs and lang not in langs:
                continue
            catalog = locales.load(workspace, release.id, lang)
            stale = catalog is None or locales.is_stale(workspace, release, catalog)
            status.languages[lang] = coverage(document, catalog, stale)
        statuses.append(status)
    return statuses


def totals(statuses: list[ReleaseStatus]) -> dict[str, Coverage]:
    """Totals per language and, under ``all``, for the whole workspace."""
    result: dict[str, Coverage] = {}
    for status in statuses:
        for lang, cov in status.languages.items():
            result.setdefault(lang, Coverage()).add(cov)
            result.setdefault("all", Coverage()).add(cov)
    return result


def below(statuses: list[ReleaseStatus], percent: float) -> list[tuple[str, str, float]]:
    return [
        (s.release, lang, cov.percent)
        for s in statuses
        for lang, cov in s.languages.items()
        if cov.percent < percent
    ]


def as_json(statuses: list[ReleaseStatus]) -> str:
    document = {
        "releases": [
            {
                "release": s.release,
                "source_language": s.source_language,
                "languages": {lang: cov.as_dict() for lang, cov in s.languages.items()},
            }
            for s in statuses
        ],
        "totals": {lang: cov.as_dict() for lang, cov in totals(statuses).items()},
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


COLUMNS = (
    "release",
    "lang",
    "segments",
    "translated",
    "fuzzy",
    "untranslated",
    "words",
    "words_translated",
    "percent",
    "errors",
    "warnings",
    "stale",
)


def rows(statuses: list[ReleaseStatus]) -> list[list]:
    return [
        [s.release, lang, *(cov.as_dict()[c] for c in COLUMNS[2:])]
        for s in statuses
        for lang, cov in s.languages.items()
    ]


def as_csv(statuses: list[ReleaseStatus]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows(statuses))
    return out.getvalue()


def as_markdown(statuses: list[ReleaseStatus]) -> str:
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines += ["| " + " | ".join(str(v) for v in row) + " |" for row in rows(statuses)]
    return "\n".join(lines) + "\n"


def as_table(statuses: list[ReleaseStatus]) -> str:
    header = ("release", "lang", "segments", "done", "fuzzy", "todo", "words", "%", "stale")
    body = [
        (
            s.release,
            lang,
            cov.segments,
            cov.translated,
            cov.fuzzy,
            cov.untranslated,
            cov.words,
            f"{cov.percent:.1f}",
            "yes" if cov.stale else "",
        )
        for s in statuses
        for lang, cov in s.languages.items()
    ]
    widths = [max(len(str(r[i])) for r in [header, *body]) for i in range(len(header))]
    line = "  ".join
    out = [line(str(h).ljust(w) for h, w in zip(header, widths, strict=True))]
    out += [line(str(v).ljust(w) for v, w in zip(r, widths, strict=True)) for r in body]
    return "\n".join(out).rstrip() + "\n"


def as_html(statuses: list[ReleaseStatus]) -> str:
    """A self-contained page with a progress bar per release and language."""
    rows_html = []
    for s in statuses:
        for lang, cov in s.languages.items():
            fuzzy_pct = round(100 * cov.fuzzy / cov.segments, 1) if cov.segments else 0
            rows_html.append(
                f'<tr><td>{html.escape(s.release)}</td><td lang="{lang}">{lang}</td>'
                f'<td><div class="bar" role="progressbar" aria-valuenow="{cov.percent}">'
                f'<div class="done" style="width:{cov.percent}%"></div>'
                f'<div class="fuzzy" style="width:{fuzzy_pct}%"></div></div></td>'
                f"<td>{cov.percent:.1f}%</td><td>{cov.fuzzy}</td><td>{cov.untranslated}</td>"
                f"<td>{'stale' if cov.stale else ''}</td></tr>"
            )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Translation status</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 1rem; }}
table {{ border-collapse: collapse; width: 100%; }}
td, th {{ padding: .3rem .5rem; border-bottom: 1px solid #ddd; text-align: left; }}
.bar {{ display: flex; width: 12rem; max-width: 40vw; height: .8rem; background: #f3d3d3; }}
.done {{ background: #2e7d32; }} .fuzzy {{ background: #f9a825; }}
</style></head><body>
<h1>Translation status</h1>
<table><thead><tr><th>Release</th><th>Language</th><th>Progress</th><th>Words done</th>
<th>Fuzzy</th><th>Missing</th><th></th></tr></thead>
<tbody>
{chr(10).join(rows_html)}
</tbody></table></body></html>
"""


RENDERERS = {
    "table": as_table,
    "json": as_json,
    "csv": as_csv,
    "markdown": as_markdown,
    "html": as_html,
}
