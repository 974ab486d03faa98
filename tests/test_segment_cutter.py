"""Which cutter the segmenter uses: the copy of tm/segment/cutter.py compiled by ``make``
only when it was built from that very file (tests/test_segment*.py run with both)."""

from __future__ import annotations

import hashlib
import sys
import types
from pathlib import Path

import pytest

import tm.segment
from conftest import need_oracle
from tm.segment import cutter, cutter_module, segmenter_for


@pytest.fixture
def fresh_choice():
    cutter_module.cache_clear()
    yield
    cutter_module.cache_clear()


def compiled_copy(digest: str) -> types.ModuleType:
    module = types.ModuleType("tm.segment._cutter")
    module.DIGEST = digest
    module.Cutter = cutter.Cutter
    return module


def test_a_copy_built_from_cutter_py_is_used(fresh_choice, monkeypatch):
    digest = hashlib.sha256(Path(cutter.__file__).read_bytes()).hexdigest()
    copy = compiled_copy(digest)
    monkeypatch.setitem(sys.modules, "tm.segment._cutter", copy)
    monkeypatch.setattr(tm.segment, "_cutter", copy, raising=False)
    assert cutter_module() is copy


def test_a_copy_built_from_another_cutter_py_is_never_used(fresh_choice, monkeypatch):
    stale = compiled_copy("0" * 64)
    monkeypatch.setitem(sys.modules, "tm.segment._cutter", stale)
    monkeypatch.setattr(tm.segment, "_cutter", stale, raising=False)
    assert cutter_module() is cutter
    assert segmenter_for("en").split("Mr. Smith left. Yes.") == ["Mr. Smith left. ", "Yes."]


def test_without_a_compiled_copy_cutter_py_is_used(fresh_choice, monkeypatch):
    monkeypatch.setitem(sys.modules, "tm.segment._cutter", None)  # import fails
    monkeypatch.delattr(tm.segment, "_cutter", raising=False)
    assert cutter_module() is cutter


def test_make_builds_the_compiled_copy(fresh_choice):
    """``make test`` compiles the cutter where a C compiler is found (CI installs one)."""
    module = cutter_module()
    need_oracle(module is not cutter, "the compiled cutter (make fast)")
    assert Path(module.__file__).suffix == ".so"
    assert segmenter_for("en").split("Mr. Smith left. Yes.") == ["Mr. Smith left. ", "Yes."]
