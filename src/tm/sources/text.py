"""Plain-text releases: paragraphs separated by blank lines, soft line breaks inside them."""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping

from tm.model import Document, Release, Segment, Skeleton, Slot
from tm.segment import Segmenter

# One or more blank lines (lines holding only horizontal white space) between paragraphs.
_PARAGRAPH_BREAK = re.compile(r"\r?\n(?:[^\S\r\n]*\r?\n)+")
# A soft line break and the indentation around it; translators see a single space.
_SOFT_BREAK = re.compile(r"[^\S\r\n]*\r?\n[^\S\r\n]*")


def translator_text(raw: str) -> str:
    """The sentence as translators see it: soft line breaks become single spaces."""
    return _SOFT_BREAK.sub(" ", raw)


def split_paragraph(text: str, start: int, segmenter: Segmenter) -> list[tuple[int, int]]:
    """Spans (absolute offsets) of the sentences in ``text[start:]``, white space excluded."""
    spans = []
    offset = start
    for piece in segmenter.split(text):
        core = piece.strip()
        if core:
            lead = len(piece) - len(piece.lstrip())
            spans.append((offset + lead, offset + lead + len(core)))
        offset += len(piece)
    return spans


class TextFormat:
    name = "txt"
    suffixes = (".txt",)

    def parse(self, text: str, release: Release, segmenter: Segmenter) -> Document:
        parts: list[str | Slot] = []
        segments: list[Segment] = []
        cursor = 0
        bounds = []  # (start, end) of each block between paragraph breaks
        position = 0
        for brk in _PARAGRAPH_BREAK.finditer(text):
            bounds.append((position, brk.start()))
            position = brk.end()
        bounds.append((position, len(text)))

        paragraph = 0
        line_starts = [0, *(m.end() for m in re.finditer(r"\n", text))]
        for begin, end in bounds:
            block = text[begin:end]
            if not block.strip():
                continue
            paragraph += 1
            core_start = begin + len(block) - len(block.lstrip())
            core_end = begin + len(block.rstrip())
            spans = split_paragraph(text[core_start:core_end], core_start, segmenter)
            for number, (s, e) in enumerate(spans, 1):
                parts.append(text[cursor:s])
                raw = text[s:e]
                segment_id = f"p{paragraph}.s{number}"
                segments.append(
                    Segment(
                        id=segment_id,
                        paragraph=paragraph,
                        sentence=number,
                        text=translator_text(raw),
                        raw=raw,
                        line=bisect.bisect_right(line_starts, s),
                        context=f"paragraph {paragraph}, sentence {number} of {len(spans)}",
                    )
                )
                parts.append(Slot(segment_id))
                cursor = e
        parts.append(text[cursor:])
        skeleton = Skeleton(tuple(p for p in parts if p != ""))
        return Document(release, skeleton, tuple(segments))

    def render(self, document: Document, translations: Mapping[str, str], lang: str) -> str:
        raw = {s.id: s.raw for s in document.segments}
        return document.skeleton.render(lambda sid: translations.get(sid) or raw[sid])


FORMAT = TextFormat()
