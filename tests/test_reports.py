"""Coverage numbers, word counts, the status cache and the HTML page's structure."""

from __future__ import annotations

import os
import time
from pathlib import Path

import polib
import pytest

from conftest import RELEASE
from tm import reports
from tm.model import Catalog, Entry
from tm.statuscache import StatusCache
from tm.workspace import Workspace


@pytest.mark.parametrize(
    ("text", "lang", "words"),
    [
        ("The U.S. team arrived.", "en", 3),  # pocount drops dotted abbreviations
        ("l’application de la loi", "fr", 4),
        ("Nouvelle-Zélande", "fr", 2),
        ("Read <1>the report</1> now<2/>", "en", 4),  # tags are not words
        ("1,250 officers", "en", 2),
        ("ليون (فرنسا) - أتاحت عملية", "ar", 5),  # Arabic: white-space-separated tokens
        ("٢٢ مايو، ٢٠١٢", "ar", 3),
    ],
)
def test_count_words(text, lang, words):
    assert reports.count_words(text, lang) == words


def test_coverage_counts_only_translations_of_the_current_source():
    segments = [("p1.s1", "One two."), ("p2.s1", "Three four five."), ("p3.s1", "Six."), ("p4.s1", "Seven.")]
    catalog = Catalog(
        "r",
        "en",
        "fr",
        [
            Entry("p1.s1", "One two.", "Un deux."),
            Entry("p2.s1", "Three four five.", "Trois quatre cinq.", fuzzy=True),
            Entry("p3.s1", "Six (old).", "Six (ancien)."),  # translates an older source
            Entry("p9.s1", "Gone.", "Parti.", obsolete=True),
        ],
    )
    cov = reports.coverage(segments, catalog, stale=False, lang="en")
    assert (cov.segments, cov.translated, cov.fuzzy, cov.untranslated) == (4, 1, 1, 2)
    assert (cov.words, cov.words_translated, cov.words_fuzzy) == (7, 2, 3)
    assert (cov.percent, cov.percent_fuzzy, cov.percent_segments) == (28.6, 42.9, 25.0)
    assert reports.coverage([], None, stale=True).percent == 100.0


def test_totals_per_language_then_the_workspace():
    a, b = reports.Coverage(segments=2, words=10, words_translated=5), reports.Coverage(segments=1, words=10)
    statuses = [
        reports.ReleaseStatus("r1", "ar", {"fr": a, "en": b}),
        reports.ReleaseStatus("r2", "en", {"fr": b}),
    ]
    result = reports.totals(statuses)
    assert list(result) == ["en", "fr", "all"]
    assert (result["fr"].segments, result["fr"].words, result["fr"].percent) == (3, 20, 25.0)
    assert (result["all"].segments, result["all"].words_translated) == (4, 5)


def backdate(*paths: Path) -> None:
    old = time.time() - 60
    for path in paths:
        os.utime(path, (old, old))


def test_the_status_cache_serves_unchanged_files_and_notices_changes(translated_workspace):
    ws = Workspace.open(translated_workspace)
    po = ws.catalog_path(RELEASE, "fr")
    backdate(ws.release(RELEASE).path, po, ws.catalog_path(RELEASE, "en"), ws.root / "tm.toml")
    cache_path = translated_workspace / ".tm-cache" / "status.json"
    first = reports.workspace_status(ws, [], [], StatusCache(cache_path))
    assert cache_path.exists()
    # Same numbers from the cache, without reading the PO: prove it with garbage of the same
    # size and modification time, which reading would refuse.
    saved, info = po.read_bytes(), po.stat()
    po.write_bytes(b"x" * len(saved))
    os.utime(po, ns=(info.st_atime_ns, info.st_mtime_ns))
    cached = reports.workspace_status(ws, [], [], StatusCache(cache_path))
    assert reports.as_json(cached) == reports.as_json(first)
    po.write_bytes(saved)
    # A changed working file is read again.
    entries = polib.pofile(str(po))
    entries[0].msgstr = ""
    entries.save(str(po))
    backdate(po)
    changed = reports.workspace_status(ws, [], [], StatusCache(cache_path))
    assert changed[0].languages["fr"].translated == first[0].languages["fr"].translated - 1
    assert po.read_bytes() != saved


def test_a_file_changed_just_now_is_not_cached(translated_workspace):
    ws = Workspace.open(translated_workspace)
    cache = StatusCache(translated_workspace / ".tm-cache" / "status.json")
    reports.workspace_status(ws, [], [], cache)  # the files were copied a moment ago
    assert cache.entries == {}


def test_a_cache_from_another_version_is_ignored(translated_workspace):
    path = translated_workspace / ".tm-cache" / "status.json"
    path.parent.mkdir()
    path.write_text('{"version": "0.0.0/0/", "entries": {"x/fr": {}}}')
    assert StatusCache(path).entries == {}
    path.write_text("not json")
    assert StatusCache(path).entries == {}


def test_html_is_self_contained(translated_workspace):
    page = reports.as_html(reports.workspace_status(Workspace.open(translated_workspace), [], []))
    assert page.startswith("<!DOCTYPE html>")
    for outside in ("<script", "<link", "src=", "http://", "https://", "@import", "url("):
        assert outside not in page
    assert page.count('class="bar"') == 2 + 3  # two languages, plus totals for en, fr and all


def test_a_changed_tm_toml_invalidates_the_cache(translated_workspace):
    ws = Workspace.open(translated_workspace)
    config = ws.root / "tm.toml"
    backdate(ws.release(RELEASE).path, *(ws.catalog_path(RELEASE, lang) for lang in ("en", "fr")), config)
    path = translated_workspace / ".tm-cache" / "status.json"
    reports.workspace_status(ws, [], [], StatusCache(path, config))
    assert StatusCache(path, config).entries != {}
    config.write_text(config.read_text() + '\n[segmentation.ar]\nabbreviations = ["ق.م."]\n')
    backdate(config)
    assert StatusCache(path, config).entries == {}


def test_reading_in_worker_processes_gives_the_same_report(translated_workspace, monkeypatch):
    ws = Workspace.open(translated_workspace)
    alone = reports.as_json(reports.workspace_status(ws, [], [], workers=1))
    monkeypatch.setattr(reports, "PARALLEL_FROM", 1)
    together = reports.as_json(reports.workspace_status(ws, [], [], workers=2))
    assert together == alone
    assert '"translated": 32' in together
