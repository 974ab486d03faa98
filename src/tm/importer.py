"""``tm import``: returned translation files → working catalogs and the memory, all or nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from tm import locales
from tm.errors import FormatError, TmError
from tm.formats import detect
from tm.memory import Memory, Provenance, Translation
from tm.model import Catalog
from tm.placeholders import tag_problems
from tm.workspace import Workspace


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
    unknown: list[str] = field(default_factory=list)
    stored: int = 0
    refused: list[tuple[str, str]] = field(default_factory=list)  # (segment ID, tag problems)


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
    document = locales.parse(workspace, release)
    segments = document.by_id
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
    seen: set[str] = set()
    for item in incoming.active:
        if item.id in seen:
            raise FormatError(f"segment {item.id} appears twice", str(path))
        seen.add(item.id)
        if item.id not in segments or item.id not in current:
            intake.unknown.append(item.id)
            continue
        if not item.target:
            continue  # an empty translation means "no change", never a deletion
        # Tags are checked against the source the translator saw; refused for this segment only.
        problems = tag_problems(item.source or segments[item.id].text, item.target)
        if problems:
            intake.refused.append((item.id, "; ".join(problems)))
            continue
        entry = current[item.id]
        stale = item.source != segments[item.id].text
        fuzzy = item.fuzzy or stale
        if stale:
            intake.stale.append(item.id)
        if entry.target == item.target and entry.fuzzy == fuzzy:
            intake.unchanged += 1
        else:
            if entry.target:
                intake.changed += 1
            else:
                intake.new += 1
            entry.target = item.target
            entry.fuzzy = fuzzy
            if not fuzzy:
                entry.previous_source = None
        if not fuzzy:
            approved.append(
                Translation(
                    release.lang,
                    entry.source,
                    incoming.lang,
                    entry.target,
                    Provenance(
                        release=release.id,
                        segment=entry.id,
                        file=path.name,
                        translator=translator,
                        origin="imported",
                        date=datetime.now(UTC).isoformat(timespec="seconds"),
                    ),
                )
            )
    if dry_run:
        return intake
    intake.stored = memory.add(approved)
    if translator:
        working.header["Last-Translator"] = translator
    locales.save(workspace, working)
    return intake
