"""The memory's term extraction compiled from src/tm/memory/_terms.c (tm.memory._terms):
it must give what the Python definitions give (tm.memory.normalise.terms_and_sketch and
tm.memory.indexing.index_text), and it is used only when built from the file beside it."""

from __future__ import annotations

import random
import sys
import types
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import need_oracle
from tm.memory import indexing, normalise
from tm.memory.indexing import Ranges, entry
from tm.memory.normalise import compiled, index_terms, sketch, terms_and_sketch

SEED = Path(__file__).parents[1] / "sources" / "2012-05-22-operation-laminar.ar.txt"


@pytest.fixture
def built():
    """The compiled module (``make test`` builds it; CI fails without it)."""
    module = compiled()
    need_oracle(module is not None, "the compiled term extraction (make fast)")
    return module


def _texts() -> list[str]:
    """Real and awkward texts: the Arabic release, English and French with figures, digits
    of other scripts, underscores, marks, and a text of more than 255 terms."""
    lines = [line for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [
        *lines,
        "55 suspects arrested in 20 countries on 22 May 2012",
        "Le 22 mai 2012, l'opération a permis d'arrêter 55 suspects dans 20 pays.",
        "covid19 cases, 3.5 million; snake_case and __dunder__",
        "٣٤ مشتبهاً و١٢٣ دولة ۴۵ ९८ ๓๔",  # Arabic-Indic, Persian, Devanagari, Thai digits
        "x² and ½ are numbers but not decimal digits; Ⅻ is a letter-number",
        "one",
        "two words",
        "three short words",
        "",
        "   ,.;  ",
        " ".join(f"word{n} w{n * 7}x" for n in range(400)),
        " ".join(f"m{chr(0x1F600 + n % 50)}ot{n}" for n in range(300)),  # astral characters
    ]


def test_terms_and_sketches_are_those_of_the_definition(built):
    for text in _texts():
        norm = normalise.normalise(text)
        assert built.terms_and_sketch(norm) == terms_and_sketch(norm), norm[:60]


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=300))
def test_any_text_gives_what_the_definition_gives(text):
    module = compiled()
    need_oracle(module is not None, "the compiled term extraction (make fast)")
    assert module.terms_and_sketch(text) == (index_terms(text), sketch(index_terms(text)))


def test_a_text_with_a_lone_surrogate_is_indexed_like_any_other(built):
    # surrogates are not word characters: they separate tokens and are never hashed
    text = "before \ud800 after the \udfff end"
    assert built.terms_and_sketch(text) == terms_and_sketch(text)


def test_the_entries_appended_are_those_of_the_definition(built):
    texts = [normalise.normalise(t) for t in _texts()]
    by_c: dict[str, bytearray] = {}
    by_python: dict[str, bytearray] = {}
    for uid, norm in enumerate(texts, 1):
        built.index_text(by_c, uid, norm)
        indexing.index_text(by_python, uid, norm)
    assert by_c == by_python
    # the last text's entry (more than 255 terms: sketched by the first 255) ends each of
    # its terms' entries
    last = texts[-1]
    value = entry(len(texts), len(last), sketch(index_terms(last))).to_bytes(8, "little")
    assert all(bytes(by_c[term][-8:]) == value for term in index_terms(last))


def test_the_compiled_copy_refuses_what_the_definition_refuses(built):
    with pytest.raises(TypeError):
        built.terms_and_sketch(b"bytes")
    with pytest.raises(TypeError):
        built.index_text([], 1, "a list is no dict")
    with pytest.raises(OverflowError):
        built.index_text({}, 2**28, "unit id past the entry's 28 bits")


def test_ranges_give_the_same_rows_with_either_copy(built, monkeypatch):
    pairs = [(uid, normalise.normalise(t)) for uid, t in enumerate(_texts() * 3, 1)]
    fast = Ranges()
    fast_rows = [*fast.add(pairs).rows, *fast.finish().rows]
    monkeypatch.setattr(indexing, "compiled", lambda: None)
    slow = Ranges()
    slow_rows = [*slow.add(pairs).rows, *slow.finish().rows]
    assert fast_rows == slow_rows
    assert len(fast_rows) > 100


def test_a_tally_counts_as_the_definition_counts(built):
    rng = random.Random(7)
    values = [rng.getrandbits(64) for _ in range(3000)] + [0, 2**64 - 1]
    blobs = [indexing.pack(rng.choices(values, k=rng.randrange(0, 5000))) for _ in range(20)]
    blobs.append(indexing.pack([values[0]] * 600))  # past what a byte holds: saturates
    fast, slow = built.Tally(), indexing.Tally()
    for blob in blobs:
        fast.add(blob)
        slow.add(blob)
    assert len(fast) == len(slow) > 3000
    assert fast.entries() == slow.entries()  # the same entries, in the order first read
    assert fast.counts() == slow.counts()
    assert fast.counts()[list(dict.fromkeys(indexing.unpack(b"".join(blobs)))).index(values[0])] == 255


@pytest.fixture
def fresh_choice():
    compiled.cache_clear()
    yield
    compiled.cache_clear()


def _fake(digest: str) -> types.ModuleType:
    module = types.ModuleType("tm.memory._terms")
    module.DIGEST = digest
    return module


def test_a_copy_built_from_another_terms_c_is_never_used(fresh_choice, monkeypatch):
    stale = _fake("0" * 128)
    monkeypatch.setitem(sys.modules, "tm.memory._terms", stale)
    monkeypatch.setattr("tm.memory._terms", stale, raising=False)
    assert compiled() is None


def test_a_copy_built_from_terms_c_is_used(fresh_choice, monkeypatch):
    digest = normalise.blake2b(Path(normalise.__file__).with_name("_terms.c").read_bytes()).hexdigest()
    current = _fake(digest)
    monkeypatch.setitem(sys.modules, "tm.memory._terms", current)
    monkeypatch.setattr("tm.memory._terms", current, raising=False)
    assert compiled() is current


def test_without_a_compiled_copy_the_definitions_are_used(fresh_choice, monkeypatch):
    monkeypatch.setitem(sys.modules, "tm.memory._terms", None)  # import fails
    monkeypatch.delattr("tm.memory._terms", raising=False)
    assert compiled() is None
    rows = Ranges()
    rows.add([(1, "the police seized goods")])
    assert {term for term, *_ in rows.finish().rows} == index_terms("the police seized goods")
