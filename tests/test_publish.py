"""tm merge: published versions and aligned views of the real release."""

from __future__ import annotations

import csv
import io

import polib
import pytest

from conftest import RELEASE, Tm


@pytest.fixture
def published(translated_workspace):
    tm = Tm(translated_workspace)
    assert tm("extract").exit_code == 0
    result = tm("merge", RELEASE, "--aligned", "all")
    assert result.exit_code == 0, result.output
    return translated_workspace / "build" / RELEASE


def test_aligned_csv_has_one_row_per_segment_and_a_column_per_language(published, translated_workspace):
    data = (published / f"{RELEASE}.aligned.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["release", "segment", "ar", "en", "fr"]
    assert len(rows) == 33
    french = polib.pofile(str(translated_workspace / "locales" / "fr" / f"{RELEASE}.po"))
    by_id = {row[1]: row for row in rows[1:]}
    for entry in french:
        assert by_id[entry.msgctxt][4] == entry.msgstr
        assert by_id[entry.msgctxt][2] == entry.msgid


def test_partial_merge_fills_gaps_from_the_source_and_lists_them(translated_workspace):
    po_path = translated_workspace / "locales" / "en" / f"{RELEASE}.po"
    po = polib.pofile(str(po_path))
    po.find("p2.s1", by="msgctxt").msgstr = ""
    po.find("p3.s1", by="msgctxt").flags.append("fuzzy")
    po.save(str(po_path))
    tm = Tm(translated_workspace)

    refused = tm("merge", RELEASE)
    assert refused.exit_code == 1
    assert refused.stderr == (
        f"tm: {RELEASE} is not complete (en: p2.s1 (untranslated), p3.s1 (fuzzy)); translate "
        "these segments or pass --allow-partial to fill them from the source\n"
    )
    assert not (translated_workspace / "build").exists()

    result = tm("merge", RELEASE, "--allow-partial")
    assert result.exit_code == 0
    assert f"{RELEASE} [en] partial, source text in: p2.s1 (untranslated), p3.s1 (fuzzy)" in result.stdout
    english = (translated_workspace / "build" / RELEASE / f"{RELEASE}.en.txt").read_text()
    assert english.split("\n\n")[1] == "٢٢ مايو، ٢٠١٢"


def test_a_translation_with_a_check_error_blocks_publishing(translated_workspace):
    po_path = translated_workspace / "locales" / "fr" / f"{RELEASE}.po"
    po = polib.pofile(str(po_path))
    entry = po.find("p23.s1", by="msgctxt")
    entry.msgstr = entry.msgstr.replace("71 69", "71 96")  # a wrong phone number
    po.save(str(po_path))
    tm = Tm(translated_workspace)
    refused = tm("merge", RELEASE)
    assert refused.exit_code == 1
    assert "fr: p23.s1 (check error: phones)" in refused.stderr

    entry.tcomment = "tm-waive: phones"
    po.save(str(po_path))
    assert tm("merge", RELEASE).exit_code == 0


def test_aligned_tmx_is_valid_and_imports_back_with_three_languages(published, tmx_dtd, tmp_path):
    from conftest import assert_valid
    from tm.memory import open_memory
    from tm.memory.exchange import import_file

    data = (published / f"{RELEASE}.aligned.tmx").read_bytes()
    assert_valid(data, tmx_dtd)
    memory = open_memory(str(tmp_path / "tm.sqlite"))
    import_file(memory, published / f"{RELEASE}.aligned.tmx")
    assert memory.count() == 32
    stats = memory.stats()
    assert stats.variants == {"ar": 32, "en": 32, "fr": 32}
    assert memory.exact("ar", "الإنتربول", "fr") == "INTERPOL"
    assert memory.exact("en", "22 May 2012", "fr") == "22 mai 2012"


def test_aligned_tmx_leaves_gaps_out(translated_workspace):
    po_path = translated_workspace / "locales" / "fr" / f"{RELEASE}.po"
    po = polib.pofile(str(po_path))
    po.find("p2.s1", by="msgctxt").msgstr = ""
    po.save(str(po_path))
    tm = Tm(translated_workspace)
    assert tm("merge", RELEASE, "--aligned", "tmx", "--allow-partial").exit_code == 0
    data = (translated_workspace / "build" / RELEASE / f"{RELEASE}.aligned.tmx").read_text()
    unit = data.split(f'tuid="{RELEASE}:p2.s1"')[1].split("</tu>")[0]
    assert 'xml:lang="fr"' not in unit
    assert 'xml:lang="en"' in unit
