"""The strict PO reader: the same entries polib reads, and gettext's refusals with their line."""

from __future__ import annotations

import polib
import pytest

from conftest import RELEASE, REPO
from tm.errors import FormatError
from tm.formats.po_reader import read_records

TRICKY = r"""msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"

# translator comment
#. extracted
#. second line
#: sources/a.en.txt:3 sources/a.en.txt:9
#, fuzzy, c-format
#| msgctxt "p1.s1"
#| msgid "old "
#| "source"
msgctxt "p1.s1"
msgid ""
"new \"quoted\" "
"source\n"
msgstr "tab\there"

msgid "one file"
msgid_plural "%d files"
msgstr[0] "un fichier"
msgstr[1] "%d fichiers"

#~ msgctxt "p9.s9"
#~ msgid "gone"
#~ msgstr "parti"
"""


def as_tuples_polib(text: str):
    return [
        (
            e.msgctxt,
            e.msgid,
            e.msgstr or e.msgstr_plural.get(0, ""),
            e.previous_msgid,
            bool(e.obsolete),
            [f for f in e.flags],
            e.comment,
            e.tcomment,
        )
        for e in polib.pofile(text)
    ]


def as_tuples_ours(text: str):
    return [
        (
            r.msgctxt,
            r.msgid,
            r.msgstr,
            r.previous_msgid,
            r.obsolete,
            r.flags,
            "\n".join(r.comments),
            "\n".join(r.translator_comments),
        )
        for r in read_records(text, "x.po")
        if r.msgid or r.msgctxt
    ]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_reads_the_project_files_like_polib(lang):
    text = (REPO / "locales" / lang / f"{RELEASE}.po").read_text()
    assert as_tuples_ours(text) == as_tuples_polib(text)


def test_reads_comments_previous_plurals_and_obsolete_entries_like_polib():
    assert as_tuples_ours(TRICKY) == as_tuples_polib(TRICKY)
    first = read_records(TRICKY, "x.po")[1]
    assert first.references == ["sources/a.en.txt:3", "sources/a.en.txt:9"]
    assert first.previous_msgid == "old source"
    assert first.msgid == 'new "quoted" source\n'


@pytest.mark.parametrize(
    ("text", "line", "why"),
    [
        ('msgid "a"\nmsgstr "b\n', 2, "cannot read 'msgstr \"b'"),
        ('msgstr "b"\n', 1, "msgstr without msgid"),
        ('msgid "a"\nmsgid "b"\nmsgstr ""\n', 2, "a second msgid in one entry"),
        ('"dangling"\n', 1, "a string continues nothing"),
        ('msgid "a"\nmsgstr "b"\n\nmsgid "c"\n', 4, "the last entry ends without msgstr"),
        ('msgid "a"\nmsgctxt "x"\nmsgstr ""\n', 2, "msgctxt in the middle of an entry"),
        ('msgid "a"\nmsgstr[0] "b"\n', 2, "msgstr[0] without msgid_plural"),
        ('msgid "a"\nmsgstr "b" junk\n', 2, "cannot read 'msgstr \"b\" junk'"),
    ],
)
def test_refuses_what_gettext_refuses_with_the_line(text, line, why):
    with pytest.raises(FormatError) as caught:
        read_records(text, "x.po")
    assert caught.value.line == line
    assert caught.value.message == f"malformed PO file: {why}"
