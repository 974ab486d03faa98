"""A cache of status numbers per working file, so ``tm status`` over a thousand releases
does not re-read two thousand PO files that have not changed.

One JSON file (``.tm-cache/status.json`` in the workspace, safe to delete at any time). An
entry is used only while the source and the working file keep the modification time and
size they had when it was computed, and only for the same version of tm. As git does for
its index, a file modified in the last two seconds is not cached: a second edit within the
file system's timestamp granularity could otherwise go unseen.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import asdict, fields
from pathlib import Path

from tm.checks import CHECK_IDS, Finding
from tm.workspace import atomic_write

RACY_SECONDS = 2.0
FORMAT = 1


def _version(config: Path | None) -> str:
    """What the cached numbers depend on besides the files themselves: the code that computed
    them (every module of the package, by modification time and size, so an upgrade or an
    edited check invalidates the cache) and the workspace's tm.toml (segmentation rules)."""
    package = Path(__file__).parent
    code = [(p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(package.rglob("*.py"))]
    code += [(p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(package.rglob("*.srx"))]
    settings = stamp(config) if config is not None else None
    digest = hashlib.sha256(repr((code, settings)).encode()).hexdigest()[:16]
    return f"{FORMAT}/{','.join(CHECK_IDS)}/{digest}"


def stamp(*paths: Path) -> list[int] | None:
    """Modification times and sizes of ``paths``; ``None`` when one is missing or too fresh."""
    values = []
    now = time.time_ns()
    for path in paths:
        try:
            info = path.stat()
        except FileNotFoundError:
            return None
        if now - info.st_mtime_ns < RACY_SECONDS * 1e9:
            return None
        values += [info.st_mtime_ns, info.st_size]
    return values


class StatusCache:
    """Coverage per (release, language), keyed by the stamps of the files it came from."""

    def __init__(self, path: Path, config: Path | None = None):
        self.path = Path(path)
        self.version = _version(config)
        self.entries: dict[str, dict] = {}
        self.changed = False
        try:
            saved = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        if isinstance(saved, dict) and saved.get("version") == self.version:
            self.entries = saved.get("entries", {})

    def get(self, key: str, files: list[int] | None, coverage_type):
        entry = self.entries.get(key)
        if files is None or entry is None or entry.get("files") != files:
            return None
        numbers = {k: v for k, v in entry["coverage"].items() if k != "findings"}
        return coverage_type(**numbers, findings=[Finding(**f) for f in entry["coverage"]["findings"]])

    def put(self, key: str, files: list[int] | None, coverage) -> None:
        if files is None:
            self.changed |= self.entries.pop(key, None) is not None
            return
        saved = {f.name: getattr(coverage, f.name) for f in fields(coverage) if f.name != "findings"}
        saved["findings"] = [asdict(f) for f in coverage.findings]
        self.entries[key] = {"files": files, "coverage": saved}
        self.changed = True

    def save(self) -> None:
        if self.changed:
            document = {"version": self.version, "entries": self.entries}
            try:
                atomic_write(self.path, json.dumps(document, ensure_ascii=False, separators=(",", ":")))
            except OSError:
                return  # a read-only workspace still gets its report, just not faster next time
            self.changed = False
