"""The memory's term extraction compiled from src/tm/memory/_terms.c (tm.memory._terms):
it must give what the Python definitions give (tm.memory.normalise.terms_and_sketch and
normalise, tm.memory.indexing.Range and Tally), and it is used only when built from the
file beside it."""

from __future__ import annotations

import random
import sys
import unicodedata
from array import array
from itertools import accumulate
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


def test_a_range_holds_the_entries_the_definition_holds(built):
    texts = [normalise.normalise(t) for t in _texts()]
    fast, slow = built.Range(), indexing.Range()
    for uid, norm in enumerate(texts * 2, 1):  # each text twice: terms met again
        fast.add(uid, norm)
        slow.add(uid, norm)
    assert len(fast) == len(slow) > 500
    released = fast.release()
    assert released == slow.release()
    # the last text's entry (more than 255 terms: sketched by the first 255) ends each of
    # its terms' entries; a term twice in a text is entered once
    terms, sizes, entries = released
    last = texts[-1]
    value = entry(2 * len(texts), len(last), sketch(index_terms(last))).to_bytes(8, "little")
    ends = dict(zip(terms, accumulate(array("q", sizes)), strict=True))
    assert all(entries[8 * ends[term] - 8 : 8 * ends[term]] == value for term in index_terms(last))
    again = built.Range()
    again.add(1, "the police and the police")
    assert again.release()[0] == ["and the", "police and", "the police"]
    assert array("q", again.release()[1]).tolist() == [1, 1, 1]


def test_the_compiled_copy_refuses_what_the_definition_refuses(built):
    with pytest.raises(TypeError):
        built.terms_and_sketch(b"bytes")
    with pytest.raises(TypeError):
        built.Range().add(1, b"bytes")
    with pytest.raises(OverflowError):
        built.Range().add(2**28, "unit id past the entry's 28 bits")


def test_ranges_give_the_same_rows_with_either_copy(built, monkeypatch):
    pairs = [(uid, normalise.normalise(t)) for uid, t in enumerate(_texts() * 3, 1)]
    assert not isinstance(indexing.new_range(), indexing.Range)  # the compiled copy
    fast = Ranges()
    fast_rows = [*fast.add(pairs).rows, *fast.finish().rows]
    monkeypatch.setattr(normalise, "compiled", lambda: None)
    assert isinstance(indexing.new_range(), indexing.Range)  # the definition
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


def test_a_tally_counts_a_blob_given_with_a_weight_as_that_many_blobs(built):
    rng = random.Random(8)
    values = [rng.getrandbits(64) for _ in range(500)]
    blobs = [indexing.pack(rng.choices(values, k=rng.randrange(1, 400))) for _ in range(12)]
    weights = [rng.choice([1, 2, 3, 7, 100, 300]) for _ in blobs]
    for make in (built.Tally, indexing.Tally):
        weighted, repeated = make(), make()
        for blob, weight in zip(blobs, weights, strict=True):
            weighted.add(blob, weight)
            for _ in range(weight):
                repeated.add(blob)
        assert weighted.entries() == repeated.entries()
        assert weighted.counts() == repeated.counts()  # saturated at 255 alike
        with pytest.raises(ValueError):
            weighted.add(blobs[0], 0)


def test_a_tally_ranks_as_the_definition_ranks(built):
    rng = random.Random(9)
    for _ in range(300):
        # few distinct sketches and lengths: many ties, at the cut-off and in length
        sketches = [rng.getrandbits(24) for _ in range(rng.randrange(1, 4))]
        lengths = [rng.randrange(0, 120) for _ in range(rng.randrange(1, 4))] + [indexing.LONGEST]
        values = [
            entry(rng.randrange(1, 300), rng.choice(lengths), rng.choice(sketches))
            for _ in range(rng.randrange(0, 200))
        ]
        fast, slow = built.Tally(), indexing.Tally()
        for _blob in range(rng.randrange(1, 6)):
            blob = indexing.pack(rng.choices(values, k=rng.randrange(0, 300))) if values else b""
            weight = rng.choice([1, 1, 2, 60])  # past what a rank holds: capped
            fast.add(blob, weight)
            slow.add(blob, weight)
        terms = rng.randrange(0, 30)
        asked = (
            rng.choice([1, 2, 5, 20, 80, 500]),
            rng.choice([*sketches, rng.getrandbits(24)]),
            rng.randrange(0, terms + 1),
            terms,
            rng.choice([0, 40, 90, 5000]),  # 5000: longer than an entry's length can say
        )
        assert fast.best(*asked) == slow.best(*asked), asked
    for bad in ((0, 0, 0, 1, 10), (5, 0, 2, 1, 10), (5, 0, -1, 1, 10), (5, 0, 0, 1, -1)):
        for copy in (built.Tally(), indexing.Tally()):
            with pytest.raises(ValueError):
                copy.best(*bad)
    for copy in (built.Tally(), indexing.Tally()):
        with pytest.raises(TypeError):
            copy.best("5", 0, 0, 1, 10)


@pytest.fixture
def fresh_choice():
    compiled.cache_clear()
    yield
    compiled.cache_clear()


def test_the_built_copy_is_the_one_built_from_terms_c(fresh_choice):
    module = compiled()
    need_oracle(module is not None, "the compiled term extraction (make fast)")
    assert (
        normalise.blake2b(Path(normalise.__file__).with_name("_terms.c").read_bytes()).hexdigest()
        == module.DIGEST
    )


def test_without_a_compiled_copy_the_definitions_are_used(fresh_choice, monkeypatch):
    monkeypatch.setitem(sys.modules, "tm.memory._terms", None)  # import fails
    monkeypatch.delattr("tm.memory._terms", raising=False)
    assert compiled() is None
    rows = Ranges()
    rows.add([(1, "the police seized goods")])
    assert {term for term, *_ in rows.finish().rows} == index_terms("the police seized goods")


# The compiled normalise takes texts of characters below U+0300 or in General Punctuation
SIMPLE = [chr(c) for c in [*range(0x300), *range(0x2000, 0x2070)]]


def test_nfc_changes_no_text_of_the_characters_the_compiled_normalise_takes():
    # each character (but two spaces made other spaces, which splitting drops anyway), and
    # each pair (a composition of two of them would be a difference)
    changed = [c for c in SIMPLE if unicodedata.normalize("NFC", c) != c]
    assert changed == ["\u2000", "\u2001"]
    assert all(c.isspace() and unicodedata.normalize("NFC", c).isspace() for c in changed)
    composable = {
        tuple(int(part, 16) for part in unicodedata.decomposition(chr(c)).split())
        for c in range(0x110000)
        if unicodedata.decomposition(chr(c)) and not unicodedata.decomposition(chr(c)).startswith("<")
    }
    taken = {ord(c) for c in SIMPLE}
    assert not [pair for pair in composable if len(pair) == 2 and set(pair) <= taken]
    # and the folding table maps none of them but to a space, which splitting drops anyway
    assert all(normalise._FOLD[ord(c)] == " " and c.isspace() for c in SIMPLE if ord(c) in normalise._FOLD)


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from([*SIMPLE, " ", " ", "A", "é", "ß", "İ", "µ", "«", "»", "’"]), max_size=80))
def test_the_compiled_normalise_gives_what_normalise_gives(text):
    module = compiled()
    need_oracle(module is not None, "the compiled term extraction (make fast)")
    found = module.normalise_simple(text, normalise.EDGE_PUNCTUATION)
    assert found == normalise.normalise(text) or (found is None and "<" in text)  # tags: left to it


def test_the_compiled_normalise_leaves_other_texts_to_the_definition(built):
    edge = normalise.EDGE_PUNCTUATION
    for text in ["قال المتحدث", "a <1>tag</1>", "e\u0301", "x\ufb01y", "٣٤", "ok \U0001f600"]:
        assert built.normalise_simple(text, edge) is None
    # longer than a sentence (the compiled copy's buffer on the stack): the same
    for text in ["Él dijo: « L’ÉTÉ » " * 200, "  A  B  " * 900, "’Straße’ " * 300]:
        assert built.normalise_simple(text, edge) == normalise.normalise(text)
    assert built.normalise_simple("  « Straße, L’ÉTÉ ! »  ", edge) == normalise.normalise(
        "« Straße, L’ÉTÉ ! »"
    )
    texts = {"fr": "Le 22 mai 2012, l’opération…", "ar": "قال المتحدث", "en": " INTERPOL said. "}
    assert normalise.keyed_texts(texts) == [
        (
            lang,
            texts[lang],
            normalise.normalise(texts[lang]),
            normalise.fingerprint(normalise.normalise(texts[lang])),
        )
        for lang in sorted(texts)
    ]


def test_fingerprints_are_those_of_the_definition(built):
    # around BLAKE2b's 128-byte blocks, and multi-byte UTF-8 straddling them
    boundaries = ["x" * n for n in (0, 1, 127, 128, 129, 255, 256, 257, 1000)]
    straddling = ["é" * n for n in (63, 64, 65, 127, 128)] + ["a" + "😀" * n for n in (31, 32, 33)]
    for text in [*_texts(), *(normalise.normalise(t) for t in _texts()), *boundaries, *straddling]:
        assert built.fingerprint(text) == normalise.fingerprint(text), text[:60]
    with pytest.raises(UnicodeEncodeError):  # as the definition: no UTF-8 for a lone surrogate
        built.fingerprint("a \ud800 b")
    with pytest.raises(UnicodeEncodeError):
        normalise.fingerprint("a \ud800 b")


@settings(max_examples=500, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=400))
def test_any_text_has_the_fingerprint_the_definition_gives(text):
    module = compiled()
    need_oracle(module is not None, "the compiled term extraction (make fast)")
    assert module.fingerprint(text) == normalise.fingerprint(text)


def test_similarities_are_rapidfuzz_s_to_the_last_bit(built):
    """The compiled Indel similarity against rapidfuzz's own, the oracle: real sentence
    pairs, texts either side of a 64-bit word's length, and characters past U+FFFF."""
    from rapidfuzz.distance import Indel

    from tm.memory.scoring import indel_similarity

    texts = [normalise.normalise(text) for text in _texts()]
    pairs = [(a, b) for a in texts for b in texts]
    rng = random.Random(7)
    for length in (0, 1, 63, 64, 65, 127, 128, 129, 300):
        for _ in range(20):
            a = "".join(rng.choice("ab cé\u2019قل\U0001f600") for _ in range(length))
            b = "".join(rng.choice("ab cé\u2019قل\U0001f600") for _ in range(rng.randrange(400)))
            pairs += [(a, b), (b, a)]
    for a, b in pairs:
        assert built.indel_similarity(a, b) == Indel.normalized_similarity(a, b) == indel_similarity(a, b)
    assert built.indel_similarity("", "") == 1.0
    with pytest.raises(TypeError):
        built.indel_similarity("a", None)


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=150), st.text(max_size=150))
def test_any_two_texts_have_rapidfuzz_s_similarity(a, b):
    from rapidfuzz.distance import Indel

    module = compiled()
    need_oracle(module is not None, "the compiled term extraction (make fast)")
    assert module.indel_similarity(a, b) == Indel.normalized_similarity(a, b)


def test_a_lookup_scores_without_importing_rapidfuzz(built, tmp_path):
    """The point of the compiled similarity: a fresh process looking up sentences never
    imports rapidfuzz (about 20 ms of its start), and scores as rapidfuzz would."""
    import subprocess

    from tm.memory import Unit
    from tm.memory.sqlite import SqliteMemory

    path = tmp_path / "tm.sqlite"
    memory = SqliteMemory(path)
    memory.add_units(
        [
            Unit(
                {
                    "en": "Police arrested 55 suspects in 20 countries.",
                    "fr": "La police a arrêté 55 suspects.",
                }
            ),
            Unit(
                {
                    "en": "The operation ran for two weeks in May.",
                    "fr": "L'opération a duré deux semaines en mai.",
                }
            ),
        ]
    )
    memory.close()
    code = (
        "import sys; from tm.memory.sqlite import SqliteMemory;"
        f"m = SqliteMemory({str(path)!r});"
        "found = m.matches('en', 'The operation ran for three weeks in May.', 'fr', 75);"
        "print(found[0].score, 'rapidfuzz' in sys.modules)"
    )
    shown = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    from rapidfuzz.distance import Indel

    new, old = "the operation ran for three weeks in may", "the operation ran for two weeks in may"
    assert shown == [str(int(Indel.normalized_similarity(new, old) * 100)), "False"]
