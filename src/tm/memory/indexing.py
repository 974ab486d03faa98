"""The posting index of an import, worked out in this process or in a worker beside it.

:func:`postings` turns (unit id, normalised text) pairs into posting rows: for each term
(:func:`tm.memory.normalise.index_terms`) and range of 65,536 unit ids, one 64-bit
little-endian entry per text holding the term: its unit id and its length
(:func:`entry`), so that a lookup can tell apart, by how close their lengths are to the
sentence looked up, units that share the same terms. Extracting terms is most of an
import's work (a million units hold forty million postings), so a large import hands it
to one worker process
(:class:`Indexer`): the worker indexes one batch while this process reads the file and
writes the next. The rows are the same either way.
"""

from __future__ import annotations

import contextlib
import functools
import os
import pickle
import signal
import sys
import threading
from array import array
from collections import defaultdict, deque
from collections.abc import Iterable
from concurrent.futures import Future
from itertools import repeat

from tm.errors import MemoryStoreError
from tm.memory.normalise import SKETCH_BITS, Spreads, index_terms, sketch

CHUNK_BITS = 16  # one posting row per term and range of 65,536 unit ids
# an entry, 64 bits: unit id (28 bits) | length of the text (12 bits) | sketch (24 bits)
LENGTH_BITS = 12
LONGEST = (1 << LENGTH_BITS) - 1  # longer texts are entered with this length
UNIT_SHIFT = LENGTH_BITS + SKETCH_BITS
MOST_UNITS = 1 << (64 - UNIT_SHIFT)  # unit ids stay below this (268 million)
SKETCHED = (1 << SKETCH_BITS) - 1
ENTRY = "Q"  # array type of an entry: 64 bits
VERSION = "3"  # of the posting format (1: unit ids alone, 32 bits; 2: unit id and length)

Row = tuple[str, int, int, bytes]  # term, chunk, number of entries, packed entries


def entry(uid: int, length: int, sketched: int = 0) -> int:
    """A posting entry: a unit id, the length of its text that holds the term and that
    text's sketch (:func:`tm.memory.normalise.sketch`)."""
    if not 0 <= uid < MOST_UNITS:
        raise MemoryStoreError(f"a memory holds at most {MOST_UNITS - 1:,} units (unit id {uid})")
    return uid << UNIT_SHIFT | min(length, LONGEST) << SKETCH_BITS | sketched


def unit_of(value: int) -> int:
    return value >> UNIT_SHIFT


def length_of(value: int) -> int:
    return value >> SKETCH_BITS & LONGEST


def sketch_of(value: int) -> int:
    return value & SKETCHED


def agreement(entries: array, sketched: int) -> bytes:
    """For each of ``entries``, in how many of the 24 bits its sketch agrees with
    ``sketched``: one byte each (0-24).

    Worked out on all the entries at once, a lookup's hot loop: each byte of the sketches
    is sliced out of the entries' bytes and translated to its count of agreeing bits, and
    the three counts are added as one large integer (no carry: each sum is at most 24).
    """
    raw = entries.tobytes()
    total = 0
    for place, offset in enumerate(_SKETCH_BYTES):
        agreeing = _agreeing(sketched >> 8 * place & 255)
        total += int.from_bytes(raw[offset :: entries.itemsize].translate(agreeing), "little")
    return total.to_bytes(len(entries), "little")


# where the sketch's three bytes lie in an entry's native bytes, lowest first
_SKETCH_BYTES = (0, 1, 2) if sys.byteorder == "little" else (7, 6, 5)


_AGREEING_ZERO = bytes(8 - value.bit_count() for value in range(256))  # bits equal to 0's


@functools.lru_cache(maxsize=256)
def _agreeing(byte: int) -> bytes:
    """The translation table of a byte to its count of bits equal to those of ``byte``:
    that of ``value ^ byte`` with 0 (tables are made in every lookup: C-level loops only)."""
    return bytes(map(byte.__xor__, range(256))).translate(_AGREEING_ZERO)


def postings(pairs: Iterable[tuple[int, str]]) -> dict[tuple[str, int], bytes]:
    """The packed entries of each (term, chunk) of these (unit id, normalised text) pairs."""
    chunks: dict[int, defaultdict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    spreads = Spreads()
    for uid, norm in pairs:
        grouped = chunks[uid >> CHUNK_BITS]
        terms = index_terms(norm)
        value = entry(uid, len(norm), sketch(terms, spreads))
        # each term's list gets the entry: a C-level loop, most of an import's work
        deque(map(list.append, map(grouped.__getitem__, terms), repeat(value)), maxlen=0)
    return {(term, chunk): pack(ids) for chunk, grouped in chunks.items() for term, ids in grouped.items()}


class Indexer:
    """Posting rows for batches of (unit id, normalised text) pairs, in the order given.

    Inline until :meth:`start_worker`; then each batch goes to one worker process (spawned,
    so that it shares no database connection with this one) and :meth:`take` collects what
    it has finished.
    """

    def __init__(self) -> None:
        self._worker: _Worker | None = None
        self._pending: list[tuple[int, object]] = []  # (pairs, result or future)
        self._held: dict[tuple[str, int], list[bytes]] = defaultdict(list)  # see take()
        self._inline_only = False

    @classmethod
    def inline(cls, pairs: list[tuple[int, str]]) -> list[Row]:
        """The rows of one batch, worked out here."""
        indexer = cls()
        indexer.add(pairs)
        return indexer.take(wait=True)

    def start_worker(self) -> None:
        """Index the next batches in a worker process; where none can be started (no
        processes allowed, no interpreter to run), go on indexing here."""
        if self._worker is None and not self._inline_only:
            try:
                self._worker = _Worker()
            except OSError:
                self._inline_only = True

    def add(self, pairs: list[tuple[int, str]]) -> None:
        if not pairs:
            return
        if self._worker is None:
            self._pending.append((len(pairs), postings(pairs)))
        else:
            self._pending.append((len(pairs), self._worker.submit(pairs)))

    def ready(self) -> int:
        """How many pairs are indexed and not taken yet (the first batches still running
        and everything after them not counted)."""
        count = 0
        for size, result in self._pending:
            if isinstance(result, Future) and not result.done():
                break
            count += size
        return count

    def take(self, wait: bool = False) -> list[Row]:
        """The rows of the finished batches (of all batches with ``wait``), merged per
        (term, chunk) and sorted, so that concurrent writers lock rows in the same order.

        Without ``wait``, the rows of the highest range of unit ids seen are held back for
        the next call: the batches after fill that range further, and a range's rows
        written once cost less than rows appended to batch after batch.
        """
        merged = self._held
        self._held = defaultdict(list)
        while self._pending:
            _size, result = self._pending[0]
            if isinstance(result, Future):
                if not wait and not result.done():
                    break
                try:
                    result = result.result()
                except RuntimeError as exc:
                    raise MemoryStoreError(f"memory import failed: {exc}") from None
            self._pending.pop(0)
            for key, blob in result.items():
                merged[key].append(blob)
        last = max((chunk for _term, chunk in merged), default=None)
        rows = []
        for (term, chunk), blobs in merged.items():
            if chunk == last and not wait:
                self._held[term, chunk] = blobs
                continue
            blob = blobs[0] if len(blobs) == 1 else b"".join(blobs)
            rows.append((term, chunk, len(blob) // array(ENTRY).itemsize, blob))
        rows.sort()
        return rows

    def close(self) -> None:
        if self._worker is not None:
            self._worker.close()
            self._worker = None


class _Worker:
    """One process running :func:`postings` on the batches sent to it, in order.

    A plain child process (``python -m tm.memory.indexing``) talking pickles over its
    standard input and output: it shares nothing with this process (no database
    connection, no main module to re-import), and a thread here reads its answers as they
    come, so that neither side ever waits on a full pipe.
    """

    command = ("-m", "tm.memory.indexing")

    def __init__(self) -> None:
        import subprocess

        import tm

        env = dict(os.environ)
        root = os.path.dirname(os.path.dirname(tm.__file__))
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, env.get("PYTHONPATH", "")]))
        command = [sys.executable, *self.command]
        self._process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
        self._waiting: deque[Future] = deque()  # asked, not answered yet, in order
        self._lock = threading.Lock()
        self._stopped = ""  # why the worker stopped, once it has
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def submit(self, pairs: list[tuple[int, str]]) -> Future:
        future: Future = Future()
        with self._lock:
            if self._stopped:
                future.set_exception(RuntimeError(self._stopped))
                return future
            self._waiting.append(future)
        try:
            pickle.dump(pairs, self._process.stdin, pickle.HIGHEST_PROTOCOL)
            self._process.stdin.flush()
        except OSError:
            pass  # the reader fails this future when it sees the worker's end
        return future

    def _read(self) -> None:
        while True:
            try:
                result = pickle.load(self._process.stdout)
            except Exception:  # the worker stopped: every question left unanswered fails
                status = self._process.wait()
                with self._lock:
                    self._stopped = f"the indexing worker stopped (status {status})"
                    while self._waiting:
                        self._waiting.popleft().set_exception(RuntimeError(self._stopped))
                return
            with self._lock:
                future = self._waiting.popleft()
            future.set_result(result)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._process.stdin.close()
        self._process.wait()
        self._reader.join()


def _serve() -> None:
    """The worker's side: answer each batch of pairs with its postings, until input ends.

    Ctrl-C reaches the whole process group: the importing process handles it (its
    transaction rolls back, it closes the pipe) and the worker ends with the pipe."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    source, sink = sys.stdin.buffer, sys.stdout.buffer
    while True:
        try:
            pairs = pickle.load(source)
        except EOFError:
            return
        pickle.dump(postings(pairs), sink, pickle.HIGHEST_PROTOCOL)
        sink.flush()


def pack(values: list[int]) -> bytes:
    packed = array(ENTRY, values)
    if sys.byteorder == "big":  # pragma: no cover - stored little-endian everywhere
        packed.byteswap()
    return packed.tobytes()


def unpack(blob: bytes) -> array:
    values = array(ENTRY)
    values.frombytes(bytes(blob))
    if sys.byteorder == "big":  # pragma: no cover
        values.byteswap()
    return values


if __name__ == "__main__":
    _serve()
