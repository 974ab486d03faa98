"""The posting index of an import, worked out in this process or in a worker beside it.

:class:`Ranges` turns (unit id, normalised text) pairs into posting rows: for each term
(:func:`tm.memory.normalise.index_terms`) and range of 65,536 unit ids, one 64-bit
little-endian entry per text holding the term: its unit id, its length and a sketch of
its terms (:func:`entry`), so that a lookup can tell apart, by how close their lengths and
sketches are to the sentence looked up, units that share the same terms. Extracting terms is most of an
import's work (a million units hold forty million postings), so a large import hands it
to one worker process
(:class:`Indexer`): the worker indexes one batch while this process reads the file and
writes the next. The rows are the same either way.
"""

from __future__ import annotations

import functools
import operator
import sys
import threading
from array import array
from collections import Counter, deque
from collections.abc import Iterable
from itertools import accumulate, compress, islice, repeat
from typing import TYPE_CHECKING

from tm.errors import MemoryStoreError
from tm.memory.normalise import SKETCH_BITS, Spreads, fastest, terms_and_sketch

if TYPE_CHECKING:
    from concurrent.futures import Future

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


class Tally:
    """How many times each posting entry was read, in the order first read: a lookup's
    count of the units sharing its terms (the definition; :func:`tally` gives the compiled
    copy where there is one: a lookup counts about a million entries)."""

    def __init__(self) -> None:
        self._counter: Counter[int] = Counter()

    def add(self, blob: bytes, weight: int = 1) -> None:
        """Count each entry of packed entries (:func:`pack`), ``weight`` times."""
        if weight < 1:
            raise ValueError("a weight is 1 or more")
        counter = self._counter
        for entry in unpack(blob):
            counter[entry] += weight

    def entries(self) -> bytes:
        """The entries counted, in native byte order (``array(ENTRY).frombytes``)."""
        return array(ENTRY, self._counter).tobytes()

    def counts(self) -> bytes:
        """Their counts, one byte each: 255 at most."""
        return bytes(map(min, self._counter.values(), repeat(255)))

    def __len__(self) -> int:
        return len(self._counter)

    def best(self, size: int, sketched: int, unread: int, terms: int, length: int) -> list[int]:
        """The units of the ``size`` entries ranked highest for a sentence of ``length``
        characters, sketch ``sketched`` and ``terms`` terms, ``unread`` of which were not
        read: twice the terms read that they share, plus the bits their sketch has in
        common with the sentence's, in proportion to the sentence's terms not read (the
        sketch stands for those). Of units sharing the sentence's rare terms, those whose
        sketches say that they share its common terms too (the same clauses with other
        names or figures: their postings are too long to read) go first, even with a rare
        term fewer. Of those tied at the cut-off, the texts whose length is closest to the
        sentence's (a near repeat that adds a clause shares every term), then the first
        read. Units in the order of their entries: above the cut-off, then those tied, each
        in the order first read.

        Worked out on all the entries at once (a lookup ranks a few million in all, and
        this is the definition of the compiled copy's loop): ranks are bytes
        (:func:`agreement`), the cut-off comes from counting the bytes of each rank from the
        highest down, and the entries taken are found by searching the bytes.
        """
        if not 0 <= unread <= terms:
            raise ValueError("the terms not read are some of the terms")
        if size < 1 or length < 0:
            raise ValueError("a size is 1 or more, a length 0 or more")
        entries = array(ENTRY)
        entries.frombytes(self.entries())
        # a rank must fit a byte; an entry counts once per term read, and once more for
        # each other language of its unit with the very same text (a name, a URL)
        counts = self.counts().translate(_CAPPED)
        # the sketch stands for the terms not read: once most are read, it matters little
        agreeing = agreement(entries, sketched).translate(_scaled(unread, terms))
        shared = int.from_bytes(counts, "little") * TERM_WEIGHT
        ranks = (shared + int.from_bytes(agreeing, "little")).to_bytes(len(entries), "little")
        cutoff, room = _highest(ranks, size)
        places = _places(ranks.translate(_at_least(cutoff)))
        chosen = [entries[place] for place in places]
        if len(chosen) > size:  # of the ranks tied at the cut-off, the closest in length
            ranks = bytes(map(ranks.__getitem__, places))
            above = list(compress(chosen, ranks.translate(_at_least(cutoff + 1))))
            ties = list(compress(chosen, ranks.translate(_equal(cutoff))))
            # indexing.length_of of each tie, as C-level maps (ties may be thousands)
            lengths = map(operator.and_, map(operator.rshift, ties, repeat(SKETCH_BITS)), repeat(LONGEST))
            apart = list(map(abs, map(operator.sub, lengths, repeat(length))))
            nearest, rest = _cutoff(apart, room)
            closer = compress(ties, map(operator.lt, apart, repeat(nearest)))
            same = compress(ties, map(operator.eq, apart, repeat(nearest)))
            chosen = [*above, *closer, *islice(same, rest)]
        return list(dict.fromkeys(map(unit_of, chosen)))


def tally() -> Tally:
    """A new :class:`Tally`: the compiled copy where there is one."""
    return fastest("Tally", Tally)()


# A rare term shared counts as much as this many bits of two texts' sketches in agreement:
# of units sharing the sentence's rarest terms, one sharing its common terms too (a sketch
# closer by a few bits) goes before one that shares a rare term more but not the rest.
TERM_WEIGHT = 2
MOST_SHARED = (255 - SKETCH_BITS) // TERM_WEIGHT  # terms counted per entry: a rank fits a byte
_CAPPED = bytes(min(count, MOST_SHARED) for count in range(256))


@functools.lru_cache(maxsize=1024)
def _scaled(part: int, whole: int) -> bytes:
    """The translation table of a sketch agreement (0-24) to its ``part / whole``, rounded
    down."""
    return bytes(value * part // max(whole, 1) for value in range(SKETCH_BITS + 1)).ljust(256, b"\0")


def _places(taken: bytes) -> list[int]:
    """Where ``taken`` holds a 1 (the others hold 0): found with ``bytes.find``, which skips
    the zeros at C speed (few entries of tens of thousands are taken)."""
    places = []
    place = taken.find(1)
    while place >= 0:
        places.append(place)
        place = taken.find(1, place + 1)
    return places


def _at_least(floor: int) -> bytes:
    """The translation table of a rank to 1 when it is ``floor`` or more, else to 0."""
    return bytes(floor) + b"\1" * (256 - floor)


def _equal(rank: int) -> bytes:
    """The translation table of a rank to 1 when it is ``rank``, else to 0."""
    return bytes(rank) + b"\1" + bytes(255 - rank)


def _highest(ranks: bytes, size: int) -> tuple[int, int]:
    """The rank at which the ``size`` highest of ``ranks`` are cut, and how many of those
    equal to it are taken. Looking for a byte is much faster than reading each one as a
    number (``max``, ``Counter``)."""
    taken = 0
    for rank in range(255, -1, -1):
        if rank in ranks:
            found = ranks.count(rank)
            if taken + found >= size:
                return rank, size - taken
            taken += found
    return 0, ranks.count(0)


def _cutoff(values: Iterable[int], size: int, reverse: bool = False) -> tuple[int, int]:
    """The value at which the ``size`` smallest of ``values`` (largest, with ``reverse``)
    are cut, and how many of those equal to it are taken."""
    histogram = Counter(values)
    taken = 0
    cutoff = 0
    for cutoff in sorted(histogram, reverse=reverse):
        if taken + histogram[cutoff] >= size:
            return cutoff, size - taken
        taken += histogram[cutoff]
    return cutoff, histogram[cutoff] if histogram else 0


# where the sketch's three bytes lie in an entry's native bytes, lowest first
_SKETCH_BYTES = (0, 1, 2) if sys.byteorder == "little" else (7, 6, 5)


_AGREEING_ZERO = bytes(8 - value.bit_count() for value in range(256))  # bits equal to 0's


@functools.lru_cache(maxsize=256)
def _agreeing(byte: int) -> bytes:
    """The translation table of a byte to its count of bits equal to those of ``byte``:
    that of ``value ^ byte`` with 0 (tables are made in every lookup: C-level loops only)."""
    return bytes(map(byte.__xor__, range(256))).translate(_AGREEING_ZERO)


class Ranges:
    """Posting rows of batches given in order of unit ids, merged per (term, range of unit
    ids) and held back until the range is complete, so that each row is written about
    once: appending to a stored row rewrites it. Used here for small imports and in the
    worker for large ones."""

    def __init__(self) -> None:
        self._held: dict[int, Range] = {}  # range of unit ids → its entries so far

    def add(self, pairs: list[tuple[int, str]]) -> Postings:
        """Take a batch of (unit id, normalised text) pairs; return the rows of the ranges
        it completes (every range below the highest one seen so far)."""
        if pairs:
            # past the largest unit id: the product's error, before either copy of Range meets
            # it (the compiled one would raise OverflowError)
            entry(max(uid for uid, _norm in pairs), 0)
        held = self._held
        spreads = Spreads()  # the batch's term hashes, each worked out once (in Python)
        for uid, norm in pairs:
            chunk = uid >> CHUNK_BITS
            grouped = held.get(chunk)
            if grouped is None:
                grouped = held[chunk] = new_range(spreads)
            grouped.add(uid, norm)
        top = max(held, default=0)
        return self._release([chunk for chunk in held if chunk < top])

    def finish(self) -> Postings:
        """The rows of every range still held."""
        return self._release(list(self._held))

    def _release(self, chunks: list[int]) -> Postings:
        ranges = []
        for chunk in sorted(chunks):
            terms, sizes, entries = self._held.pop(chunk).release()
            counts = array("q")
            counts.frombytes(sizes)
            ranges.append((chunk, terms, counts, entries))
        return Postings(ranges)


class Range:
    """The posting entries of one range of unit ids, term by term, as texts are added (the
    definition: :func:`new_range` gives the compiled copy where there is one; extracting
    terms and appending entries is most of a large import's work)."""

    def __init__(self, spreads: Spreads | None = None) -> None:
        self._entries: dict[str, bytearray] = {}
        self._spreads = spreads

    def add(self, uid: int, norm: str) -> None:
        """Append the entry of unit ``uid``'s text ``norm`` (:func:`entry`, packed) to the
        entries of each of its terms."""
        terms, sketched = terms_and_sketch(norm, self._spreads)
        value = pack([entry(uid, len(norm), sketched)])
        for term in terms:
            found = self._entries.get(term)
            if found is None:
                self._entries[term] = bytearray(value)
            else:
                found += value

    def release(self) -> tuple[list[str], bytes, bytes]:
        """The terms in order, their numbers of entries (int64, native order) and their
        entries end to end."""
        terms = sorted(self._entries)
        entries = list(map(self._entries.__getitem__, terms))
        width = array(ENTRY).itemsize
        return terms, array("q", [len(each) // width for each in entries]).tobytes(), b"".join(entries)

    def __len__(self) -> int:
        return len(self._entries)


def new_range(spreads: Spreads | None = None) -> Range:
    """A new :class:`Range`: the compiled copy where there is one (``spreads``: the term
    hashes the definition shares between ranges)."""
    return fastest("Range", functools.partial(Range, spreads))()


class Postings:
    """Posting rows to write, range of unit ids after range.

    Each range is sent from the worker as its terms, the number of entries of each and all
    the entries end to end: a few large objects to pickle, not a row object per term.
    """

    def __init__(self, ranges: list[tuple[int, list[str], array, bytes]]):
        self.ranges = ranges  # (range, its terms in order, their entry counts, entries)

    @property
    def rows(self) -> list[Row]:
        """(term, range, number of entries, packed entries), sorted within each range."""
        rows: list[Row] = []
        width = array(ENTRY).itemsize
        for chunk, terms, sizes, entries in self.ranges:
            ends = list(accumulate(size * width for size in sizes))
            blobs = map(entries.__getitem__, map(slice, [0, *ends], ends))
            rows += zip(terms, repeat(chunk), sizes, blobs, strict=False)
        return rows

    @property
    def counts(self) -> list[tuple[str, int]]:
        """How many entries the rows add to each term (a term comes once per range)."""
        counts: list[tuple[str, int]] = []
        for _chunk, terms, sizes, _entries in self.ranges:
            counts += zip(terms, sizes, strict=True)
        return counts

    @staticmethod
    def join(parts: Iterable[Postings]) -> Postings:
        return Postings([each for part in parts for each in part.ranges])


class Indexer:
    """Posting rows for batches of (unit id, normalised text) pairs, in the order given
    (:class:`Ranges`).

    In this process until :meth:`start_worker`; then each batch goes to one worker process
    (spawned, so that it shares no database connection with this one) and :meth:`take`
    collects what it has finished.
    """

    def __init__(self) -> None:
        self._worker: _Worker | None = None
        self._ranges = Ranges()  # while indexing here
        self._pending: deque[Postings | Future] = deque()
        self._inline_only = False

    @classmethod
    def inline(cls, pairs: list[tuple[int, str]]) -> Postings:
        """The rows of one batch, worked out here."""
        ranges = Ranges()
        return Postings.join([ranges.add(pairs), ranges.finish()])

    def start_worker(self) -> None:
        """Index the next batches in a worker process; where none can be started (no
        processes allowed, no interpreter to run), go on indexing here."""
        if self._worker is None and not self._inline_only:
            try:
                self._worker = _Worker()
            except OSError:
                self._inline_only = True
            else:
                self._pending.append(self._ranges.finish())

    def add(self, pairs: list[tuple[int, str]]) -> None:
        if not pairs:
            return
        if self._worker is None:
            self._pending.append(self._ranges.add(pairs))
        else:
            self._pending.append(self._worker.submit(pairs))

    def take(self, wait: bool = False) -> Postings:
        """The rows of the ranges complete so far (of every range, with ``wait``), in the
        order of the batches, each range's rows sorted, so that concurrent writers lock
        rows in the same order."""
        if wait:
            self._pending.append(self._ranges.finish() if self._worker is None else self._worker.submit(None))
        done = []
        while self._pending:
            result = self._pending[0]
            if not isinstance(result, Postings):  # a worker's answer to come
                if not wait and not result.done():
                    break
                try:
                    result = result.result()
                except RuntimeError as exc:
                    raise MemoryStoreError(f"memory import failed: {exc}") from None
            self._pending.popleft()
            done.append(result)
        return Postings.join(done)

    def close(self, abandon: bool = False) -> None:
        """Stop the worker: once it has indexed what it was sent, or at once (``abandon``:
        the import failed, its postings are not wanted)."""
        if self._worker is not None:
            self._worker.close(abandon)
            self._worker = None


class _Worker:
    """One process running :class:`Ranges` on the batches sent to it, in order.

    A plain child process (``python -m tm.memory.indexing``) talking pickles over its
    standard input and output: it shares nothing with this process (no database
    connection, no main module to re-import), and a thread here reads its answers as they
    come, so that neither side ever waits on a full pipe.
    """

    command = ("-m", "tm.memory.indexing")

    def __init__(self) -> None:
        # the worker's modules, imported only by an import that starts one (a lookup never
        # does: they would cost every lookup process a few milliseconds)
        from tm.memory.child import Outbox, spawn

        self._process = spawn(self.command, stdin=True)
        self._outbox = Outbox(self._process.stdin)
        self._waiting: deque[Future] = deque()  # asked, not answered yet, in order
        self._lock = threading.Lock()
        self._stopped = ""  # why the worker stopped, once it has
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def submit(self, pairs: list[tuple[int, str]] | None) -> Future:
        """Send a batch (``None``: the end of them) and the future of its answer."""
        from concurrent.futures import Future

        future: Future = Future()
        with self._lock:
            if self._stopped:
                future.set_exception(RuntimeError(self._stopped))
                return future
            self._waiting.append(future)
        self._outbox.put(pairs)  # if the worker has stopped, the reader fails this future
        return future

    def _read(self) -> None:
        from tm.memory.child import receive

        while True:
            try:
                result = receive(self._process.stdout)
            except Exception:  # the worker stopped: every question left unanswered fails
                status = self._process.wait()
                with self._lock:
                    self._stopped = f"the indexing worker stopped (status {status})"
                    while self._waiting:
                        self._waiting.popleft().set_exception(RuntimeError(self._stopped))
                return
            with self._lock:
                future = self._waiting.popleft()
            future.set_result(Postings(result))

    def close(self, abandon: bool = False) -> None:
        if abandon:
            self._process.kill()  # what is still queued for it fails to send, harmlessly
        self._outbox.close()
        self._process.wait()
        self._reader.join()
        self._process.stdout.close()


def _serve() -> None:
    """The worker's side: answer each batch of pairs with its postings, until input ends."""
    from tm.memory.child import leave_interrupts_to_parent, receive, send

    leave_interrupts_to_parent()
    source, sink = sys.stdin.buffer, sys.stdout.buffer
    ranges = Ranges()
    while True:
        try:
            pairs = receive(source)
        except EOFError:
            return
        done = ranges.finish() if pairs is None else ranges.add(pairs)
        send(sink, done.ranges)


def pack(values: Iterable[int]) -> bytes:
    """Entries as stored: 64-bit little-endian."""
    packed = values if isinstance(values, array) else array(ENTRY, values)
    if sys.byteorder == "big":  # pragma: no cover - stored little-endian everywhere
        packed = array(ENTRY, packed)
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
