"""``tm check`` and the checks run by ``tm import``: findings, exit status, waivers."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import polib
import pytest

from conftest import RELEASE, Tm, need_oracle
from tm.memory import open_memory

NBSP = "\u00a0"
FR = f"locales/fr/{RELEASE}.po"


def edit(po_path: Path, segment: str, old: str, new: str, comment: str | None = None) -> None:
    po = polib.pofile(str(po_path))
    (entry,) = [e for e in po if e.msgctxt == segment]
    assert old in entry.msgstr
    entry.msgstr = entry.msgstr.replace(old, new)
    if comment:
        entry.tcomment = comment
    po.save(str(po_path))


@pytest.fixture
def tm(translated_workspace: Path) -> Tm:
    return Tm(translated_workspace)


def test_the_real_release_passes(tm):
    result = tm("check")
    assert result.exit_code == 0, result.stdout
    assert result.stdout == "0 errors, 0 warnings (0 waived) in 2 working files\n"


def test_errors_exit_1_with_file_segment_check_and_both_texts(tm, translated_workspace):
    po = translated_workspace / FR
    edit(po, "p3.s1", "55 suspects", "56 suspects")
    edit(po, "p17.s1", f"médias{NBSP}:", "médias:")
    result = tm("check", "--lang", "fr")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == f"{FR}: p3.s1: error [numbers] missing number 55; unexpected number 56"
    assert lines[1].startswith("  source: ليون (فرنسا) - أتاحت عملية")
    assert lines[2].startswith("  target: LYON (France) – Une opération") and "56 suspects" in lines[2]
    assert lines[3] == f"{FR}: p17.s1: warning [french-spacing] no no-break space before ':'"
    assert lines[-1] == "1 error, 1 warning (0 waived) in 1 working file"
    assert result.stderr == "tm: 1 check error\n"


def test_warnings_alone_exit_0(tm, translated_workspace):
    edit(translated_workspace / FR, "p17.s1", f"médias{NBSP}:", "médias:")
    assert tm("check").exit_code == 0


def test_json(tm, translated_workspace):
    edit(translated_workspace / FR, "p20.s1", "495 7211", "495 7221")
    result = tm("check", RELEASE, "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert (report["errors"], report["warnings"], report["waived"]) == (1, 0, 0)
    (finding,) = report["findings"]
    assert {k: finding[k] for k in ("release", "lang", "path", "segment", "check", "severity", "waived")} == {
        "release": RELEASE,
        "lang": "fr",
        "path": FR,
        "segment": "p20.s1",
        "check": "phones",
        "severity": "error",
        "waived": False,
    }
    assert finding["target"].endswith("495 7221 ; Portable +64 (0) 21 245 8642".replace(" ;", f"{NBSP};"))


def msg_tool(*args: str) -> None:
    need_oracle(shutil.which(args[0]) is not None, f"GNU gettext ({args[0]})")
    subprocess.run(args, check=True, capture_output=True)


def test_a_waiver_silences_one_check_on_one_segment_and_survives_gettext_tools(
    tm, translated_workspace, tmp_path
):
    po = translated_workspace / FR
    edit(po, "p3.s1", "55 suspects", "56 suspects", comment="tm-waive: numbers")
    edit(po, "p15.s1", "Les 55", "Les 57")
    # What translators' and coordinators' tools do to the file: rewrap, sort, merge.
    wrapped = tmp_path / "wrapped.po"
    msg_tool("msgcat", "--width=50", "--sort-output", "-o", str(wrapped), str(po))
    merged = tmp_path / "merged.po"
    msg_tool("msgmerge", "--quiet", "--previous", "-o", str(merged), str(wrapped), str(po))
    shutil.copy(merged, po)
    assert "# tm-waive: numbers\n" in po.read_text()
    result = tm("check", "--lang", "fr")
    assert result.exit_code == 1
    assert "p3.s1" not in result.stdout
    assert f"{FR}: p15.s1: error [numbers] missing number 55; unexpected number 57" in result.stdout
    assert result.stdout.endswith("1 error, 0 warnings (1 waived) in 1 working file\n")


def test_import_reports_findings_and_holds_errors_out_of_the_memory(tm, translated_workspace, tmp_path):
    exported = tmp_path / "laminar.fr.po"
    assert tm("export", RELEASE, "--lang", "fr", "-o", exported).exit_code == 0
    edit(exported, "p3.s1", "55 suspects", "56 suspects")
    edit(exported, "p26.s1", "Tél.", "Téléphone")
    edit(exported, "p17.s1", f"médias{NBSP}:", "médias:")
    result = tm("import", exported)
    assert result.exit_code == 0, result.stdout
    assert f"{exported}: p3.s1: error [numbers] missing number 55; unexpected number 56" in result.stdout
    assert f"{exported}: p17.s1: warning [french-spacing] no no-break space before ':'" in result.stdout
    assert (
        "  p3.s1: kept in the working file, not approved into memory until the errors are fixed"
        in result.stdout
    )
    working = {e.msgctxt: e.msgstr for e in polib.pofile(str(translated_workspace / FR))}
    assert "56 suspects" in working["p3.s1"]
    assert working["p26.s1"] == "Téléphone +1 813 230 9825"
    source = {e.msgctxt: e.msgid for e in polib.pofile(str(exported))}
    memory = open_memory(str(translated_workspace / "memory" / "tm.sqlite"))
    try:
        assert memory.exact("ar", source["p3.s1"], "fr") is None
        assert memory.exact("ar", source["p26.s1"], "fr") == "Téléphone +1 813 230 9825"
        assert memory.exact("ar", source["p17.s1"], "fr") == "Contacts pour les médias:"  # a warning only
    finally:
        memory.close()


def test_list_of_checks(tm):
    result = tm("check", "--list")
    assert result.exit_code == 0
    rows = [line.split(maxsplit=2) for line in result.stdout.splitlines()]
    assert rows[0] == ["numbers", "error", "numbers differ (any digits and separators of ar/en/fr count)"]
    assert {r[1] for r in rows} == {"error", "warning"}


def test_an_unknown_release_is_refused(tm):
    result = tm("check", "no-such-release")
    assert result.exit_code == 2
    assert result.stderr == f"tm: unknown release 'no-such-release' (releases: {RELEASE})\n"
