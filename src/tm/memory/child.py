"""Helper processes of a large import: the TMX reader (tm.memory.reading) and the indexing
worker (tm.memory.indexing). Each is a plain ``python -m`` child talking pickles over its
standard input and output: it shares no database connection with the importing process
and has no main module to re-import.

Messages are pickles with their length in front (:func:`send`, :func:`receive`). On the
importing process's side a thread moves them between each pipe and a short queue (the
reader's units through an :class:`Inbox`, the worker's batches through an
:class:`Outbox`; the worker's answers are read by a thread of its own), so that a child
goes on with its next batch while the importing process is busy writing, instead of both
waiting on a full pipe (a pipe holds 64 KiB; a batch is about a megabyte).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import queue
import signal
import struct
import subprocess
import sys
import threading
from typing import IO, Any

_LENGTH = struct.Struct("<Q")  # each message: its length, then its pickle
QUEUED = 4  # messages held in a queue at most (a few megabytes)


def spawn(command: tuple[str, ...], stdin: bool = False) -> subprocess.Popen:
    """Start ``python *command`` with this process's tm importable; OSError when no process
    can be started."""
    import tm

    env = dict(os.environ)
    root = os.path.dirname(os.path.dirname(tm.__file__))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, env.get("PYTHONPATH", "")]))
    return subprocess.Popen(
        [sys.executable, *command],
        stdin=subprocess.PIPE if stdin else None,
        stdout=subprocess.PIPE,
        env=env,
    )


def leave_interrupts_to_parent() -> None:
    """Ctrl-C reaches the whole process group: the importing process handles it (its
    transaction rolls back, it closes the pipes) and its children end with the pipes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def send(stream: IO[bytes], message: Any) -> None:
    """Write one message (any picklable value) to ``stream``."""
    _write_message(stream, pickle.dumps(message, pickle.HIGHEST_PROTOCOL))


def _write_message(stream: IO[bytes], data: bytes) -> None:
    stream.write(_LENGTH.pack(len(data)))
    stream.write(data)
    stream.flush()


def receive(stream: IO[bytes]) -> Any:
    """Read one message from ``stream``; EOFError at its end (or in the middle of one: the
    other side stopped)."""
    return pickle.loads(_read_message(stream))


def _read_message(stream: IO[bytes]) -> bytes:
    head = stream.read(_LENGTH.size)
    if len(head) < _LENGTH.size:
        raise EOFError
    (size,) = _LENGTH.unpack(head)
    data = stream.read(size)
    if len(data) < size:
        raise EOFError
    return data


class Inbox:
    """The messages of a child's output, read ahead by a thread (the pipe is read with the
    GIL released) and unpickled by :meth:`get`."""

    def __init__(self, stream: IO[bytes]):
        self._queue: queue.Queue[bytes | None] = queue.Queue(QUEUED)
        self._thread = threading.Thread(target=self._run, args=(stream,), daemon=True)
        self._thread.start()

    def _run(self, stream: IO[bytes]) -> None:
        try:
            while True:
                self._queue.put(_read_message(stream))
        except (EOFError, OSError, ValueError):  # the end, or the pipe closed here
            self._queue.put(None)

    def get(self) -> Any:
        """The next message; EOFError once the child's output has ended."""
        data = self._queue.get()
        if data is None:
            self._queue.put(None)  # every later call ends too
            raise EOFError
        return pickle.loads(data)

    def drain(self) -> None:
        """Let the thread see the end of a pipe that will not be read any more (after the
        child was killed)."""
        while self._thread.is_alive():
            with contextlib.suppress(queue.Empty):
                self._queue.get(timeout=0.1)


class Outbox:
    """Messages to a child's input, pickled by :meth:`put` and written by a thread."""

    def __init__(self, stream: IO[bytes]):
        self._stream = stream
        self._queue: queue.Queue[bytes | None] = queue.Queue(QUEUED)
        self._failed = False
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (data := self._queue.get()) is not None:
            if self._failed:
                continue
            try:
                _write_message(self._stream, data)
            except (OSError, ValueError):  # the child stopped: its reader says so
                self._failed = True
        with contextlib.suppress(OSError):
            self._stream.close()

    def put(self, message: Any) -> None:
        self._queue.put(pickle.dumps(message, pickle.HIGHEST_PROTOCOL))

    def close(self) -> None:
        """Send what is queued, then close the child's input."""
        self._queue.put(None)
        self._thread.join()
