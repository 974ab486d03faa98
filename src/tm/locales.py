"""The working copies: ``locales/<lang>/<release>.po``, one per release and target language."""

from __future__ import annotations

import hashlib

from tm.formats.po import FORMAT as PO
from tm.model import Catalog, Document, Release
from tm.segment import segmenter_for
from tm.sources import read_release
from tm.workspace import Workspace, atomic_write

SOURCE_DIGEST = "X-Source-Digest"


def source_digest(release: Release) -> str:
    """A short fingerprint of the source file, kept in each PO header to tell when it is stale."""
    return hashlib.sha256(release.path.read_bytes()).hexdigest()[:16]


def parse(workspace: Workspace, release: Release) -> Document:
    """Read a source release with the workspace's segmentation rules."""
    segmenter = segmenter_for(release.lang, workspace.config.segmentation)
    return read_release(release, segmenter, workspace.relative(release.path))


def segmentation_warnings(workspace: Workspace, release: Release) -> tuple[str, ...]:
    """What the user should know about the rules a release is cut with (e.g. a language
    without rules of its own, cut with the default rules)."""
    return segmenter_for(release.lang, workspace.config.segmentation).warnings


def load(workspace: Workspace, release: str, lang: str) -> Catalog | None:
    path = workspace.catalog_path(release, lang)
    if not path.exists():
        return None
    return PO.read(path.read_bytes(), workspace.relative(path))


def save(workspace: Workspace, catalog: Catalog) -> bool:
    """Write a working catalog atomically; return False when the file was already the same."""
    path = workspace.catalog_path(catalog.release, catalog.lang)
    data = PO.write(catalog)
    if path.exists() and path.read_bytes() == data:
        return False
    atomic_write(path, data)
    return True


def is_stale(workspace: Workspace, release: Release, catalog: Catalog) -> bool:
    """True when the working file was extracted from another version of its source."""
    return catalog.header.get(SOURCE_DIGEST) != source_digest(release)
