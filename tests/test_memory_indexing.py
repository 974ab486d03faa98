"""The posting rows an import writes (tm.memory.indexing)."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import zlib

import pytest

from tm.errors import MemoryStoreError
from tm.memory import indexing
from tm.memory.indexing import Indexer, length_of, sketch_of, unit_of, unpack
from tm.memory.normalise import index_terms, normalise, sketch


def _entries(rows) -> set[tuple[str, int, int, int]]:
    return {(term, chunk, unit_of(v), length_of(v)) for term, chunk, _n, blob in rows for v in unpack(blob)}


def test_rows_of_a_range_still_filling_are_held_back_until_the_end(monkeypatch):
    monkeypatch.setattr(indexing, "CHUNK_BITS", 2)  # ranges of four unit ids
    texts = {uid: f"the police of city {uid % 3} seized goods" for uid in range(1, 11)}
    indexer = Indexer()
    indexer.add([(uid, texts[uid]) for uid in range(1, 6)])  # units 1-5: ranges 0 and 1
    first = indexer.take().rows
    assert {chunk for _term, chunk, _n, _blob in first} == {0}  # range 1 may grow: held back
    indexer.add([(uid, texts[uid]) for uid in range(6, 11)])  # units 6-10: ranges 1 and 2
    second = indexer.take().rows
    assert {chunk for _term, chunk, _n, _blob in second} == {1}
    rest = indexer.take(wait=True).rows
    assert {chunk for _term, chunk, _n, _blob in rest} == {2}
    # each (term, range) written once, and nothing lost or doubled
    keys = [(term, chunk) for term, chunk, _n, _blob in first + second + rest]
    assert len(keys) == len(set(keys))
    assert all(n == len(unpack(blob)) for _t, _c, n, blob in first + second + rest)
    expected = {(term, uid >> 2, uid, len(text)) for uid, text in texts.items() for term in index_terms(text)}
    assert _entries(first + second + rest) == expected


def test_a_worker_process_gives_the_rows_this_process_gives():
    # batches crossing two boundaries between ranges of unit ids (65,536 ids each)
    uids = [*range(65_530, 65_545), *range(131_060, 131_080)]
    texts = {uid: f"the police of city {uid % 3} seized goods" for uid in uids}
    batches = [[(uid, texts[uid]) for uid in uids[start : start + 7]] for start in range(0, len(uids), 7)]
    here, there = Indexer(), Indexer()
    there.start_worker()
    rows = []
    for batch in batches:
        here.add(batch)
        there.add(batch)
        rows += here.take().rows
    rows += here.take(wait=True).rows
    done = there.take(wait=True)
    there.close()
    assert sorted(done.rows) == sorted(rows)
    keys = [(term, chunk) for term, chunk, _n, _blob in done.rows]
    assert len(keys) == len(set(keys))  # each range's rows merged: written once
    assert sorted(done.counts) == sorted((term, n) for term, _chunk, n, _blob in done.rows)
    expected = {
        (term, uid >> 16, uid, len(text)) for uid, text in texts.items() for term in index_terms(text)
    }
    assert _entries(done.rows) == expected


def test_an_entry_holds_the_unit_the_length_of_its_text_and_its_sketch():
    # the stored layout: 64 bits little-endian, unit id (28 bits) | length (12) | sketch (24)
    value = indexing.entry(123_456, 87, 0xABCDEF)
    assert value == (123_456 * 4096 + 87) * 2**24 + 0xABCDEF
    assert (unit_of(value), length_of(value), sketch_of(value)) == (123_456, 87, 0xABCDEF)
    assert length_of(indexing.entry(5, 10**6)) == 4095  # very long texts: capped
    assert unit_of(indexing.entry(2**28 - 1, 4095, 2**24 - 1)) == 2**28 - 1
    with pytest.raises(MemoryStoreError, match="at most 268,435,455 units"):
        indexing.entry(2**28, 10)
    [row] = [r for r in Indexer.inline([(7, "contact us")]).rows if r[0] == "contact us"]
    expected = (7 * 4096 + 10) * 2**24 + _simhash(["contact us", "contact", "us"])
    assert row == ("contact us", 0, 1, expected.to_bytes(8, "little"))


def _simhash(terms: list[str]) -> int:
    """SimHash written out bit by bit: bit b is set when more than half the terms' CRC-32
    have it set."""
    hashes = [zlib.crc32(term.encode()) for term in terms]
    return sum(1 << b for b in range(24) if 2 * sum(h >> b & 1 for h in hashes) > len(hashes))


@pytest.mark.parametrize("count", [0, 1, 2, 7, 24, 128, 255, 256, 400])
def test_a_sketch_is_the_simhash_of_the_terms(count):
    rng = random.Random(count)
    terms = {f"{rng.choice(['police', 'said', 'lyon', 'يوم'])} {rng.random()}" for _ in range(count)}
    # the longest texts are sketched by their 255 first terms in code-point order
    assert sketch(terms) == _simhash(sorted(terms)[:255])


def test_a_sketch_is_the_same_in_every_process():
    # Python's hash() of a string changes with every process: a sketch must not
    terms = index_terms(normalise("Jürgen Stock, INTERPOL's Secretary General, said on 12 May."))
    code = "import sys; from tm.memory.normalise import sketch; print(sketch(set(sys.argv[1:])))"
    seen = {
        subprocess.run(
            [sys.executable, "-c", code, *terms],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for seed in ("1", "2", "3")
    }
    assert seen == {str(sketch(terms))}


def test_sketches_of_texts_sharing_most_terms_are_closer_than_of_others():
    def apart(a: str, b: str) -> int:
        return (sketch(index_terms(normalise(a))) ^ sketch(index_terms(normalise(b)))).bit_count()

    clause = "the general assembly in {} adopted {} resolutions on human trafficking and further arrests"
    sentence = clause.format("Marrakesh", 795)
    mates = [clause.format(city, n) for city, n in [("Bamako", 958), ("Rabat", 379), ("Oran", 12)]]
    others = [
        "Earlier this week in Marrakesh, the police of Niger stopped 80 vehicles carrying fraud",
        "Kamel Bernard praised the work of the officers deployed in Marrakesh last May",
        "A conference on cybercrime brought together 300 experts in Marrakesh",
    ]
    assert max(apart(sentence, m) for m in mates) < min(apart(sentence, o) for o in others)
