"""``tm export``: the file a translator gets for one release and language."""

from __future__ import annotations

from tm import locales
from tm.errors import SourceError
from tm.formats import exchange_format
from tm.workspace import Workspace


def export_catalog(workspace: Workspace, release_id: str, lang: str, format_name: str) -> bytes:
    """The working catalog of ``release_id`` in ``lang`` as a file of ``format_name``."""
    release = workspace.release(release_id)
    targets = workspace.targets(release)
    if lang not in targets:
        raise SourceError(
            f"'{lang}' is not a target language of {release.id} (targets: {', '.join(targets)})"
        )
    adapter = exchange_format(format_name)
    catalog = locales.load(workspace, release.id, lang)
    if catalog is None:
        raise SourceError(f"no working file for {release.id} in '{lang}'; run 'tm extract' first")
    return adapter.write(catalog)
