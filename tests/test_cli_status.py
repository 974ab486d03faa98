"""``tm status``: exact numbers on a workspace with known contents, and agreement with pocount."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import polib
import pytest

from conftest import RELEASE, Tm, need_oracle
from tm.reports import is_stale
from tm.workspace import Workspace

CONTACTS = "2012-06-01-contacts"
LANGUAGE_KEYS = {
    "segments",
    "translated",
    "fuzzy",
    "untranslated",
    "words",
    "words_translated",
    "percent",
    "errors",
    "warnings",
    "stale",
}


def edit(po_path: Path, change) -> None:
    po = polib.pofile(str(po_path))
    for entry in po:
        change(entry)
    po.save(str(po_path))


def replace_in(entry: polib.POEntry, old: str, new: str) -> None:
    assert old in entry.msgstr, (entry.msgctxt, old)
    entry.msgstr = entry.msgstr.replace(old, new)


@pytest.fixture
def known(translated_workspace: Path) -> Path:
    """The real release part-translated into English (one missing, one fuzzy, one number
    changed, one colon lost), complete in French; and a small English release whose source
    changed after extraction."""
    ws = translated_workspace

    def english(entry: polib.POEntry) -> None:
        if entry.msgctxt == "p1.s1":  # 16 source words
            entry.msgstr = ""
        elif entry.msgctxt == "p2.s1":  # 3 source words
            entry.flags.append("fuzzy")
        elif entry.msgctxt == "p3.s1":
            replace_in(entry, "55", "56")
        elif entry.msgctxt == "p17.s1":
            replace_in(entry, "contacts:", "contacts")

    edit(ws / "locales" / "en" / f"{RELEASE}.po", english)
    source = ws / "sources" / f"{CONTACTS}.en.txt"
    source.write_text("Media contacts.\n\nCall the press office today.\n")
    tm = Tm(ws)
    assert tm("extract", CONTACTS).exit_code == 0
    french = {"p1.s1": "Contacts pour les médias.", "p2.s1": "Appelez le service de presse aujourd’hui."}
    edit(ws / "locales" / "fr" / f"{CONTACTS}.po", lambda e: setattr(e, "msgstr", french[e.msgctxt]))
    source.write_text("Media contacts.\n\nCall the press office today.\n\nThank you.\n")
    return ws


def test_status_numbers_exactly(known):
    result = Tm(known)("status", "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert [r["release"] for r in report["releases"]] == [RELEASE, CONTACTS]
    laminar, contacts = report["releases"]
    assert laminar["source_language"] == "ar" and contacts["source_language"] == "en"
    assert laminar["languages"]["en"] == {
        "segments": 32,
        "translated": 30,
        "fuzzy": 1,
        "untranslated": 1,
        "words": 710,
        "words_translated": 710 - 16 - 3,
        "percent": 97.3,
        "errors": 1,
        "warnings": 1,
        "stale": False,
    }
    assert laminar["languages"]["fr"] == {
        "segments": 32,
        "translated": 32,
        "fuzzy": 0,
        "untranslated": 0,
        "words": 710,
        "words_translated": 710,
        "percent": 100.0,
        "errors": 0,
        "warnings": 0,
        "stale": False,
    }
    # "Media contacts." 2 words, "Call the press office today." 5, "Thank you." 2 (new).
    assert contacts["languages"]["fr"] == {
        "segments": 3,
        "translated": 2,
        "fuzzy": 0,
        "untranslated": 1,
        "words": 9,
        "words_translated": 7,
        "percent": 77.8,
        "errors": 0,
        "warnings": 0,
        "stale": True,
    }
    assert contacts["languages"]["ar"]["stale"] is True
    assert contacts["languages"]["ar"]["words_translated"] == 0
    assert list(report["totals"]) == ["ar", "en", "fr", "all"]
    assert report["totals"]["fr"]["segments"] == 35
    assert report["totals"]["fr"]["words_translated"] == 717
    assert report["totals"]["fr"]["percent"] == 99.7  # 717 / 719
    assert report["totals"]["fr"]["stale"] is True
    assert report["totals"]["all"]["segments"] == 32 + 35 + 3
    assert report["totals"]["all"]["errors"] == 1
    assert report["totals"]["all"]["words"] == 710 + 719 + 9
    for coverage in [
        *laminar["languages"].values(),
        *contacts["languages"].values(),
        *report["totals"].values(),
    ]:
        assert set(coverage) == LANGUAGE_KEYS
        assert all(type(coverage[k]) is int for k in LANGUAGE_KEYS - {"percent", "stale"})


def test_status_table_csv_and_markdown_carry_the_same_numbers(known):
    tm = Tm(known)
    table = tm("status", RELEASE, "--lang", "en").stdout.splitlines()
    assert table[0].split() == [
        "release",
        "lang",
        "segments",
        "done",
        "fuzzy",
        "todo",
        "words",
        "%words",
        "%segments",
        "errors",
        "warnings",
        "stale",
    ]
    assert table[1].split() == [RELEASE, "en", "32", "30", "1", "1", "710", "97.3", "93.8", "1", "1"]
    assert table[-1].split()[:2] == ["total", "all"]
    rows = list(csv.DictReader(io.StringIO(tm("status", "--format", "csv").stdout)))
    assert [(r["release"], r["lang"], r["percent"], r["stale"]) for r in rows] == [
        (RELEASE, "en", "97.3", "False"),
        (RELEASE, "fr", "100.0", "False"),
        (CONTACTS, "ar", "0.0", "True"),
        (CONTACTS, "fr", "77.8", "True"),
    ]
    markdown = tm("status", "--format", "markdown").stdout.splitlines()
    assert markdown[2].startswith(f"| {RELEASE} | en | 32 | 30 | 1 | 1 | 710 | 691 | 97.3 | 1 | 1 | False |")


def test_fail_under_names_every_release_and_language_below(known):
    result = Tm(known)("status", "--fail-under", "90")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"tm: {CONTACTS} [ar] is 0.0% translated, under 90.0%",
        f"tm: {CONTACTS} [fr] is 77.8% translated, under 90.0%",
    ]


def test_status_writes_a_report_file(known, tmp_path):
    out = tmp_path / "status.html"
    result = Tm(known)("status", "--format", "html", "-o", out)
    assert result.exit_code == 0
    assert out.read_text().startswith("<!DOCTYPE html>")


def test_a_working_file_without_digest_is_stale_when_older_than_its_source(translated_workspace):
    ws = Workspace.open(translated_workspace)
    release = ws.release(RELEASE)
    path = ws.catalog_path(RELEASE, "en")
    edit(path, lambda e: None)
    po = polib.pofile(str(path))
    del po.metadata["X-Source-Digest"]
    po.save(str(path))
    from tm import locales

    source_time = release.path.stat().st_mtime
    os.utime(path, (source_time - 60, source_time - 60))
    assert is_stale(ws, release, locales.load(ws, RELEASE, "en")) is True
    os.utime(path, (source_time + 60, source_time + 60))
    assert is_stale(ws, release, locales.load(ws, RELEASE, "en")) is False
    # With the digest, the content decides: a touched but unchanged source is not stale.
    fr = ws.catalog_path(RELEASE, "fr")
    os.utime(fr, (source_time - 60, source_time - 60))
    assert is_stale(ws, release, locales.load(ws, RELEASE, "fr")) is False


ENGLISH = """\
INTERPOL’s Secretary General, Mr. Ronald K. Noble, welcomed 1,250 officers from 190 countries.

Over 3.5 million images were seized in the U.S. and New Zealand – a record for a two-week operation.

See www.interpol.int/News or write to press@interpol.int for details (e.g. the full list).

Well-known non-governmental organisations took part. They said: “We’re proud.”

Media contacts:

Tel. +33 4 72 44 71 69
"""

FRENCH = """\
Le Secrétaire général d’INTERPOL, M. Ronald K. Noble, a accueilli 1 250 policiers de 190 pays.

Plus de 3,5 millions d’images ont été saisies aux États-Unis et en Nouvelle-Zélande – un record.

Voir www.interpol.int/News ou écrire à presse@interpol.int (p. ex. la liste complète).

Des organisations non gouvernementales bien connues y ont participé. Elles ont dit : « Nous sommes fiers. »

Contacts pour les médias :
"""


def pocount(path: Path) -> dict[str, int]:
    exe = Path(os.sys.executable).parent / "pocount"
    need_oracle(exe.exists() or shutil.which("pocount") is not None, "translate-toolkit's pocount")
    out = subprocess.run([str(exe), "--csv", str(path)], capture_output=True, text=True, check=True).stdout
    (row,) = csv.DictReader(io.StringIO(out))
    return {k.strip(): int(v) for k, v in row.items() if k != "Filename"}


@pytest.mark.parametrize(("source_lang", "text", "target"), [("en", ENGLISH, "fr"), ("fr", FRENCH, "en")])
def test_word_counts_agree_with_pocount(tmp_path, source_lang, text, target):
    ws = tmp_path / "ws"
    (ws / "sources").mkdir(parents=True)
    (ws / "tm.toml").write_text('[workspace]\nlanguages = ["ar", "en", "fr"]\n')
    (ws / "sources" / f"news.{source_lang}.txt").write_text(text)
    tm = Tm(ws)
    assert tm("extract").exit_code == 0
    po_path = ws / "locales" / target / "news.po"
    entries = polib.pofile(str(po_path))
    assert len(entries) >= 6

    def translate(entry: polib.POEntry) -> None:
        position = [e.msgctxt for e in entries].index(entry.msgctxt)
        if position % 3 == 0:
            entry.msgstr = f"Translation {position}."
        elif position % 3 == 1:
            entry.msgstr = f"Suggestion {position}."
            entry.flags.append("fuzzy")

    edit(po_path, translate)
    (release,) = json.loads(tm("status", "--format", "json", "--lang", target).stdout)["releases"]
    ours = release["languages"][target]
    theirs = pocount(po_path)
    assert ours["words"] == theirs["Total Source Words"]
    assert ours["words_translated"] == theirs["Translated Source Words"]
    assert ours["translated"] == theirs["Translated Messages"]
    assert ours["fuzzy"] == theirs["Fuzzy Messages"]
    assert ours["untranslated"] == theirs["Untranslated Messages"]
    from tm.reports import workspace_status

    coverage = workspace_status(Workspace.open(ws), [], [target])[0].languages[target]
    assert coverage.words_fuzzy == theirs["Fuzzy Source Words"]
