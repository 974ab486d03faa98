"""The embedded memory: one SQLite file in the workspace, nothing to install."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from tm.errors import MemoryStoreError
from tm.memory import Match, Translation
from tm.memory.normalise import normalise

SCHEMA = """
CREATE TABLE IF NOT EXISTS unit (
    id INTEGER PRIMARY KEY,
    release TEXT NOT NULL DEFAULT '',
    segment TEXT NOT NULL DEFAULT '',
    origin TEXT NOT NULL DEFAULT 'imported',
    created TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS unit_place ON unit(release, segment) WHERE release <> '';
CREATE TABLE IF NOT EXISTS variant (
    unit INTEGER NOT NULL REFERENCES unit(id) ON DELETE CASCADE,
    lang TEXT NOT NULL,
    text TEXT NOT NULL,
    norm TEXT NOT NULL,
    file TEXT NOT NULL DEFAULT '',
    translator TEXT NOT NULL DEFAULT '',
    updated TEXT NOT NULL,
    PRIMARY KEY (unit, lang)
);
CREATE INDEX IF NOT EXISTS variant_norm ON variant(lang, norm);
"""


class SqliteMemory:
    """Units (one sentence in several languages) and their variants, one per language."""

    def __init__(self, path: str):
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self.db.executescript(SCHEMA)
        except sqlite3.Error as exc:
            raise MemoryStoreError(f"cannot open the memory: {exc}", path) from None

    def add(self, translations: list[Translation]) -> int:
        new = 0
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self._transaction():
            for t in translations:
                p = t.provenance
                unit = self._unit(t, now)
                for lang, text, file, who in (
                    (t.source_lang, t.source, "", ""),
                    (t.target_lang, t.target, p.file, p.translator),
                ):
                    before = self.db.execute(
                        "SELECT text FROM variant WHERE unit=? AND lang=?", (unit, lang)
                    ).fetchone()
                    if before and before[0] == text:
                        continue
                    if lang == t.target_lang and (not before or before[0] != text):
                        new += 1
                    self.db.execute(
                        "INSERT INTO variant(unit, lang, text, norm, file, translator, updated)"
                        " VALUES (?,?,?,?,?,?,?) ON CONFLICT(unit, lang) DO UPDATE SET"
                        " text=excluded.text, norm=excluded.norm, file=excluded.file,"
                        " translator=excluded.translator, updated=excluded.updated",
                        (unit, lang, text, normalise(text), file, who, now),
                    )
        return new

    def _unit(self, t: Translation, now: str) -> int:
        p = t.provenance
        if p.release and p.segment:
            row = self.db.execute(
                "SELECT id FROM unit WHERE release=? AND segment=?", (p.release, p.segment)
            ).fetchone()
            if row:
                return row[0]
        else:
            row = self.db.execute(
                "SELECT s.unit FROM variant s JOIN variant t ON t.unit=s.unit AND t.lang=?"
                " WHERE s.lang=? AND s.norm=? AND t.text=?",
                (t.target_lang, t.source_lang, normalise(t.source), t.target),
            ).fetchone()
            if row:
                return row[0]
        cursor = self.db.execute(
            "INSERT INTO unit(release, segment, origin, created) VALUES (?,?,?,?)",
            (p.release, p.segment, p.origin, now),
        )
        return cursor.lastrowid

    def exact(self, source_lang: str, source: str, target_lang: str) -> str | None:
        row = self.db.execute(
            "SELECT t.text FROM variant s JOIN variant t ON t.unit=s.unit AND t.lang=?"
            " WHERE s.lang=? AND s.norm=? ORDER BY t.updated DESC LIMIT 1",
            (target_lang, source_lang, normalise(source)),
        ).fetchone()
        return row[0] if row else None

    def matches(
        self, source_lang: str, source: str, target_lang: str, threshold: int = 75, limit: int = 3
    ) -> list[Match]:
        """Exact matches only, for now; fuzzy candidates come with the memory index."""
        found = self.exact(source_lang, source, target_lang)
        return [Match(source, found, 100)] if found else []

    def count(self) -> int:
        return self.db.execute("SELECT count(*) FROM unit").fetchone()[0]

    def close(self) -> None:
        self.db.close()

    def _transaction(self):
        return _Transaction(self.db)


class _Transaction:
    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __enter__(self):
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind, value, tb):
        self.db.execute("COMMIT" if kind is None else "ROLLBACK")
