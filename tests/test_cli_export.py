"""``tm export``: files for translators in PO, XLIFF 1.2 and XLIFF 2.1, one or many at once."""

from __future__ import annotations

import polib
import pytest
from lxml import etree

from conftest import RELEASE, Tm, msgfmt_check
from tm.memory import Translation, open_memory
from xliff_oracles import MTC, XLIFF2, XLIFF12, schema_errors

SUFFIX = {"po": "po", "xliff": "xlf", "xliff2": "xliff"}


def working_ids(workspace, lang="en") -> list[str]:
    return [e.msgctxt for e in polib.pofile(str(workspace / "locales" / lang / f"{RELEASE}.po"))]


def validate(name: str, path, tmp_path) -> None:
    if name == "po":
        result = msgfmt_check(path)
        assert result.returncode == 0, result.stderr
    else:
        assert schema_errors(path.read_bytes(), name) == []


@pytest.mark.parametrize("name", ["po", "xliff", "xliff2"])
@pytest.mark.parametrize("translated", [False, True])
def test_export_of_the_real_release_is_valid(name, translated, request, tmp_path):
    root = request.getfixturevalue("translated_workspace" if translated else "workspace")
    tm = Tm(root)
    assert tm("extract").exit_code == 0
    out = tmp_path / f"laminar.fr.{SUFFIX[name]}"
    result = tm("export", RELEASE, "--lang", "fr", "--format", name, "-o", out)
    assert result.exit_code == 0, result.output
    assert result.output == f"wrote {out}\n"
    validate(name, out, tmp_path)
    ids = working_ids(root, "fr")
    if name == "po":
        po = polib.pofile(str(out))
        assert [e.msgctxt for e in po] == ids
        assert po.metadata["Language"] == "fr" and po.metadata["X-Release"] == RELEASE
        return
    root_el = etree.fromstring(out.read_bytes())
    ns = XLIFF12 if name == "xliff" else XLIFF2
    unit = "trans-unit" if name == "xliff" else "unit"
    assert [u.get("id") for u in root_el.iter(f"{{{ns}}}{unit}")] == ids
    groups = [g.get("id") for g in root_el.iter(f"{{{ns}}}group")]
    assert groups == list(dict.fromkeys(i.split(".")[0] for i in ids))
    states = [s.get("state") for s in root_el.iter(f"{{{ns}}}{'target' if name == 'xliff' else 'segment'}")]
    expected = {"xliff": ("translated", "needs-translation"), "xliff2": ("translated", "initial")}[name]
    assert set(states) == {expected[0] if translated else expected[1]}
    if name == "xliff":
        file = root_el.find(f"{{{ns}}}file")
        assert (file.get("original"), file.get("source-language"), file.get("target-language")) == (
            RELEASE,
            "ar",
            "fr",
        )
        assert file.get("datatype") == "plaintext"
    else:
        assert (root_el.get("srcLang"), root_el.get("trgLang"), root_el.get("version")) == ("ar", "fr", "2.1")
        assert root_el.find(f"{{{ns}}}file").get("original") == RELEASE


def test_export_to_standard_output(tm):
    tm("extract")
    result = tm("export", RELEASE, "--lang", "en", "--format", "xliff2")
    assert result.exit_code == 0
    assert etree.fromstring(result.stdout_bytes).get("trgLang") == "en"


@pytest.fixture
def remembered(tm, workspace):
    """The workspace extracted, then the memory learning p3.s1's sentence in English."""
    assert tm("extract").exit_code == 0
    source = next(
        e.msgid for e in polib.pofile(str(workspace / "locales/en" / f"{RELEASE}.po")) if e.msgctxt == "p3.s1"
    )
    memory = open_memory(str(workspace / "memory" / "tm.sqlite"))
    memory.add([Translation("ar", source, "en", "LYON (France) – A global operation…")])
    memory.close()
    return source


def test_po_offers_memory_match_as_fuzzy_with_previous_msgid_and_score(tm, remembered, tmp_path):
    out = tmp_path / "laminar.en.po"
    assert tm("export", RELEASE, "--lang", "en", "-o", out).exit_code == 0
    assert msgfmt_check(out).returncode == 0
    entry = next(e for e in polib.pofile(str(out)) if e.msgctxt == "p3.s1")
    assert entry.msgstr == "LYON (France) – A global operation…"
    assert "fuzzy" in entry.flags
    assert entry.previous_msgid == remembered
    assert "memory match: 100%" in entry.tcomment


def test_xliff12_offers_memory_match_as_alt_trans(tm, remembered, tmp_path):
    out = tmp_path / "laminar.en.xlf"
    assert tm("export", RELEASE, "--lang", "en", "--format", "xliff", "-o", out).exit_code == 0
    assert schema_errors(out.read_bytes(), "xliff") == []
    unit = etree.fromstring(out.read_bytes()).find(f".//{{{XLIFF12}}}trans-unit[@id='p3.s1']")
    alt = unit.find(f"{{{XLIFF12}}}alt-trans")
    assert alt.get("match-quality") == "100"
    assert alt.findtext(f"{{{XLIFF12}}}source") == remembered
    assert alt.findtext(f"{{{XLIFF12}}}target") == "LYON (France) – A global operation…"
    assert unit.find(f"{{{XLIFF12}}}target").get("state") == "needs-translation"


def test_xliff2_offers_memory_match_through_the_matches_module(tm, remembered, tmp_path):
    out = tmp_path / "laminar.en.xliff"
    assert tm("export", RELEASE, "--lang", "en", "--format", "xliff2", "-o", out).exit_code == 0
    assert schema_errors(out.read_bytes(), "xliff2") == []
    unit = etree.fromstring(out.read_bytes()).find(f".//{{{XLIFF2}}}unit[@id='p3.s1']")
    match = unit.find(f"{{{MTC}}}matches/{{{MTC}}}match")
    assert match.get("matchQuality") == "100"
    assert match.findtext(f"{{{XLIFF2}}}target") == "LYON (France) – A global operation…"
    assert unit.find(f"{{{XLIFF2}}}segment/{{{XLIFF2}}}target") is None


def test_several_releases_and_all_languages_into_a_folder(tm, workspace, tmp_path):
    (workspace / "sources" / "2013-02-01-second.en.txt").write_text("A second release. It is short.\n")
    assert tm("extract").exit_code == 0
    outbox = tmp_path / "outbox"
    result = tm(
        "export", RELEASE, "2013-02-01-second", "--all-languages", "--format", "xliff", "--out-dir", outbox
    )
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in outbox.iterdir())
    assert names == sorted(
        [f"{RELEASE}.en.xlf", f"{RELEASE}.fr.xlf", "2013-02-01-second.ar.xlf", "2013-02-01-second.fr.xlf"]
    )
    for name in names:
        data = (outbox / name).read_bytes()
        assert schema_errors(data, "xliff") == []
        file = etree.fromstring(data).find(f"{{{XLIFF12}}}file")
        assert f"{file.get('original')}.{file.get('target-language')}.xlf" == name


def test_several_languages_with_o_as_a_folder(tm, tmp_path):
    tm("extract")
    result = tm("export", RELEASE, "--lang", "en", "--lang", "fr", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [f"{RELEASE}.en.po", f"{RELEASE}.fr.po"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--lang", "en", "--lang", "fr"], "2 files to export; give a folder with -o DIR or --out-dir DIR"),
        (["--lang", "ar"], f"'ar' is not a target language of {RELEASE} (targets: en, fr)"),
        ([], "name the language with --lang L (or export every target with --all-languages)"),
    ],
)
def test_export_refusals(tm, tmp_path, args, message):
    tm("extract")
    result = tm("export", RELEASE, *args)
    assert result.exit_code == 2
    assert result.stderr == f"tm: {message}\n"


def test_nothing_is_written_unless_every_file_can_be_made(tm, workspace, tmp_path):
    (workspace / "sources" / "2013-02-01-second.en.txt").write_text("A second release.\n")
    tm("extract", RELEASE)  # the second release has no working files yet
    outbox = tmp_path / "outbox"
    result = tm("export", RELEASE, "2013-02-01-second", "--lang", "fr", "--out-dir", outbox)
    assert result.exit_code == 2
    assert result.stderr == "tm: no working file for 2013-02-01-second in 'fr'; run 'tm extract' first\n"
    assert not outbox.exists()
