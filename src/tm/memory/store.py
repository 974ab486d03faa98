"""The memory's design, shared by the SQLite and PostgreSQL stores.

Tables: ``unit`` (one sentence in several languages, its provenance, origin and status),
``variant`` (one language's text of a unit, its normalised form and a 64-bit fingerprint of
that form for exact lookups), and the candidate index: ``posting`` and ``term`` (how many
postings each term has).

The index maps each *term* of a variant (an adjacent pair of normalised words, numbers
written as ``0``; single words for very short sentences) to the units that contain it.
Postings are packed in blobs as 64-bit entries, a unit id, the length of the text that
holds the term and a sketch of all that text's terms, one row per term and range of 65,536
unit ids, so that a lookup reads a few rows and a bulk import writes each row about once
(tm.memory.indexing works them out, in a worker process beside a large import). A lookup
reads the posting lengths of the query's terms, takes terms rarest first until a small
budget of postings is spent, counts how many of those terms each text shares, and
re-scores with ``rapidfuzz``, on the normalised text, the units ranked highest by the terms
they share and by how close their sketches are to the sentence's (of those tied, the
closest in length). Common pairs ("of the") are never read; a near repeat shares most of
its rare pairs, and a sentence with other names and figures in the same clauses shares its
common pairs, which its sketch tells, so both are found without reading the whole memory.
Postings are only ever added: a variant whose text changed keeps its old postings, which at
worst brings a candidate that the re-scoring then drops.
"""

from __future__ import annotations

import contextlib
import gc
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator

from tm.memory import Hit, Match, Provenance, Stats, Translation, Unit
from tm.memory.indexing import VERSION as INDEX_VERSION
from tm.memory.indexing import Indexer, Postings, tally
from tm.memory.normalise import fastest, fingerprint, normalise, terms_and_sketch
from tm.memory.rows import Rows, in_batches, unit_batches
from tm.memory.scoring import length_bounds, score, score_bound, similarity

# Lookup rounds, after one of the exact matches alone: (postings read so far, rarest terms
# first; best-sharing units re-scored). Each round runs unless the rounds before found
# ``limit`` matches scoring CONFIDENT or more (so a near repeat that lacks the query's
# rarest terms is still looked for when three suggestions are asked for and one exact match
# was found). Rounds re-score few units: a fresh process pays more for reading one unit's
# text (scattered pages) than for counting a few hundred postings.
ROUNDS = ((3000, 20), (20000, 80))
# then, for a sentence whose matches are weak (see _weak), a round reading further: a new
# sentence whose template-mates (the same clauses, other names and figures) tie with many
# others on the terms read so far, and for several suggestions the second and third best
# of a repeated sentence, which are its template-mates too. At a million units: best 94% →
# 100% of the brute-force matches, top 3 85% → 97%. Few sentences are weak: reading to
# 130,000 postings rather than 40,000 found the last of the best matches (98% → 100%) for
# 0.106 → 0.144 s a release (one suggestion, open + match), affordable once a phrase's
# pairs were read once and ranking was in C.
FURTHER = (130000, 80)
# Several suggestions (an XLIFF export, which no one waits on) read further still: top 3 at a
# million units 97% → 100% of the brute-force suggestions, for 0.54 → 0.76 s a release
# (medians of four); for one suggestion the same would cost 0.146 → 0.189 s a release.
FURTHER_SEVERAL = (200000, 80)
WEAK = 90
# and, only for a sentence that still has no match at all, a last round reading far more
# (a new sentence whose nearest neighbour shares none of its rare names and places)
LAST_RESORT = (100000, 100)
CONFIDENT = 95
# how far below the threshold a unit's plain similarity may be and its score still be worked
# out (punctuation-only and number-only differences score above it)
LIKELY_MARGIN = 3
# posting lists at least this long, of the same length and spread over the ranges of unit
# ids alike, are read once (see _Lookups._same_lists)
SAME_LIST_LENGTH = 1000
MAX_VALUES = 10000  # values bound in one query's IN (…) list
# units re-scored at once up to which a server is asked for their texts, translations and
# provenance in one query; beyond, for their texts first (see IndexedMemory._score)
FEW_UNITS = 500
BATCH = 10000  # units read, checked and written per batch during a bulk import

# The index of variants by fingerprint, for exact matches and the duplicate check. The
# fingerprint comes first: lookups give both columns, and building it after a bulk import
# then sorts by a number, not by a text for most rows (at a million units: 0.9–1.4 s instead
# of 2.8–4.0 s on PostgreSQL, 1.5 s instead of 2.7–4.7 s on SQLite)
KEY_INDEX = "CREATE INDEX IF NOT EXISTS variant_key ON variant(key, lang)"
# Created with every memory, and the format of its postings recorded; a memory without it,
# or with another format, has its postings made anew when opened.
META = (
    """CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO meta(name, value) VALUES ('postings', '"""
    + INDEX_VERSION
    + """') ON CONFLICT(name) DO UPDATE SET value = excluded.value"""
)
UNIT_FIELDS = ("id", "release", "segment", "origin", "status", "created")
VARIANT_FIELDS = ("unit", "lang", "text", "norm", "key", "file", "translator", "updated")
UNIT_COLUMNS = "u.id, u.release, u.segment, u.origin, u.status, u.created"


class IndexedMemory:
    """A memory over a DB-API connection; subclasses supply the dialect."""

    #: SQL that appends ``excluded.units`` to an existing posting row
    CONCAT_POSTINGS = "posting.units || excluded.units"
    #: SQL function for "position of a substring", for concordance
    SUBSTRING = "instr"
    #: True when each query costs a round trip to a server: fewer, larger queries then
    ROUND_TRIPS_COST = False
    #: SQL answering whether the ``meta`` table exists
    HAS_META = "SELECT count(*) FROM sqlite_master WHERE name='meta'"
    #: during a bulk import into an empty memory (see :meth:`_start_bulk`): the fingerprints
    #: of the units written, to their ids
    _written: dict[int, int | list[int]] | None = None

    # -- dialect hooks -------------------------------------------------------------------

    def _execute(self, sql: str, params: Iterable = ()):
        raise NotImplementedError

    def _executemany(self, sql: str, rows: list) -> None:
        raise NotImplementedError

    def _transaction(self):
        raise NotImplementedError

    def _new_ids(self, n: int) -> list[int]:
        raise NotImplementedError

    def _stream(self, sql: str, params: Iterable = ()) -> Iterator[tuple]:
        yield from self._execute(sql, params)

    def _first_write(self) -> contextlib.AbstractContextManager:
        """Around the transaction of a write, which may be the first into an empty
        memory."""
        return contextlib.nullcontext()

    def _scattered_reads(self) -> contextlib.AbstractContextManager:
        """Around a lookup, which reads a few rows from all over the memory."""
        return contextlib.nullcontext()

    def close(self) -> None:
        raise NotImplementedError

    # -- writing ---------------------------------------------------------------------------

    def add(self, translations: list[Translation]) -> int:
        units = [
            Unit({t.source_lang: t.source, t.target_lang: t.target}, t.provenance)
            for t in translations
            if t.source.strip() and t.target.strip()
        ]
        return self.add_units(units)

    def add_units(self, units: Iterable[Unit], progress=None) -> int:
        """Add units in one transaction; return how many were new or gained a changed text.

        Once a first batch is full, the index terms are worked out by a worker process
        while this one reads and writes the next batch (tm.memory.indexing).
        """
        return self.add_rows(unit_batches(units, BATCH), progress)

    def add_rows(self, batches: Iterable[Rows], progress=None, bulk: bool = False) -> int:
        """:meth:`add_units` for units already made rows (tm.memory.rows), in batches; a
        ``bulk`` import indexes beside it from the first batch, another once a first batch
        has ``BATCH`` units."""
        new = 0
        with self._bulk_write() as indexer:
            for number, rows in enumerate(batches):
                if number == 0 and (bulk or rows.read >= BATCH):  # a bulk import: index beside it
                    indexer.start_worker()
                    self._start_bulk()
                new += self._store(rows, indexer)
                if progress:
                    progress(rows.read)
                self._write_ready(indexer)
        if new >= BATCH:
            self._refresh_statistics()
        return new

    @contextlib.contextmanager
    def _bulk_write(self) -> Iterator[Indexer]:
        """One transaction for many units, and the indexer their postings go to; what it
        has not written by the end (see :meth:`_write_ready`) is written then."""
        indexer = Indexer()
        failed = True
        try:
            with self._first_write(), self._transaction(), _no_cyclic_gc():
                yield indexer
                self._upsert_postings(indexer.take(wait=True))
                if self._written is not None:
                    self._resume_row_work()
            failed = False
        finally:
            self._end_bulk()
            indexer.close(abandon=failed)

    def _start_bulk(self) -> None:
        """At the start of a bulk import, inside its transaction, into an empty memory: the
        duplicate check looks up the units written so far in :attr:`_written` instead of
        the store (no one else writes meanwhile: writers take turns), and the store stops
        the work it does row by row that is cheaper done at once at the end
        (:meth:`_suspend_row_work`)."""
        if self._written is None and self._execute("SELECT 1 FROM variant LIMIT 1").fetchone() is None:
            self._written = {}
            self._suspend_row_work()

    def _suspend_row_work(self) -> None:
        """See :meth:`_start_bulk`; undone by :meth:`_resume_row_work`. The index of
        variants by fingerprint is dropped until the end of the transaction: building it at
        once from the rows is much cheaper than keeping it up to date row by row."""
        self._execute("DROP INDEX variant_key")

    def _resume_row_work(self) -> None:
        """At the end of a bulk import into an empty memory, inside its transaction: what
        :meth:`_suspend_row_work` stopped is back, done at once for the rows written."""
        self._execute(KEY_INDEX)

    def _end_bulk(self) -> None:
        """After a bulk write, whether or not it succeeded: the units written are forgotten
        (what the store stopped is back: done by the transaction, or never stopped when it
        rolled back)."""
        self._written = None

    def _remember(self, key: int, uid: int) -> None:
        """During a bulk import into an empty memory: the unit ``uid`` was written, whose
        text in its first language (alphabetically) has the fingerprint ``key``."""
        written = self._written
        if key in written:
            written[key] = [*self._written_units(key), uid]
        else:
            written[key] = uid  # one id, not a list: a million of them cost less

    def _written_units(self, key: int) -> list[int]:
        """During a bulk import into an empty memory: the units written whose first text
        has the fingerprint ``key``."""
        found = self._written.get(key, [])
        return found if isinstance(found, list) else [found]

    def _write_ready(self, indexer: Indexer) -> None:
        """Write the postings of the ranges of unit ids complete so far."""
        self._upsert_postings(indexer.take())

    def _refresh_statistics(self) -> None:
        """After a bulk import, let the query planner know the tables' new sizes."""

    def _index_outdated(self) -> bool:
        """True when the postings are of an earlier format than this tm writes (no ``meta``
        table: the first format)."""
        if not self._execute(self.HAS_META).fetchone()[0]:
            return True
        row = self._execute("SELECT value FROM meta WHERE name='postings'").fetchone()
        return row is None or row[0] != INDEX_VERSION

    def _rebuild_index(self) -> None:
        """Make the posting index anew from the stored texts, in the current format (for a
        memory written by an earlier tm: postings of unit ids alone, or without sketches).

        Run when the memory is opened and its postings are outdated; several processes
        opening it at once take turns, and those after the first find the work done.
        """
        with self._bulk_write() as indexer:
            if not self._index_outdated():
                return
            self._execute("DELETE FROM posting")
            self._execute("DELETE FROM term")
            texts = self._stream("SELECT unit, norm FROM variant ORDER BY unit, lang")
            for batch in in_batches(texts, 2 * BATCH):
                if len(batch) == 2 * BATCH:
                    indexer.start_worker()  # a large memory: index beside it
                indexer.add(batch)
                self._write_ready(indexer)
            for statement in META.split(";\n"):
                self._execute(statement)
        self._refresh_statistics()

    def _store(self, rows: Rows, indexer: Indexer | None = None) -> int:
        """Write one batch inside the caller's transaction; return how many units were new
        or gained a changed text. Its postings go to ``indexer`` (without one, they are
        written here).

        A unit of a release's segment is that segment's unit, created or updated; any other
        is new unless a unit holds exactly its texts already. A batch whose units are all
        new and numbered in a row (nearly every batch of a large import) is written as the
        rows came, numbered by the store (:meth:`_insert_numbered`)."""
        placed = [place for place, unit in enumerate(rows.units) if unit[1] and unit[2]]
        changed = [(self._segment_unit(rows.units[place]), place) for place in placed]
        elsewhere = set(placed)
        plain = [place for place in range(len(rows.units)) if place not in elsewhere] if placed else None
        probes = rows.firsts if plain is None else [rows.firsts[place] for place in plain]
        fresh = self._fresh(rows, plain, probes)
        ids = self._new_ids(len(fresh))

        # the new units' ids by their places: by an offset where they follow one another
        in_a_row = len(fresh) == len(rows.units) and (not ids or ids[-1] - ids[0] == len(ids) - 1)
        texts = rows.texts if placed or not in_a_row else {}
        if in_a_row:
            offset = ids[0] if ids else 0
            self._insert_numbered("unit", UNIT_FIELDS, rows.units, offset)
            self._insert_numbered("variant", VARIANT_FIELDS, rows.variants, offset)
            indexed = [(row[0] + offset, row[3]) for row in rows.variants]
        else:
            uid_of = dict(zip(fresh, ids, strict=True))
            self._insert("unit", UNIT_FIELDS, [(uid_of[place], *rows.units[place][1:]) for place in fresh])
            new_variants = [(uid_of[place], *row[1:]) for place in fresh for row in texts[place]]
            self._insert("variant", VARIANT_FIELDS, new_variants)
            indexed = [(row[0], row[3]) for row in new_variants]
        if self._written is not None:
            self._remember_all([rows.firsts[place][1] for place in fresh], ids)

        new = len(fresh)
        variants = []
        for uid, place in changed:
            unit = rows.units[place]
            status = self._execute("SELECT status FROM unit WHERE id=?", (uid,)).fetchone()[0]
            if unit[4] != "approved" and status == "approved":
                continue  # a draft never replaces an approved translation
            before = dict(self._execute("SELECT lang, text FROM variant WHERE unit=?", (uid,)).fetchall())
            differs = [row for row in texts[place] if before.get(row[1]) != row[2]]
            if unit[4] != status:
                self._execute("UPDATE unit SET status=? WHERE id=?", (unit[4], uid))
            if differs:
                new += 1
                if self._written is not None:
                    self._remember(rows.firsts[place][1], uid)
                for row in differs:
                    indexed.append((uid, row[3]))
                    variants.append((uid, *row[1:]))
        self._executemany(
            "INSERT INTO variant(unit, lang, text, norm, key, file, translator, updated)"
            " VALUES (?,?,?,?,?,?,?,?) ON CONFLICT(unit, lang) DO UPDATE SET text=excluded.text,"
            " norm=excluded.norm, key=excluded.key, file=excluded.file,"
            " translator=excluded.translator, updated=excluded.updated",
            variants,
        )
        if indexer is None:
            self._upsert_postings(Indexer.inline(indexed))
        else:
            indexer.add(indexed)
        return new

    def _fresh(self, rows: Rows, plain: list[int] | None, probes: list[tuple[str, int]]) -> list[int]:
        """The places of the units of ``plain`` (None: every unit) to be written: all but
        those whose texts a unit holds already, in the memory or earlier in the batch.
        Only a unit whose first text's fingerprint is stored already, or comes twice in the
        batch, has its texts compared."""
        places = range(len(rows.units)) if plain is None else plain
        stored = self._stored_keys(probes)
        keys = [key for _lang, key in probes]
        suspect = {key for _lang, key in stored}
        if len(set(keys)) < len(keys):
            suspect.update(key for key, n in Counter(keys).items() if n > 1)
        if not suspect:
            return list(places)
        texts = rows.texts
        fresh, seen = [], set()
        for place, probe in zip(places, probes, strict=True):
            if probe[1] in suspect:
                unit_texts = {row[1]: row[2] for row in texts[place]}
                signature = frozenset(unit_texts.items())
                if signature in seen or (probe in stored and self._known(unit_texts, *probe)):
                    continue
                seen.add(signature)
            fresh.append(place)
        return fresh

    def _insert_numbered(self, table: str, fields: tuple[str, ...], rows: list[tuple], offset: int) -> None:
        """Insert new rows whose first field is a unit's place in its batch, stored as the
        unit's id: the place plus ``offset``."""
        self._insert(table, fields, ((row[0] + offset, *row[1:]) for row in rows))

    def _remember_all(self, keys: list[int], ids: list[int]) -> None:
        """:meth:`_remember` for each of ``keys`` and ``ids``, in one step where none of
        the keys was remembered before nor comes twice."""
        written = self._written
        if len(set(keys)) == len(keys) and written.keys().isdisjoint(keys):
            written.update(zip(keys, ids, strict=True))
            return
        for key, uid in zip(keys, ids, strict=True):
            self._remember(key, uid)

    def _segment_unit(self, unit: tuple) -> int:
        """The id of the unit of a release's segment (a row of :attr:`Rows.units`), created
        when new. Several coordinators may add the same segment at once: the loser of the
        race uses the winner's unit."""
        _place, release, segment, origin, status, date = unit
        query = ("SELECT id FROM unit WHERE release=? AND segment=?", (release, segment))
        row = self._execute(*query).fetchone()
        if row:
            return row[0]
        uid = self._new_ids(1)[0]
        inserted = self._execute(
            "INSERT INTO unit(id, release, segment, origin, status, created) VALUES (?,?,?,?,?,?)"
            " ON CONFLICT DO NOTHING",
            (uid, release, segment, origin, status, date),
        )
        return uid if inserted.rowcount else self._execute(*query).fetchone()[0]

    def _upsert_postings(self, postings: Postings) -> None:
        """Add posting rows, appending to those that exist, and count them per term."""
        self._executemany(
            "INSERT INTO posting(term, chunk, n, units) VALUES (?,?,?,?) ON CONFLICT(term, chunk)"
            f" DO UPDATE SET n = posting.n + excluded.n, units = {self.CONCAT_POSTINGS}",
            postings.rows,
        )
        self._executemany(
            "INSERT INTO term(term, n) VALUES (?,?) ON CONFLICT(term) DO UPDATE SET n = term.n + excluded.n",
            postings.counts,
        )

    def _insert(self, table: str, fields: tuple[str, ...], rows: list[tuple]) -> None:
        """Insert new rows (no conflict possible) as fast as the store allows."""
        marks = ",".join("?" * len(fields))
        self._executemany(f"INSERT INTO {table}({', '.join(fields)}) VALUES ({marks})", rows)

    def _stored_keys(self, keys: list[tuple[str, int]]) -> set[tuple[str, int]]:
        """Which of these (language, fingerprint) pairs a variant has already: one query per
        language and thousand texts, not one per text."""
        if self._written is not None:
            return {(lang, key) for lang, key in keys if key in self._written}
        by_lang: dict[str, set[int]] = defaultdict(set)
        for lang, key in keys:
            by_lang[lang].add(key)
        found = set()
        for lang, wanted in by_lang.items():
            ordered = sorted(wanted)
            for start in range(0, len(ordered), 1000):
                part = ordered[start : start + 1000]
                rows = self._rows("SELECT key FROM variant WHERE lang=? AND key IN ({})", (lang,), part)
                found.update((lang, key) for (key,) in rows)
        return found

    def _known(self, texts: dict[str, str], lang: str, key: int) -> bool:
        """True when a unit already holds exactly these texts (re-importing a file); its
        text in ``lang`` has the fingerprint ``key``."""
        if self._written is not None:
            units = self._written_units(key)
        else:
            units = [
                uid
                for (uid,) in self._execute(
                    "SELECT unit FROM variant WHERE lang=? AND key=? AND text=?", (lang, key, texts[lang])
                ).fetchall()
            ]
        for uid in units:
            stored = dict(self._execute("SELECT lang, text FROM variant WHERE unit=?", (uid,)).fetchall())
            if all(stored.get(k) == v for k, v in texts.items()):
                return True
        return False

    # -- reading ---------------------------------------------------------------------------

    def exact(self, source_lang: str, source: str, target_lang: str) -> str | None:
        return self.exact_many(source_lang, [source], target_lang)[0]

    def exact_many(self, source_lang: str, sources: list[str], target_lang: str) -> list[str | None]:
        """:meth:`exact` for each of ``sources``, in one query."""
        norms = [normalise(source) for source in sources]
        newest: dict[str, tuple] = {}
        for norm, text, updated, uid in self._rows(
            "SELECT s.norm, t.text, t.updated, t.unit FROM variant s"
            " JOIN variant t ON t.unit=s.unit AND t.lang=? JOIN unit u ON u.id=s.unit"
            " WHERE s.lang=? AND u.status='approved' AND s.key IN ({})",
            (target_lang, source_lang),
            sorted({fingerprint(norm) for norm in norms if norm}),
        ):
            if norm not in newest or (updated, uid) > newest[norm][1:]:
                newest[norm] = (text, updated, uid)
        return [newest[norm][0] if norm in newest else None for norm in norms]

    def matches(
        self, source_lang: str, source: str, target_lang: str, threshold: int = 75, limit: int = 3
    ) -> list[Match]:
        return self.matches_many(source_lang, [source], target_lang, threshold, limit)[0]

    def matches_many(
        self, source_lang: str, sources: list[str], target_lang: str, threshold: int = 75, limit: int = 3
    ) -> list[list[Match]]:
        """:meth:`matches` for each of ``sources``, looked up together: each round of the
        lookup runs for every sentence still looking, in a few queries whatever their
        number (a release's worth of round trips to a server would cost more than the
        matching). A sentence that comes several times (boilerplate) is looked up once."""
        with self._scattered_reads():
            return self._matches_many(source_lang, sources, target_lang, threshold, limit)

    def _matches_many(
        self, source_lang: str, sources: list[str], target_lang: str, threshold: int, limit: int
    ) -> list[list[Match]]:
        asked = [normalise(source) for source in sources]
        norms = list(dict.fromkeys(asked))
        lookups = _Lookups(self, source_lang, norms)
        found: list[dict[int, tuple]] = [{} for _ in norms]
        looking = [i for i, norm in enumerate(norms) if norm]
        # a first round of the exact matches alone (an exact repeat needs no postings), the
        # rounds, then those for the sentences still weak, or still unmatched
        rounds = [((0, 0), None), *((each, None) for each in ROUNDS)]
        rounds += [(FURTHER if limit == 1 else FURTHER_SEVERAL, _weak), (LAST_RESORT, _unmatched)]
        for (budget, size), still in rounds:
            if still is not None:
                looking = [i for i in looking if still(found[i], limit)]
            lookups.keep(looking)
            if not looking:
                break
            # asked for many suggestions (concordance-like use), re-score more units
            wanted = lookups.candidates(looking, budget, max(size, 2 * limit))
            wanted = {i: [u for u in units if u not in found[i]] for i, units in wanted.items()}
            self._score(norms, (source_lang, target_lang), threshold, limit, wanted, found)
            looking = [i for i in looking if not _settled(found[i], limit)]
        best = {norm: _ranked(matched, limit) for norm, matched in zip(norms, found, strict=True)}
        return [list(best[norm]) for norm in asked]

    def _score(
        self,
        norms: list[str],
        langs: tuple[str, str],
        threshold: int,
        limit: int,
        wanted: dict[int, list[int]],
        found: list[dict[int, tuple]],
    ) -> None:
        """Score the units ``wanted`` for each sentence (by its index in ``norms``): those
        reaching ``threshold`` join the sentence's ``found`` as (score, updated, Match).

        A unit's translation and provenance are read only if it can be among the ``limit``
        best: a first query reads the units' normalised texts, which give each unit's score
        but for carrying numbers over (:func:`~tm.memory.scoring.score_bound`); the units
        whose bound reaches the ``limit``-th best are read in full, then those that may
        still make the ``limit`` best (a number not carried over, a translation given
        twice): at a million units, 92 of the 3,436 units whose texts a release's lookup
        reads. That is where a query is cheap (SQLite, in process) or the units are many
        (joining thousands of rows to their translations costs a server more than a round
        trip); where a round trip costs more than reading a few more rows, all are read in
        one query, and scored if within reach (:func:`_within_reach`), as the others.
        """
        if self.ROUND_TRIPS_COST and len(_distinct(wanted.values())) <= FEW_UNITS:
            self._read_and_score(norms, langs, threshold, wanted, found, checked=False)
            return
        old = dict(
            self._rows(
                "SELECT unit, norm FROM variant WHERE lang=? AND unit IN ({})",
                (langs[0],),
                _distinct(wanted.values()),
            )
        )
        bounds = {
            i: _bounds(norms[i], threshold, [(u, old[u]) for u in units if u in old])
            for i, units in wanted.items()
        }
        first = {i: _worth_reading(found[i], offered, limit) for i, offered in bounds.items()}
        self._read_and_score(norms, langs, threshold, first, found)
        then = {}
        for i, offered in bounds.items():
            read, bar = set(first[i]), _bar(found[i], limit, threshold)
            then[i] = [u for bound, u in offered if bound >= bar and u not in read]
        self._read_and_score(norms, langs, threshold, then, found)

    def _read_and_score(
        self,
        norms: list[str],
        langs: tuple[str, str],
        threshold: int,
        wanted: dict[int, list[int]],
        found: list[dict[int, tuple]],
        checked: bool = True,
    ) -> None:
        """Read the units ``wanted`` in full (texts, the target's provenance and the
        unit's) and score them (``checked``: they are known to be within reach)."""
        units = _distinct(wanted.values())
        if not units:
            return
        rows = {
            row[0]: row
            for row in self._rows(
                "SELECT s.unit, s.norm, s.text, t.text, t.file, t.translator, t.updated, u.release,"
                " u.segment, u.origin, u.created FROM variant s JOIN variant t ON t.unit=s.unit AND t.lang=?"
                " JOIN unit u ON u.id=s.unit WHERE s.lang=? AND s.unit IN ({})",
                (langs[1], langs[0]),
                units,
            )
        }
        for i, units in wanted.items():
            for uid in units:
                row = rows.get(uid)
                if row is None:
                    continue
                _uid, old_norm, old_source, old_target, file, translator, updated = row[:7]
                if not checked and _within_reach(norms[i], old_norm, threshold) is None:
                    continue
                scored = score(norms[i], old_norm, old_target, langs[1])
                if scored.score >= threshold:
                    provenance = Provenance(row[7], row[8], file, translator, row[9], row[10])
                    match = Match(old_source, scored.target, scored.score, provenance, scored.note)
                    found[i][uid] = (scored.score, updated, match)

    def _rows(self, sql: str, params: tuple, values: list) -> list[tuple]:
        """The rows of ``sql`` whose ``IN ({})`` takes ``values`` (in parts, within the
        store's limit on parameters)."""
        found = []
        for start in range(0, len(values), MAX_VALUES):
            part = values[start : start + MAX_VALUES]
            marks = ",".join("?" * len(part))
            found += self._execute(sql.format(marks), (*params, *part)).fetchall()
        return found

    def search(self, text: str, lang: str | None = None, minimum: int = 60, limit: int = 20) -> list[Hit]:
        norm = normalise(text)
        if not norm:
            return []
        langs = [lang] if lang else self._langs()
        scored: dict[tuple[int, str], int] = {}
        where = "lang=? AND " if lang else ""
        for uid, found_lang in self._execute(
            f"SELECT unit, lang FROM variant WHERE {where}{self.SUBSTRING}(norm, ?) > 0"
            " ORDER BY unit DESC LIMIT ?",
            (*([lang] if lang else []), norm, limit),
        ).fetchall():
            scored[uid, found_lang] = 100
        for each in langs:
            units = _Lookups(self, each, [norm]).candidates([0], ROUNDS[0][0], max(ROUNDS[0][1], limit))[0]
            for uid, old in self._rows(
                "SELECT unit, norm FROM variant WHERE lang=? AND unit IN ({})", (each,), units
            ):
                value = int(similarity(norm, old))
                if value >= minimum:
                    scored.setdefault((uid, each), value)
        best = sorted(scored.items(), key=lambda item: (-item[1], -item[0][0]))[:limit]
        loaded = {u.id: u for u in self._load([uid for (uid, _lang), _s in best])}
        return [Hit(loaded[uid], found_lang, value) for (uid, found_lang), value in best if uid in loaded]

    def units(self, langs: Iterable[str] | None = None) -> Iterator[Unit]:
        wanted = set(langs) if langs else None
        current, variants, files = None, {}, {}
        for row in self._stream(
            f"SELECT {UNIT_COLUMNS}, v.lang, v.text, v.file, v.translator FROM unit u"
            " JOIN variant v ON v.unit=u.id ORDER BY u.id, v.lang"
        ):
            if current is not None and row[0] != current[0]:
                if variants:
                    yield _unit(current, variants, files)
                variants, files = {}, {}
            current = row
            if wanted is None or row[6] in wanted:
                variants[row[6]] = row[7]
                files[row[6]] = (row[8], row[9])
        if current is not None and variants:
            yield _unit(current, variants, files)

    def _load(self, ids: list[int]) -> list[Unit]:
        grouped: dict[int, list[tuple]] = defaultdict(list)
        for row in self._rows(
            f"SELECT {UNIT_COLUMNS}, v.lang, v.text, v.file, v.translator FROM unit u"
            " JOIN variant v ON v.unit=u.id WHERE u.id IN ({}) ORDER BY v.lang",
            (),
            ids,
        ):
            grouped[row[0]].append(row)
        return [
            _unit(rows[0], {r[6]: r[7] for r in rows}, {r[6]: (r[8], r[9]) for r in rows})
            for rows in grouped.values()
        ]

    def _langs(self) -> list[str]:
        return [lang for (lang,) in self._execute("SELECT DISTINCT lang FROM variant").fetchall()]

    def stats(self) -> Stats:
        def counts(sql: str) -> dict[str, int]:
            return {k: int(v) for k, v in self._execute(sql).fetchall()}

        return Stats(
            units=self.count(),
            variants=counts("SELECT lang, count(*) FROM variant GROUP BY lang ORDER BY lang"),
            origins=counts("SELECT origin, count(*) FROM unit GROUP BY origin ORDER BY origin"),
            statuses=counts("SELECT status, count(*) FROM unit GROUP BY status ORDER BY status"),
            terms=int(self._execute("SELECT count(*) FROM term").fetchone()[0]),
        )

    def count(self) -> int:
        return int(self._execute("SELECT count(*) FROM unit").fetchone()[0])


class _Lookups:
    """Candidate units for several sentences, read from the posting index in rounds.

    The exact matches come first. Then each sentence's terms are read rarest first until a
    round's budget of postings is spent, and the units sharing the most of the terms read
    so far, and the most of the others by their sketches, are returned, those of earlier
    rounds excepted. Each step is one query for all the sentences together.
    """

    def __init__(self, store: IndexedMemory, lang: str, norms: list[str]):
        self.store = store
        keys = {i: fingerprint(norm) for i, norm in enumerate(norms) if norm}
        split = fastest("terms_and_sketch", terms_and_sketch)
        indexed = {i: split(norm) for i, norm in enumerate(norms) if norm}
        terms = {i: found for i, (found, _sketched) in indexed.items()}
        exact: dict[int, list[int]] = defaultdict(list)
        for key, uid in store._rows(
            "SELECT key, unit FROM variant WHERE lang=? AND key IN ({})", (lang,), sorted(set(keys.values()))
        ):
            exact[key].append(uid)
        frequency = dict(
            store._rows("SELECT term, n FROM term WHERE term IN ({})", (), _distinct(terms.values()))
        )
        self.sentences = {}
        for i, key in keys.items():
            counts = {term: frequency[term] for term in terms[i] if term in frequency}
            self.sentences[i] = _Lookup(exact.get(key, []), counts, len(norms[i]), indexed[i][1])

    def keep(self, which: list[int]) -> None:
        """Forget the sentences not in ``which``, which are done: their counts are the
        lookup's largest tables, and those still looking can then grow into their memory
        (memory fresh from the system costs a page fault per 4 KiB)."""
        for i in set(self.sentences) - set(which):
            del self.sentences[i]

    def candidates(self, which: list[int], budget: int, size: int) -> dict[int, list[int]]:
        """For each sentence in ``which``: its exact matches and, with a budget, the ``size``
        units ranked highest on the terms read so far (units given in earlier rounds left
        out; see :meth:`_Lookup._most_shared`)."""
        lookups = {i: self.sentences[i] for i in which if i in self.sentences}
        if budget:
            chosen = {i: lookup.choose(budget) for i, lookup in lookups.items()}
            read_as = self._same_lists(_distinct(chosen.values()))
            blobs: dict[str, list[bytes]] = defaultdict(list)
            for term, blob in self.store._rows(
                "SELECT term, units FROM posting WHERE term IN ({})", (), sorted(set(read_as.values()))
            ):
                blobs[term].append(blob)
            joined = {term: b"".join(found) for term, found in blobs.items()}
            for i, lookup in lookups.items():
                lookup.count([joined.get(read_as[term], b"") for term in sorted(chosen[i])])
        return {i: lookup.candidates(budget, size) for i, lookup in lookups.items()}

    def _same_lists(self, terms: list[str]) -> dict[str, str]:
        """The term whose postings are read for each of ``terms``: itself, or for the word
        pairs of a fixed phrase (a boilerplate clause: the same long list of units for
        each), the first of them. Long lists of the same length whose rows hold as many
        postings in each range of unit ids are taken to be the same list: at a million
        units, a weak sentence's lookup read 11.6 MB of postings, most of it the same lists
        again. Were two such lists to differ, a unit in one only would count once too
        often or too few, among thousands sharing as much."""
        frequency = {}
        for lookup in self.sentences.values():
            frequency.update(lookup.frequency)
        by_length: dict[int, list[str]] = defaultdict(list)
        for term in terms:
            if frequency.get(term, 0) >= SAME_LIST_LENGTH:
                by_length[frequency[term]].append(term)
        alike = [term for group in by_length.values() if len(group) > 1 for term in group]
        read_as = {term: term for term in terms}
        if alike:
            rows: dict[str, list[tuple[int, int]]] = defaultdict(list)
            for term, chunk, n in self.store._rows(
                "SELECT term, chunk, n FROM posting WHERE term IN ({})", (), sorted(alike)
            ):
                rows[term].append((chunk, n))
            first: dict[tuple, str] = {}
            for term in sorted(alike):
                read_as[term] = first.setdefault(tuple(sorted(rows[term])), term)
        return read_as


class _Lookup:
    """One sentence's side of :class:`_Lookups`."""

    def __init__(self, exact: list[int], frequency: dict[str, int], length: int, sketched: int = 0):
        self.exact = exact
        self.frequency = frequency
        self.length = length  # of the normalised sentence
        self.sketch = sketched  # of its terms
        self.pending = sorted(frequency, key=frequency.__getitem__)
        self.shared = tally()
        self.given: set[int] = set()
        self.spent = 0

    def choose(self, budget: int) -> list[str]:
        """The rarest terms not read yet, up to ``budget`` postings read in all (at least
        one term). Terms as frequent as the one before them cost nothing: the word pairs of
        a fixed phrase (a boilerplate clause) are each in the same units, so one posting
        list counted with their number stands for all of them (see :meth:`count`)."""
        chosen: list[str] = []
        before = None
        while self.pending:
            frequency = self.frequency[self.pending[0]]
            again = frequency == before
            if chosen and not again and self.spent + frequency > budget:
                break
            chosen.append(self.pending.pop(0))
            if not again:
                self.spent += frequency
            before = frequency
        return chosen

    def count(self, postings: list[bytes]) -> None:
        """Count the posting lists of the terms chosen (each a term's blobs end to end):
        a list read for several terms is counted once, with their number as its weight."""
        distinct: list[list] = []  # [blob, weight]: a few terms, compared (not hashed)
        for blob in postings:
            for each in distinct:
                if each[0] == blob:
                    each[1] += 1
                    break
            else:
                distinct.append([blob, 1])
        for blob, weight in distinct:
            self.shared.add(blob, weight)

    def candidates(self, budget: int, size: int) -> list[int]:
        found = [u for u in self.exact if u not in self.given]
        if budget:
            found += [
                u for u in self._most_shared(size + len(self.given)) if u not in self.given and u not in found
            ]
        self.given.update(found)
        return found

    def _most_shared(self, size: int) -> list[int]:
        """The units of the ``size`` texts ranked highest on the terms read so far
        (:meth:`tm.memory.indexing.Tally.best`)."""
        return self.shared.best(size, self.sketch, len(self.pending), len(self.frequency), self.length)


def _bounds(norm: str, threshold: int, offered: list[tuple[int, str]]) -> list[tuple[int, int]]:
    """(the most its score can be, unit) for each of the units ``offered`` (unit, normalised
    text) that may reach ``threshold`` against ``norm``, highest first.

    Only units :func:`_within_reach` are bounded (the bound's punctuation and number
    checks cost far more than the similarity)."""
    bounds = []
    for uid, old in offered:
        similar = _within_reach(norm, old, threshold)
        if similar is not None and (bound := score_bound(norm, old, similar)) >= threshold:
            bounds.append((bound, uid))
    return sorted(bounds, reverse=True)


def _within_reach(norm: str, old: str, threshold: int) -> float | None:
    """The plain similarity of ``old`` to ``norm``, unless its length or that similarity is
    too far below ``threshold`` for it to be scored: only a short sentence whose numbers
    alone differ, by many digits, could still reach it."""
    low, high = length_bounds(len(norm), threshold)
    if not low <= len(old) <= high:
        return None
    similar = similarity(norm, old)
    return similar if similar >= threshold - LIKELY_MARGIN else None


def _worth_reading(found: dict[int, tuple], offered: list[tuple[int, int]], limit: int) -> list[int]:
    """The units ``offered`` ((bound, unit), highest first) whose bound reaches the
    ``limit``-th best of the scores ``found`` and the bounds offered (ties included)."""
    best = sorted([*(each[0] for each in found.values()), *(bound for bound, _uid in offered)], reverse=True)
    cut = best[limit - 1] if len(best) >= limit else 0
    return [uid for bound, uid in offered if bound >= cut]


def _bar(found: dict[int, tuple], limit: int, threshold: int) -> int:
    """The score a unit needs to be among the ``limit`` best matches ``found`` (one equal to
    the last of them may go before it, if newer)."""
    best = _ranked(found, limit)
    return best[-1].score if len(best) >= limit else threshold


def _weak(found: dict[int, tuple], limit: int) -> bool:
    """No match found yet, or none scoring WEAK or more; or, where several suggestions
    are asked for, not all of them near exact (see :func:`_settled`): the second and third
    best of a repeated sentence are template-mates, as a new sentence's best is."""
    if limit > 1:
        return not _settled(found, limit)
    return not found or max(score for score, _updated, _match in found.values()) < WEAK


def _unmatched(found: dict[int, tuple], limit: int) -> bool:
    return not found


def _settled(found: dict[int, tuple], limit: int) -> bool:
    """Even the weakest of the ``limit`` best matches found is near exact: nothing better is
    missed by looking no further. Matches count once per distinct translation, as they are
    returned (a repeat whose figures alone changed gives the same suggestion)."""
    best = _ranked(found, limit)
    return len(best) >= limit and best[-1].score >= CONFIDENT


def _distinct(groups: Iterable[Iterable]) -> list:
    """The values of several groups, each once and in order: one query's parameters."""
    return sorted(set().union(*groups))


def _ranked(found: dict[int, tuple], limit: int) -> list[Match]:
    """The ``limit`` best matches, one per distinct translation: the highest scores, of
    those equal the newest translation, then the unit added last."""
    ranked = sorted(found.items(), key=lambda item: (item[1][0], item[1][1], item[0]), reverse=True)
    best, targets = [], set()
    for _uid, (_score, _updated, match) in ranked:
        if match.target not in targets:
            targets.add(match.target)
            best.append(match)
    return best[:limit]


@contextlib.contextmanager
def _no_cyclic_gc():
    """A bulk import allocates millions of small objects (term strings, posting lists) and
    frees nothing cyclic: the collector's passes over them cost a third of the time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _unit(row: tuple, variants: dict[str, str], files: dict[str, tuple[str, str]]) -> Unit:
    uid, release, segment, origin, status, created = row[:6]
    file, translator = next((f for f in files.values() if any(f)), ("", ""))
    return Unit(dict(variants), Provenance(release, segment, file, translator, origin, created), status, uid)
