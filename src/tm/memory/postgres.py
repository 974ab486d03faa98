"""The shared memory for teams: PostgreSQL through psycopg 3, same design as SQLite.

The schema is created on first use (under an advisory lock, so two coordinators starting
at once do not trip over each other). Imports run in one transaction each; unit ids come
from a sequence; posting rows are appended to with ``ON CONFLICT … DO UPDATE`` in a fixed
order under a write lock (one import at a time, as in SQLite), so concurrent imports
neither lose postings nor deadlock; readers never wait, but for a bulk import into an
empty memory, which numbers its units itself, drops the variants' foreign key and
fingerprint index until its end and sends its writes by a thread of their own
(:meth:`PostgresMemory._suspend_row_work`): a lookup then waits for it, with nothing to
read before it.
"""

from __future__ import annotations

import contextlib
import functools
import queue
import threading
from collections.abc import Iterable

from tm.errors import MemoryStoreError
from tm.memory.indexing import Postings
from tm.memory.store import KEY_INDEX, META, IndexedMemory

SCHEMA = f"""
CREATE SEQUENCE IF NOT EXISTS unit_id_seq;
CREATE TABLE IF NOT EXISTS unit (
    id BIGINT PRIMARY KEY DEFAULT nextval('unit_id_seq'),
    release TEXT NOT NULL DEFAULT '',
    segment TEXT NOT NULL DEFAULT '',
    origin TEXT NOT NULL DEFAULT 'imported',
    status TEXT NOT NULL DEFAULT 'approved',
    created TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS unit_place ON unit(release, segment) WHERE release <> '';
CREATE TABLE IF NOT EXISTS variant (
    unit BIGINT NOT NULL REFERENCES unit(id) ON DELETE CASCADE,
    lang TEXT NOT NULL,
    text TEXT NOT NULL,
    norm TEXT NOT NULL,
    key BIGINT NOT NULL,
    file TEXT NOT NULL DEFAULT '',
    translator TEXT NOT NULL DEFAULT '',
    updated TEXT NOT NULL,
    PRIMARY KEY (unit, lang)
);
{KEY_INDEX};
CREATE TABLE IF NOT EXISTS posting (
    term TEXT NOT NULL,
    chunk INTEGER NOT NULL,
    n INTEGER NOT NULL,
    units BYTEA NOT NULL,
    PRIMARY KEY (term, chunk)
);
ALTER TABLE posting ALTER COLUMN units SET STORAGE EXTERNAL;
CREATE TABLE IF NOT EXISTS term (
    term TEXT PRIMARY KEY,
    n INTEGER NOT NULL
)
"""
# the type of each column COPY writes, for binary COPY
_COLUMN_TYPES = {
    "unit": {
        "id": "int8",
        "release": "text",
        "segment": "text",
        "origin": "text",
        "status": "text",
        "created": "text",
    },
    "variant": {
        "unit": "int8",
        "lang": "text",
        "text": "text",
        "norm": "text",
        "key": "int8",
        "file": "text",
        "translator": "text",
        "updated": "text",
    },
    "posting": {"term": "text", "chunk": "int4", "n": "int4", "units": "bytea"},
    "term": {"term": "text", "n": "int4"},
}
FOREIGN_KEY = "variant_unit_fkey"  # the name PostgreSQL gives the schema's REFERENCES
SCHEMA_LOCK = 0x746D6D656D  # "tmmem": pg_advisory_xact_lock key for creating the schema
WRITE_LOCK = 0x746D6D656E  # one writer at a time, as in SQLite: no deadlock between imports
# Writes a bulk import's thread of writes may have waiting (_Background): a batch's are two
# COPYs, and its postings now and then. Six, about three batches, rather than two: a million
# units' import 0.7-3.6 s faster in five alternated pairs, the importing process's peak RSS
# 298 MB against 296.
WRITES_WAITING = 6


class PostgresMemory(IndexedMemory):
    """Units, variants and the posting index in a PostgreSQL database."""

    CONCAT_POSTINGS = "posting.units || excluded.units"
    SUBSTRING = "strpos"
    ROUND_TRIPS_COST = True
    HAS_META = "SELECT to_regclass('meta') IS NOT NULL"
    _top_range: int | None = None  # the highest range of unit ids stored when a write began
    _ranges_written: frozenset[int] | set[int] = frozenset()  # ranges the write has written
    _background: _Background | None = None  # the thread a bulk import's writes are sent by
    _next_id: int | None = None  # during a bulk import into an empty memory: the next unit id

    def __init__(self, url: str):
        try:
            import psycopg
        except ImportError:  # pragma: no cover - psycopg is in the postgres extra
            raise MemoryStoreError("PostgreSQL memories need psycopg: pip install 'tm[postgres]'") from None
        self.url = url
        self._errors = psycopg.Error
        try:
            self.db = psycopg.connect(url, autocommit=True)
            term = self.db.execute("SELECT to_regclass('term')").fetchone()[0]
            if term is None:
                with self.db.transaction():
                    self.db.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
                    for statement in [*SCHEMA.split(";\n"), *META.split(";\n")]:
                        self.db.execute(statement)
            elif self._index_outdated():
                self._rebuild_index()
        except psycopg.Error as exc:
            raise MemoryStoreError(f"cannot open the memory: {_first_line(exc)}", _safe(url)) from None

    def _execute(self, sql: str, params=(), binary: bool = False):
        self._flush()
        try:
            return self.db.execute(sql.replace("?", "%s"), tuple(params), binary=binary)
        except self._errors as exc:
            raise MemoryStoreError(f"memory error: {_first_line(exc)}", _safe(self.url)) from None

    def _executemany(self, sql: str, rows: list) -> None:
        if rows:
            self._flush()
            with self.db.cursor() as cursor:
                cursor.executemany(sql.replace("?", "%s"), rows)

    def _rows(self, sql: str, params: tuple, values: list) -> list[tuple]:
        # one array parameter instead of a list of them: one plan whatever the length; results
        # in binary, so that posting blobs are not sent as hexadecimal text and decoded
        if not values:
            return []
        kind, literal = _array_literal(values)
        return self._execute(
            sql.replace("IN ({})", f"= ANY(?::{kind}[])"), (*params, literal), binary=True
        ).fetchall()

    def _refresh_statistics(self) -> None:
        self.db.execute("ANALYZE unit, variant, posting, term")

    def _insert(self, table: str, fields: tuple[str, ...], rows: Iterable[tuple]) -> None:
        if self._background is not None:
            self._background.submit(functools.partial(self._copy, table, fields, rows))
        else:
            self._copy(table, fields, rows)

    def _copy(self, table: str, fields: tuple[str, ...], rows: Iterable[tuple]) -> None:
        # COPY in binary: no text escaping of each value (posting entries are hundreds of
        # megabytes at a million units, twice as many as hexadecimal text)
        columns = _COLUMN_TYPES[table.removesuffix("_in")]
        with (
            self.db.cursor() as cursor,
            cursor.copy(f"COPY {table} ({', '.join(fields)}) FROM STDIN (FORMAT BINARY)") as copy,
        ):
            copy.set_types([columns[field] for field in fields])
            for row in rows:
                copy.write_row(row)

    def _upsert_postings(self, postings: Postings) -> None:
        if not postings.ranges:
            return
        if self._background is not None:
            self._background.submit(functools.partial(self._write_postings, postings))
        else:
            self._write_postings(postings)

    def _write_postings(self, postings: Postings) -> None:
        """Posting rows of a range no stored row can have (a range above every range stored
        when this import began, not written yet by it) are copied straight into ``posting``;
        the others are merged through a temporary table. Each term's count is added to."""
        if not postings.ranges:
            return
        self.db.execute(
            "CREATE TEMP TABLE IF NOT EXISTS posting_in (term TEXT, chunk INTEGER, n INTEGER, units BYTEA);"
            " CREATE TEMP TABLE IF NOT EXISTS term_in (term TEXT, n INTEGER)"
        )
        if self._top_range is None:
            self._top_range = self.db.execute("SELECT coalesce(max(chunk), -1) FROM posting").fetchone()[0]
        fresh, merged = Postings([]), Postings([])
        for each in postings.ranges:
            chunk = each[0]
            new = chunk > self._top_range and chunk not in self._ranges_written
            (fresh if new else merged).ranges.append(each)
            self._ranges_written.add(chunk)
        fields = ("term", "chunk", "n", "units")
        if fresh.ranges:
            self._copy("posting", fields, fresh.rows)
        if merged.ranges:
            self._copy("posting_in", fields, merged.rows)
            self.db.execute(
                "INSERT INTO posting SELECT term, chunk, n, units FROM posting_in ORDER BY term, chunk"
                " ON CONFLICT (term, chunk) DO UPDATE SET n = posting.n + excluded.n,"
                " units = posting.units || excluded.units"
            )
            self.db.execute("TRUNCATE posting_in")
        self._copy("term_in", ("term", "n"), postings.counts)
        self.db.execute(
            "INSERT INTO term SELECT term, sum(n) FROM term_in GROUP BY term ORDER BY term"
            " ON CONFLICT (term) DO UPDATE SET n = term.n + excluded.n"
        )
        self.db.execute("TRUNCATE term_in")

    @contextlib.contextmanager
    def _transaction(self):
        self._top_range, self._ranges_written = None, set()  # see _write_postings
        self._next_id = None  # see _suspend_row_work
        with self.db.transaction():
            # posting and term rows are shared by every import: writers take turns, so that
            # two large imports cannot deadlock on them (readers never wait)
            self.db.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
            try:
                yield
            except BaseException:  # its own error first; the writes sent beside it are over
                self._stop_background(quietly=True)
                raise
            self._stop_background()  # before it ends, the writes sent beside it are done

    def _suspend_row_work(self) -> None:
        """The key index dropped (see the method it extends), and the variants' foreign key
        too: PostgreSQL checks it with a query for each variant written (a third of the
        server's work in a million units' import) and checks all rows with one join when
        it is added back. Meanwhile the variant table is locked (as SQLite's file is during
        such an import): a lookup waits for the import, with nothing to read before it.

        The import also numbers its units itself (writers take turns, so the sequence is
        its alone until it ends) and sends its writes by a thread of their own
        (:class:`_Background`), since no write now needs an answer from the server."""
        super()._suspend_row_work()
        self._next_id = self._execute("SELECT nextval('unit_id_seq')").fetchone()[0]
        for (name,) in self._execute(
            "SELECT conname FROM pg_constraint WHERE conrelid = 'variant'::regclass AND contype = 'f'"
        ).fetchall():
            self._execute(f'ALTER TABLE variant DROP CONSTRAINT "{name}"')
        self._background = _Background()

    def _resume_row_work(self) -> None:
        self._stop_background()
        self._execute("SELECT setval('unit_id_seq', ?, false)", (self._next_id,))  # nextval gives it
        self._next_id = None
        super()._resume_row_work()
        self._execute(
            f"ALTER TABLE variant ADD CONSTRAINT {FOREIGN_KEY}"
            " FOREIGN KEY (unit) REFERENCES unit(id) ON DELETE CASCADE"
        )

    def _new_ids(self, n: int) -> list[int]:
        if self._next_id is not None:  # the sequence is this import's alone (_suspend_row_work)
            start, self._next_id = self._next_id, self._next_id + n
            return list(range(start, start + n))
        if n == 0:
            return []
        rows = self.db.execute("SELECT nextval('unit_id_seq') FROM generate_series(1, %s)", (n,)).fetchall()
        return [r[0] for r in rows]

    def _flush(self) -> None:
        """Before this thread uses the connection: the writes sent beside it are done."""
        if self._background is not None:
            self._background.flush()

    def _stop_background(self, quietly: bool = False) -> None:
        background, self._background = self._background, None
        if background is not None:
            background.close(quietly)

    def _stream(self, sql: str, params=()):
        self._flush()
        with self.db.transaction(), self.db.cursor(name="tm_units") as cursor:
            cursor.itersize = 5000
            cursor.execute(sql.replace("?", "%s"), tuple(params))
            yield from cursor

    def close(self) -> None:
        self.db.close()


class _Background:
    """The writes of a bulk import into an empty memory (``COPY`` of its rows, its postings),
    sent to the server by a thread of their own, in order, while the importing thread
    makes the next batch ready: otherwise the server waits for each batch and the importing
    process for the server. Any other use of the connection waits for them (``flush``); the
    first error is raised in the importing thread, by its next ``submit`` or ``flush``, and
    the writes after it are dropped (the transaction rolls back)."""

    def __init__(self) -> None:
        self._queue: queue.Queue = queue.Queue(maxsize=WRITES_WAITING)  # bounded memory
        self._error: BaseException | None = None  # the first, after which nothing is written
        self._raised = False
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            job = self._queue.get()
            try:
                if job is None:
                    return
                if self._error is None:
                    try:
                        job()
                    except BaseException as exc:  # raised in the importing thread
                        self._error = exc
            finally:
                self._queue.task_done()

    def submit(self, job) -> None:
        self._raise()
        self._queue.put(job)

    def flush(self) -> None:
        self._queue.join()
        self._raise()

    def close(self, quietly: bool = False) -> None:
        """Wait for the writes sent; raise their error unless ``quietly`` (the importing
        thread is raising its own)."""
        self._queue.put(None)
        self._thread.join()
        if not quietly:
            self._raise()

    def _raise(self) -> None:
        if self._error is not None and not self._raised:
            self._raised = True
            raise self._error


def _array_literal(values: list) -> tuple[str, str]:
    """The type and text of a PostgreSQL array of ``values`` (all integers or all strings):
    written here at once, where psycopg would adapt each value in Python (a lookup at a
    million units passes thousands of unit ids, 4 µs each)."""
    if isinstance(values[0], int):
        return "bigint", "{" + ",".join(map(str, values)) + "}"
    quoted = (value.replace("\\", "\\\\").replace('"', '\\"') for value in values)
    return "text", "{" + ",".join(f'"{value}"' for value in quoted) + "}"


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        credentials, host = rest.rsplit("@", 1)
        return f"{scheme}://{credentials.split(':', 1)[0]}@{host}"
    return url
