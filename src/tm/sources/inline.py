"""Blocks with inline markup → sentences with numbered placeholders, and back.

A format reader (Markdown, HTML) walks one block of its source and describes it as a list of
:class:`Unit`: pieces of text (each with its source span and what translators see) and pieces
of markup (opening, closing or standalone, each with its source span). This module turns
those units into sentences:

- tags become the numbered placeholders of :mod:`tm.placeholders` (``<1>…</1>``, ``<2/>``),
  numbered from 1 inside each sentence;
- the sentence splitter runs on the text with the placeholders in it, and sentences are
  joined again when a paired tag would straddle them: a tagged span never crosses a segment
  boundary, so ``**First. Second.**`` is one segment;
- standalone tags at either end of a sentence, and a pair that wraps a whole sentence, stay
  in the skeleton: translators see ``Contact`` rather than ``<1>Contact</1>``;
- source text that itself looks like a placeholder (``<1>``) becomes a standalone
  placeholder whose markup is that very text, so it can never be mistaken for a tag.

Each sentence keeps, per placeholder, the source markup it stands for, so that
:func:`expand` can put a translation with moved tags back into valid markup.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

from tm.model import Document, Release, Segment, Skeleton, Slot
from tm.placeholders import TAG, Tag, tokens
from tm.segment import Segmenter

Markup = tuple[tuple[str, str, str], ...]
_WORDS = re.compile(r"\s+|[<>]|[^\s<>]+")


class Unit(NamedTuple):  # a tuple: a release has one per word
    """One piece of a block: ``text`` (shown to translators) or ``open``/``close``/``empty`` markup.

    ``start``/``end`` locate the piece in the source; ``pair`` links an ``open`` to its ``close``.
    For a standalone tag, ``shown`` is what the sentence splitter sees in its place (a space
    for a line break, nothing otherwise).
    """

    kind: str
    start: int
    end: int
    shown: str = ""
    pair: int = 0


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    markup: Markup


def sentences(source: str, units: list[Unit], segmenter: Segmenter) -> list[Sentence]:
    """The sentences of one block, each with its source span, placeholder text and markup."""
    units = _protect_lookalikes(units)
    if not any(u.kind == "text" and any(c.isalpha() for c in u.shown) for u in units):
        return []  # nothing to translate: a number alone in a table cell, an image alone
    shown = "".join(_shown(u) for u in units)
    cores = []  # display offsets of each sentence without its white space
    offset = 0
    for piece in segmenter.split(shown):
        core = piece.strip()
        if core:
            lead = offset + len(piece) - len(piece.lstrip())
            cores.append((lead, lead + len(core)))
        offset += len(piece)
    units = _cut(source, units, sorted({edge for core in cores for edge in core}))
    offsets = list(itertools.accumulate((len(_shown(u)) for u in units), initial=0))
    # The unit holding each sentence's first character: the last one starting at or before it.
    starts = [bisect.bisect_right(offsets, start, hi=len(units)) - 1 for start, _ in cores]
    # Each sentence runs to where the next begins; _trim gives the white space back.
    spans = list(zip(starts, [*starts[1:], len(units)], strict=True))
    result = []
    for first, last in _balanced(units, spans):
        first, last = _trim(units, first, last)
        if first < last:
            result.append(_sentence(source, units[first:last]))
    return result


class Assembly:
    """Cuts a source into skeleton and segments, one block of sentences at a time.

    Paragraph numbers count, in document order, the blocks that have something to translate.
    """

    def __init__(self, source: str):
        self.source = source
        self.parts: list[str | Slot] = []
        self.segments: list[Segment] = []
        self.cursor = 0
        self.paragraph = 0

    def block(self, found: list[Sentence], kind: str, line_of: Callable[[int], int]) -> None:
        """One paragraph: its sentences take slots in the skeleton."""
        self.paragraph += 1
        for number, sentence in enumerate(found, 1):
            segment_id = f"p{self.paragraph}.s{number}"
            self.parts.append(self.source[self.cursor : sentence.start])
            self.parts.append(Slot(segment_id))
            self.cursor = sentence.end
            self.segments.append(
                Segment(
                    id=segment_id,
                    paragraph=self.paragraph,
                    sentence=number,
                    text=sentence.text,
                    raw=self.source[sentence.start : sentence.end],
                    line=line_of(sentence.start),
                    context=f"{kind}; paragraph {self.paragraph}, sentence {number} of {len(found)}",
                    markup=sentence.markup,
                )
            )

    def outside(self, text: str, raw: str, line: int, kind: str) -> str:
        """A paragraph of one segment that has no slot (an attribute value); returns its ID."""
        self.paragraph += 1
        segment_id = f"p{self.paragraph}.s1"
        context = f"{kind}; paragraph {self.paragraph}"
        self.segments.append(Segment(segment_id, self.paragraph, 1, text, raw, line, context))
        return segment_id

    def document(self, release: Release) -> Document:
        parts = [*self.parts, self.source[self.cursor :]]
        return Document(release, Skeleton(tuple(p for p in parts if p != "")), tuple(self.segments))


def expand(text: str, markup: Markup, escape: Callable[[str], str]) -> str:
    """A translation with placeholders → source markup; the text between is escaped."""
    table = {number: (opening, closing) for number, opening, closing in markup}
    out = []
    for token in tokens(text):
        if isinstance(token, Tag):
            opening, closing = table.get(token.id, ("", ""))
            out.append(closing if token.kind == "close" else opening)
        else:
            out.append(escape(token))
    return "".join(out)


def filler(
    document: Document, translations: Mapping[str, str], escape: Callable[[str], str]
) -> Callable[[str], str]:
    """What goes in each slot: the source as it stood, or the expanded translation.

    A value equal to the segment's ``raw`` (what ``tm merge`` passes for the source language)
    goes in verbatim, so merging the source language gives back the source.
    """
    segments: Mapping[str, Segment] = document.by_id

    def fill(segment_id: str) -> str:
        segment = segments[segment_id]
        value = translations.get(segment_id)
        if not value or value == segment.raw:
            return segment.raw
        return expand(value, segment.markup, escape)

    return fill


def _protect_lookalikes(units: list[Unit]) -> list[Unit]:
    """Source text like ``<1>`` becomes a standalone placeholder standing for itself."""
    result: list[Unit] = []
    run: list[Unit] = []

    def flush() -> None:
        text = "".join(u.shown for u in run)
        unit_at, position = {}, 0  # where each unit starts in ``text``
        for index, unit in enumerate(run):
            unit_at[position] = index
            position += len(unit.shown)
        unit_at[position] = len(run)
        done = 0
        for match in TAG.finditer(text):
            first, last = unit_at.get(match.start()), unit_at.get(match.end())
            if first is None or last is None or first < done:
                continue  # the look-alike starts or ends inside a character reference
            result.extend(run[done:first])
            result.append(Unit("empty", run[first].start, run[last - 1].end))
            done = last
        result.extend(run[done:])
        run.clear()

    for unit in units:
        if unit.kind == "text":
            run.append(unit)
        else:
            flush()
            result.append(unit)
    flush()
    return result


def text_units(start: int, text: str) -> list[Unit]:
    """Units for text that stands in the source as it is shown, from offset ``start``.

    Words, white space and ``<``/``>`` are units of their own: sentences start and end
    between them, and a source ``<1>`` lines up with them.
    """
    return [Unit("text", start + m.start(), start + m.end(), m[0]) for m in _WORDS.finditer(text)]


def _cut(source: str, units: list[Unit], offsets: list[int]) -> list[Unit]:
    """Split text units that stand in the source as shown wherever a sentence starts or ends."""
    result, position, next_cut = [], 0, 0
    for unit in units:
        shown = _shown(unit)
        end = position + len(shown)
        while next_cut < len(offsets) and offsets[next_cut] <= position:
            next_cut += 1
        inside = []
        while next_cut < len(offsets) and offsets[next_cut] < end:
            inside.append(offsets[next_cut] - position)
            next_cut += 1
        position = end
        if not inside or unit.kind != "text" or source[unit.start : unit.end] != unit.shown:
            result.append(unit)
            continue
        for left, right in itertools.pairwise([0, *inside, len(shown)]):
            result.append(Unit("text", unit.start + left, unit.start + right, shown[left:right]))
    return result


def _shown(unit: Unit) -> str:
    """What the sentence splitter sees of a unit.

    A closing tag takes no room, so "**Done.** Next" still splits after the period; a
    standalone tag shows what it stands for (a line break is a space, anything else nothing).
    """
    return "<0/>" if unit.kind == "open" else unit.shown


def _balanced(units: list[Unit], spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join sentences so that no tag pair straddles two, and none is without a word."""
    joined: list[tuple[int, int]] = []
    depth = 0
    for first, last in spans:
        # A piece without a word (a closing quote the splitter left alone) joins the sentence
        # before it.
        has_words = any(u.kind == "text" and any(c.isalnum() for c in u.shown) for u in units[first:last])
        if joined and (depth > 0 or not has_words):
            joined[-1] = (joined[-1][0], last)
        else:
            joined.append((first, last))
        for u in units[first:last]:
            depth += {"open": 1, "close": -1}.get(u.kind, 0)
    return joined


def _trim(units: list[Unit], first: int, last: int) -> tuple[int, int]:
    """Leave standalone tags, white space and a wrapping pair at the ends in the skeleton."""
    while first < last:
        head, tail = units[first], units[last - 1]
        if head.kind == "empty" or (head.kind == "text" and not head.shown.strip()):
            first += 1
        elif tail.kind == "empty" or (tail.kind == "text" and not tail.shown.strip()):
            last -= 1
        elif head.kind == "open" and tail.kind == "close" and tail.pair == head.pair:
            depth, wraps = 0, True
            for u in units[first : last - 1]:
                depth += {"open": 1, "close": -1}.get(u.kind, 0)
                if depth == 0:
                    wraps = False
                    break
            if not wraps:
                break
            first, last = first + 1, last - 1
        else:
            break
    if not any(u.kind == "text" and u.shown.strip() for u in units[first:last]):
        return first, first
    return first, last


def _sentence(source: str, units: list[Unit]) -> Sentence:
    numbers: dict[int, str] = {}
    text, markup = [], []
    for unit in units:
        if unit.kind == "text":
            text.append(unit.shown)
            continue
        raw = source[unit.start : unit.end]
        if unit.kind == "close":
            number = numbers.get(unit.pair)
            if number is None:  # a close whose open lies outside: cannot happen once balanced
                text.append(raw)
                continue
            text.append(f"</{number}>")
            markup[int(number) - 1] = (number, markup[int(number) - 1][1], raw)
            continue
        number = str(len(markup) + 1)
        if unit.kind == "open":
            numbers[unit.pair] = number
            text.append(f"<{number}>")
        else:
            text.append(f"<{number}/>")
        markup.append((number, raw, ""))
    return Sentence(units[0].start, units[-1].end, "".join(text), tuple(markup))
