"""Which cutter the segmenter uses: the copy of tm/segment/cutter.py compiled by ``make``
only when it was built from that very file (tests/test_segment*.py run with both)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import tm.segment
from conftest import need_oracle
from tm.compiled import blake2b
from tm.segment import cutter, cutter_module, segmenter_for


@pytest.fixture
def fresh_choice():
    cutter_module.cache_clear()
    yield
    cutter_module.cache_clear()


def test_without_a_compiled_copy_cutter_py_is_used(fresh_choice, monkeypatch):
    monkeypatch.setitem(sys.modules, "tm.segment._cutter", None)  # import fails
    monkeypatch.delattr(tm.segment, "_cutter", raising=False)
    assert cutter_module() is cutter


def test_make_builds_the_compiled_copy(fresh_choice):
    """``make test`` compiles the cutter where a C compiler is found (CI installs one)."""
    module = cutter_module()
    need_oracle(module is not cutter, "the compiled cutter (make fast)")
    assert Path(module.__file__).suffix == ".so"
    assert blake2b(Path(cutter.__file__).read_bytes()).hexdigest() == module.DIGEST
    assert segmenter_for("en").split("Mr. Smith left. Yes.") == ["Mr. Smith left. ", "Yes."]
