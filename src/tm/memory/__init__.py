"""The translation memory: every approved sentence, in every language, with its provenance."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from tm.errors import MemoryStoreError


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


@dataclass(frozen=True)
class Match:
    """A memory suggestion for a new sentence: score 0-100 (100 is an exact match)."""

    source: str
    target: str
    score: int
    provenance: Provenance = Provenance()
    note: str = ""  # e.g. "numbers carried over: 55→60"


class Memory(Protocol):
    def add(self, translations: list[Translation]) -> int:
        """Store approved translations in one transaction; return how many were new."""
        ...

    def exact(self, source_lang: str, source: str, target_lang: str) -> str | None:
        """The newest approved translation of a sentence with the same normalised text."""
        ...

    def matches(
        self, source_lang: str, source: str, target_lang: str, threshold: int = 75, limit: int = 3
    ) -> list[Match]:
        """The best suggestions at or above ``threshold``, best first."""
        ...

    def count(self) -> int: ...

    def close(self) -> None: ...


def open_memory(url: str) -> Memory:
    """Open the memory at ``url``: a file path (SQLite) or ``postgresql://…``."""
    if url.startswith(("postgresql://", "postgres://")):
        raise MemoryStoreError("PostgreSQL memories are not supported yet; use a SQLite path")
    from tm.memory.sqlite import SqliteMemory

    return SqliteMemory(url)
