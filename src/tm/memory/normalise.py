"""Text normalisation for matching: two sentences that a translator would call the same
normalise to the same key.

The rules (SPEC section 7), in order: Unicode NFC; Arabic diacritics (harakat, superscript
alef) and tatweel removed; alef variants, alef maqsura and ta marbuta folded; Arabic-Indic
and Eastern Arabic-Indic digits and the Arabic decimal and thousands separators read as
ASCII; inline tags (``<1>``, ``</1>``, ``<2/>``) and no-break spaces as spaces; white
space folded; surrounding punctuation and case set aside. The stored text is never
normalised: only the key used to compare.
"""

from __future__ import annotations

import functools
import re
import unicodedata
import zlib
from collections.abc import Mapping
from itertools import pairwise
from pathlib import Path
from types import ModuleType

from tm.compiled import blake2b, built_from  # blake2b: for fingerprints too

_FOLD = {
    # harakat U+064B-U+0652, hamza/madda marks U+0653-U+0655, superscript alef U+0670, tatweel
    **dict.fromkeys(range(0x064B, 0x0656), None),
    0x0670: None,
    0x0640: None,
    # alef variants → bare alef
    0x0623: "ا",
    0x0625: "ا",
    0x0622: "ا",
    0x0671: "ا",
    0x0649: "ي",  # alef maqsura → ya
    0x0629: "ه",  # ta marbuta → ha
    0x066B: ".",  # Arabic decimal separator
    0x066C: ",",  # Arabic thousands separator
    0x00A0: " ",  # no-break space
    0x202F: " ",  # narrow no-break space
    0x2007: " ",  # figure space
    **{0x0660 + d: str(d) for d in range(10)},  # Arabic-Indic digits
    **{0x06F0 + d: str(d) for d in range(10)},  # Eastern Arabic-Indic digits
}
_NEEDS_FOLD = re.compile("[" + "".join(re.escape(chr(c)) for c in _FOLD) + "]")
_TAGS = re.compile(r"</?\d+/?>")  # tm's numbered inline tags (tm.placeholders)
EDGE_PUNCTUATION = " .,;:!?؟،؛…\"'“”‘’«»()[]-–—*•"
_WORDS = re.compile(r"\w+")
_DIGIT_RUNS = re.compile(r"\d+")


def normalise(text: str) -> str:
    """The matching key of ``text``: equal keys mean "the same sentence" for the memory."""
    if not text.isascii():  # ASCII has nothing to compose or fold
        text = unicodedata.normalize("NFC", text)
        if _NEEDS_FOLD.search(text):
            text = text.translate(_FOLD)
    if "<" in text:
        text = _TAGS.sub(" ", text)
    # str.split() splits on every Unicode space, the no-break ones included
    return " ".join(text.split()).strip(EDGE_PUNCTUATION).casefold()


def fingerprint(norm: str) -> int:
    """A stable signed 64-bit hash of a normalised text, for the exact-match index."""
    return int.from_bytes(blake2b(norm.encode(), digest_size=8).digest(), "big", signed=True)


def keyed_texts(texts: Mapping[str, str]) -> list[tuple[str, str, str, int]]:
    """(language, text, normalised text, fingerprint) of each text, in the order of the
    languages' codes: each text normalised and fingerprinted once, for a memory's duplicate
    check, its variant row and its index (a unit is looked for by the first).

    Most English and French texts are normalised, and all are fingerprinted, by the
    compiled copies of :func:`normalise` and :func:`fingerprint` where there are (a large
    import keys millions of texts)."""
    simple = fastest("normalise_simple", None)
    key = fastest("fingerprint", fingerprint)
    found = []
    for lang in sorted(texts):
        text = texts[lang]
        norm = simple(text, EDGE_PUNCTUATION) if simple is not None else None
        if norm is None:
            norm = normalise(text)
        found.append((lang, text, norm, key(norm)))
    return found


def words(norm: str) -> list[str]:
    """The word tokens of a normalised text, punctuation dropped."""
    return _WORDS.findall(norm)


def index_terms(norm: str) -> set[str]:
    """The terms under which a sentence is found: adjacent word pairs (single words for
    sentences of three words or fewer), every run of digits written ``0`` so that a
    sentence whose numbers changed is still found by them.

    Terms carry no language: a lookup keeps only the units that have a text in the
    language asked for, and word pairs seldom coincide across Arabic, English and French.
    """
    tokens = _WORDS.findall(_DIGIT_RUNS.sub("0", norm))  # a scan either way: no search first
    found = set(map(" ".join, pairwise(tokens)))
    if len(tokens) <= 3:
        found.update(tokens)
    return found


SKETCH_BITS = 24
_FIELD = 8  # bits of one position's count while a sketch is summed: at most 255 terms
# each byte value spread over eight fields, one bit in the lowest bit of each
_LOWEST = sum(1 << (_FIELD * field) for field in range(SKETCH_BITS))
_ADD = [(128 - needed) * _LOWEST for needed in range(129)]
_AS_DIGITS = bytes.maketrans(b"\x00\x01", b"01")
_SPREAD_BYTE = [sum((value >> bit & 1) << (_FIELD * bit) for bit in range(8)) for value in range(256)]


def sketch(terms: set[str], spreads: Spreads | None = None) -> int:
    """A 24-bit SimHash of a text's index terms: each bit is set when most terms' hashes
    have it set, so that texts sharing most terms have sketches a few bits apart.

    It tells apart, among many units sharing the same few rare terms with a sentence, the
    ones that share its common terms too (the same clauses with other names or figures),
    whose postings a lookup never reads. The hash is CRC-32: stable across processes and
    machines (Python's own ``hash()`` of a string changes with every process). Sketching
    many texts, pass one :class:`Spreads` for all: most terms recur.
    """
    if spreads is None:
        spreads = Spreads()
    if len(terms) >= 1 << _FIELD:
        terms = set(sorted(terms)[: (1 << _FIELD) - 1])
    # a field's count is more than half the terms when adding 128 - (half + 1) to it
    # carries into its top bit (counts stay below 256: no field spills into the next)
    total = sum(map(spreads.__getitem__, terms))
    carried = (total + _ADD[len(terms) // 2 + 1]) >> (_FIELD - 1) & _LOWEST
    return int(carried.to_bytes(SKETCH_BITS, "little").translate(_AS_DIGITS)[::-1], 2)


def terms_and_sketch(norm: str, spreads: Spreads | None = None) -> tuple[set[str], int]:
    """A normalised text's :func:`index_terms` and their :func:`sketch` (the definition;
    :func:`compiled` does the same faster)."""
    terms = index_terms(norm)
    return terms, sketch(terms, spreads)


@functools.cache
def compiled() -> ModuleType | None:
    """``tm.memory._terms``, the C of :func:`terms_and_sketch`, of :func:`normalise` for
    most English and French texts, of :func:`fingerprint`, and of the work on postings of
    an import and of a lookup (:class:`tm.memory.indexing.Range` and
    :class:`~tm.memory.indexing.Tally`), when ``make`` built it from the ``_terms.c`` beside
    it (:func:`tm.compiled.built_from`); without one the Python definitions are used, with
    the same results."""
    return built_from("tm.memory._terms", Path(__file__).with_name("_terms.c"))


def fastest(name: str, definition):
    """``name`` in the compiled module (:func:`compiled`) where there is one, else
    ``definition``, the Python it is the C of."""
    built = compiled()
    return getattr(built, name) if built is not None else definition


class Spreads(dict):
    """Each term's 24 hash bits, one to a field, so that summing them counts each bit: the
    term's value is worked out the first time it is asked for."""

    def __missing__(self, term: str) -> int:
        h = zlib.crc32(term.encode())
        spread = _SPREAD_BYTE[h & 255] | _SPREAD_BYTE[h >> 8 & 255] << 64 | _SPREAD_BYTE[h >> 16 & 255] << 128
        self[term] = spread
        return spread
