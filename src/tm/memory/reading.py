"""Reading a large TMX in a process of its own, beside the import.

Parsing the XML and normalising the texts are about half of what a large import does in
its own process. For a file of ``LARGE`` bytes or more, a reader process (``python -m
tm.memory.reading FILE SHOWN``) parses it, normalises and fingerprints its texts, and sends
its units in batches, pickled over a pipe, while this process writes them to the memory.
The memory is written by this process alone, as ever, so a file that turns out to be bad
half-way still leaves it as it was, with the reader's one-line error. Where no process can
be started, the file is read here.
"""

from __future__ import annotations

import contextlib
import pickle
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tm.errors import FormatError, MemoryStoreError, TmError
from tm.formats.tmx import read_tmx, read_tmx_parts
from tm.memory import Unit
from tm.memory.child import Inbox, leave_interrupts_to_parent, send, spawn
from tm.memory.normalise import keyed_texts

LARGE = 32 << 20  # bytes of TMX (about 60,000 units): below, a process costs more than it saves
BATCH = 2000  # units in one message


@dataclass(frozen=True)
class KeyedUnit(Unit):
    """A unit as the reader sends it: with its texts normalised and fingerprinted
    (:func:`tm.memory.normalise.keyed_texts`, which the store would otherwise work out itself),
    so that the reader's core does that work too."""

    keyed: list[tuple[str, str, str, int]] = field(default_factory=list, compare=False, repr=False)


def read_units(path: Path, shown: str) -> Iterator[Unit]:
    """Every unit of a TMX file, in order (see :func:`tm.formats.tmx.read_tmx`)."""
    if path.stat().st_size < LARGE:
        return read_tmx(path, shown)
    return _from_reader(path, shown)


def _from_reader(path: Path, shown: str) -> Iterator[Unit]:
    try:
        process = spawn(("-m", "tm.memory.reading", str(path), shown))
    except OSError:
        yield from read_tmx(path, shown)
        return
    inbox = Inbox(process.stdout)
    try:
        while True:
            try:
                kind, payload = inbox.get()
            except (EOFError, pickle.UnpicklingError):
                raise MemoryStoreError(f"the TMX reader stopped (status {process.wait()})", shown) from None
            if kind == "units":
                for variants, provenance, status, notes, keyed in payload:
                    yield KeyedUnit(variants, provenance, status, None, notes, keyed)
            elif kind == "error":
                raise FormatError(*payload)
            else:
                return
    finally:
        if process.poll() is None:  # the import stopped before the end of the file
            process.kill()
        inbox.drain()
        process.stdout.close()
        process.wait()


def _serve(path: str, shown: str) -> None:
    """The reader's side: the file's units in batches, then ``end`` or its error."""
    leave_interrupts_to_parent()
    sink = sys.stdout.buffer
    batch = []
    try:
        for variants, provenance, status, notes in read_tmx_parts(Path(path), shown):
            batch.append((variants, provenance, status, notes, keyed_texts(variants)))
            if len(batch) == BATCH:
                send(sink, ("units", batch))
                batch = []
    except TmError as exc:
        send(sink, ("units", batch))
        send(sink, ("error", (exc.message, exc.path, exc.line)))
        return
    send(sink, ("units", batch))
    send(sink, ("end", None))


if __name__ == "__main__":
    with contextlib.suppress(BrokenPipeError):  # the importing process stopped reading
        _serve(*sys.argv[1:3])
