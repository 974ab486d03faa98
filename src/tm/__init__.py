"""tm: a translation-memory workflow for press releases in Arabic, English and French."""

import atexit
import gc


def skip_final_collection() -> None:
    """At exit, after the handlers registered later have run, the objects alive are left to
    the system instead of being collected by the interpreter as it shuts down: it walks
    them all several times, 35–45 ms of every command once psycopg's hundreds of classes are
    loaded, 5–10 ms otherwise, for memory the system takes back anyway. Whatever must be
    closed is closed before (files, databases, child processes: ``with``, ``close``); a
    cycle of objects with a finalizer left open at exit is not finalized."""
    atexit.register(gc.freeze)
