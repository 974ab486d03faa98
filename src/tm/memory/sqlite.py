"""The embedded memory: one SQLite file in the workspace, nothing to install.

WAL mode so that readers never wait for an import (but for the first into an empty
memory, which writes its pages once through a rollback journal: see _first_write); a long
busy timeout so that two coordinators importing at once queue up instead of failing; one
transaction per import.
"""

from __future__ import annotations

import contextlib
import sqlite3
from dataclasses import replace
from pathlib import Path

from tm.errors import MemoryStoreError
from tm.memory import Provenance, Unit
from tm.memory.rows import unit_batches
from tm.memory.store import KEY_INDEX, META, IndexedMemory

SCHEMA = f"""
CREATE TABLE IF NOT EXISTS unit (
    id INTEGER PRIMARY KEY,
    release TEXT NOT NULL DEFAULT '',
    segment TEXT NOT NULL DEFAULT '',
    origin TEXT NOT NULL DEFAULT 'imported',
    status TEXT NOT NULL DEFAULT 'approved',
    created TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS unit_place ON unit(release, segment) WHERE release <> '';
CREATE TABLE IF NOT EXISTS variant (
    unit INTEGER NOT NULL REFERENCES unit(id) ON DELETE CASCADE,
    lang TEXT NOT NULL,
    text TEXT NOT NULL,
    norm TEXT NOT NULL,
    key INTEGER NOT NULL,
    file TEXT NOT NULL DEFAULT '',
    translator TEXT NOT NULL DEFAULT '',
    updated TEXT NOT NULL,
    PRIMARY KEY (unit, lang)
) WITHOUT ROWID;
{KEY_INDEX};
CREATE TABLE IF NOT EXISTS posting (
    term TEXT NOT NULL,
    chunk INTEGER NOT NULL,
    n INTEGER NOT NULL,
    units BLOB NOT NULL,
    PRIMARY KEY (term, chunk)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS term (
    term TEXT PRIMARY KEY,
    n INTEGER NOT NULL
) WITHOUT ROWID;
"""

# Pages of a new memory. Larger than SQLite's 4 KiB, for fewer pages to split while a
# bulk import appends rows and to chain through for a long posting blob. Measured at a
# million units against 4 KiB: import 46.7 against 50.2 s (the importing process's CPU 35
# against 38 s), a release's lookup 0.14-0.17 against 0.16-0.24 s, the file 7% larger.
PAGE_BYTES = 16384
BUSY_TIMEOUT = 600  # seconds: another coordinator's import of a large TMX may take minutes
CACHE_KIB = 65536  # page cache of a connection
# and while a bulk import into an empty memory holds its duplicate check's dictionary
# (about 120 MB for a million units), so that the import stays under 500 MB (64 MiB: 490
# MB in all at a million units, about 4% faster; 16 MiB: 445 MB, about 4% slower)
BULK_CACHE_KIB = 32768
# A lookup reads its pages through a memory map of the file (up to SQLite's limit, 2 GiB)
# rather than copying each into the page cache: a fresh process looking up a release in a
# million units spends 7-12% less. Only lookups: the pages a write or an export reads
# through the map would count towards the process's resident memory.
MMAP_BYTES = 1 << 31
# helper threads SQLite may sort with: building the key index at the end of a million units'
# import took 3.4-4.2 s, 2.2-2.5 s with them
SORT_THREADS = 4


class SqliteMemory(IndexedMemory):
    """Units, variants and the posting index in one SQLite file."""

    CONCAT_POSTINGS = "CAST(posting.units || excluded.units AS BLOB)"
    SUBSTRING = "instr"

    def __init__(self, path: str | Path):
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT, isolation_level=None)
            self.db.execute(f"PRAGMA page_size={PAGE_BYTES}")  # a new file's; else ignored
            self._journal("WAL")
            self.db.execute(f"PRAGMA threads={SORT_THREADS}")
            self.db.execute("PRAGMA foreign_keys=ON")
            self.db.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
            if not self._has("term"):
                with self._transaction():
                    old = self._first_version_units()
                    for statement in [*SCHEMA.split(";\n"), *META.split(";\n")]:
                        self.db.execute(statement)
                    if old:
                        for rows in unit_batches(old, len(old)):
                            self._store(rows)
            elif self._index_outdated():
                self._rebuild_index()
        except sqlite3.DatabaseError as exc:
            raise MemoryStoreError(f"cannot open the memory: {exc}", path) from None

    def _suspend_row_work(self) -> None:
        """The key index dropped (see the method it extends), and the page cache smaller
        while :attr:`_written` grows."""
        super()._suspend_row_work()
        self.db.execute(f"PRAGMA cache_size=-{BULK_CACHE_KIB}")

    def _end_bulk(self) -> None:
        if self._written is not None:
            self.db.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
        super()._end_bulk()

    def _journal(self, mode: str) -> bool:
        """Write through a write-ahead log ("WAL") or a rollback journal ("DELETE"); False
        when the mode cannot change now: another connection has the file open (one opened
        while the first import into an empty memory runs works in the import's mode until
        a later one changes it back), or this one is still reading (a cursor not read to
        its end)."""
        try:
            done = self.db.execute(f"PRAGMA journal_mode={mode}").fetchone()[0].upper() == mode
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "within a transaction" not in str(exc):
                raise
            return False
        if done:  # the log is safe with NORMAL; a rollback journal needs FULL (see SQLite)
            self.db.execute(f"PRAGMA synchronous={'NORMAL' if mode == 'WAL' else 'FULL'}")
        return done

    @contextlib.contextmanager
    def _first_write(self):
        """The first write into an empty memory goes through a rollback journal, not the
        write-ahead log: a million units' import writes each page once, not once to the
        log and again into the file when the transaction ends (the commit took 9.1 s of a
        60 s import, 0.4 s now). Meanwhile a reader waits for the import, as it would
        for any writer without the log; there is nothing to read yet. Where another
        process has the memory open, the log stays.

        Nor are foreign keys checked: every row is new, each unit written before its
        variants, and looking up each variant's unit cost the importing process 1.5-2 s
        of CPU in a million units' import (variants written in 10.3-10.8 s, 8.8-9.3 now)."""
        empty = self.db.execute("SELECT 1 FROM unit LIMIT 1").fetchone() is None
        anew = empty and self._journal("DELETE")
        if empty:
            self.db.execute("PRAGMA foreign_keys=OFF")
        try:
            yield
        finally:
            if empty:
                self.db.execute("PRAGMA foreign_keys=ON")
            if anew:
                self._journal("WAL")

    @contextlib.contextmanager
    def _scattered_reads(self):
        self.db.execute(f"PRAGMA mmap_size={MMAP_BYTES}")
        try:
            yield
        finally:
            self.db.execute("PRAGMA mmap_size=0")

    def _has(self, table: str) -> bool:
        return self.db.execute("SELECT 1 FROM sqlite_master WHERE name=?", (table,)).fetchone() is not None

    def _first_version_units(self) -> list[Unit]:
        """The units of a memory written by the first tm (no index, no status), whose
        tables are then dropped to be created anew; empty for a new memory."""
        if not self._has("variant") or self._has("posting"):
            return []
        grouped: dict[int, tuple] = {}
        for uid, release, segment, origin, created, lang, text, file, who in self.db.execute(
            "SELECT u.id, u.release, u.segment, u.origin, u.created, v.lang, v.text, v.file,"
            " v.translator FROM unit u JOIN variant v ON v.unit = u.id ORDER BY u.id"
        ):
            variants, provenance = grouped.setdefault(
                uid, ({}, Provenance(release, segment, "", "", origin, created))
            )
            variants[lang] = text
            if file or who:
                grouped[uid] = (variants, replace(provenance, file=file, translator=who))
        self.db.execute("DROP TABLE variant")
        self.db.execute("DROP TABLE unit")
        return [Unit(variants, provenance) for variants, provenance in grouped.values()]

    def _execute(self, sql: str, params=()):
        try:
            return self.db.execute(sql, tuple(params))
        except sqlite3.OperationalError as exc:
            raise MemoryStoreError(f"memory error: {exc}", self.path) from None

    def _executemany(self, sql: str, rows: list) -> None:
        if rows:
            self.db.executemany(sql, rows)

    @contextlib.contextmanager
    def _transaction(self):
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise MemoryStoreError(f"memory is busy: {exc}", self.path) from None
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def _insert_numbered(self, table: str, fields: tuple[str, ...], rows: list[tuple], offset: int) -> None:
        # the rows as they came, the id worked out by SQLite: no tuple made per row here
        marks = ",".join(f"?{n}" for n in range(2, len(fields) + 1))
        sql = f"INSERT INTO {table}({', '.join(fields)}) VALUES (?1 + {int(offset)}, {marks})"
        self._executemany(sql, rows)

    def _new_ids(self, n: int) -> list[int]:
        # called inside a write transaction (BEGIN IMMEDIATE): nobody else can take these
        start = self.db.execute("SELECT coalesce(max(id), 0) FROM unit").fetchone()[0] + 1
        return list(range(start, start + n))

    def close(self) -> None:
        self.db.close()
