"""The memory contract: every store (SQLite, PostgreSQL) passes the same tests."""

from __future__ import annotations

import contextlib
import itertools
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
from array import array

import pytest
from rapidfuzz import fuzz, process

from tm.errors import MemoryStoreError
from tm.memory import Provenance, Translation, Unit, indexing, open_memory, store
from tm.memory.indexing import length_of, sketch_of, unit_of, unpack
from tm.memory.normalise import index_terms, normalise, sketch
from tm.memory.sqlite import SqliteMemory

LAMINAR = Provenance(release="2012-05-22-operation-laminar", segment="p3.s1", origin="imported")


@pytest.fixture
def memory(memory_url):
    store = open_memory(memory_url)
    yield store
    store.close()


def test_exact_match_in_every_direction(memory):
    memory.add_units([Unit({"ar": "مرحبا بكم.", "en": "Welcome.", "fr": "Bienvenue."})])
    assert memory.exact("en", "welcome", "fr") == "Bienvenue."
    assert memory.exact("fr", "Bienvenue !", "ar") == "مرحبا بكم."
    assert memory.exact("ar", "مَرْحَبًا بِكُم", "en") == "Welcome."
    assert memory.exact("en", "Welcome home.", "fr") is None
    assert memory.exact("en", "Welcome.", "de") is None


def test_only_approved_units_fill_exactly(memory):
    memory.add_units([Unit({"en": "Draft sentence here.", "fr": "Phrase brouillon."}, status="draft")])
    assert memory.exact("en", "Draft sentence here.", "fr") is None
    [match] = memory.matches("en", "Draft sentence here.", "fr")
    assert (match.target, match.score) == ("Phrase brouillon.", 100)


def test_a_draft_never_replaces_an_approved_translation(memory):
    memory.add([Translation("ar", "جملة.", "en", "A sentence.", LAMINAR)])
    added = memory.add_units([Unit({"ar": "جملة.", "en": "A draft."}, LAMINAR, status="draft")])
    assert added == 0
    assert memory.exact("ar", "جملة.", "en") == "A sentence."


def test_translations_of_one_segment_form_one_multilingual_unit(memory):
    assert memory.add([Translation("ar", "جملة.", "en", "A sentence.", LAMINAR)]) == 1
    assert memory.add([Translation("ar", "جملة.", "fr", "Une phrase.", LAMINAR)]) == 1
    assert memory.count() == 1
    [unit] = memory.units()
    assert unit.variants == {"ar": "جملة.", "en": "A sentence.", "fr": "Une phrase."}
    assert (unit.provenance.release, unit.provenance.segment) == (LAMINAR.release, LAMINAR.segment)
    assert memory.exact("en", "A sentence.", "fr") == "Une phrase."


def test_a_corrected_translation_replaces_the_old_one(memory):
    memory.add([Translation("ar", "جملة.", "en", "A sentense.", LAMINAR)])
    assert memory.add([Translation("ar", "جملة.", "en", "A sentence.", LAMINAR)]) == 1
    assert memory.add([Translation("ar", "جملة.", "en", "A sentence.", LAMINAR)]) == 0
    assert memory.exact("ar", "جملة.", "en") == "A sentence."
    assert memory.count() == 1


def test_adding_the_same_unit_twice_stores_it_once(memory):
    unit = Unit({"en": "Same sentence twice.", "fr": "Même phrase deux fois."})
    assert memory.add_units([unit, unit]) == 1
    assert memory.add_units([unit]) == 0
    assert memory.count() == 1


def test_fuzzy_matches_are_scored_and_ranked(memory):
    memory.add_units(
        [
            Unit({"en": "The ministers met in Paris on Monday to discuss security.", "fr": "A"}),
            Unit({"en": "The ministers met in Rome on Monday to discuss security.", "fr": "B"}),
            Unit({"en": "Completely unrelated words about the weather and rain.", "fr": "C"}),
        ]
    )
    found = memory.matches("en", "The ministers met in Rome on Tuesday to discuss security.", "fr")
    assert [m.target for m in found] == ["B", "A"]
    assert 90 <= found[0].score < 100 and found[1].score < found[0].score
    assert memory.matches("en", "The ministers met in Rome on Tuesday.", "fr", threshold=95) == []


def test_a_match_carries_its_provenance(memory):
    memory.add(
        [Translation("ar", "أعلن الإنتربول عن نتائج العملية.", "en", "INTERPOL announced it.", LAMINAR)]
    )
    [match] = memory.matches("ar", "أعلن الانتربول عن نتائج العملية", "en")
    assert match.score == 100
    assert (match.provenance.release, match.provenance.segment) == (LAMINAR.release, LAMINAR.segment)
    assert match.provenance.origin == "imported"


def test_number_transfer_with_arabic_indic_digits_in_the_memory(memory):
    memory.add_units(
        [
            Unit(
                {
                    "en": "The operation covered 55 countries and 20 ports.",
                    "ar": "شملت العملية ٥٥ بلدا و٢٠ ميناء.",
                }
            )
        ]
    )
    [match] = memory.matches("en", "The operation covered 60 countries and 22 ports.", "ar")
    assert match.target == "شملت العملية ٦٠ بلدا و٢٢ ميناء."
    assert match.note == "numbers carried over: 55→60, 20→22"
    assert match.score == 98
    [back] = memory.matches("ar", "شملت العملية 60 بلدا و22 ميناء.", "en")
    assert back.target == "The operation covered 60 countries and 22 ports."


def test_search_is_a_concordance_over_all_languages(memory):
    memory.add_units(
        [
            Unit({"en": "Operation Laminar targeted counterfeit medicines.", "fr": "L'opération Laminar."}),
            Unit({"en": "Something else entirely.", "fr": "Tout autre chose."}),
        ]
    )
    hits = memory.search("laminar")
    assert {(h.lang, h.score) for h in hits} == {("en", 100), ("fr", 100)}
    assert memory.search("laminar", lang="fr")[0].unit.variants["en"].startswith("Operation Laminar")
    fuzzy = memory.search("Operation Laminar targeted fake medicines", lang="en", minimum=70)
    assert [h.unit.variants["fr"] for h in fuzzy] == ["L'opération Laminar."]


def test_stats_count_units_languages_origins_and_statuses(memory):
    memory.add_units([Unit({"en": "One.", "fr": "Un."}, Provenance(origin="tmx"))])
    memory.add_units([Unit({"en": "Two.", "ar": "اثنان."}, Provenance(origin="aligned"), status="draft")])
    stats = memory.stats()
    assert stats.units == 2
    assert stats.variants == {"ar": 1, "en": 2, "fr": 1}
    assert stats.origins == {"aligned": 1, "tmx": 1}
    assert stats.statuses == {"approved": 1, "draft": 1}


def test_a_failed_import_leaves_the_memory_as_it_was(memory):
    def units():
        yield Unit({"en": "First.", "fr": "Premier."})
        raise MemoryStoreError("broken half-way")

    with pytest.raises(MemoryStoreError):
        memory.add_units(units())
    assert memory.count() == 0


def _family_corpus(n: int, seed: int = 6) -> list[str]:
    rng = random.Random(seed)
    subjects = ["The minister", "The secretary general", "INTERPOL", "The agency", "The police", "Customs"]
    verbs = ["announced", "reported", "confirmed", "welcomed", "launched", "completed"]
    objects = ["the arrest of", "a campaign against", "an inquiry into", "the results of", "funding for"]
    things = ["counterfeit medicines", "human trafficking", "stolen vehicles", "illegal fishing", "fraud"]
    places = ["Paris", "Lyon", "Cairo", "Rabat", "Amman", "Dakar", "Tunis", "Beirut", "Doha", "Algiers"]
    return [
        f"{rng.choice(subjects)} {rng.choice(verbs)} {rng.choice(objects)} {rng.choice(things)} "
        f"in {rng.choice(places)} on {rng.randint(1, 28)} May {rng.randint(2005, 2024)}, "
        f"with {rng.randint(2, 90)} countries taking part."
        for _ in range(n)
    ]


def test_candidates_find_what_a_brute_force_scan_finds(memory):
    corpus = sorted(set(_family_corpus(3000)))
    memory.add_units([Unit({"en": s, "fr": f"fr {i}"}) for i, s in enumerate(corpus)])
    norms = [normalise(s) for s in corpus]
    found = expected = 0
    for query in _family_corpus(40, seed=99):
        wanted = {
            corpus[i]
            for _s, score, i in process.extract(normalise(query), norms, scorer=fuzz.ratio, limit=None)
            if score >= 90
        }
        got = {m.source for m in memory.matches("en", query, "fr", threshold=90, limit=len(corpus))}
        expected += len(wanted)
        found += len(wanted & got)
    assert expected > 0
    assert found / expected >= 0.99


def test_two_processes_importing_at_once_lose_nothing(memory_url, tmp_path):
    script = tmp_path / "add.py"
    script.write_text(
        textwrap.dedent(
            """
            import sys
            from tm.memory import Provenance, Translation, open_memory
            url, tag = sys.argv[1], sys.argv[2]
            memory = open_memory(url)
            for batch in range(5):
                memory.add([
                    Translation("en", f"Sentence {tag} {batch} {i} of the release.", "fr",
                                f"Phrase {tag} {i}.", Provenance(f"release-{tag}", f"p{batch}.s{i}"))
                    for i in range(40)
                ])
            memory.close()
            """
        )
    )
    open_memory(memory_url).close()  # both processes find the schema ready or create it
    runs = [subprocess.Popen([sys.executable, str(script), memory_url, tag]) for tag in ("a", "b")]
    assert [run.wait(timeout=120) for run in runs] == [0, 0]
    store = open_memory(memory_url)
    assert store.count() == 400
    assert store.exact("en", "Sentence b 4 39 of the release.", "fr") == "Phrase b 39."
    assert len(store.matches("en", "Sentence a 3 7 of the release!", "fr", threshold=75, limit=500)) >= 1
    store.close()


def test_an_unreadable_memory_is_one_line_error(tmp_path):
    path = tmp_path / "tm.sqlite"
    path.write_bytes(b"not a database at all" * 100)
    with pytest.raises(MemoryStoreError, match="cannot open the memory"):
        open_memory(str(path))


def test_a_memory_of_the_first_tm_is_upgraded_in_place(tmp_path):
    import sqlite3

    path = tmp_path / "tm.sqlite"
    db = sqlite3.connect(path)
    db.executescript(
        """
        CREATE TABLE unit (id INTEGER PRIMARY KEY, release TEXT NOT NULL DEFAULT '',
            segment TEXT NOT NULL DEFAULT '', origin TEXT NOT NULL DEFAULT 'imported', created TEXT NOT NULL);
        CREATE TABLE variant (unit INTEGER NOT NULL, lang TEXT NOT NULL, text TEXT NOT NULL,
            norm TEXT NOT NULL, file TEXT NOT NULL DEFAULT '', translator TEXT NOT NULL DEFAULT '',
            updated TEXT NOT NULL, PRIMARY KEY (unit, lang));
        INSERT INTO unit VALUES (1, 'r1', 'p1.s1', 'imported', '2012-05-22T10:00:00+00:00');
        INSERT INTO variant VALUES (1, 'ar', 'جملة أولى.', 'جمله اولي', '', '', '2012-05-22T10:00:00+00:00');
        INSERT INTO variant VALUES (1, 'en', 'A first sentence.', 'a first sentence', 'r1.en.po', 'Ann',
            '2012-05-22T10:00:00+00:00');
        """
    )
    db.commit()
    db.close()
    memory = open_memory(str(path))
    assert memory.exact("ar", "جملة أولى", "en") == "A first sentence."
    [unit] = memory.units()
    assert (unit.provenance.release, unit.provenance.segment, unit.provenance.translator) == (
        "r1",
        "p1.s1",
        "Ann",
    )
    assert memory.matches("en", "A first sentence here.", "ar")[0].target == "جملة أولى."


def _posting_index(memory) -> dict[str, set[str]]:
    """The posting index as stored: each term and the English texts of its units."""
    english = dict(memory._execute("SELECT unit, text FROM variant WHERE lang='en'").fetchall())
    texts: dict[int, set[tuple[int, int]]] = {}
    for uid, norm in memory._execute("SELECT unit, norm FROM variant").fetchall():
        texts.setdefault(uid, set()).add((len(norm), sketch(index_terms(norm))))
    index: dict[str, set[str]] = {}
    for term, blob in memory._execute("SELECT term, units FROM posting").fetchall():
        for value in unpack(blob):
            # each entry: the unit, and the length and sketch of its text that holds the term
            assert (length_of(value), sketch_of(value)) in texts[unit_of(value)]
            index.setdefault(term, set()).add(english[unit_of(value)])
    return index


def test_a_large_import_is_indexed_by_a_worker_process_as_it_would_be_here(memory, monkeypatch):
    started = []
    monkeypatch.setattr(indexing._Worker, "__init__", _counting(indexing._Worker.__init__, started))
    monkeypatch.setattr(store, "BATCH", 70)  # many batches, all indexed by the worker
    corpus = sorted(set(_family_corpus(1000)))
    pairs = [(s, f"Traduction {i} : {s.lower()}") for i, s in enumerate(corpus)]
    assert memory.add_units([Unit({"en": en, "fr": fr}) for en, fr in pairs]) == len(pairs)
    assert started == [1]
    _assert_indexed(memory, pairs)
    query = corpus[500].replace(" on ", " since ")
    assert memory.matches("en", query, "fr", threshold=75, limit=1)[0].source == corpus[500]


def _assert_indexed(memory, pairs: list[tuple[str, str]]) -> None:
    """The posting index and the term counts hold every text of ``pairs``, each once."""
    expected: dict[str, set[str]] = {}
    postings: dict[str, int] = {}  # a term in both languages of a unit is posted twice
    for en, fr in pairs:
        for text in (en, fr):
            for term in index_terms(normalise(text)):
                expected.setdefault(term, set()).add(en)
                postings[term] = postings.get(term, 0) + 1
    assert _posting_index(memory) == expected
    assert dict(memory._execute("SELECT term, n FROM term").fetchall()) == postings


def test_imports_appending_to_a_range_of_unit_ids_keep_its_postings_whole(memory, monkeypatch):
    # the first import writes range 0; the next ones add to it: a small one in process,
    # a large one whose worker starts after a first batch indexed here
    monkeypatch.setattr(store, "BATCH", 40)
    corpus = sorted(set(_family_corpus(400)))
    pairs = [(s, f"Traduction {i} : {s.lower()}") for i, s in enumerate(corpus)]
    parts = [pairs[:30], pairs[30:35], pairs[35:]]
    for part in parts:
        memory.add_units([Unit({"en": en, "fr": fr}) for en, fr in part])
    _assert_indexed(memory, pairs)


def test_an_import_whose_indexing_worker_dies_leaves_the_memory_as_it_was(memory, monkeypatch):
    memory.add_units([Unit({"en": "Kept.", "fr": "Gardé."})])
    monkeypatch.setattr(indexing._Worker, "command", ("-c", "raise SystemExit(3)"))
    monkeypatch.setattr(store, "BATCH", 50)
    units = [Unit({"en": s, "fr": f"fr {i}"}) for i, s in enumerate(sorted(set(_family_corpus(300))))]
    with pytest.raises(MemoryStoreError, match="indexing worker stopped"):
        memory.add_units(units)
    assert memory.count() == 1
    assert set(_posting_index(memory)) == {"kept", "gardé"}


def test_an_import_that_fails_stops_its_indexing_worker_at_once(memory, monkeypatch):
    monkeypatch.setattr(store, "BATCH", 50)
    workers = []
    start = indexing._Worker.__init__

    def started(self):
        start(self)
        workers.append(self._process)

    monkeypatch.setattr(indexing._Worker, "__init__", started)
    corpus = sorted(set(_family_corpus(300)))

    def units():
        yield from (Unit({"en": s, "fr": f"fr {i}"}) for i, s in enumerate(corpus))
        raise MemoryStoreError("broken half-way")

    with pytest.raises(MemoryStoreError, match="broken half-way"):
        memory.add_units(units())
    # killed, not left to index batches nobody will write
    assert [worker.returncode for worker in workers] == [-signal.SIGKILL]
    assert memory.count() == 0


def _counting(function, calls: list):
    def counted(*args, **kwargs):
        calls.append(1)
        return function(*args, **kwargs)

    return counted


def test_sentences_looked_up_together_get_what_each_gets_alone(memory, monkeypatch):
    corpus = sorted(set(_family_corpus(1500)))
    memory.add_units([Unit({"en": s, "fr": f"fr {i}"}) for i, s in enumerate(corpus)])
    memory.add_units([Unit({"en": "Draft only.", "fr": "Brouillon."}, status="draft")])
    queries = [*corpus[:5], *_family_corpus(25, seed=7), "", "Nothing like it at all.", "Draft only."]
    queries += [queries[6], queries[7].upper()]  # repeats (the same normalised text) are looked up once
    alone = [memory.matches("en", q, "fr", threshold=75, limit=3) for q in queries]
    exact_alone = [memory.exact("en", q, "fr") for q in queries]
    queries_run = []
    execute = memory._execute

    def recorded(sql, *args, **kwargs):
        queries_run.append(sql)
        return execute(sql, *args, **kwargs)

    monkeypatch.setattr(memory, "_execute", recorded)
    assert memory.matches_many("en", queries, "fr", threshold=75, limit=3) == alone
    # a few queries per round for all 35 sentences, not a few per sentence
    assert len(queries_run) <= 16, queries_run
    assert memory.exact_many("en", queries, "fr") == exact_alone
    assert exact_alone[:5] == ["fr 0", "fr 1", "fr 2", "fr 3", "fr 4"]
    assert exact_alone[-5:-2] == [None, None, None]  # empty, unknown, a draft
    assert any(alone[5:30])


def _first_format(value: int) -> bytes:
    return array("I", [unit_of(value)]).tobytes()  # 32-bit unit ids alone


def _second_format(value: int) -> bytes:
    return array("Q", [unit_of(value) << 16 | length_of(value)]).tobytes()  # no sketch


@pytest.mark.parametrize("version, written", [(None, _first_format), ("2", _second_format)])
def test_postings_of_an_earlier_tm_are_made_anew_when_the_memory_is_opened(memory_url, version, written):
    corpus = sorted(set(_family_corpus(400)))
    memory = open_memory(memory_url)
    memory.add_units([Unit({"en": s, "fr": f"fr {i}"}) for i, s in enumerate(corpus)])
    expected = _posting_index(memory)
    # as an earlier tm wrote them: the first format had no meta table
    rows = memory._execute("SELECT term, chunk, units FROM posting").fetchall()
    with memory._transaction():
        for term, chunk, blob in rows:
            old = b"".join(map(written, unpack(blob)))
            memory._execute("UPDATE posting SET units=? WHERE term=? AND chunk=?", (old, term, chunk))
        if version is None:
            memory._execute("DROP TABLE meta")
        else:
            memory._execute("UPDATE meta SET value=? WHERE name='postings'", (version,))
    memory.close()
    upgraded = open_memory(memory_url)
    try:
        assert _posting_index(upgraded) == expected  # every entry has its length and sketch again
        query = corpus[7].replace(" on ", " since ")
        assert upgraded.matches("en", query, "fr", threshold=75, limit=1)[0].source == corpus[7]
        assert upgraded._execute("SELECT value FROM meta WHERE name='postings'").fetchone()[0] == "3"
    finally:
        upgraded.close()


def test_of_units_sharing_every_term_the_one_of_the_closest_length_is_found(memory):
    sentence = "The minister announced the arrest of 12 suspects in Lyon on 3 May"
    longer = [f"{sentence}, with {n} countries" for n in range(2, 302)]  # scoring about 88
    memory.add_units([Unit({"en": s, "fr": f"fr {i}"}) for i, s in enumerate(longer)])
    near = "The minister announced the arrest of 40 suspects in Lyon on 9 May"
    memory.add_units([Unit({"en": near, "fr": "x"})])
    # every unit holds every term of the query: only the length tells the near repeat apart
    best = memory.matches("en", sentence, "fr", threshold=75, limit=1)
    assert best[0].source == near
    assert best[0].score == 95  # numbers differ and cannot be carried over: "x" holds none


def test_an_import_where_no_worker_process_can_start_indexes_in_process(memory, monkeypatch):
    def refused(self):
        raise OSError("no processes here")

    monkeypatch.setattr(indexing._Worker, "__init__", refused)
    monkeypatch.setattr(store, "BATCH", 60)
    corpus = sorted(set(_family_corpus(300)))
    memory.add_units([Unit({"en": s, "fr": f"Traduction {i}."}) for i, s in enumerate(corpus)])
    assert memory.count() == len(corpus)
    index = _posting_index(memory)
    assert all(index[term] >= {s} for s in corpus[:20] for term in index_terms(normalise(s)))


def _exact_matches(memory, corpus: list[str]) -> list[str | None]:
    return memory.exact_many("en", corpus, "fr")


def _has_key_index(memory) -> bool:
    if isinstance(memory, SqliteMemory):
        return memory._execute("SELECT 1 FROM sqlite_master WHERE name='variant_key'").fetchone() is not None
    return memory._execute("SELECT to_regclass('variant_key') IS NOT NULL").fetchone()[0]


@pytest.mark.parametrize("before", [[], [Unit({"en": "Kept.", "fr": "Gardé."})]], ids=["empty", "not empty"])
def test_a_bulk_import_stores_each_unit_once_and_keeps_exact_lookups(memory, monkeypatch, before):
    # A large import into an empty memory builds the fingerprint index at its end (SQLite)
    # and checks duplicates meanwhile against the units it has written: repeats in later
    # batches, in another language order, or of a release's segment, are still stored once.
    memory.add_units(before)
    monkeypatch.setattr(store, "BATCH", 40)
    corpus = sorted(set(_family_corpus(200)))
    units = [Unit({"en": s, "fr": f"Traduction {i}."}) for i, s in enumerate(corpus)]
    again = [Unit({"fr": f"Traduction {i}.", "en": s}) for i, s in enumerate(corpus[:30])]
    released = Unit({"en": "Released.", "fr": "Publié."}, LAMINAR)
    twin = Unit({"en": corpus[0], "fr": "Autre traduction."})  # same English, another French
    stored = memory.add_units(
        [released, *units, *again, Unit({"en": "Released.", "fr": "Publié."}), twin, twin]
    )
    assert stored == len(corpus) + 2
    assert memory.count() == len(before) + len(corpus) + 2
    found = _exact_matches(memory, [*corpus, "Released."])
    assert found[1:-1] == [f"Traduction {i}." for i in range(1, len(corpus))]
    assert found[0] in {"Traduction 0.", "Autre traduction."} and found[-1] == "Publié."
    assert _has_key_index(memory)
    # and the next import, into a memory no longer empty, finds them all stored
    assert memory.add_units(units) == 0


@pytest.mark.parametrize("fails", [False, True], ids=["succeeds", "fails"])
def test_a_bulk_import_into_an_empty_sqlite_memory_gives_its_page_cache_back(tmp_path, monkeypatch, fails):
    from tm.memory import sqlite

    memory = SqliteMemory(tmp_path / "tm.sqlite")
    monkeypatch.setattr(store, "BATCH", 40)
    during = []

    def cache() -> int:
        return memory._execute("PRAGMA cache_size").fetchone()[0]

    def units():
        for i, s in enumerate(sorted(set(_family_corpus(200)))):
            if i == 100:
                during.append(cache())
                if fails:
                    raise MemoryStoreError("broken half-way")
            yield Unit({"en": s, "fr": f"Traduction {i}."})

    if fails:
        with pytest.raises(MemoryStoreError):
            memory.add_units(units())
    else:
        memory.add_units(units())
    # smaller while the duplicate check's dictionary grows, as before once it is gone
    assert during == [-sqlite.BULK_CACHE_KIB]
    assert cache() == -sqlite.CACHE_KIB
    memory.close()


def test_a_bulk_import_that_fails_leaves_the_fingerprint_index_in_place(memory, monkeypatch):
    monkeypatch.setattr(store, "BATCH", 40)
    corpus = sorted(set(_family_corpus(200)))

    def units():
        yield from (Unit({"en": s, "fr": f"Traduction {i}."}) for i, s in enumerate(corpus))
        raise MemoryStoreError("broken half-way")

    with pytest.raises(MemoryStoreError):
        memory.add_units(units())
    assert _has_key_index(memory)
    memory.add_units([Unit({"en": corpus[0], "fr": "Première."})])
    assert _exact_matches(memory, corpus[:2]) == ["Première.", None]
    memory.add_units([Unit({"en": corpus[0], "fr": "Première."})])
    assert memory.count() == 1


def test_only_a_sqlite_lookup_reads_through_a_memory_map(tmp_path, monkeypatch):
    """A lookup's scattered reads go through a map of the file; an import or an export
    does not, since every page it touched through the map would stay resident."""
    from tm.memory import sqlite

    memory = SqliteMemory(tmp_path / "tm.sqlite")
    memory.add_units([Unit({"en": s, "fr": f"Traduction {i}."}) for i, s in enumerate(_family_corpus(50))])
    mapped = []
    rows = memory._rows

    def recording(*args):
        mapped.append(memory.db.execute("PRAGMA mmap_size").fetchone()[0])
        return rows(*args)

    monkeypatch.setattr(memory, "_rows", recording)
    assert memory.matches("en", _family_corpus(50)[3], "fr")
    # as much as asked, or SQLite's own limit
    assert mapped and all(0 < size <= sqlite.MMAP_BYTES for size in mapped)
    assert memory.db.execute("PRAGMA mmap_size").fetchone()[0] == 0
    memory.close()


def test_a_new_sqlite_memory_has_large_pages_and_an_old_one_keeps_its_own(tmp_path):
    import sqlite3

    from tm.memory import sqlite

    new = SqliteMemory(tmp_path / "new.sqlite")
    assert new.db.execute("PRAGMA page_size").fetchone()[0] == sqlite.PAGE_BYTES
    new.close()
    old = sqlite3.connect(tmp_path / "old.sqlite")
    old.execute("PRAGMA page_size=4096")
    old.execute("PRAGMA journal_mode=WAL")
    old.execute("CREATE TABLE other (x)")
    old.close()
    memory = SqliteMemory(tmp_path / "old.sqlite")
    memory.add_units([Unit({"en": "A sentence.", "fr": "Une phrase."})])
    assert memory.db.execute("PRAGMA page_size").fetchone()[0] == 4096
    assert memory.matches("en", "A sentence.", "fr")[0].target == "Une phrase."
    memory.close()


def _journal_mode(path) -> str:
    with contextlib.closing(sqlite3.connect(path)) as db:
        return db.execute("PRAGMA journal_mode").fetchone()[0]


@pytest.mark.parametrize("fails", [False, True], ids=["succeeds", "fails"])
def test_the_first_write_into_an_empty_sqlite_memory_skips_the_log(tmp_path, monkeypatch, fails):
    memory = SqliteMemory(tmp_path / "tm.sqlite")
    during = []

    def units():
        yield Unit({"en": "The first sentence.", "fr": "La première phrase."})
        during.append(memory.db.execute("PRAGMA journal_mode").fetchone()[0])
        if fails:
            raise MemoryStoreError("broken half-way")

    if fails:
        with pytest.raises(MemoryStoreError):
            memory.add_units(units())
        assert memory.count() == 0
    else:
        assert memory.add_units(units()) == 1
    # written through a rollback journal, then back to the log, whether or not it succeeded
    assert during == ["delete"]
    assert _journal_mode(tmp_path / "tm.sqlite") == "wal"
    if not fails:  # a memory no longer empty is written through the log
        during.clear()
        memory.add_units(units())
        assert during == ["wal"]
    memory.close()


def test_the_first_write_into_an_empty_sqlite_memory_skips_the_foreign_key_checks(tmp_path):
    """Every row of the first write is new: its variants' units are not looked up, and the
    checks are back for the next write. What it wrote still holds together."""
    memory = SqliteMemory(tmp_path / "tm.sqlite")
    during = []

    def units(n):
        for i in range(n):
            yield Unit({"en": f"Sentence number {i} here.", "fr": f"Phrase numéro {i} ici."})
        during.append(memory.db.execute("PRAGMA foreign_keys").fetchone()[0])

    try:
        assert memory.add_units(units(3)) == 3
        assert during == [0]
        assert memory.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert memory.db.execute("PRAGMA foreign_key_check").fetchall() == []
        assert memory.db.execute("SELECT count(*) FROM variant").fetchone()[0] == 6
        during.clear()
        memory.add_units(units(4))
        assert during == [1]
        with pytest.raises(sqlite3.IntegrityError):
            memory.db.execute(
                "INSERT INTO variant(unit, lang, text, norm, key, updated)"
                " VALUES (999, 'en', 'x', 'x', 1, '')"
            )
    finally:
        memory.close()


def test_a_first_write_keeps_the_log_while_another_process_has_the_memory_open(tmp_path):
    first = SqliteMemory(tmp_path / "tm.sqlite")
    other = SqliteMemory(tmp_path / "tm.sqlite")
    during = []

    def units():
        yield Unit({"en": "A sentence.", "fr": "Une phrase."})
        during.append(first.db.execute("PRAGMA journal_mode").fetchone()[0])

    try:
        assert first.add_units(units()) == 1
        assert during == ["wal"]  # written through the log all along
        assert other.exact("en", "A sentence.", "fr") == "Une phrase."
    finally:
        first.close()
        other.close()


def test_a_first_write_keeps_the_log_while_the_same_connection_is_still_reading(tmp_path):
    memory = SqliteMemory(tmp_path / "tm.sqlite")
    try:
        reading = memory.db.execute("SELECT name FROM sqlite_master")
        assert reading.fetchone()  # and more rows to come: a read still open
        during = []

        def units():
            yield Unit({"en": "A sentence.", "fr": "Une phrase."})
            during.append(memory.db.execute("PRAGMA journal_mode").fetchone()[0])

        assert memory.add_units(units()) == 1
        assert during == ["wal"]
        reading.close()
    finally:
        memory.close()


def test_a_memory_opens_while_the_first_import_into_it_runs(tmp_path):
    """Opened then, it cannot change the file back to the log: it opens all the same,
    reads once the import is done, and the next to open the memory alone restores the log."""
    first = SqliteMemory(tmp_path / "tm.sqlite")
    opened = []

    def units():
        yield Unit({"en": "A sentence.", "fr": "Une phrase."})
        opened.append(SqliteMemory(tmp_path / "tm.sqlite"))

    first.add_units(units())
    first.close()
    assert opened[0].exact("en", "A sentence.", "fr") == "Une phrase."
    opened[0].close()
    SqliteMemory(tmp_path / "tm.sqlite").close()
    assert _journal_mode(tmp_path / "tm.sqlite") == "wal"


def test_a_first_import_killed_half_way_leaves_the_memory_empty_and_whole(tmp_path):
    """Killed while its rollback journal holds what the file was (a page cache of a few
    pages, so that the import has written into the file): the next to open the memory
    finds it as it was, empty, and writes through the log again."""
    path = tmp_path / "tm.sqlite"
    script = textwrap.dedent(
        """
        import os, signal, sys
        from tm.memory import Unit, sqlite, store
        store.BATCH = 200
        sqlite.CACHE_KIB = sqlite.BULK_CACHE_KIB = 1
        memory = sqlite.SqliteMemory(sys.argv[1])
        def units():
            for i in range(3000):
                if i == 2500:
                    os.kill(os.getpid(), signal.SIGKILL)
                yield Unit({"en": f"Sentence {i} on the police in Lyon and Cairo.", "fr": f"Phrase {i}."})
        memory.add_units(units())
        """
    )
    killed = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert path.with_name("tm.sqlite-journal").exists()  # a hot journal: the file was written
    memory = SqliteMemory(path)
    try:
        assert memory.count() == 0
        assert memory.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert memory.add_units([Unit({"en": "A sentence.", "fr": "Une phrase."})]) == 1
    finally:
        memory.close()
    assert _journal_mode(path) == "wal"


def test_values_reach_postgresql_as_the_arrays_they_were(postgres_server):
    import psycopg

    from tm.memory.postgres import _array_literal

    awkward = [
        "plain",
        "two words",
        'a "quote"',
        "back\\slash",
        "{braces}",
        "a,comma",
        "",
        "NULL",
        "قال",
        "😀",
    ]
    numbers = [1, -9223372036854775808, 9223372036854775807, 0]
    with psycopg.connect(postgres_server, autocommit=True) as db:
        for values in (awkward, numbers):
            kind, literal = _array_literal(values)
            assert db.execute(f"SELECT %s::{kind}[]", (literal,)).fetchone()[0] == values


def test_a_batch_of_new_units_is_written_as_its_rows_came(memory, monkeypatch):
    # nearly every batch of a large import: all new, numbered in a row by the store
    numbered = []
    insert_numbered = memory._insert_numbered
    monkeypatch.setattr(
        memory,
        "_insert_numbered",
        lambda table, *args: numbered.append(table) or insert_numbered(table, *args),
    )
    memory.add_units([Unit({"en": "Kept.", "fr": "Gardé."})])
    pairs = [(f"Sentence number {n} of the batch.", f"Phrase numéro {n}.") for n in range(50)]
    assert memory.add_units([Unit({"en": en, "fr": fr}, Provenance(file="a.tmx")) for en, fr in pairs]) == 50
    assert numbered == ["unit", "variant"] * 2
    units = list(memory.units())
    assert [(u.id, u.variants) for u in units] == [
        (n, v)
        for n, v in enumerate([{"en": "Kept.", "fr": "Gardé."}, *({"en": e, "fr": f} for e, f in pairs)], 1)
    ]
    assert {u.provenance.file for u in units[1:]} == {"a.tmx"}
    assert _exact_matches(memory, [pairs[7][0]]) == [pairs[7][1]]
    assert memory.matches("en", "Sentence number 7 of this batch.", "fr")[0].target == pairs[7][1]


def test_new_units_numbered_apart_are_stored_under_their_own_ids(memory, monkeypatch):
    # a server's sequence may give ids apart when coordinators import at once
    numbered = []
    monkeypatch.setattr(memory, "_insert_numbered", lambda *args: numbered.append(args))
    monkeypatch.setattr(memory, "_new_ids", lambda n: [1000 + 7 * i for i in range(n)])
    pairs = [(f"Sentence number {n} of the batch.", f"Phrase numéro {n}.") for n in range(20)]
    assert memory.add_units([Unit({"en": en, "fr": fr}) for en, fr in pairs]) == 20
    assert not numbered
    assert [(u.id, u.variants["fr"]) for u in memory.units()] == [
        (1000 + 7 * n, fr) for n, (_en, fr) in enumerate(pairs)
    ]
    assert _exact_matches(memory, [pairs[3][0]]) == [pairs[3][1]]
    assert memory.matches("en", "Sentence number 3 of this batch.", "fr")[0].target == pairs[3][1]


def _foreign_keys(memory) -> list[str]:
    return [
        name
        for (name,) in memory._execute(
            "SELECT conname FROM pg_constraint WHERE conrelid = 'variant'::regclass AND contype = 'f'"
        ).fetchall()
    ]


@pytest.mark.parametrize("memory_url", ["postgresql"], indirect=True)
@pytest.mark.parametrize("fails", [False, True], ids=["succeeds", "fails"])
def test_a_bulk_import_into_an_empty_postgresql_memory_checks_and_indexes_its_variants_at_its_end(
    memory_url, monkeypatch, fails
):
    """The variants' foreign key and key index are dropped during the import (PostgreSQL
    would check and index each row as it comes) and are back after it, whether or not it
    succeeded; duplicates are checked against the units written meanwhile, not the store."""
    memory = open_memory(memory_url)
    monkeypatch.setattr(store, "BATCH", 5)
    stored_keys = memory._stored_keys
    queried = []
    monkeypatch.setattr(
        memory, "_stored_keys", lambda keys: queried.append(memory._written is None) or stored_keys(keys)
    )
    during = []

    def units(n):
        for i in range(n):
            yield Unit({"en": f"Sentence number {i} here.", "fr": f"Phrase numéro {i} ici."})
            if i == 7:
                during.append((_foreign_keys(memory), _has_key_index(memory)))
        if fails:
            raise MemoryStoreError("broken half-way")

    try:
        if fails:
            with pytest.raises(MemoryStoreError):
                memory.add_units(units(12))
            assert memory.count() == 0
        else:
            assert memory.add_units(itertools.chain(units(12), units(3))) == 12  # repeats found meanwhile
        assert during[0] == ([], False) and not any(queried)
        assert _foreign_keys(memory) == ["variant_unit_fkey"] and _has_key_index(memory)
        assert memory._written is None
        with pytest.raises(MemoryStoreError, match="foreign key"):  # checked again
            memory._execute("INSERT INTO variant VALUES (999999, 'en', 'x', 'x', 1, '', '', 'now')")
        if not fails:  # a memory no longer empty keeps its foreign key while it is written
            during.clear()
            memory.add_units(units(9))
            assert during == [(["variant_unit_fkey"], True)]
    finally:
        memory.close()


@pytest.mark.parametrize("memory_url", ["postgresql"], indirect=True)
def test_a_bulk_import_into_an_empty_postgresql_memory_writes_beside_the_importing_thread(
    memory_url, monkeypatch
):
    """Its rows are copied by a thread of their own, in order, with ids the import gave
    them; the sequence then goes on after them."""
    import threading

    memory = open_memory(memory_url)
    monkeypatch.setattr(store, "BATCH", 5)
    copied = []
    copy = memory._copy
    monkeypatch.setattr(
        memory,
        "_copy",
        lambda table, *args: copied.append((table, threading.current_thread())) or copy(table, *args),
    )
    try:
        pairs = [(f"Sentence number {n} here.", f"Phrase numéro {n} ici.") for n in range(12)]
        assert memory.add_units([Unit({"en": en, "fr": fr}) for en, fr in pairs]) == 12
        tables = [table for table, thread in copied if thread is not threading.main_thread()]
        assert tables.count("unit") == tables.count("variant") == 3 and "posting" in tables
        assert [(u.id, u.variants["fr"]) for u in memory.units()] == [
            (n, fr) for n, (_en, fr) in enumerate(pairs, 1)
        ]
        memory.add_units([Unit({"en": "One more.", "fr": "Encore une."})])
        assert max(u.id for u in memory.units()) == 13
    finally:
        memory.close()


@pytest.mark.parametrize("memory_url", ["postgresql"], indirect=True)
def test_a_write_that_fails_beside_the_importing_thread_fails_the_import(memory_url, monkeypatch):
    memory = open_memory(memory_url)
    monkeypatch.setattr(store, "BATCH", 5)
    copy, calls = memory._copy, []

    def failing(table, *args):
        calls.append(table)
        if len(calls) == 3:
            raise MemoryStoreError("the server went away")
        copy(table, *args)

    monkeypatch.setattr(memory, "_copy", failing)
    try:
        pairs = [(f"Sentence number {n} here.", f"Phrase numéro {n} ici.") for n in range(12)]
        with pytest.raises(MemoryStoreError, match="went away"):
            memory.add_units([Unit({"en": en, "fr": fr}) for en, fr in pairs])
        monkeypatch.setattr(memory, "_copy", copy)
        assert (
            memory.count() == 0 and _foreign_keys(memory) == ["variant_unit_fkey"] and _has_key_index(memory)
        )
        assert (
            memory.add_units([Unit({"en": en, "fr": fr}) for en, fr in pairs]) == 12
        )  # the connection works
    finally:
        memory.close()
