"""How alike a new sentence and a remembered one are (0-100), and number transfer.

Scores: 100 when the normalised texts are equal; 99 when only punctuation differs; 98 when
only numbers differ and they could be carried into the suggestion; otherwise the
``rapidfuzz`` edit-distance similarity of the normalised texts (Indel: insertions and
deletions), at most 97 when the difference is only numbers (an untransferable number
change must not look exact). That similarity is computed by the compiled copy of it
(:func:`indel_similarity`) where there is one: importing rapidfuzz cost a fresh lookup
process about 20 ms of its 0.25 s (a million units' release: 0.246 against 0.226 s, the
medians of 15 alternated runs).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from tm.memory.normalise import fastest

# A number in any of the three digit sets, with its decimal/thousands separators.
_DIGIT = r"[0-9\u0660-\u0669\u06F0-\u06F9]"
NUMBER = re.compile(rf"{_DIGIT}+(?:[.,\u066B\u066C]{_DIGIT}+)*")
_ASCII_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_PUNCTUATION = re.compile(r"[^\w]+")
_PLAIN_WORD = re.compile(r"\b[^\W\d]+\b")  # a word without digits
_ARABIC_INDIC = str.maketrans("0123456789.,", "٠١٢٣٤٥٦٧٨٩٫٬")
_EASTERN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
_TO_ASCII = str.maketrans(
    {**{0x0660 + d: str(d) for d in range(10)}, **{0x06F0 + d: str(d) for d in range(10)}}
    | {0x066B: ".", 0x066C: ","}
)


NUMBERS_CARRIED = 98  # the score of a sentence whose numbers alone differ, carried over


@dataclass(frozen=True)
class Scored:
    score: int
    target: str
    note: str = ""


def similarity(a_norm: str, b_norm: str) -> float:
    """Edit-distance similarity 0-100 of two normalised texts."""
    return fastest("indel_similarity", indel_similarity)(a_norm, b_norm) * 100


def indel_similarity(a: str, b: str) -> float:
    """rapidfuzz's ``Indel.normalized_similarity`` (0-1): 1 less the insertions and
    deletions that make one text the other, over their lengths together (the definition
    of the compiled copy, which gives exactly the same floats)."""
    from rapidfuzz.distance import Indel

    return Indel.normalized_similarity(a, b)


def length_bounds(length: int, threshold: int) -> tuple[int, int]:
    """Lengths a text can have and still reach ``threshold`` against one of ``length``.

    The Indel similarity is at most 2·min/(a+b), which bounds the length ratio.
    """
    t = max(threshold, 1) / 100
    return int(length * t / (2 - t)), int(length * (2 - t) / t) + 1


def score(new_norm: str, old_norm: str, old_target: str, target_lang: str) -> Scored:
    """Score the remembered sentence ``old_norm`` for ``new_norm``; carry numbers over when
    only numbers differ and the mapping is unambiguous."""
    value, numbers_only = _untranslated(new_norm, old_norm)
    if not numbers_only:
        return Scored(value, old_target)
    new_numbers, old_numbers = _ASCII_NUMBER.findall(new_norm), _ASCII_NUMBER.findall(old_norm)
    carried = transfer_numbers(old_numbers, new_numbers, old_target, target_lang)
    if carried is None:
        return Scored(value, old_target)
    target, note = carried
    return Scored(NUMBERS_CARRIED, target, note)


def score_bound(new_norm: str, old_norm: str, similar: float | None = None) -> int:
    """The most :func:`score` can give ``old_norm`` for ``new_norm``, whatever its
    translation: its score, except where only numbers differ (then :data:`NUMBERS_CARRIED`,
    which the translation may not allow). ``similar``: their :func:`similarity`, if known."""
    value, numbers_only = _untranslated(new_norm, old_norm, similar)
    return NUMBERS_CARRIED if numbers_only else value


def _untranslated(new_norm: str, old_norm: str, similar: float | None = None) -> tuple[int, bool]:
    """What :func:`score` gives without looking at the translation, and whether only numbers
    differ (the score is then :data:`NUMBERS_CARRIED` if they can be carried over)."""
    if new_norm == old_norm:
        return 100, False
    if similar is None:
        similar = similarity(new_norm, old_norm)
    raw = min(int(similar), 97)
    # punctuation or numbers alone cannot make two texts much less similar than this, nor
    # take away one of the words without digits
    if similar < 60 or not all(map(old_norm.__contains__, _plain_words(new_norm))):
        return raw, False
    if similar >= 80 and _words_only(new_norm) == _words_only(old_norm):
        return 99, False
    return raw, _skeleton(new_norm) == _skeleton(old_norm)


def transfer_numbers(
    old_numbers: list[str], new_numbers: list[str], target: str, target_lang: str
) -> tuple[str, str] | None:
    """``target`` with each old number replaced by its new one, and a note (``55→60``).

    None when the mapping is ambiguous: counts differ, one old number maps to two new
    ones, or an old number is not in the target exactly as often as in the source.
    """
    if len(old_numbers) != len(new_numbers):
        return None
    mapping: dict[str, str] = {}
    for old, new in zip(old_numbers, new_numbers, strict=True):
        if mapping.setdefault(old, new) != new:
            return None
    changed = {old: new for old, new in mapping.items() if old != new}
    in_target = [m for m in NUMBER.finditer(target)]
    target_values = [m.group().translate(_TO_ASCII) for m in in_target]
    for old in changed:
        if target_values.count(old) != old_numbers.count(old):
            return None
    pieces, position = [], 0
    for match, value in zip(in_target, target_values, strict=True):
        if value in changed:
            pieces.append(target[position : match.start()])
            pieces.append(_written_like(changed[value], match.group(), target_lang))
            position = match.end()
    pieces.append(target[position:])
    note = ", ".join(f"{old}→{new}" for old, new in changed.items())
    return "".join(pieces), f"numbers carried over: {note}"


def _written_like(number: str, example: str, target_lang: str) -> str:
    """``number`` (ASCII) in the digits the target used: Western for en/fr; in Arabic,
    whichever style the remembered translation had."""
    if not target_lang.startswith("ar"):
        return number
    if re.search("[\u0660-\u0669]", example):
        return number.translate(_ARABIC_INDIC)
    if re.search("[\u06f0-\u06f9]", example):
        return number.translate(_EASTERN)
    return number


@functools.lru_cache(maxsize=4096)
def _plain_words(norm: str) -> tuple[str, ...]:
    """The words of ``norm`` without digits, each once, longest first. A text whose words
    (:func:`_words_only`) or whose words but for numbers (:func:`_skeleton`) are those of
    ``norm`` holds each of them: looking for them is a much cheaper first test (a name
    that differs fails it at once)."""
    return tuple(sorted(set(_PLAIN_WORD.findall(norm)), key=len, reverse=True))


@functools.lru_cache(maxsize=4096)
def _words_only(norm: str) -> str:
    return _PUNCTUATION.sub(" ", norm).strip()


@functools.lru_cache(maxsize=4096)
def _skeleton(norm: str) -> str:
    return _words_only(_ASCII_NUMBER.sub("0", norm))
