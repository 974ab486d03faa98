"""Inline placeholders: the tag checks, and a round trip through PO with a translator moving tags."""

from __future__ import annotations

import shutil
from pathlib import Path

import polib
import pytest
from markdown_it import MarkdownIt

from conftest import REPO, Tm, msgfmt_check, snapshot
from tm.placeholders import Tag, tag_problems, tokens

RELEASE = "2026-01-05-tags"
SOURCE = """\
# Operation *Pangea*

**LYON, France** – Police in 90 countries took part, [INTERPOL](https://www.interpol.int) said.
Call `+33 4 72 44 70 00` or see ![the map](map.png).
"""


def test_tokens_split_text_and_tags():
    open_, close, empty = Tag("open", "1"), Tag("close", "1"), Tag("empty", "2")
    assert tokens("a <1>b</1><2/> c") == ["a ", open_, "b", close, empty, " c"]
    assert tokens("x </1/> y") == ["x </1/> y"]  # not a tag: stays text


@pytest.mark.parametrize(
    ("target", "problems"),
    [
        ("<2/> <1>b</1> a", []),
        ("<1>b</1> a", ["missing <2/>"]),
        ("<1>b</1> <2/> <3/>", ["unexpected <3/>"]),
        ("<1>b <2/>", ["missing </1>", "unclosed <1>"]),
        ("</1>b<1> <2/>", ["</1> does not close the last opened tag"]),
    ],
)
def test_tag_problems(target, problems):
    assert tag_problems("a <1>b</1> <2/>", target) == problems


@pytest.fixture
def md_workspace(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    (root / "sources").mkdir(parents=True)
    shutil.copy(REPO / "tm.toml", root / "tm.toml")
    (root / "sources" / f"{RELEASE}.en.md").write_text(SOURCE, encoding="utf-8")
    return root


def exported(tm: Tm, tmp_path: Path, lang: str) -> polib.POFile:
    path = tmp_path / f"tags.{lang}.po"
    assert tm("extract").exit_code == 0
    result = tm("export", RELEASE, "--lang", lang, "-o", path)
    assert result.exit_code == 0, result.output
    assert msgfmt_check(path).returncode == 0
    return polib.pofile(str(path))


def test_po_round_trip_with_reordered_tags(md_workspace, tmp_path):
    tm = Tm(md_workspace)
    po = exported(tm, tmp_path, "fr")
    assert {e.msgctxt: e.msgid for e in po} == {
        "p1.s1": "Operation <1>Pangea</1>",
        "p2.s1": "<1>LYON, France</1> – Police in 90 countries took part, <2>INTERPOL</2> said.",
        "p2.s2": "Call <1/> or see <2>the map</2>.",
    }
    french = {
        "p1.s1": "Opération <1>Pangea</1>",
        "p2.s1": "Selon <2>INTERPOL</2>, la police de 90 pays a participé (<1>LYON, France</1>).",
        "p2.s2": "Voir <2>la carte</2> ou appeler le <1/>.",
    }
    for entry in po:
        entry.msgstr = french[entry.msgctxt]
    po.save(str(tmp_path / "tags.fr.po"))
    result = tm("import", tmp_path / "tags.fr.po")
    assert result.exit_code == 0, result.output
    result = tm("merge", RELEASE, "--lang", "fr", "--lang", "en")
    assert result.exit_code == 0, result.output
    merged = (md_workspace / "build" / RELEASE / f"{RELEASE}.fr.md").read_text()
    assert merged == (
        "# Opération *Pangea*\n\n"
        "Selon [INTERPOL](https://www.interpol.int), la police de 90 pays a participé (**LYON, France**).\n"
        "Voir ![la carte](map.png) ou appeler le `+33 4 72 44 70 00`.\n"
    )
    assert "<strong>LYON, France</strong>" in MarkdownIt("commonmark").render(merged)
    english = (md_workspace / "build" / RELEASE / f"{RELEASE}.en.md").read_text()
    assert english == SOURCE


def test_broken_tags_refuse_that_segment_and_the_rest_lands(md_workspace, tmp_path):
    tm = Tm(md_workspace)
    po = exported(tm, tmp_path, "ar")
    arabic = {
        "p1.s1": "عملية <1>بانجيا</1>",
        "p2.s1": "<1>ليون، فرنسا</1> – شاركت الشرطة في 90 بلدا، حسبما أفاد الإنتربول.",
        "p2.s2": "اتصلوا بالرقم <1/> أو انظروا <2>الخريطة</3>.",
    }
    for entry in po:
        entry.msgstr = arabic[entry.msgctxt]
    po.save(str(tmp_path / "tags.ar.po"))
    before = snapshot(md_workspace / "locales" / "fr")
    result = tm("import", tmp_path / "tags.ar.po")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"tm: {tmp_path / 'tags.ar.po'}: p2.s1: inline tags: missing </2> <2>; not imported",
        f"tm: {tmp_path / 'tags.ar.po'}: p2.s2: inline tags: missing </2>; unexpected </3>; "
        "</3> does not close the last opened tag; not imported",
    ]
    working_po = polib.pofile(str(md_workspace / "locales" / "ar" / f"{RELEASE}.po"))
    working = {e.msgctxt: e.msgstr for e in working_po}
    assert working == {"p1.s1": arabic["p1.s1"], "p2.s1": "", "p2.s2": ""}
    assert snapshot(md_workspace / "locales" / "fr") == before


def test_tags_are_checked_against_the_source_the_translator_saw(md_workspace, tmp_path):
    tm = Tm(md_workspace)
    po = exported(tm, tmp_path, "fr")
    for entry in po:
        entry.msgstr = {"p1.s1": "Opération <1>Pangea</1>"}.get(entry.msgctxt, "")
    po.save(str(tmp_path / "tags.fr.po"))
    source = md_workspace / "sources" / f"{RELEASE}.en.md"
    source.write_text(SOURCE.replace("# Operation *Pangea*", "# Operation Pangea"), encoding="utf-8")
    assert tm("extract").exit_code == 0
    result = tm("import", tmp_path / "tags.fr.po")
    assert result.exit_code == 0, result.output
    assert "p1.s1: source changed since export; kept as fuzzy" in result.output
    [entry] = [
        e
        for e in polib.pofile(str(md_workspace / "locales" / "fr" / f"{RELEASE}.po"))
        if e.msgctxt == "p1.s1"
    ]
    assert (entry.msgid, entry.msgstr, "fuzzy" in entry.flags) == (
        "Operation Pangea",
        "Opération <1>Pangea</1>",
        True,
    )
