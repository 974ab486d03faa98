"""What ``tm segment`` shows: the sentences of a text, paragraph by paragraph."""

from __future__ import annotations

from tm.model import Release
from tm.segment import segmenter_for
from tm.sources.text import FORMAT as TEXT


def paragraphs_of(text: str, lang: str, overrides: dict | None = None) -> list[list[str]]:
    """Paragraphs (blank-line separated) as lists of sentences, as translators will see them."""
    document = TEXT.parse(text, Release("-", lang, None, "txt"), segmenter_for(lang, overrides))
    return [[s.text for s in paragraph] for paragraph in document.paragraphs]
