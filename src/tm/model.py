"""Plain objects in the middle of the pipeline. They know nothing of file syntax."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

LANGUAGE_NAMES = {"ar": "Arabic", "en": "English", "fr": "French"}
RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur"})


def direction(lang: str) -> str:
    """The writing direction of a language, for HTML ``dir``."""
    return "rtl" if lang.split("-")[0] in RTL_LANGUAGES else "ltr"


@dataclass(frozen=True)
class Release:
    """One source release file: ``sources/<id>.<lang>.<format>``."""

    id: str
    lang: str
    path: Path
    format: str


@dataclass(frozen=True)
class Segment:
    """One sentence of a source release.

    ``text`` is what translators see (soft line breaks as single spaces, inline markup as
    numbered placeholders); ``raw`` is the sentence exactly as it stands in the source.
    ``markup`` says what each placeholder stands for: ``(number, opening, closing)``.
    """

    id: str
    paragraph: int
    sentence: int
    text: str
    raw: str
    line: int
    context: str = ""
    markup: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True)
class Slot:
    """The place of one segment inside a skeleton."""

    segment_id: str


@dataclass(frozen=True)
class Skeleton:
    """Everything in a release that is not text to translate, with slots for the segments."""

    parts: tuple[str | Slot, ...]

    def render(self, fill: Callable[[str], str]) -> str:
        """Join the skeleton with ``fill(segment_id)`` in every slot."""
        return "".join(p if isinstance(p, str) else fill(p.segment_id) for p in self.parts)


@dataclass(frozen=True)
class Document:
    """A parsed source release: its skeleton and its segments, in order."""

    release: Release
    skeleton: Skeleton
    segments: tuple[Segment, ...]

    def segment(self, segment_id: str) -> Segment:
        return self.by_id[segment_id]

    @property
    def by_id(self) -> Mapping[str, Segment]:
        return {s.id: s for s in self.segments}

    @property
    def paragraphs(self) -> list[list[Segment]]:
        grouped: dict[int, list[Segment]] = {}
        for s in self.segments:
            grouped.setdefault(s.paragraph, []).append(s)
        return list(grouped.values())


@dataclass(frozen=True)
class Suggestion:
    """A memory match offered to the translator beside a segment (XLIFF ``alt-trans``/``mtc:match``)."""

    source: str
    target: str
    score: int
    origin: str = "memory"


@dataclass
class Entry:
    """One segment's translation in a working catalog."""

    id: str
    source: str
    target: str = ""
    fuzzy: bool = False
    previous_source: str | None = None
    context: str = ""
    references: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    obsolete: bool = False
    suggestions: list[Suggestion] = field(default_factory=list)

    @property
    def state(self) -> str:
        """``translated``, ``fuzzy`` or ``untranslated``."""
        if not self.target:
            return "untranslated"
        return "fuzzy" if self.fuzzy else "translated"


@dataclass
class Catalog:
    """The working translations of one release into one language."""

    release: str
    source_lang: str
    lang: str
    entries: list[Entry] = field(default_factory=list)
    header: dict[str, str] = field(default_factory=dict)

    @property
    def active(self) -> list[Entry]:
        return [e for e in self.entries if not e.obsolete]

    def by_id(self) -> dict[str, Entry]:
        return {e.id: e for e in self.entries if not e.obsolete}
