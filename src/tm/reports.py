"""Coverage numbers (pure) and their renderings for coordinators."""

from __future__ import annotations

import csv
import io
import json
import multiprocessing
import os
import re
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from functools import partial

from tm import locales
from tm.checks import ERROR, Finding, check_catalog
from tm.model import Catalog, Entry, Release
from tm.statuscache import StatusCache, stamp
from tm.workspace import CONFIG_NAME, Workspace

_TAG = re.compile(r"<(?:[\w.:]+(?:\s[^<>]*)?/?|/[\w.]+)>")
_ABBREVIATION_DOT = re.compile(r"\D\.\D")
_WHITESPACE_COUNTED = frozenset({"ar"})


def count_words(text: str, lang: str = "en") -> int:
    """Source words as translators are paid for them.

    English, French and other languages written with spaces: Unicode word boundaries
    (UAX #29) after removing inline tags and dotted abbreviations, which is what
    translate-toolkit's ``pocount`` counts. Arabic: white-space-separated tokens, because
    word boundaries would split clitics that a translator reads as one word.
    """
    if lang.split("-")[0].split("_")[0] in _WHITESPACE_COUNTED:
        return len(text.split())
    from unicode_segmentation_rs import unicode_words

    return len(unicode_words(_ABBREVIATION_DOT.sub(" ", _TAG.sub("", text))))


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
    # Not part of the JSON shape of SPEC section 8: fuzzy words for the HTML bars, the working
    # file and the check findings for `tm check`.
    words_fuzzy: int = 0
    path: str = ""
    findings: list[Finding] = field(default_factory=list, repr=False)  # waived ones too

    @property
    def percent(self) -> float:
        return _percent(self.words_translated, self.words)

    @property
    def percent_fuzzy(self) -> float:
        return _percent(self.words_fuzzy, self.words, empty=0.0)

    @property
    def percent_segments(self) -> float:
        return _percent(self.translated, self.segments)

    def add(self, other: Coverage) -> None:
        for name in (*_COUNTS, "words_fuzzy"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.stale = self.stale or other.stale

    def as_dict(self) -> dict:
        """Exactly the shape of SPEC section 8."""
        return {**{name: getattr(self, name) for name in (*_COUNTS, "stale")}, "percent": self.percent}


_COUNTS = (
    "segments",
    "translated",
    "fuzzy",
    "untranslated",
    "words",
    "words_translated",
    "errors",
    "warnings",
)


def _percent(part: int, whole: int, empty: float = 100.0) -> float:
    return round(100 * part / whole, 1) if whole else empty


@dataclass
class ReleaseStatus:
    release: str
    source_language: str
    languages: dict[str, Coverage] = field(default_factory=dict)


def coverage(
    segments: Iterable[tuple[str, str]], catalog: Catalog | None, stale: bool, lang: str = "en"
) -> Coverage:
    """Count translated, fuzzy and untranslated segments and source words.

    ``segments`` are the release's (segment ID, source text) pairs in ``lang``; an entry
    counts only when it translates the current source text of its segment.
    """
    result = Coverage(stale=stale)
    entries = catalog.by_id() if catalog else {}
    finished: list[Entry] = []
    for segment_id, text in segments:
        words = count_words(text, lang)
        result.segments += 1
        result.words += words
        entry = entries.get(segment_id)
        state = entry.state if entry and entry.source == text else "untranslated"
        if state == "translated":
            result.translated += 1
            result.words_translated += words
            finished.append(entry)
        elif state == "fuzzy":
            result.fuzzy += 1
            result.words_fuzzy += words
        else:
            result.untranslated += 1
    if catalog is not None:
        checked = Catalog(catalog.release, catalog.source_lang, catalog.lang, finished)
        result.findings = check_catalog(checked)
        result.errors = sum(f.severity == ERROR and not f.waived for f in result.findings)
        result.warnings = sum(f.severity != ERROR and not f.waived for f in result.findings)
    return result


def is_stale(workspace: Workspace, release: Release, catalog: Catalog) -> bool:
    """True when the working file was extracted from another version of its source.

    The ``X-Source-Digest`` header decides when there is one: a source whose bytes did not
    change is not stale even if its file is newer (git checkouts and copies reset
    modification times, and ``tm extract`` leaves an up-to-date working file alone). A
    working file without the header is stale when it is older than its source.
    """
    if locales.SOURCE_DIGEST in catalog.header:
        return locales.is_stale(workspace, release, catalog)
    catalog_path = workspace.catalog_path(release.id, catalog.lang)
    return catalog_path.stat().st_mtime_ns < release.path.stat().st_mtime_ns


def _cache_entry(workspace: Workspace, release: Release, lang: str) -> tuple[str, list[int] | None]:
    """The cache key of one working file and the stamps its numbers depend on."""
    path = workspace.catalog_path(release.id, lang)
    return f"{release.id}/{lang}", stamp(release.path, path, workspace.root / CONFIG_NAME)  # rules: tm.toml


def release_status(workspace: Workspace, release: Release, langs: list[str] | None = None) -> ReleaseStatus:
    """Coverage of one release in each target language.

    A working file extracted from the current source holds every segment, so it is counted
    on its own; the source is parsed only when some working file is stale or missing.
    """
    status = ReleaseStatus(release.id, release.lang)
    document_segments: list[tuple[str, str]] | None = None
    for lang in workspace.targets(release):
        if langs and lang not in langs:
            continue
        path = workspace.catalog_path(release.id, lang)
        catalog = locales.load(workspace, release.id, lang)
        stale = catalog is None or is_stale(workspace, release, catalog)
        if catalog is not None and not stale:
            segments = [(e.id, e.source) for e in catalog.active]
        else:
            if document_segments is None:
                document = locales.parse(workspace, release)
                document_segments = [(s.id, s.text) for s in document.segments]
            segments = document_segments
        result = status.languages[lang] = coverage(segments, catalog, stale, release.lang)
        result.path = path.relative_to(workspace.root).as_posix()
    return status


# Below this many releases to read, one process is quicker than starting workers.
PARALLEL_FROM = 200


def workspace_status(
    workspace: Workspace,
    release_ids: list[str],
    langs: list[str] | None = None,
    cache: StatusCache | None = None,
    workers: int | None = None,
) -> list[ReleaseStatus]:
    """Coverage of the named releases (all when none is named) in each target language.

    Releases the cache cannot answer are read in ``workers`` processes (default: one per
    core) when there are many of them: reading and checking PO files is CPU-bound.
    """
    releases = workspace.select(release_ids)
    statuses: dict[str, ReleaseStatus] = {}
    pending = []
    for release in releases:
        status = _cached_status(workspace, release, langs, cache) if cache else None
        if status is None:
            pending.append(release)
        else:
            statuses[release.id] = status
    workers = workers or os.cpu_count() or 1
    if workers > 1 and len(pending) >= PARALLEL_FROM:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            chunk = max(1, len(pending) // (workers * 4))
            computed = list(
                pool.map(partial(release_status, workspace, langs=langs), pending, chunksize=chunk)
            )
    else:
        computed = [release_status(workspace, release, langs) for release in pending]
    for release, status in zip(pending, computed, strict=True):
        statuses[release.id] = status
        if cache:
            for lang, result in status.languages.items():
                cache.put(*_cache_entry(workspace, release, lang), result)
    if cache:
        cache.save()
    return [statuses[release.id] for release in releases]


def _cached_status(
    workspace: Workspace, release: Release, langs: list[str] | None, cache: StatusCache
) -> ReleaseStatus | None:
    """The release's status from the cache alone, or None when any language must be read."""
    status = ReleaseStatus(release.id, release.lang)
    for lang in workspace.targets(release):
        if langs and lang not in langs:
            continue
        found = cache.get(*_cache_entry(workspace, release, lang), Coverage)
        if found is None:
            return None
        status.languages[lang] = found
    return status


def status_cache(workspace: Workspace) -> StatusCache:
    """The workspace's status cache (``.tm-cache/status.json``)."""
    return StatusCache(workspace.root / ".tm-cache" / "status.json", workspace.root / "tm.toml")


def totals(statuses: list[ReleaseStatus]) -> dict[str, Coverage]:
    """Totals per language and, under ``all``, for the whole workspace."""
    result: dict[str, Coverage] = {}
    workspace = Coverage()
    for status in statuses:
        for lang, cov in status.languages.items():
            result.setdefault(lang, Coverage()).add(cov)
            workspace.add(cov)
    return {**dict(sorted(result.items())), "all": workspace}


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
    header = (
        "release",
        "lang",
        "segments",
        "done",
        "fuzzy",
        "todo",
        "words",
        "%words",
        "%segments",
        "errors",
        "warnings",
        "stale",
    )
    lines = [(s.release, lang, cov) for s in statuses for lang, cov in s.languages.items()] + [
        ("total", lang, cov) for lang, cov in totals(statuses).items()
    ]
    body = [
        (
            release,
            lang,
            cov.segments,
            cov.translated,
            cov.fuzzy,
            cov.untranslated,
            cov.words,
            f"{cov.percent:.1f}",
            f"{cov.percent_segments:.1f}",
            cov.errors,
            cov.warnings,
            "stale" if cov.stale else "",
        )
        for release, lang, cov in lines
    ]
    widths = [max(len(str(r[i])) for r in [header, *body]) for i in range(len(header))]
    line = "  ".join
    out = [line(str(h).ljust(w) for h, w in zip(header, widths, strict=True))]
    out += [line(str(v).ljust(w) for v, w in zip(r, widths, strict=True)) for r in body]
    return "\n".join(x.rstrip() for x in out) + "\n"


def findings(statuses: list[ReleaseStatus]) -> list[tuple[str, str, str, Finding]]:
    """Every check finding as (release, language, working file, finding), waived ones too."""
    return [
        (s.release, lang, cov.path, f)
        for s in statuses
        for lang, cov in s.languages.items()
        for f in cov.findings
    ]


def findings_as_table(statuses: list[ReleaseStatus]) -> str:
    out = []
    for _, _, path, f in findings(statuses):
        if not f.waived:
            out += [
                f"{path}: {f.segment}: {f.severity} [{f.check}] {f.message}",
                f"  source: {f.source}",
                f"  target: {f.target}",
            ]
    out.append(_findings_summary(statuses))
    return "\n".join(out) + "\n"


def _findings_summary(statuses: list[ReleaseStatus]) -> str:
    all_ = totals(statuses).get("all", Coverage())
    waived = sum(f.waived for *_, f in findings(statuses))
    files = sum(len(s.languages) for s in statuses)
    return (
        f"{all_.errors} error{'s' * (all_.errors != 1)}, {all_.warnings} warning{'s' * (all_.warnings != 1)}"
        f" ({waived} waived) in {files} working file{'s' * (files != 1)}"
    )


def findings_as_json(statuses: list[ReleaseStatus]) -> str:
    all_ = totals(statuses).get("all", Coverage())
    document = {
        "findings": [
            {"release": release, "lang": lang, "path": path, **asdict(f)}
            for release, lang, path, f in findings(statuses)
        ],
        "errors": all_.errors,
        "warnings": all_.warnings,
        "waived": sum(f.waived for *_, f in findings(statuses)),
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def as_html(statuses: list[ReleaseStatus]) -> str:
    """The dashboard: one self-contained page (see :mod:`tm.dashboard`)."""
    from tm.dashboard import page

    return page(statuses)


RENDERERS = {
    "table": as_table,
    "json": as_json,
    "csv": as_csv,
    "markdown": as_markdown,
    "html": as_html,
}

FINDING_RENDERERS = {"table": findings_as_table, "json": findings_as_json}
