"""The whole workflow on the real release, as a coordinator runs it."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import polib
import pytest

from conftest import RELEASE, REPO, msgfmt_check, need_oracle


def fill(po_path: Path, translations: dict[str, str]) -> None:
    po = polib.pofile(str(po_path))
    for entry in po:
        if entry.msgctxt in translations:
            entry.msgstr = translations[entry.msgctxt]
    po.save(str(po_path))


def msgcat(*args: str) -> None:
    need_oracle(shutil.which("msgcat") is not None, "GNU gettext (msgcat)")
    subprocess.run(["msgcat", *args], check=True, capture_output=True)


def test_extract_export_import_status_merge(tm, workspace, tmp_path):
    assert tm("extract").exit_code == 0
    exported = tmp_path / "laminar.en.po"
    result = tm("export", RELEASE, "--lang", "en", "--format", "po", "-o", exported)
    assert result.exit_code == 0, result.output
    assert msgfmt_check(exported).returncode == 0

    fill(exported, {"p1.s1": "Headline", "p2.s1": "22 May 2012", "p18.s1": "New Zealand"})
    # What translators' tools do to a file: rewrap and reorder.
    wrapped = tmp_path / "wrapped.po"
    msgcat("--width=40", "-o", str(wrapped), str(exported))
    rewritten = tmp_path / "rewritten.po"
    msgcat("--sort-output", "-o", str(rewritten), str(wrapped))
    assert rewritten.read_text() != exported.read_text()

    result = tm("import", rewritten)
    assert result.exit_code == 0, result.output
    assert "3 new" in result.output

    status = json.loads(tm("status", "--format", "json").output)
    en = status["releases"][0]["languages"]["en"]
    assert status["releases"][0]["release"] == RELEASE
    assert status["releases"][0]["source_language"] == "ar"
    assert {k: en[k] for k in ("segments", "translated", "fuzzy", "untranslated")} == {
        "segments": 32,
        "translated": 3,
        "fuzzy": 0,
        "untranslated": 29,
    }
    # Source words of the three translated sentences: 16 (headline) + 3 (date) + 1.
    assert en["words_translated"] == 16 + 3 + 1
    assert en["words"] == 710
    assert en["percent"] == 2.8  # 20 / 710
    assert en["stale"] is False
    assert status["releases"][0]["languages"]["fr"]["translated"] == 0

    refused = tm("merge", RELEASE, "--lang", "en")
    assert refused.exit_code == 1
    assert "p3.s1 (untranslated)" in refused.stderr
    assert not (workspace / "build").exists()

    project = polib.pofile(str(REPO / "locales" / "en" / f"{RELEASE}.po"))
    ours = polib.pofile(str(exported))
    fill(exported, {e.msgctxt: project.find(e.msgctxt, by="msgctxt").msgstr for e in ours if not e.msgstr})
    assert tm("import", exported).exit_code == 0
    result = tm("merge", RELEASE, "--lang", "en")
    assert result.exit_code == 0, result.output
    english = (workspace / "build" / RELEASE / f"{RELEASE}.en.txt").read_text()
    assert english.startswith("Headline\n\n22 May 2012\n\nLYON, France – A global operation")


def test_fail_under_exits_1_below_threshold(tm):
    tm("extract")
    assert tm("status", "--fail-under", "0").exit_code == 0
    result = tm("status", "--fail-under", "50")
    assert result.exit_code == 1
    assert f"{RELEASE} [en] is 0.0% translated, under 50.0%" in result.stderr


def test_merge_publishes_three_languages_and_aligned_page(translated_workspace):
    from conftest import Tm

    tm = Tm(translated_workspace)
    assert tm("extract").exit_code == 0
    result = tm("merge", RELEASE, "--aligned", "html")
    assert result.exit_code == 0, result.output
    out = translated_workspace / "build" / RELEASE
    names = sorted(p.name for p in out.iterdir())
    assert names == [f"{RELEASE}.aligned.html", f"{RELEASE}.ar.txt", f"{RELEASE}.en.txt", f"{RELEASE}.fr.txt"]
    source = (translated_workspace / "sources" / f"{RELEASE}.ar.txt").read_bytes()
    assert (out / f"{RELEASE}.ar.txt").read_bytes() == source
    for lang in ("en", "fr"):
        text = (out / f"{RELEASE}.{lang}.txt").read_text()
        # Same paragraph layout as the source: 26 paragraphs, no final newline.
        assert len(text.split("\n\n")) == len(source.decode().split("\n\n")) == 26
        assert not text.endswith("\n")
    page = (out / f"{RELEASE}.aligned.html").read_text()
    assert page.count('<td lang="ar" dir="rtl">') == 32
    assert page.count('<td lang="en" dir="ltr">') == 32
    assert page.count('<td lang="fr" dir="ltr">') == 32


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_project_translations_are_complete(lang):
    from conftest import REPO

    po = polib.pofile(str(REPO / "locales" / lang / f"{RELEASE}.po"))
    assert len(po) == 32
    assert all(e.msgstr and "fuzzy" not in e.flags for e in po)
    assert msgfmt_check(REPO / "locales" / lang / f"{RELEASE}.po").returncode == 0
