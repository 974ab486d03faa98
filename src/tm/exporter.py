"""``tm export``: the files translators get, one per release and target language.

Each file is the working catalog in the chosen format, with the memory's suggestions for
every segment that is not translated yet (PO: the best one as a fuzzy translation with
``#| msgid`` and its score; XLIFF: all of them as ``alt-trans`` / ``mtc:match``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tm import locales
from tm.errors import SourceError, TmError
from tm.formats import exchange_format
from tm.memory import Memory
from tm.model import Catalog, Suggestion
from tm.workspace import Workspace, atomic_write


@dataclass(frozen=True)
class ExportedFile:
    """One exported file: ``path`` is None when it goes to standard output."""

    release: str
    lang: str
    path: Path | None
    data: bytes


def export_catalog(
    workspace: Workspace, release_id: str, lang: str, format_name: str, memory: Memory | None = None
) -> bytes:
    """The working catalog of ``release_id`` in ``lang`` as a file of ``format_name``."""
    release = workspace.release(release_id)
    targets = workspace.targets(release)
    if lang not in targets:
        raise SourceError(
            f"'{lang}' is not a target language of {release.id} (targets: {', '.join(targets)})"
        )
    adapter = exchange_format(format_name)
    catalog = locales.load(workspace, release.id, lang)
    if catalog is None:
        raise SourceError(f"no working file for {release.id} in '{lang}'; run 'tm extract' first")
    if memory is not None:
        suggest(catalog, memory, workspace.config.fuzzy_threshold)
    return adapter.write(catalog)


def suggest(catalog: Catalog, memory: Memory, threshold: int) -> None:
    """Attach the memory's matches to every entry that is not translated yet."""
    open_entries = [entry for entry in catalog.active if entry.state != "translated"]
    sources = [entry.source for entry in open_entries]
    for entry, found in zip(
        open_entries, memory.matches_many(catalog.source_lang, sources, catalog.lang, threshold), strict=True
    ):
        entry.suggestions = [
            Suggestion(m.source, m.target, m.score) for m in found if m.target and m.target != entry.target
        ]


def file_name(release: str, lang: str, format_name: str) -> str:
    """``<release>.<lang>.po``, ``….xlf`` (XLIFF 1.2) or ``….xliff`` (XLIFF 2.1)."""
    return f"{release}.{lang}{exchange_format(format_name).suffixes[0]}"


def export(
    workspace: Workspace,
    release_ids: list[str],
    langs: list[str],
    format_name: str,
    memory: Memory | None,
    *,
    all_languages: bool = False,
    output: Path | None = None,
    out_dir: Path | None = None,
) -> list[ExportedFile]:
    """Export every (release, language) asked for; write nothing unless all of them can be made.

    One file goes to ``output`` (or standard output); several go into a folder (``out_dir``,
    or ``output`` when it names one), named by :func:`file_name`.
    """
    exchange_format(format_name)
    if not langs and not all_languages:
        raise TmError("name the language with --lang L (or export every target with --all-languages)")
    jobs = []
    for release in workspace.select(release_ids):
        targets = workspace.targets(release) if all_languages else list(dict.fromkeys(langs))
        jobs.extend((release.id, lang) for lang in targets)
    folder = out_dir
    if folder is None and output is not None and (len(jobs) > 1 or output.is_dir()):
        folder = output
    if len(jobs) > 1 and folder is None:
        raise TmError(f"{len(jobs)} files to export; give a folder with -o DIR or --out-dir DIR")
    if folder is not None and folder.exists() and not folder.is_dir():
        raise TmError(f"{folder} is a file; several exports need a folder")
    exported = []
    for release, lang in jobs:
        data = export_catalog(workspace, release, lang, format_name, memory)
        path = folder / file_name(release, lang, format_name) if folder is not None else output
        exported.append(ExportedFile(release, lang, path, data))
    for item in exported:
        if item.path is not None:
            atomic_write(item.path, item.data)
    return exported
