"""Helper processes of a large import: the TMX reader (tm.memory.reading) and the indexing
worker (tm.memory.indexing). Each is a plain ``python -m`` child talking pickles over its
standard input and output: it shares no database connection with the importing process
and has no main module to re-import."""

from __future__ import annotations

import os
import signal
import subprocess
import sys


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
