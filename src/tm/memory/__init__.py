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


class Memory(Protocol):
    def add(self, translations: list[Translation]) -> int:
        """Store approved translations in one transaction; return how many were new."""
        ...

    def exact(self, source_lang: str, source: str, target_lang: str) -> str | None:
        """The newest approved translation of a sentence with the same normalised text."""
        ...

    def count(self) -> int: ...

    def close(self) -> None: ...


def open_memory(url: str) -> Memory:
    """Open the memory at ``url``: a file path (SQLite) or ``postgresql://…``."""
    if url.startswith(("postgresql://", "postgres://")):
        raise MemoryStoreError("PostgreSQL memories are not supported yet; use a SQLite path")
    from tm.memory.sqlite import SqliteMemory

    return SqliteMemory(url)
