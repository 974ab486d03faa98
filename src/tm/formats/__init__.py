"""Exchange formats for translators (PO, XLIFF 1.2, XLIFF 2.1, ...), found through one registry.

Every adapter turns a :class:`~tm.model.Catalog` into the bytes of a file and reads such a
file back into a catalog whose release and language come from the file itself.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from tm.errors import FormatError
from tm.model import Catalog


class ExchangeFormat(Protocol):
    name: str
    suffixes: tuple[str, ...]

    def sniff(self, data: bytes) -> bool:
        """True when ``data`` looks like this format (read from the content, not the name)."""
        ...

    def write(self, catalog: Catalog) -> bytes: ...

    def read(self, data: bytes, path: str) -> Catalog:
        """Parse ``data``; raise :class:`FormatError` naming ``path`` and the line when bad."""
        ...


def _adapters() -> list[ExchangeFormat]:
    """Every exchange format, imported on first use so that ``tm --help`` stays fast."""
    from tm.formats import po, xliff2, xliff12

    return [po.FORMAT, xliff12.FORMAT, xliff2.FORMAT]


def exchange_format(name: str) -> ExchangeFormat:
    for adapter in _adapters():
        if adapter.name == name:
            return adapter
    known = ", ".join(a.name for a in _adapters())
    raise FormatError(f"unknown format '{name}' (known: {known})")


def format_names() -> list[str]:
    return [a.name for a in _adapters()]


def detect(data: bytes, path: Path | str) -> ExchangeFormat:
    """The adapter for a returned file, judged by its content."""
    if not data.strip():
        raise FormatError("empty file; expected a PO or XLIFF file", path)
    if b"\x00" in data[:8192]:
        raise FormatError("binary file; expected a PO or XLIFF file", path)
    for adapter in _adapters():
        if adapter.sniff(data):
            return adapter
    raise FormatError("not a PO or XLIFF file", path)
