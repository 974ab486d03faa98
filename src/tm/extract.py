"""``tm extract``: source release → segments → working catalogs, keeping every translation."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from tm import locales
from tm.memory import Memory, Translation
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
    warnings: tuple[str, ...] = ()  # about the segmentation rules used


def extract(
    workspace: Workspace,
    releases: list[Release],
    memory: Memory,
    progress: Callable[[int], None] | None = None,
) -> list[Extraction]:
    """Write or update ``locales/<lang>/<release>.po`` for every release and target language.

    ``progress``, when given, is told after each release (a progress bar on a terminal).
    """
    results = []
    with workspace.lock():
        for release in releases:
            document = locales.parse(workspace, release)
            result = Extraction(document, warnings=locales.segmentation_warnings(workspace, release))
            for lang in workspace.targets(release):
                old = locales.load(workspace, release.id, lang)
                catalog, revision = update_catalog(workspace, document, lang, old, memory)
                revision.written = locales.save(workspace, catalog)
                result.revisions.append(revision)
            results.append(result)
            if progress is not None:
                progress(1)
    return results


def update_catalog(
    workspace: Workspace, document: Document, lang: str, old: Catalog | None, memory: Memory
) -> tuple[Catalog, Revision]:
    """The catalog for ``document`` in ``lang``, carrying over what ``old`` had.

    Old entries are matched to the new segments in four passes, each taking only entries no
    earlier pass took: same text at the same ID (unchanged); same text anywhere, obsolete
    entries included (moved); an edited sentence at the same ID, at least
    ``SAME_PLACE_SIMILARITY`` similar; an edited sentence elsewhere (IDs shift when paragraphs
    are inserted or deleted), the most similar old sentence at least ``MOVED_SIMILARITY``
    similar. Edited sentences keep the old translation as fuzzy with the old source as
    ``previous_source``. Translations left over become obsolete entries and go into the
    memory, so a revision never loses one.
    """
    release = document.release
    path = workspace.relative(workspace.catalog_path(release.id, lang))
    revision = Revision(release.id, lang, path, segments=len(document.segments))
    old_active = old.active if old else []
    old_obsolete = [e for e in old.entries if e.obsolete] if old else []
    carried = _match(document, old_active, old_obsolete)
    used = {id(previous) for previous, _ in carried.values()}

    entries = []
    first_translation: dict[str, str] = {}
    to_fill: list[Entry] = []  # new sentences for the memory, looked up together at the end
    for segment in document.segments:
        entry = Entry(
            id=segment.id,
            source=segment.text,
            context=segment.context,
            references=[f"{workspace.relative(release.path)}:{segment.line}"],
        )
        previous, how = carried.get(segment.id, (None, "new"))
        setattr(revision, how, getattr(revision, how) + 1)
        if previous is not None:
            _carry(entry, previous)
            entry.obsolete = False
        if how == "edited":
            entry.fuzzy = True
            keep = previous.fuzzy and previous.previous_source
            entry.previous_source = previous.previous_source if keep else previous.source
        elif how == "new":
            key = normalise(segment.text)
            found = first_translation.get(key)
            if found:
                entry.target = found
                revision.from_memory += 1
            else:
                to_fill.append(entry)
        if entry.target and not entry.fuzzy:
            first_translation.setdefault(normalise(segment.text), entry.target)
        entries.append(entry)
    # A repeat of a sentence filled here is filled the same way: it is looked up too.
    revision.from_memory += prefill(to_fill, memory, release.lang, lang, workspace.config.fuzzy_threshold)

    retired = []
    obsolete = []
    for e in old_active:
        if id(e) not in used and e.target:
            revision.removed += 1
            e.obsolete = True
            obsolete.append(e)
            if not e.fuzzy:
                retired.append(_retired(release, lang, e))
    active_keys = {(e.id, e.source) for e in entries}
    kept = {}
    for e in [*old_obsolete, *obsolete]:
        if id(e) not in used and (e.id, e.source) not in active_keys:
            kept[(e.id, e.source)] = e
    memory.add(retired)
    header = dict(old.header) if old else {}
    header[locales.SOURCE_DIGEST] = locales.source_digest(release)
    catalog = Catalog(release.id, release.lang, lang, entries + list(kept.values()), header)
    return catalog, revision


# How similar (rapidfuzz ratio, 0-100) an edited sentence must be to an old one to inherit its
# translation as fuzzy: lower at the same ID (the place says it is the same sentence), higher
# when it is matched among all the old sentences no other segment took.
SAME_PLACE_SIMILARITY = 50
MOVED_SIMILARITY = 70


def _match(
    document: Document, old_active: list[Entry], old_obsolete: list[Entry]
) -> dict[str, tuple[Entry, str]]:
    """Segment ID → (old entry, ``unchanged``/``moved``/``edited``) for every segment with one."""
    from rapidfuzz import fuzz, process

    found: dict[str, tuple[Entry, str]] = {}
    used: set[int] = set()

    def take(segment_id: str, entry: Entry, how: str) -> None:
        found[segment_id] = (entry, how)
        used.add(id(entry))

    by_id = {e.id: e for e in old_active}
    for segment in document.segments:
        same = by_id.get(segment.id)
        if same is not None and same.source == segment.text:
            take(segment.id, same, "unchanged")
    by_source: dict[str, list[Entry]] = {}
    for e in [*old_active, *old_obsolete]:
        by_source.setdefault(e.source, []).append(e)
    for segment in document.segments:
        if segment.id in found:
            continue
        candidates = [e for e in by_source.get(segment.text, []) if id(e) not in used]
        if candidates:
            take(segment.id, candidates[0], "moved")
    for segment in document.segments:
        same = by_id.get(segment.id)
        if segment.id in found or same is None or id(same) in used or not same.target:
            continue
        if fuzz.ratio(segment.text, same.source) >= SAME_PLACE_SIMILARITY:
            take(segment.id, same, "edited")
    for segment in document.segments:
        if segment.id in found:
            continue
        choices = {i: e.source for i, e in enumerate(old_active) if id(e) not in used and e.target}
        best = process.extractOne(segment.text, choices, scorer=fuzz.ratio, score_cutoff=MOVED_SIMILARITY)
        if best is not None:
            take(segment.id, old_active[best[2]], "edited")
    return found


def _retired(release: Release, lang: str, entry: Entry) -> Translation:
    """A removed sentence's approved translation, for the memory.

    It gets its own memory unit (the segment ID plus a digest of the old text), because the
    unit at the bare ID will hold whatever sentence takes that place in the new version.
    """
    digest = hashlib.sha256(entry.source.encode("utf-8")).hexdigest()[:8]
    return Translation.of_entry(release, lang, entry, segment=f"{entry.id}~{digest}", origin="revision")


def _carry(entry: Entry, old: Entry) -> None:
    entry.target = old.target
    entry.fuzzy = old.fuzzy
    entry.previous_source = old.previous_source
    entry.comments = list(old.comments)
    entry.flags = list(old.flags)
