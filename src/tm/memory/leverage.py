"""Pre-filling new segments from the memory, as ``tm extract`` does."""

from __future__ import annotations

from tm.memory import Match, Memory
from tm.model import Entry


def prefill(entries: list[Entry], memory: Memory, source_lang: str, target_lang: str, threshold: int) -> int:
    """Fill ``entries`` from the memory, looked up together; return how many were filled.

    An approved exact match fills the translation. Otherwise the best match at or above
    ``threshold`` goes in as fuzzy, with the memory's source as the previous source
    (PO ``#| msgid``) and a comment giving the score, where it came from and any numbers
    carried over.
    """
    sources = [entry.source for entry in entries]
    exact = memory.exact_many(source_lang, sources, target_lang)
    for entry, found in zip(entries, exact, strict=True):
        if found:
            entry.target = found
    rest = [entry for entry, found in zip(entries, exact, strict=True) if not found]
    best = memory.matches_many(source_lang, [entry.source for entry in rest], target_lang, threshold, limit=1)
    for entry, matches in zip(rest, best, strict=True):
        if matches:
            _suggest(entry, matches[0])
    return sum(1 for found in exact if found) + sum(1 for matches in best if matches)


def _suggest(entry: Entry, match: Match) -> None:
    entry.target = match.target
    entry.fuzzy = True
    entry.previous_source = match.source
    p = match.provenance
    where = " ".join(x for x in (p.release, p.segment) if x) or p.file or "the memory"
    entry.comments.append(f"tm: {match.score}% match from {where}")
    if match.note:
        entry.comments.append(f"tm: {match.note}")
