"""The leverage step alone, as a fresh process runs it: ``python -m bench.leverage URL
RELEASE`` opens the memory, looks up the release's sentences (the best suggestion for each
at threshold 75, together, as ``tm extract`` does) and prints the figures as JSON.

A module of its own, importing nothing but what tm imports, so that the whole process's
time (bench.bench_memory's ``leverage s``) is tm's and not the bench's.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

THRESHOLD = 75


def leverage(url: str, release: str, limit: int = 1) -> dict:
    """The release's matches (``limit`` suggestions a sentence: one, as ``tm extract`` asks,
    or three, as an XLIFF export carries them) and the time taken."""
    from tm.memory import open_memory

    sentences = json.loads(Path(release).read_text())
    start, cpu = time.perf_counter(), time.process_time()
    memory = open_memory(url)
    best = memory.matches_many("en", [s for s, _kind in sentences], "fr", THRESHOLD, limit)
    memory.close()
    return {
        "seconds": time.perf_counter() - start,
        "cpu": time.process_time() - cpu,
        "results": [[(m.source, m.score) for m in found] for found in best],
        "private_rss": _private_rss(),
        "peak_rss": peak_rss(),
    }


def _private_rss() -> float | None:
    """The process's own memory at the end, in MB (Linux): its peak RSS also counts the
    pages of a SQLite memory that the lookup read through a map of the file, which are the
    system's file cache, shared, and given back when the map is closed."""
    return _mb(status_kib("RssAnon"))


def peak_rss() -> float | None:
    """This process's peak resident memory, in MB (Linux). Not the parent's
    ``ru_maxrss`` of the child: the kernel carries over, through ``exec``, the resident
    memory of the parent copied at ``fork``, so that every child of a large bench process
    reported the bench's own size."""
    return _mb(status_kib("VmHWM"))


def status_kib(field: str, pid: int | str = "self") -> int | None:
    """A memory field of ``/proc/PID/status``, in KiB (Linux); None where there is no such
    file (another system, or the process has ended)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    return None


def _mb(kib: int | None) -> float | None:
    return None if kib is None else kib / 1024


if __name__ == "__main__":
    from tm import skip_final_collection

    skip_final_collection()  # as tm's command line does
    print(json.dumps(leverage(*sys.argv[1:3]), ensure_ascii=False))
