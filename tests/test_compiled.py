"""tm.compiled.built_from: a compiled copy is used only when built from the file beside it
(the segmenter's cutter and the memory's term work both go through it)."""

from __future__ import annotations

import sys
import types
from pathlib import Path

from tm.compiled import blake2b, built_from

NAME = "tm.some_compiled_copy"  # no such module ships: each test puts one in its place


def _copy(digest: str) -> types.ModuleType:
    module = types.ModuleType(NAME)
    module.DIGEST = digest
    return module


def _source(tmp_path: Path) -> Path:
    source = tmp_path / "hot.py"
    source.write_text("def work(): return 1\n")
    return source


def test_a_copy_built_from_the_file_as_it_is_is_used(tmp_path, monkeypatch):
    source = _source(tmp_path)
    copy = _copy(blake2b(source.read_bytes()).hexdigest())
    monkeypatch.setitem(sys.modules, NAME, copy)
    assert built_from(NAME, source) is copy


def test_a_copy_built_before_the_file_changed_is_never_used(tmp_path, monkeypatch):
    source = _source(tmp_path)
    monkeypatch.setitem(sys.modules, NAME, _copy(blake2b(source.read_bytes()).hexdigest()))
    source.write_text("def work(): return 2\n")  # edited since the build
    assert built_from(NAME, source) is None


def test_a_copy_without_a_digest_or_without_its_source_is_never_used(tmp_path, monkeypatch):
    source = _source(tmp_path)
    monkeypatch.setitem(sys.modules, NAME, types.ModuleType(NAME))
    assert built_from(NAME, source) is None
    monkeypatch.setitem(sys.modules, NAME, _copy(blake2b(source.read_bytes()).hexdigest()))
    assert built_from(NAME, tmp_path / "gone.py") is None


def test_no_copy_at_all(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, NAME, None)  # import fails
    assert built_from(NAME, _source(tmp_path)) is None
