"""``tm extract``: source release → segments → working catalogs, keeping every translation."""

from __future__ import annotations

from dataclasses import dataclass, field

from tm import locales
from tm.memory import Memory
from tm.memory.leverage import prefill
from tm.memory.normalise import normalise
from tm.model import Catalog, Document, Entry, Release
from tm.workspace import Workspace


@dataclass
class Revision:
    """What an extraction did to one working catalog."""

    release: str
    lang: str
    path: str
    unchanged: int = 0
    moved: int = 0
    edited: int = 0
    new: int = 0
    removed: int = 0
    from_memory: int = 0
    written: bool = False
    segments: int = 0


@dataclass
class Extraction:
    document: Document
    revisions: list[Revision] = field(default_factory=list)


def extract(workspace: Workspace, releases: list[Release], memory: Memory) -> list[Extraction]:
    """Write or update ``locales/<lang>/<release>.po`` for every release and target language."""
    results = []
    with workspace.lock():
        for release in releases:
            document = locales.parse(workspace, release)
            result = Extraction(document)
            for lang in workspace.targets(release):
                old = locales.load(workspace, release.id, lang)
                catalog, revision = update_catalog(workspace, document, lang, old, memory)
                revision.written = locales.save(workspace, catalog)
                result.revisions.append(revision)
            results.append(result)
    return results


def update_catalog(
    workspace: Workspace, document: Document, lang: str, old: Catalog | None, memory: Memory
) -> tuple[Catalog, Revision]:
    """The catalog for ``document`` in ``lang``, carrying over what ``old`` had."""
    release = document.release
    path = workspace.relative(workspace.catalog_path(release.id, lang))
    revision = Revision(release.id, lang, path, segments=len(document.segments))
    old_active = old.active if old else []
    by_source = {}
    for e in old_active:
        by_source.setdefault(e.source, e)
    by_id = {e.id: e for e in old_active}
    used: set[str] = set()
    first_translation: dict[str, str] = {}

    entries = []
    for segment in document.segments:
        entry = Entry(
            id=segment.id,
            source=segment.text,
            context=segment.context,
            references=[f"{workspace.relative(release.path)}:{segment.line}"],
        )
        same = by_source.get(segment.text)
        if same is not None and same.id not in used:
            used.add(same.id)
            _carry(entry, same)
            if same.id == segment.id:
                revision.unchanged += 1
            else:
                revision.moved += 1
        elif segment.id in by_id and by_id[segment.id].id not in used and by_id[segment.id].target:
            previous = by_id[segment.id]
            used.add(previous.id)
            _carry(entry, previous)
            entry.fuzzy = True
            entry.previous_source = previous.previous_source or previous.source
            revision.edited += 1
        else:
            revision.new += 1
            key = normalise(segment.text)
            found = first_translation.get(key)
            if found:
                entry.target = found
                revision.from_memory += 1
            elif prefill(entry, memory, release.lang, lang, workspace.config.fuzzy_threshold):
                revision.from_memory += 1
        if entry.target and not entry.fuzzy:
            first_translation.setdefault(normalise(segment.text), entry.target)
        entries.append(entry)

    obsolete = [e for e in (old.entries if old else []) if e.obsolete]
    for e in old_active:
        if e.id not in used and e.target:
            revision.removed += 1
            e.obsolete = True
            obsolete.append(e)
    header = dict(old.header) if old else {}
    header[locales.SOURCE_DIGEST] = locales.source_digest(release)
    catalog = Catalog(release.id, release.lang, lang, entries + obsolete, header)
    return catalog, revision


def _carry(entry: Entry, old: Entry) -> None:
    entry.target = old.target
    entry.fuzzy = old.fuzzy
    entry.previous_source = old.previous_source
    entry.comments = list(old.comments)
    entry.flags = list(old.flags)
