"""``tm import``: returned translation files → working catalogs and the memory, all or nothing."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from tm import locales
from tm.checks import Finding, carry_waivers, check_segment, entry_waivers, has_errors
from tm.errors import FormatError, TmError
from tm.formats import detect
from tm.memory import Memory, Translation
from tm.model import Catalog, Entry, Release, Segment
from tm.placeholders import tag_problems
from tm.workspace import Workspace, atomic_write


@dataclass(frozen=True)
class Rejection:
    """A returned unit that was not taken, and why."""

    segment: str
    reason: str


@dataclass
class Intake:
    """What importing one file did (or would do, with a dry run)."""

    path: str
    release: str
    lang: str
    format: str
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    stale: list[str] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    stored: int = 0
    refused: list[Rejection] = field(default_factory=list)  # broken inline tags: not imported
    findings: list[Finding] = field(default_factory=list)  # check problems, waived ones left out
    held: list[str] = field(default_factory=list)  # kept in the working file, not approved into memory


@dataclass(frozen=True)
class Verdict:
    """What to do with one returned unit: ``reject`` it (not a segment), ``refuse`` it (broken
    inline tags), ``skip`` it (empty) or ``apply`` it."""

    action: str
    reason: str = ""
    fuzzy: bool = False
    stale: bool = False


def judge(item: Entry, current: Entry | None, segment: Segment | None) -> Verdict:
    """The one place that decides what happens to one returned unit (add new rules here)."""
    if segment is None or current is None:
        return Verdict("reject", "not a segment of the release; not stored")
    if not item.target:
        return Verdict("skip")  # an empty translation means "no change", never a deletion
    # Tags are checked against the source the translator saw; refused for this segment only.
    problems = tag_problems(item.source or segment.text, item.target)
    if problems:
        return Verdict("refuse", "; ".join(problems))
    stale = _same_text(item.source) != _same_text(segment.text)
    return Verdict("apply", fuzzy=item.fuzzy or stale, stale=stale)


def _unique_texts(segments) -> dict[str, str]:
    """Segment ID by source text, for the texts that occur once in the release."""
    ids: dict[str, list[str]] = {}
    for segment in segments:
        ids.setdefault(_same_text(segment.text), []).append(segment.id)
    return {text: found[0] for text, found in ids.items() if len(found) == 1}


def _same_text(text: str) -> str:
    """Tools may re-normalise Unicode (Arabic marks reorder under NFC): compare in NFC."""
    return unicodedata.normalize("NFC", text)


def import_files(
    workspace: Workspace, paths: list[Path], memory: Memory, dry_run: bool = False
) -> tuple[list[Intake], list[TmError]]:
    """Import each file on its own: a bad file is refused whole and the others still land."""
    intakes, refusals = [], []
    with workspace.lock():
        for path in paths:
            try:
                intakes.append(import_file(workspace, Path(path), memory, dry_run))
            except TmError as exc:
                refusals.append(exc)
    return intakes, refusals


def read_returned(workspace: Workspace, path: Path) -> tuple[Catalog, str]:
    """Read a returned file and check that it belongs to this workspace."""
    shown = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FormatError(f"cannot read the file: {exc.strerror}", shown) from None
    adapter = detect(data, shown)
    incoming = adapter.read(data, shown)
    releases = workspace.releases()
    if not incoming.release:
        raise FormatError("the file does not say which release it is for", shown)
    if incoming.release not in releases:
        raise FormatError(f"unknown release '{incoming.release}'", shown)
    release = releases[incoming.release]
    targets = workspace.targets(release)
    if incoming.lang not in targets:
        raise FormatError(
            f"language '{incoming.lang or '?'}' is not a target of release '{release.id}' "
            f"(targets: {', '.join(targets)})",
            shown,
        )
    return incoming, adapter.name


def import_file(workspace: Workspace, path: Path, memory: Memory, dry_run: bool) -> Intake:
    incoming, format_name = read_returned(workspace, path)
    release = workspace.release(incoming.release)
    segments = locales.parse(workspace, release).by_id
    working = locales.load(workspace, release.id, incoming.lang)
    if working is None:
        raise FormatError(
            f"no working file for {release.id} in '{incoming.lang}'; run 'tm extract' first",
            str(path),
        )
    intake = Intake(str(path), release.id, incoming.lang, format_name)
    current = working.by_id()
    approved: list[Translation] = []
    translator = incoming.header.get("Last-Translator", "")
    by_text = _unique_texts(segments.values())
    for item in incoming.active:
        if not item.id:  # a tool that drops msgctxt: the source text still says which segment
            item.id = by_text.get(_same_text(item.source), "")
        entry = current.get(item.id)
        verdict = judge(item, entry, segments.get(item.id))
        if verdict.action == "reject":
            intake.rejected.append(Rejection(item.id or f"msgid {item.source[:40]!r}", verdict.reason))
            continue
        if verdict.action == "refuse":
            intake.refused.append(Rejection(item.id, verdict.reason))
            continue
        if verdict.action != "apply" or entry is None:
            continue
        if verdict.stale:
            intake.stale.append(item.id)
        _apply(intake, entry, item, verdict)
        carry_waivers(entry, item)
        if not verdict.stale and _held_by_checks(intake, entry, release.lang, incoming.lang):
            continue
        if not entry.fuzzy:
            approved.append(_approved(release, incoming.lang, entry, path, translator))
    if dry_run:
        return intake
    if translator:
        working.header["Last-Translator"] = translator
    _store(workspace, working, memory, approved, intake)
    return intake


def _apply(intake: Intake, entry: Entry, item: Entry, verdict: Verdict) -> None:
    if entry.target == item.target and entry.fuzzy == verdict.fuzzy:
        intake.unchanged += 1
        return
    if entry.target:
        intake.changed += 1
    else:
        intake.new += 1
    entry.target = item.target
    entry.fuzzy = verdict.fuzzy
    # A stale unit shows the translator's source as the previous one (#| msgid).
    entry.previous_source = item.source if verdict.stale else (entry.previous_source if entry.fuzzy else None)


def _held_by_checks(intake: Intake, entry: Entry, source_lang: str, lang: str) -> bool:
    """SPEC 9 on import: report every finding; an error keeps a finished translation in the
    working file but out of the memory until it is fixed or waived."""
    found = check_segment(entry.source, entry.target, source_lang, lang, entry.id, entry_waivers(entry))
    intake.findings += [f for f in found if not f.waived]
    if not entry.fuzzy and has_errors(found):
        intake.held.append(entry.id)
        return True
    return False


def _approved(release: Release, lang: str, entry: Entry, path: Path, translator: str) -> Translation:
    return Translation.of_entry(
        release, lang, entry, file=path.name, translator=translator, origin="imported"
    )


def _store(
    workspace: Workspace, working: Catalog, memory: Memory, approved: list[Translation], intake: Intake
) -> None:
    """The working file, then the memory; if the memory fails, the working file goes back."""
    catalog_path = workspace.catalog_path(working.release, working.lang)
    before = catalog_path.read_bytes()
    locales.save(workspace, working)
    try:
        intake.stored = memory.add(approved)
    except BaseException:
        atomic_write(catalog_path, before)
        raise
