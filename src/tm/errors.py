"""Typed errors. Library code raises these; only ``cli.py`` turns them into a message and an exit status."""

from __future__ import annotations

from pathlib import Path


class TmError(Exception):
    """Something the user can fix: bad input, bad usage, a missing workspace.

    ``path`` and ``line`` locate the problem when there is a file behind it.
    """

    exit_status = 2

    def __init__(self, message: str, path: str | Path | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = self.path if self.line is None else f"{self.path}:{self.line}"
            where += ": "
        return f"{where}{self.message}"


class WorkspaceError(TmError):
    """No workspace, or a workspace whose tm.toml or layout is wrong."""


class SourceError(TmError):
    """A source release that cannot be read or is ambiguous."""


class FormatError(TmError):
    """A PO, XLIFF or TMX file that is malformed, hostile or not for this workspace."""


class RulesError(TmError):
    """A segmentation rules file that is not valid SRX or has a bad regular expression."""


class MemoryStoreError(TmError):
    """The translation memory cannot be opened or written."""


class GateFailed(TmError):
    """The command ran, but a gate did not pass (incomplete merge, check errors, --fail-under)."""

    exit_status = 1
