"""PO adapter: memory suggestions, what survives other tools' headers, encodings, refusals."""

from __future__ import annotations

import pytest

from conftest import msgfmt_check
from tm.errors import FormatError
from tm.formats.po import FORMAT
from tm.model import Catalog, Entry, Suggestion

HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset={charset}\\n"\n{extra}\n'


def po(body: str, *, charset: str = "UTF-8", extra: str = "") -> str:
    return HEADER.format(charset=charset, extra=extra) + body


ENTRY = (
    "#: sources/2020-01-01-budget.en.txt:3\n"
    'msgctxt "p1.s1"\nmsgid "Budget approved."\nmsgstr "Budget approuvé."\n'
)


def test_best_memory_suggestion_is_offered_as_fuzzy_with_previous_msgid_and_score(tmp_path):
    catalog = Catalog(
        "r1",
        "en",
        "fr",
        [
            Entry(
                "p1.s1",
                "The budget was approved.",
                suggestions=[
                    Suggestion("The budget is approved.", "Le budget est approuvé.", 88),
                    Suggestion("The budget was rejected.", "Le budget a été rejeté.", 91),
                ],
            ),
            Entry("p1.s2", "Done.", "Fait.", suggestions=[Suggestion("Done!", "Fini !", 90)]),
        ],
    )
    data = FORMAT.write(catalog)
    path = tmp_path / "s.po"
    path.write_bytes(data)
    assert msgfmt_check(path).returncode == 0
    text = data.decode()
    assert (
        "# memory match: 91%\n"
        '#, fuzzy\n#| msgctxt "p1.s1"\n#| msgid "The budget was rejected."\n'
        'msgctxt "p1.s1"\nmsgid "The budget was approved."\nmsgstr "Le budget a été rejeté."\n'
    ) in text
    assert 'msgstr "Fait."' in text and "Fini" not in text  # a translated entry keeps its translation
    back = FORMAT.read(data, "s.po").entries[0]
    assert (back.target, back.fuzzy, back.previous_source) == (
        "Le budget a été rejeté.",
        True,
        "The budget was rejected.",
    )


@pytest.mark.parametrize(
    ("extra", "body", "release"),
    [
        ('"X-Release: 2020-01-01-budget\\n"\n"Project-Id-Version: other 1.0\\n"', ENTRY, "2020-01-01-budget"),
        ('"Project-Id-Version: PROJECT VERSION\\n"', ENTRY, "2020-01-01-budget"),  # Babel's header
        (
            '"Project-Id-Version:  2020-01-01-budget\\n"',
            ENTRY.replace("#: sources/2020-01-01-budget.en.txt:3\n", ""),
            "2020-01-01-budget",
        ),
        ("", ENTRY.replace("#: sources/2020-01-01-budget.en.txt:3\n", ""), ""),
    ],
)
def test_release_survives_tools_that_rebuild_the_header(extra, body, release):
    assert FORMAT.read(po(body, extra=extra).encode(), "x.po").release == release


@pytest.mark.parametrize("language", ["fr", "fr_FR", "fr-CA"])
def test_language_is_the_primary_subtag(language):
    catalog = FORMAT.read(po(ENTRY, extra=f'"Language: {language}\\n"').encode(), "x.po")
    assert catalog.lang == "fr"


def test_latin1_bom_and_crlf_read_the_same_as_utf8():
    plain = FORMAT.read(po(ENTRY).encode(), "x.po").entries
    latin = FORMAT.read(po(ENTRY, charset="ISO-8859-1").encode("latin-1"), "x.po").entries
    windows = FORMAT.read(b"\xef\xbb\xbf" + po(ENTRY).replace("\n", "\r\n").encode(), "x.po").entries
    assert plain == latin == windows
    assert plain[0].target == "Budget approuvé."


def test_babel_previous_msgid_comments_are_only_comments():
    body = '# | msgctxt "p1.s1"\n# | msgid "Budget adopted."\n' + ENTRY
    entry = FORMAT.read(po(body).encode(), "x.po").entries[0]
    assert (entry.target, entry.fuzzy, entry.previous_source) == ("Budget approuvé.", False, None)


def test_obsolete_entries_may_repeat_an_active_id():
    body = ENTRY + '\n#~ msgctxt "p1.s1"\n#~ msgid "Old budget."\n#~ msgstr "Ancien budget."\n'
    entries = FORMAT.read(po(body).encode(), "x.po").entries
    assert [(e.id, e.obsolete) for e in entries] == [("p1.s1", False), ("p1.s1", True)]


@pytest.mark.parametrize(
    ("data", "message", "line"),
    [
        (po(ENTRY, charset="KOI9-X").encode(), "unknown charset 'KOI9-X' in the PO header", None),
        (po(ENTRY).encode("latin-1"), "not valid UTF-8 text", 8),
        (po(ENTRY + "\n" + ENTRY).encode(), "duplicate unit 'p1.s1' (first at line 5)", 10),
        (
            po(ENTRY.replace('msgstr "Budget approuvé."', "msgstr Budget")).encode(),
            "malformed PO file: cannot read 'msgstr Budget'",
            8,
        ),
    ],
)
def test_refusals(data, message, line):
    with pytest.raises(FormatError) as caught:
        FORMAT.read(data, "x.po")
    assert (caught.value.message, caught.value.line) == (message, line)
