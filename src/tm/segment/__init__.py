"""Sentence segmentation for Arabic, English and French.

``Segmenter.split`` cuts a paragraph into sentences without losing a character: the pieces
joined give back the paragraph, and the white space between sentences stays at the end of
the piece before it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Sentence-final marks, then any closing quotes or brackets that belong to the sentence.
_END = re.compile(r"(?:[.!?؟…]+)[\"'”’‘»)\]\u200e\u200f\u202a-\u202e\u2066-\u2069]*(?=\s)")
_ABBREVIATIONS = {
    "en": {"Mr.", "Ms.", "Mrs.", "Dr.", "U.S.", "No.", "e.g.", "i.e.", "Inc.", "Ltd.", "St."},
    "fr": {"M.", "MM.", "Mme.", "tél.", "env.", "art.", "p.", "ex."},
    "ar": {"د.", "أ.", "م.", "ص.ب."},
}


class Segmenter:
    """Splits paragraphs of one language into sentences."""

    def __init__(self, lang: str, abbreviations: Iterable[str] = ()):
        self.lang = lang
        self.abbreviations = _ABBREVIATIONS.get(lang, set()) | set(abbreviations)

    def split(self, text: str) -> list[str]:
        pieces: list[str] = []
        start = 0
        for match in _END.finditer(text):
            word_start = text.rfind(" ", 0, match.start()) + 1
            word = text[word_start : match.start() + 1]
            if word in self.abbreviations or re.fullmatch(r"\w\.", word):
                continue
            end = match.end()
            while end < len(text) and text[end].isspace():
                end += 1
            if end < len(text):
                pieces.append(text[start:end])
                start = end
        pieces.append(text[start:])
        return [p for p in pieces if p]


def segmenter_for(lang: str, overrides: dict | None = None) -> Segmenter:
    """The segmenter for ``lang`` with the workspace's additions from ``tm.toml``."""
    extra = (overrides or {}).get(lang, {})
    return Segmenter(lang, extra.get("abbreviations", ()))
