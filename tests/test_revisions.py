"""Source revisions on the real Arabic release: nothing translated is ever lost."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import RELEASE, Tm, msgfmt_check
from tm.memory import open_memory

SOURCE_NAME = f"{RELEASE}.ar.txt"
LANGS = ("en", "fr")


def paragraphs(workspace: Path) -> list[str]:
    return (workspace / "sources" / SOURCE_NAME).read_text(encoding="utf-8").split("\n\n")


def revise(workspace: Path, new_paragraphs: list[str]) -> None:
    (workspace / "sources" / SOURCE_NAME).write_text("\n\n".join(new_paragraphs), encoding="utf-8")


def catalog(workspace: Path, lang: str = "en") -> polib.POFile:
    return polib.pofile(str(workspace / "locales" / lang / f"{RELEASE}.po"))


def translations(po: polib.POFile) -> dict[str, tuple[str, str]]:
    """Active entries by ID: (source, translation)."""
    return {e.msgctxt: (e.msgid, e.msgstr) for e in po if not e.obsolete}


def summary(tm: Tm) -> dict[str, str]:
    result = tm("extract")
    assert result.exit_code == 0, result.output
    return {line.split(":")[0].split("/")[1]: line.split(": ", 1)[1] for line in result.output.splitlines()}


@pytest.fixture
def before(translated_workspace: Path) -> dict[str, polib.POFile]:
    """The project's translations, extracted once so the memory holds nothing yet."""
    assert Tm(translated_workspace)("extract").exit_code == 0
    return {lang: catalog(translated_workspace, lang) for lang in LANGS}


def assert_nothing_lost(workspace: Path, before: dict[str, polib.POFile]) -> None:
    """Every translation present before is in the PO (active or obsolete) or in the memory."""
    memory = open_memory(str(workspace / "memory" / "tm.sqlite"))
    try:
        for lang, old in before.items():
            new = catalog(workspace, lang)
            kept = {e.msgstr for e in new}
            for entry in old:
                if not entry.msgstr:
                    continue
                assert entry.msgstr in kept or memory.exact("ar", entry.msgid, lang) == entry.msgstr, (
                    f"{lang} {entry.msgctxt} lost"
                )
            assert msgfmt_check(workspace / "locales" / lang / f"{RELEASE}.po").returncode == 0
    finally:
        memory.close()


def test_rerun_without_change_keeps_everything(translated_workspace, before):
    assert summary(Tm(translated_workspace))["en"] == (
        "32 segments (32 unchanged, 0 moved, 0 edited, 0 new, 0 removed; 0 from memory) - up to date"
    )


def test_edited_sentence_becomes_fuzzy_with_previous_source(translated_workspace, before):
    text = paragraphs(translated_workspace)
    old_source, old_target = translations(before["en"])["p7.s1"]
    text[6] = text[6].replace("مسؤولية عالمية", "مسؤولية دولية مشتركة")
    revise(translated_workspace, text)
    assert summary(Tm(translated_workspace))["en"] == (
        "32 segments (31 unchanged, 0 moved, 1 edited, 0 new, 0 removed; 0 from memory)"
    )
    po = catalog(translated_workspace)
    entry = next(e for e in po if e.msgctxt == "p7.s1")
    assert "مسؤولية دولية مشتركة" in entry.msgid
    assert (entry.msgstr, entry.previous_msgid, "fuzzy" in entry.flags) == (old_target, old_source, True)
    others = {k: v for k, v in translations(po).items() if k != "p7.s1"}
    assert others == {k: v for k, v in translations(before["en"]).items() if k != "p7.s1"}
    assert not po.obsolete_entries()
    assert_nothing_lost(translated_workspace, before)


def test_typo_fix_keeps_the_translation_as_fuzzy(translated_workspace, before):
    text = paragraphs(translated_workspace)
    text[1] = text[1].replace("مايو", "ماي")
    revise(translated_workspace, text)
    assert "1 edited" in summary(Tm(translated_workspace))["fr"]
    entry = next(e for e in catalog(translated_workspace, "fr") if e.msgctxt == "p2.s1")
    assert entry.msgstr == translations(before["fr"])["p2.s1"][1]
    assert entry.previous_msgid == "٢٢ مايو، ٢٠١٢"
    assert "fuzzy" in entry.flags
    assert_nothing_lost(translated_workspace, before)


def test_inserted_paragraph_moves_the_rest_and_keeps_their_translations(translated_workspace, before):
    text = paragraphs(translated_workspace)
    text.insert(3, "وأعلن الإنتربول اليوم عن تفاصيل إضافية حول العملية.")
    revise(translated_workspace, text)
    assert summary(Tm(translated_workspace))["en"] == (
        "33 segments (3 unchanged, 29 moved, 0 edited, 1 new, 0 removed; 0 from memory)"
    )
    po = catalog(translated_workspace)
    old = translations(before["en"])
    new = translations(po)
    assert new["p4.s1"] == ("وأعلن الإنتربول اليوم عن تفاصيل إضافية حول العملية.", "")
    assert new["p5.s1"] == old["p4.s1"]
    assert new["p27.s1"] == old["p26.s1"]
    assert not any("fuzzy" in e.flags for e in po)
    assert_nothing_lost(translated_workspace, before)


def test_deleted_paragraph_becomes_obsolete_and_goes_into_the_memory(translated_workspace, before):
    text = paragraphs(translated_workspace)
    deleted = text.pop(5)
    revise(translated_workspace, text)
    assert summary(Tm(translated_workspace))["en"] == (
        "31 segments (5 unchanged, 26 moved, 0 edited, 0 new, 1 removed; 0 from memory)"
    )
    old_source, old_target = translations(before["en"])["p6.s1"]
    assert old_source == deleted
    [obsolete] = catalog(translated_workspace).obsolete_entries()
    assert (obsolete.msgctxt, obsolete.msgid, obsolete.msgstr) == ("p6.s1", old_source, old_target)
    memory = open_memory(str(translated_workspace / "memory" / "tm.sqlite"))
    assert memory.exact("ar", old_source, "en") == old_target
    memory.close()
    assert_nothing_lost(translated_workspace, before)


def test_restored_paragraph_comes_back_from_obsolete(translated_workspace, before):
    original = paragraphs(translated_workspace)
    revise(translated_workspace, original[:5] + original[6:])
    summary(Tm(translated_workspace))
    revise(translated_workspace, original)
    assert summary(Tm(translated_workspace))["en"] == (
        "32 segments (5 unchanged, 27 moved, 0 edited, 0 new, 0 removed; 0 from memory)"
    )
    assert translations(catalog(translated_workspace)) == translations(before["en"])
    assert not catalog(translated_workspace).obsolete_entries()


def test_swapped_paragraphs_keep_their_translations(translated_workspace, before):
    text = paragraphs(translated_workspace)
    text[7], text[8] = text[8], text[7]  # paragraph 8 (2 sentences) and 9 (3 sentences)
    revise(translated_workspace, text)
    assert summary(Tm(translated_workspace))["en"] == (
        "32 segments (27 unchanged, 5 moved, 0 edited, 0 new, 0 removed; 0 from memory)"
    )
    old = translations(before["en"])
    new = translations(catalog(translated_workspace))
    assert [new["p8.s1"], new["p8.s3"], new["p9.s2"]] == [old["p9.s1"], old["p9.s3"], old["p8.s2"]]
    assert sorted(new.values()) == sorted(old.values())
    assert_nothing_lost(translated_workspace, before)


def test_edited_sentence_whose_id_shifted_is_found_by_similarity(translated_workspace, before):
    text = paragraphs(translated_workspace)
    old_source, old_target = translations(before["en"])["p10.s1"]
    text[9] = text[9].replace("بمبادرة نيوزيلاندا", "بالمبادرة التي أطلقتها نيوزيلاندا")
    text.insert(2, "بيان صحفي")
    revise(translated_workspace, text)
    assert summary(Tm(translated_workspace))["en"] == (
        "33 segments (2 unchanged, 29 moved, 1 edited, 1 new, 0 removed; 0 from memory)"
    )
    entry = next(e for e in catalog(translated_workspace) if e.msgctxt == "p11.s1")
    assert (entry.msgstr, entry.previous_msgid, "fuzzy" in entry.flags) == (old_target, old_source, True)
    assert_nothing_lost(translated_workspace, before)


def test_all_at_once_loses_nothing(translated_workspace, before):
    text = paragraphs(translated_workspace)
    text[6] = text[6].replace("مسؤولية عالمية", "مسؤولية دولية")
    text[7], text[9] = text[9], text[7]
    del text[4]
    text.insert(1, "فقرة جديدة.")
    text[-1] = "الهاتف: +1 813 230 9800"
    revise(translated_workspace, text)
    lines = summary(Tm(translated_workspace))
    # Moved: old p2-p4 (one down), old p8 and p10 (swapped); edited: old p7 and the phone number.
    assert (
        lines["en"]
        == lines["fr"]
        == ("32 segments (23 unchanged, 6 moved, 2 edited, 1 new, 1 removed; 0 from memory)")
    )
    assert_nothing_lost(translated_workspace, before)


class _RecordingMemory:
    """A memory that knows nothing and records what a revision retires into it."""

    def __init__(self):
        self.added = []

    def add(self, translations):
        self.added.extend(translations)
        return len(translations)

    def exact(self, source_lang, source, target_lang):
        return None

    def matches(self, source_lang, source, target_lang, threshold=75, limit=3):
        return []

    def exact_many(self, source_lang, sources, target_lang):
        return [None for _ in sources]

    def matches_many(self, source_lang, sources, target_lang, threshold=75, limit=3):
        return [[] for _ in sources]


EDIT = st.sampled_from(["delete", "insert", "swap", "edit", "typo"])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(EDIT, st.integers(0, 25), st.integers(0, 25)), min_size=1, max_size=6))
def test_any_sequence_of_revisions_loses_nothing(edits):
    from conftest import REPO
    from tm.extract import update_catalog
    from tm.formats.po import FORMAT as PO
    from tm.segment import segmenter_for
    from tm.sources.text import FORMAT as TEXT
    from tm.workspace import Workspace

    workspace = Workspace.open(REPO)
    release = workspace.release(RELEASE)
    text = release.path.read_text(encoding="utf-8").split("\n\n")
    for kind, i, j in edits:
        i, j = i % len(text), j % len(text)
        if kind == "delete" and len(text) > 1:
            del text[i]
        elif kind == "insert":
            text.insert(i, f"فقرة جديدة رقم {j}.")
        elif kind == "swap":
            text[i], text[j] = text[j], text[i]
        elif kind == "edit":
            text[i] = text[i] + " وأضاف المتحدث تفاصيل أخرى."
        else:
            text[i] = text[i][:j] + text[i][j + 1 :]
    document = TEXT.parse("\n\n".join(text), release, segmenter_for("ar"))
    for lang in LANGS:
        old = PO.read((REPO / "locales" / lang / f"{RELEASE}.po").read_bytes(), "old.po")
        memory = _RecordingMemory()
        catalog, revision = update_catalog(workspace, document, lang, old, memory)
        assert revision.unchanged + revision.moved + revision.edited + revision.new == len(document.segments)
        kept = {e.target for e in catalog.entries} | {t.target for t in memory.added}
        assert {e.target for e in old.entries if e.target} <= kept
        assert revision.removed == len([e for e in catalog.entries if e.obsolete])
        old_by_source = {e.source: e.target for e in old.active}
        for entry in catalog.active:
            if entry.source in old_by_source:  # an unchanged sentence keeps its translation
                assert (entry.target, entry.fuzzy) == (old_by_source[entry.source], False)


def test_html_release_revision_keeps_tagged_translations(tmp_path):
    import shutil

    from conftest import REPO

    real = "2026-03-10-operation-amphora"
    root = tmp_path / "ws"
    (root / "sources").mkdir(parents=True)
    shutil.copy(REPO / "tm.toml", root / "tm.toml")
    source = (REPO / "sources" / f"{real}.en.html").read_text(encoding="utf-8")
    for lang in ("fr", "ar"):
        (root / "locales" / lang).mkdir(parents=True)
        shutil.copy(REPO / "locales" / lang / f"{real}.po", root / "locales" / lang)
    old = {e.msgctxt: e for e in polib.pofile(str(root / "locales" / "fr" / f"{real}.po"))}
    # An editor adds a paragraph and rewords the sentence with the guide's link.
    revised = source.replace(
        "<p>Investigations are continuing",
        "<p>The operation was funded by the ICPC.</p>\n\n<p>Investigations are continuing",
    ).replace("on spotting illicit cultural goods.", "on how to spot illicit cultural goods.")
    (root / "sources" / f"{real}.en.html").write_text(revised, encoding="utf-8")
    lines = summary(Tm(root))
    assert lines["fr"] == "27 segments (20 unchanged, 5 moved, 1 edited, 1 new, 0 removed; 0 from memory)"
    new = {e.msgctxt: e for e in catalog_of(root, real, "fr")}
    assert new["p15.s1"].msgid == (
        "The ICPC has published <1>a practical guide for online platforms</1>"
        " on how to spot illicit cultural goods."
    )
    assert (new["p15.s1"].msgstr, new["p15.s1"].previous_msgid) == (old["p15.s1"].msgstr, old["p15.s1"].msgid)
    assert new["p18.s1"].msgstr == old["p17.s1"].msgstr  # moved down by the new paragraph
    assert new["p17.s1"].msgid == "The operation was funded by the ICPC." and not new["p17.s1"].msgstr


def catalog_of(root: Path, release: str, lang: str) -> polib.POFile:
    return polib.pofile(str(root / "locales" / lang / f"{release}.po"))
