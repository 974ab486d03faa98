"""Inline markup inside a segment, as translators see it: numbered tags.

``<1>`` … ``</1>`` wrap text (a link, bold), ``<2/>`` stands alone (a line break, an image).
The same numbers appear in the source and the translation; the order may change, the set
and the pairing may not. PO shows the tags as text; XLIFF adapters turn them into
``<g>``/``<x/>`` (1.2) or ``<pc>``/``<ph>`` (2.x) and back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TAG = re.compile(r"<(/?)(\d+)(/?)>")


@dataclass(frozen=True)
class Tag:
    kind: str  # "open", "close" or "empty"
    id: str

    def __str__(self) -> str:
        return {"open": f"<{self.id}>", "close": f"</{self.id}>", "empty": f"<{self.id}/>"}[self.kind]


def tokens(text: str) -> list[str | Tag]:
    """Split a segment into text runs and tags, in order."""
    result: list[str | Tag] = []
    position = 0
    for match in TAG.finditer(text):
        closing, number, empty = match.groups()
        if closing and empty:
            continue  # "</1/>" is not a tag; leave it as text
        if match.start() > position:
            result.append(text[position : match.start()])
        result.append(Tag("close" if closing else "empty" if empty else "open", number))
        position = match.end()
    if position < len(text):
        result.append(text[position:])
    return result


def tag_problems(source: str, target: str) -> list[str]:
    """What is wrong with the tags of ``target`` compared with ``source``; empty when fine."""
    problems = []
    expected = sorted(str(t) for t in tokens(source) if isinstance(t, Tag))
    found = sorted(str(t) for t in tokens(target) if isinstance(t, Tag))
    missing = [t for t in expected if t not in found]
    extra = [t for t in found if t not in expected]
    if missing:
        problems.append("missing " + " ".join(missing))
    if extra:
        problems.append("unexpected " + " ".join(extra))
    open_tags: list[str] = []
    for token in tokens(target):
        if not isinstance(token, Tag):
            continue
        if token.kind == "open":
            open_tags.append(token.id)
        elif token.kind == "close":
            if not open_tags or open_tags[-1] != token.id:
                problems.append(f"</{token.id}> does not close the last opened tag")
                break
            open_tags.pop()
    else:
        if open_tags:
            problems.append("unclosed " + " ".join(f"<{t}>" for t in open_tags))
    return problems
