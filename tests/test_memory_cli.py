"""``tm memory …`` commands and the memory's pre-fill in ``tm extract``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import polib

from conftest import RELEASE, REPO, SOURCE, Tm, msgfmt_check, snapshot

DATA = Path(__file__).parent / "data" / "tmx"
EN_PO = REPO / "locales" / "en" / f"{RELEASE}.po"
FR_PO = REPO / "locales" / "fr" / f"{RELEASE}.po"


def test_import_po_files_then_stats(tm: Tm):
    result = tm("memory", "import", EN_PO, FR_PO)
    assert result.exit_code == 0, result.output
    translated = [e for e in polib.pofile(str(EN_PO)) if e.msgstr and not e.fuzzy and not e.obsolete]
    assert f"{EN_PO}: {len(translated)} units (po), {len(translated)} new in memory" in result.output
    stats = json.loads(tm("memory", "stats", "--format", "json").output)
    assert stats["units"] == len(translated)  # English and French of a segment: one unit
    assert stats["variants"]["en"] == len(translated)
    assert stats["origins"] == {"imported": len(translated)}
    table = tm("memory", "stats").output
    assert f"units        {len(translated):,}" in table


def test_search_finds_a_phrase_in_any_language(tm: Tm):
    tm("memory", "import", EN_PO, FR_PO)
    result = tm("memory", "search", "Operation Laminar", "--lang", "en", "--format", "json")
    hits = json.loads(result.output)
    assert hits and all(
        h["score"] == 100 and "operation laminar" in h["variants"]["en"].lower() for h in hits
    )
    assert all(set(h["variants"]) == {"ar", "en", "fr"} for h in hits)
    arabic = json.loads(tm("memory", "search", "لامينار", "--format", "json").output)
    assert arabic and all(h["lang"] == "ar" for h in arabic)
    table = tm("memory", "search", "no such words anywhere in it", "--min", "90").output
    assert table.strip() == "no match"


def test_import_tmx_with_memory_url_needs_no_workspace(tmp_path: Path):
    runner = Tm(tmp_path / "nowhere")
    url = str(tmp_path / "shared.sqlite")
    result = runner.runner.invoke(
        __import__("tm.cli").cli.cli, ["--memory", url, "memory", "import", str(DATA / "omegat-1.1.tmx")]
    )
    assert result.exit_code == 0, result.output
    assert "2 units (tmx), 2 new in memory" in result.output
    assert "█" not in result.output and "#" not in result.output  # no progress bar when piped


def test_export_writes_tmx(tm: Tm, workspace: Path):
    tm("memory", "import", DATA / "inline-codes.tmx")
    result = tm("memory", "export", "-o", workspace / "out.tmx", "--langs", "en,fr")
    assert result.output == f"wrote {workspace / 'out.tmx'}: 2 units\n"
    assert b'<bpt i="1" x="1"/>full report<ept i="1"/>' in (workspace / "out.tmx").read_bytes()


def test_a_hostile_tmx_is_refused_in_one_line_and_nothing_changes(tm: Tm, workspace: Path, tmp_path: Path):
    tm("memory", "import", DATA / "omegat-1.1.tmx")
    before = without_memory(snapshot(workspace))
    tm("memory", "export", "-o", tmp_path / "before.tmx")
    result = tm("memory", "import", DATA / "entity.tmx")
    assert result.exit_code == 2
    assert result.output == (
        f"tm: {DATA / 'entity.tmx'}:3: XML declares entities; refused (no entity is ever expanded)\n"
    )
    assert without_memory(snapshot(workspace)) == before
    tm("memory", "export", "-o", tmp_path / "after.tmx")
    assert (tmp_path / "after.tmx").read_bytes() == (tmp_path / "before.tmx").read_bytes()


def without_memory(files: dict[str, bytes]) -> dict[str, bytes]:
    """The workspace's files but the SQLite ones, whose WAL changes on every open."""
    return {name: data for name, data in files.items() if not name.startswith("memory/")}


def test_a_file_that_is_not_a_memory_is_refused(tm: Tm, workspace: Path):
    path = workspace / "notes.txt"
    path.write_text("just some notes\n")
    result = tm("memory", "import", path)
    assert result.exit_code == 2
    assert result.output == f"tm: {path}: not a PO or XLIFF file\n"


def revised_release(workspace: Path) -> str:
    """The real release a week later: new figures (in Arabic-Indic digits), one word
    changed in another sentence, everything else as before."""
    text = SOURCE.read_text(encoding="utf-8")
    assert "تبيُّن 55 مشبوها رئيسيا في 20 بلدا" in text
    text = text.replace("تبيُّن 55 مشبوها رئيسيا في 20 بلدا", "تبيُّن ٦٠ مشبوها رئيسيا في ٢٢ بلدا")
    text = text.replace("عملية دولية تنقضّ", "عملية عالمية تنقضّ")
    release = "2012-05-29-operation-laminar-update"
    (workspace / "sources" / SOURCE.name).unlink()
    (workspace / "sources" / f"{release}.ar.txt").write_text(text, encoding="utf-8")
    return release


def test_extract_prefills_exact_and_fuzzy_matches_after_a_revision(tm: Tm, workspace: Path):
    assert tm("memory", "import", EN_PO).exit_code == 0
    release = revised_release(workspace)
    result = tm("extract", release)
    assert result.exit_code == 0, result.output
    po_path = workspace / "locales" / "en" / f"{release}.po"
    assert msgfmt_check(po_path).returncode == 0
    catalog = {e.msgctxt: e for e in polib.pofile(str(po_path))}
    original = {e.msgctxt: e for e in polib.pofile(str(EN_PO)) if not e.obsolete}

    figures = catalog["p3.s1"]
    assert figures.fuzzy
    assert figures.previous_msgid == original["p3.s1"].msgid
    assert "of 60 primary suspects in 22 countries" in figures.msgstr
    assert figures.tcomment == f"tm: 98% match from {RELEASE} p3.s1\ntm: numbers carried over: 55→60, 20→22"
    title = catalog["p1.s1"]
    assert title.fuzzy and title.msgstr == original["p1.s1"].msgstr
    assert title.tcomment.startswith("tm: ") and f"% match from {RELEASE} p1.s1" in title.tcomment
    assert 75 <= int(title.tcomment.split("%")[0].split()[-1]) < 100

    exact = [sid for sid, e in catalog.items() if sid not in ("p1.s1", "p3.s1") and e.msgid]
    assert exact and all(catalog[s].msgstr == original[s].msgstr and not catalog[s].fuzzy for s in exact)
    assert f"{len(original)} segments" in result.output
    assert f"{len(original)} from memory" in result.output


def test_only_approved_translations_fill_exactly(tm: Tm, workspace: Path, tmp_path: Path):
    draft = polib.pofile(str(EN_PO))
    for entry in draft:
        entry.flags.append("fuzzy")
    draft.save(str(tmp_path / "draft.po"))
    tm("memory", "import", tmp_path / "draft.po")
    tm("extract", RELEASE)
    catalog = polib.pofile(str(workspace / "locales" / "en" / f"{RELEASE}.po"))
    translated = [e for e in catalog if e.msgstr]
    assert translated and all(e.fuzzy and e.tcomment.startswith("tm: 100% match") for e in translated)


def test_memory_commands_have_examples(tm: Tm):
    for command in ("import", "export", "search", "stats"):
        assert "Example:" in tm("memory", command, "--help").output


def _tm_process(workspace: Path, *args: str) -> subprocess.CompletedProcess:
    """``tm`` in a process of its own, as a user runs it, which reports at its very end
    (after tm's own exit work, see :func:`tm.skip_final_collection`) how many objects it
    left to the system instead of collecting them."""
    code = (
        "import atexit, gc, sys\n"
        "atexit.register(lambda: print('left', gc.get_freeze_count(), file=sys.stderr))\n"
        "from tm.cli import main\n"
        f"sys.argv = ['tm', '--workspace', {str(workspace)!r}, *{list(args)!r}]\n"
        "main()\n"
    )
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)


def test_a_command_leaves_its_objects_to_the_system_and_loses_no_write(workspace: Path):
    imported = _tm_process(workspace, "memory", "import", str(EN_PO), str(FR_PO))
    assert imported.returncode == 0, imported.stderr
    left = int(imported.stderr.split("left ")[-1])
    assert left > 10000  # everything the command loaded: not walked again on the way out
    translated = [e for e in polib.pofile(str(EN_PO)) if e.msgstr and not e.fuzzy and not e.obsolete]
    stats = _tm_process(workspace, "memory", "stats", "--format", "json")
    assert stats.returncode == 0, stats.stderr
    assert json.loads(stats.stdout)["units"] == len(translated)  # committed and closed before
