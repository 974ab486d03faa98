"""Pre-filling a new segment from the memory, as ``tm extract`` does."""

from __future__ import annotations

from tm.memory import Memory
from tm.model import Entry


def prefill(entry: Entry, memory: Memory, source_lang: str, target_lang: str, threshold: int) -> bool:
    """Fill ``entry`` from the memory; True when something was filled.

    An approved exact match fills the translation. Otherwise the best match at or above
    ``threshold`` goes in as fuzzy, with the memory's source as the previous source
    (PO ``#| msgid``) and a comment giving the score, where it came from and any numbers
    carried over.
    """
    found = memory.exact(source_lang, entry.source, target_lang)
    if found:
        entry.target = found
        return True
    best = memory.matches(source_lang, entry.source, target_lang, threshold, limit=1)
    if not best:
        return False
    match = best[0]
    entry.target = match.target
    entry.fuzzy = True
    entry.previous_source = match.source
    p = match.provenance
    where = " ".join(x for x in (p.release, p.segment) if x) or p.file or "the memory"
    entry.comments.append(f"tm: {match.score}% match from {where}")
    if match.note:
        entry.comments.append(f"tm: {match.note}")
    return True
