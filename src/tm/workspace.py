"""Finding the workspace, reading tm.toml, naming its files, locking and atomic writes."""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import tempfile
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from tm.errors import SourceError, WorkspaceError
from tm.model import Release

CONFIG_NAME = "tm.toml"
SOURCE_FORMATS = {".txt": "txt", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}
SOURCE_NAME = re.compile(r"^(?P<release>.+)\.(?P<lang>[a-z]{2,3}(?:-[A-Za-z0-9]+)?)\.(?P<ext>[^.]+)$")

DEFAULT_CONFIG = """\
# tm workspace: see README.md for every setting.
[workspace]
languages = ["ar", "en", "fr"]
# The language of a source release is read from its file name (<release>.<lang>.<ext>);
# this one is used when a command needs a default.
source_language = "ar"

[memory]
# A path (relative to this file) for the embedded SQLite memory, or postgresql://… for a team.
url = "memory/tm.sqlite"
# Fuzzy matches at or above this score pre-fill translations as fuzzy.
fuzzy_threshold = 75

# Workspace additions to the shipped segmentation rules, per language, e.g.
# [segmentation.en]
# abbreviations = ["Amb.", "Cllr."]
# no_break = ['\\bRef\\.']          # no break right after text matching these
# rules = "rules/office.srx"        # or a whole SRX 2.0 file of the office's own
"""


@dataclass(frozen=True)
class Config:
    languages: tuple[str, ...] = ("ar", "en", "fr")
    source_language: str = "ar"
    memory_url: str = "memory/tm.sqlite"
    fuzzy_threshold: int = 75
    segmentation: dict = field(default_factory=dict)


def read_config(path: Path) -> Config:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None)
        raise WorkspaceError(f"tm.toml is not valid TOML: {exc}", path, line) from None
    ws = raw.get("workspace", {})
    mem = raw.get("memory", {})
    langs = tuple(ws.get("languages", Config.languages))
    if len(langs) < 2:
        raise WorkspaceError("workspace.languages needs at least two languages", path)
    return Config(
        languages=langs,
        source_language=ws.get("source_language", langs[0]),
        memory_url=mem.get("url", Config.memory_url),
        fuzzy_threshold=int(mem.get("fuzzy_threshold", Config.fuzzy_threshold)),
        segmentation=_segmentation(raw.get("segmentation", {}), path.parent),
    )


def _segmentation(table: dict, root: Path) -> dict:
    """``[segmentation.<lang>]`` with any ``rules`` path made relative to the workspace."""
    resolved = {}
    for lang, settings in table.items():
        if isinstance(settings, dict) and isinstance(settings.get("rules"), str):
            settings = {**settings, "rules": str(root / settings["rules"])}
        resolved[lang] = settings
    return resolved


@dataclass(frozen=True)
class Workspace:
    """A folder with a tm.toml, and the paths of everything in it."""

    root: Path
    config: Config

    @classmethod
    def find(cls, start: Path | None = None) -> Workspace:
        """Walk up from ``start`` (default: the current folder) to the first tm.toml, like git."""
        here = (start or Path.cwd()).resolve()
        for folder in (here, *here.parents):
            if (folder / CONFIG_NAME).is_file():
                return cls.open(folder)
        raise WorkspaceError(
            f"no workspace found: no {CONFIG_NAME} in {here} or any folder above it "
            "(run 'tm init' or pass --workspace DIR)"
        )

    @classmethod
    def open(cls, root: Path) -> Workspace:
        root = Path(root).resolve()
        config_path = root / CONFIG_NAME
        if not config_path.is_file():
            raise WorkspaceError(f"no {CONFIG_NAME} in {root} (run 'tm init {root}')")
        return cls(root, read_config(config_path))

    @property
    def sources_dir(self) -> Path:
        return self.root / "sources"

    @property
    def build_dir(self) -> Path:
        return self.root / "build"

    def catalog_path(self, release: str, lang: str) -> Path:
        return self.root.joinpath("locales", lang, f"{release}.po")  # one path parse, not three

    def memory_url(self) -> str:
        url = self.config.memory_url
        if "://" in url:
            return url
        return str(self.root / url)

    def relative(self, path: Path) -> str:
        """``path`` relative to the workspace when it lies inside it, for messages and references."""
        path = Path(path)
        if path.is_absolute() and path.is_relative_to(self.root):
            return path.relative_to(self.root).as_posix()  # no file-system call on the common path
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def releases(self) -> dict[str, Release]:
        """Every source release in ``sources/``, by release ID."""
        found: dict[str, Release] = {}
        if not self.sources_dir.is_dir():
            return found
        for path in sorted(self.sources_dir.iterdir()):
            match = SOURCE_NAME.match(path.name)
            if not path.is_file() or not match:
                continue
            fmt = SOURCE_FORMATS.get(path.suffix.lower())
            if fmt is None:
                if match["lang"] in self.config.languages:  # a release, in a format we cannot read
                    known = ", ".join(dict.fromkeys(SOURCE_FORMATS))
                    raise SourceError(
                        f"unknown source format '{path.suffix}' (tm reads {known}); "
                        "save the release as text, Markdown or HTML",
                        self.relative(path),
                    )
                continue
            release = Release(match["release"], match["lang"], path, fmt)
            if release.id in found:
                other = found[release.id]
                raise SourceError(
                    f"two sources for release '{release.id}': {other.path.name} and "
                    f"{path.name}; keep one source file per release",
                    self.relative(path),
                )
            found[release.id] = release
        return found

    def release(self, release_id: str) -> Release:
        releases = self.releases()
        if release_id not in releases:
            known = ", ".join(sorted(releases)) or "none"
            raise SourceError(f"unknown release '{release_id}' (releases: {known})")
        return releases[release_id]

    def select(self, release_ids: tuple[str, ...] | list[str]) -> list[Release]:
        """The named releases, or all of them when none is named."""
        if release_ids:
            return [self.release(r) for r in release_ids]
        return list(self.releases().values())

    def targets(self, release: Release) -> list[str]:
        return [lang for lang in self.config.languages if lang != release.lang]

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Hold the workspace lock so two coordinators cannot lose each other's writes."""
        with open(self.root / ".tm.lock", "a+") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)


@contextlib.contextmanager
def replacing(path: Path) -> Iterator[BinaryIO]:
    """A binary handle whose content replaces ``path`` only when the block succeeds: readers
    see the old file or the new one, never half (temporary file in the same folder, fsync,
    rename). For content that is streamed rather than held in memory."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def atomic_write(path: Path, content: str | bytes, encoding: str = "utf-8") -> None:
    """Write ``content`` to ``path`` so that readers see the old file or the new one, never half."""
    data = content.encode(encoding) if isinstance(content, str) else content
    with replacing(path) as handle:
        handle.write(data)


def init_workspace(root: Path) -> Path:
    """Create a workspace in ``root``; refuse to overwrite an existing one."""
    root = Path(root)
    config = root / CONFIG_NAME
    if config.exists():
        raise WorkspaceError(f"{config} already exists; this is a workspace already")
    for sub in ("sources", "locales", "memory"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    atomic_write(config, DEFAULT_CONFIG)
    return config
