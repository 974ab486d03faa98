"""Compiled copies of tm's hot code, used only when built from the source beside them.

``make fast`` compiles two modules: the segmenter's cutter (``tm/segment/cutter.py``, with
mypyc) and the memory's term work (``tm/memory/_terms.c``). Each build carries ``DIGEST``,
the BLAKE2b of the file it was built from (``b2sum``); a copy whose digest differs from that file as it
is now (built before an edit, copied from elsewhere) is never used, and without a copy the
Python is, with the same results.
"""

from __future__ import annotations

try:  # the built-in BLAKE2, without loading OpenSSL (a few ms of every lookup's start-up)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - Python built without it
    from hashlib import blake2b
import importlib
from pathlib import Path
from types import ModuleType


def built_from(name: str, source: Path) -> ModuleType | None:
    """The module ``name`` if it imports and its ``DIGEST`` is the BLAKE2b of ``source``;
    None otherwise (no build, a stale one, or no source to compare with)."""
    try:
        module = importlib.import_module(name)
    except ImportError:
        return None
    try:
        digest = blake2b(source.read_bytes()).hexdigest()
    except OSError:
        return None
    return module if getattr(module, "DIGEST", None) == digest else None
