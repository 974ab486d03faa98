"""Source release readers: one module per format, found through one registry.

Each format turns the text of a release into a :class:`~tm.model.Document` (skeleton plus
segments) and renders a document back with a translation in every slot.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from tm.errors import SourceError
from tm.model import Document, Release
from tm.segment import Segmenter


class SourceFormat(Protocol):
    name: str
    suffixes: tuple[str, ...]

    def parse(self, text: str, release: Release, segmenter: Segmenter) -> Document: ...

    def render(self, document: Document, translations: Mapping[str, str], lang: str) -> str:
        """The release in ``lang``: each slot filled from ``translations`` or, when a
        segment has none, with its source text as it stood."""
        ...


def _registry() -> dict[str, SourceFormat]:
    """Every source format, imported on first use so that ``tm --help`` stays fast."""
    from tm.sources import html, markdown, text

    return {f.name: f for f in (text.FORMAT, markdown.FORMAT, html.FORMAT)}


def source_format(name: str) -> SourceFormat:
    formats = _registry()
    if name not in formats:
        raise SourceError(f"no reader for source format '{name}' (known: {', '.join(formats)})")
    return formats[name]


def decode(data: bytes, path: str) -> str:
    """UTF-8 text, BOM kept as the first character so the skeleton can give it back."""
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data[:nul].count(b"\n") + 1
        raise SourceError("binary data (a NUL byte), not a text, Markdown or HTML release", path, line)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceError(
            f"not UTF-8 text (byte 0x{data[exc.start]:02x}); save the release as UTF-8",
            path,
            line,
        ) from None


def read_release(release: Release, segmenter: Segmenter, display_path: str | None = None) -> Document:
    """Parse a source release file into its skeleton and segments."""
    text = decode(release.path.read_bytes(), display_path or str(release.path))
    try:
        return source_format(release.format).parse(text, release, segmenter)
    except SourceError as exc:
        if display_path and exc.path == str(release.path):
            exc.path = display_path  # readers know the file's path, the workspace knows its name
        raise


def render_release(document: Document, translations: Mapping[str, str], lang: str) -> str:
    return source_format(document.release.format).render(document, translations, lang)
