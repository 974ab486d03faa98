"""The posting rows an import writes (tm.memory.indexing)."""

from __future__ import annotations

from tm.memory import indexing
from tm.memory.indexing import Indexer, length_of, unit_of, unpack
from tm.memory.normalise import index_terms


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


def test_an_entry_holds_the_unit_and_the_length_of_its_text():
    # the stored layout: 64 bits little-endian, the unit id above 16 bits of length
    value = indexing.entry(123_456, 87)
    assert value == 123_456 * 65_536 + 87
    assert (unit_of(value), length_of(value)) == (123_456, 87)
    assert length_of(indexing.entry(5, 10**6)) == 65_535  # very long texts: capped
    [row] = [r for r in Indexer.inline([(7, "contact us")]).rows if r[0] == "contact us"]
    assert row == ("contact us", 0, 1, (7 * 65_536 + 10).to_bytes(8, "little"))
