"""Moving a memory in and out: ``tm memory import`` (TMX, PO, XLIFF) and ``tm memory export``.

Each file is imported in one transaction: a file that turns out to be bad half-way (a
malformed TMX at unit 800,000) leaves the memory as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from tm.errors import FormatError
from tm.formats import tmx
from tm.memory import Memory, Provenance, Unit, store
from tm.memory.rows import Rows, unit_batches
from tm.workspace import replacing


@dataclass
class MemoryIntake:
    """What importing one file into the memory did."""

    path: str
    format: str
    units: int = 0
    stored: int = 0


@dataclass
class Source:
    """A file to import: its format, its units as rows in batches (read lazily), whether
    it is a bulk import from its first batch (a large TMX) and, for TMX, how many units."""

    format: str
    batches: Iterable[Rows]
    total: int | None = None
    bulk: bool = False


def open_source(path: Path, count: bool = False) -> Source:
    """The units of a TMX, PO or XLIFF file, judged by its content."""
    shown = str(path)
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096)
    except OSError as exc:
        raise FormatError(f"cannot read the file: {exc.strerror}", shown) from None
    if tmx.sniff(head):
        from tm.memory.reading import read_rows

        batches, bulk = read_rows(path, shown, store.BATCH)
        return Source("tmx", batches, tmx.count_units(path) if count else None, bulk)
    from tm.formats import detect

    data = path.read_bytes()
    adapter = detect(data, shown)
    catalog = adapter.read(data, shown)
    translator = catalog.header.get("Last-Translator", "")
    units = [
        Unit(
            {catalog.source_lang: entry.source, catalog.lang: entry.target},
            Provenance(catalog.release, entry.id, path.name, translator, "imported"),
            "draft" if entry.fuzzy else "approved",
        )
        for entry in catalog.active
        if entry.target and entry.source
    ]
    if not catalog.source_lang or not catalog.lang:
        raise FormatError("the file does not say its source and target languages", shown)
    return Source(adapter.name, unit_batches(units, store.BATCH), len(units))


def import_file(memory: Memory, path: Path, progress: Callable[[int], None] | None = None) -> MemoryIntake:
    """Add every unit of one file to the memory, all or nothing."""
    return import_source(memory, Path(path), open_source(Path(path)), progress)


def import_source(
    memory: Memory, path: Path, source: Source, progress: Callable[[int], None] | None = None
) -> MemoryIntake:
    """Add the units of an opened file (see :func:`open_source`), all or nothing."""
    intake = MemoryIntake(str(path), source.format)

    def landed(n: int) -> None:  # counted by batch: a million units' import, a step less each
        intake.units += n
        if progress:
            progress(n)

    intake.stored = memory.add_rows(source.batches, landed, source.bulk)
    return intake


def export_tmx(memory: Memory, output: Path, langs: list[str] | None = None) -> int:
    """Write the memory (only ``langs`` when given) to a TMX 1.4 file; return the units.

    The file is written beside ``output`` and moved into place when complete.
    """
    with replacing(Path(output)) as handle:
        units = (u for u in memory.units(langs) if len(u.variants) >= (2 if langs else 1))
        return tmx.write_tmx(units, handle)
