"""Reading a large TMX in a process of its own, beside the import.

Parsing the XML and normalising the texts are about half of what a large import does in
its own process. For a file of ``LARGE`` bytes or more, a reader process (``python -m
tm.memory.reading FILE SHOWN``) parses it, normalises and fingerprints its texts, and sends
its units as the rows the store writes (tm.memory.rows) in batches, pickled over a pipe,
while this process writes them to the memory.
The memory is written by this process alone, as ever, so a file that turns out to be bad
half-way still leaves it as it was, with the reader's one-line error. Where no process can
be started, the file is read here.
"""

from __future__ import annotations

import contextlib
import pickle
import sys
from collections.abc import Iterator
from pathlib import Path

from tm.errors import FormatError, MemoryStoreError, TmError
from tm.formats.tmx import read_tmx_parts
from tm.memory.child import Inbox, leave_interrupts_to_parent, send, spawn
from tm.memory.rows import Rows, batches_of

LARGE = 32 << 20  # bytes of TMX (about 60,000 units): below, a process costs more than it saves
BATCH = 2000  # units in one message


def read_rows(path: Path, shown: str, size: int) -> tuple[Iterator[Rows], bool]:
    """Every unit of a TMX file, in order (see :func:`tm.formats.tmx.read_tmx`), as rows
    (tm.memory.rows) in batches of ``size`` units, and whether the file is large enough
    to have been read by a reader process (in its batches of BATCH)."""
    if path.stat().st_size < LARGE:
        return _batches(path, shown, size), False
    return _from_reader(path, shown), True


def _batches(path: Path, shown: str, size: int) -> Iterator[Rows]:
    parts = read_tmx_parts(path, shown)
    return batches_of(((texts, provenance, status) for texts, provenance, status, _notes in parts), size)


def _from_reader(path: Path, shown: str) -> Iterator[Rows]:
    try:
        process = spawn(("-m", "tm.memory.reading", str(path), shown))
    except OSError:
        yield from _batches(path, shown, BATCH)
        return
    inbox = Inbox(process.stdout)
    try:
        while True:
            try:
                kind, payload = inbox.get()
            except (EOFError, pickle.UnpicklingError):
                raise MemoryStoreError(f"the TMX reader stopped (status {process.wait()})", shown) from None
            if kind == "rows":
                yield payload
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
    """The reader's side: the file's units as rows in batches, then ``end`` or its error."""
    leave_interrupts_to_parent()
    sink = sys.stdout.buffer
    batches = _batches(Path(path), shown, BATCH)
    try:
        for rows in batches:
            send(sink, ("rows", rows))
    except TmError as exc:
        send(sink, ("error", (exc.message, exc.path, exc.line)))
        return
    send(sink, ("end", None))


if __name__ == "__main__":
    with contextlib.suppress(BrokenPipeError):  # the importing process stopped reading
        _serve(*sys.argv[1:3])
