"""The translation memory: every approved sentence, in every language, with its provenance.

A *unit* is one sentence in several languages (the Arabic, English and French of one
segment kept together); each language's text is a *variant*. Two stores share one design
(:mod:`tm.memory.store`): SQLite (a file in the workspace) and PostgreSQL (for teams).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from tm.memory.rows import Rows
    from tm.model import Entry, Release

ORIGINS = ("imported", "tmx", "aligned")
STATUSES = ("approved", "draft")


@dataclass(frozen=True)
class Provenance:
    """Where a translation came from."""

    release: str = ""
    segment: str = ""
    file: str = ""
    translator: str = ""
    origin: str = "imported"  # imported | tmx | aligned
    date: str = ""


@dataclass(frozen=True)
class Translation:
    """One approved translation of a sentence from one language into another."""

    source_lang: str
    source: str
    target_lang: str
    target: str
    provenance: Provenance = Provenance()

    @classmethod
    def of_entry(cls, release: Release, lang: str, entry: Entry, **provenance: str) -> Translation:
        """A working catalog entry's translation, for the memory, dated now; ``provenance``
        adds to (or replaces) the release and segment ID."""
        where = {"release": release.id, "segment": entry.id, **provenance}
        where.setdefault("date", datetime.now(UTC).isoformat(timespec="seconds"))
        return cls(release.lang, entry.source, lang, entry.target, Provenance(**where))


@dataclass(frozen=True)
class Unit:
    """One sentence in several languages, as stored and as exchanged in TMX.

    ``status`` is ``approved`` or ``draft``: only approved units fill translations exactly.
    """

    variants: Mapping[str, str]
    provenance: Provenance = Provenance()
    status: str = "approved"
    id: int | str | None = None  # the store's number, or a TMX tuid such as release:segment
    notes: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class Match:
    """A memory suggestion for a new sentence: score 0-100 (100 is an exact match)."""

    source: str
    target: str
    score: int
    provenance: Provenance = Provenance()
    note: str = ""  # e.g. "numbers carried over: 55→60"


@dataclass(frozen=True)
class Hit:
    """A concordance result: a unit whose text in the searched language contains or
    resembles the query."""

    unit: Unit
    lang: str
    score: int


@dataclass(frozen=True)
class Stats:
    units: int
    variants: dict[str, int]
    origins: dict[str, int]
    statuses: dict[str, int]
    terms: int


class Memory(Protocol):
    def add(self, translations: list[Translation]) -> int:
        """Store approved translations in one transaction; return how many were new."""
        ...

    def add_units(self, units: Iterable[Unit], progress=None) -> int:
        """Store multilingual units in one transaction; return how many were new.
        ``progress(n)`` is called as each batch lands, with the number of units given that
        it held: together, every unit given, once."""
        ...

    def add_rows(self, batches: Iterable[Rows], progress=None, bulk: bool = False) -> int:
        """:meth:`add_units` for units already made rows in batches (tm.memory.rows);
        ``bulk``: index beside the import from the first batch."""
        ...

    def exact(self, source_lang: str, source: str, target_lang: str) -> str | None:
        """The newest approved translation of a sentence with the same normalised text."""
        ...

    def exact_many(self, source_lang: str, sources: list[str], target_lang: str) -> list[str | None]:
        """:meth:`exact` for each of ``sources`` (one round trip to the store)."""
        ...

    def matches(
        self, source_lang: str, source: str, target_lang: str, threshold: int = 75, limit: int = 3
    ) -> list[Match]:
        """The best suggestions at or above ``threshold``, best first."""
        ...

    def matches_many(
        self, source_lang: str, sources: list[str], target_lang: str, threshold: int = 75, limit: int = 3
    ) -> list[list[Match]]:
        """:meth:`matches` for each of ``sources``, looked up together (a few round trips to
        the store whatever their number)."""
        ...

    def search(self, text: str, lang: str | None = None, minimum: int = 60, limit: int = 20) -> list[Hit]:
        """Concordance: units whose text contains ``text`` (score 100) or resembles it."""
        ...

    def units(self, langs: Iterable[str] | None = None) -> Iterator[Unit]:
        """Every unit, oldest first, with only the variants in ``langs`` (all when None)."""
        ...

    def stats(self) -> Stats: ...

    def count(self) -> int: ...

    def close(self) -> None: ...


def open_memory(url: str) -> Memory:
    """Open the memory at ``url``: a file path (SQLite) or ``postgresql://…``."""
    if url.startswith(("postgresql://", "postgres://")):
        from tm.memory.postgres import PostgresMemory

        return PostgresMemory(url)
    from tm.memory.sqlite import SqliteMemory

    return SqliteMemory(url)
