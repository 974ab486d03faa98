"""What ``tm segment`` shows: the sentences of a text, paragraph by paragraph."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from tm.model import Release
from tm.segment import segmenter_for
from tm.sources.text import FORMAT as TEXT


@dataclass(frozen=True)
class Preview:
    """Paragraphs as lists of sentences, and what the user should be warned about."""

    paragraphs: list[list[str]]
    warnings: tuple[str, ...] = ()


def preview(
    text: str, lang: str, overrides: Mapping | None = None, rules: str | Path | None = None
) -> Preview:
    """Paragraphs (blank-line separated) as lists of sentences, as translators will see them."""
    segmenter = segmenter_for(lang, overrides, rules)
    document = TEXT.parse(text, Release("-", lang, None, "txt"), segmenter)
    paragraphs = [[s.text for s in paragraph] for paragraph in document.paragraphs]
    return Preview(paragraphs, segmenter.warnings)


def paragraphs_of(text: str, lang: str, overrides: Mapping | None = None) -> list[list[str]]:
    """Paragraphs (blank-line separated) as lists of sentences, as translators will see them."""
    return preview(text, lang, overrides).paragraphs
