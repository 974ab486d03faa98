"""XLIFF 2.1 adapter: what it writes, and what it reads from files other tools wrote."""

from __future__ import annotations

import pytest
from lxml import etree

from tm.errors import FormatError
from tm.formats.xliff2 import FORMAT, MTC, NS
from tm.model import Catalog, Entry, Suggestion
from xliff_oracles import schema_errors


def document(
    units: str, *, root_attrs: str = 'srcLang="en" trgLang="fr"', file_attrs: str = 'id="f1" original="r1"'
):
    return (
        f'<?xml version="1.0"?>\n<xliff xmlns="{NS}" version="2.1" {root_attrs}>\n'
        f"<file {file_attrs}>\n{units}\n</file>\n</xliff>\n"
    ).encode()


def one(unit: str) -> Entry:
    return FORMAT.read(document(unit), "f.xliff").entries[0]


def test_numbered_tags_become_pc_ph_sc_ec():
    catalog = Catalog("r1", "en", "fr", [Entry("p1.s1", "A <1>b <2/></1> <3>c", "A <1>b</1> c</4> <2/>")])
    data = FORMAT.write(catalog)
    assert schema_errors(data, "xliff2") == []
    segment = etree.fromstring(data).find(f".//{{{NS}}}segment")
    source, target = segment.find(f"{{{NS}}}source"), segment.find(f"{{{NS}}}target")
    assert [(etree.QName(e).localname, e.get("id")) for e in source.iter() if e is not source] == [
        ("pc", "1"),
        ("ph", "2"),
        ("sc", "3"),
    ]
    assert [(etree.QName(e).localname, e.get("id"), e.get("isolated")) for e in target] == [
        ("pc", "1", None),
        ("ec", "4", "yes"),
        ("ph", "2", None),
    ]


def test_codes_and_markers_from_other_tools():
    entry = one(
        '<unit id="a"><segment state="translated"><source>A<cp hex="0009"/><sc id="1"/>b<ec startRef="1"/> '
        '<sm id="m1" type="comment"/>c<em startRef="m1"/> <mrk id="m2" translate="no">d</mrk></source>'
        "<target>x</target></segment></unit>"
    )
    assert entry.source == "A\t<1>b</1> c d"


@pytest.mark.parametrize(
    ("segment", "expected"),
    [
        ('<segment state="translated"><source>a</source><target>b</target></segment>', "translated"),
        ('<segment state="reviewed"><source>a</source><target>b</target></segment>', "translated"),
        ('<segment state="final"><source>a</source><target>b</target></segment>', "translated"),
        ('<segment state="initial"><source>a</source><target>b</target></segment>', "fuzzy"),
        ("<segment><source>a</source><target>b</target></segment>", "fuzzy"),  # initial is the default
        ('<segment state="translated"><source>a</source></segment>', "untranslated"),
        ('<segment state="translated"><source>a</source><target/></segment>', "untranslated"),
    ],
)
def test_state_mapping_on_read(segment, expected):
    assert one(f'<unit id="a">{segment}</unit>').state == expected


def test_a_unit_split_into_segments_reads_as_one_sentence():
    unit = (
        '<unit id="a"><segment id="1" state="{s1}"><source>One.</source><target>Un.</target></segment>'
        "<ignorable><source> </source></ignorable>"
        '<segment id="2" state="translated"><source>Two.</source>{t2}</segment></unit>'
    )
    both = one(unit.format(s1="translated", t2="<target>Deux.</target>"))
    assert (both.source, both.target, both.state) == ("One. Two.", "Un. Deux.", "translated")
    assert one(unit.format(s1="initial", t2="<target>Deux.</target>")).state == "fuzzy"
    assert one(unit.format(s1="translated", t2="")).state == "untranslated"


def test_matches_notes_and_release_from_file_id():
    data = document(
        f'<unit id="a"><mtc:matches xmlns:mtc="{MTC}"><mtc:match ref="#s" matchQuality="91.6">'
        "<source>Knew</source><target>Su</target></mtc:match></mtc:matches>"
        '<notes><note category="context">paragraph 1</note><note>free text</note></notes>'
        '<segment id="s"><source>New</source></segment></unit>',
        file_attrs='id="r9"',
    )
    catalog = FORMAT.read(data, "f.xliff")
    entry = catalog.entries[0]
    assert catalog.release == "r9"
    assert entry.suggestions == [Suggestion("Knew", "Su", 92)]
    assert (entry.context, entry.comments) == ("paragraph 1", ["free text"])


@pytest.mark.parametrize(
    ("data", "message", "line"),
    [
        (
            document("", root_attrs='srcLang="en"'),
            "XLIFF without trgLang; cannot tell the target language",
            2,
        ),
        (
            document('<unit id="a"><segment><source>x</source></segment></unit>').replace(
                b"</file>",
                b'</file><file id="f2" original="r2">'
                b'<unit id="b"><segment><source>y</source></segment></unit></file>',
            ),
            "the file holds several releases; send one per file",
            5,
        ),
        (document('<unit id="a"><notes><note>n</note></notes></unit>'), "unit 'a' has no <segment>", 4),
        (
            document(
                '<unit id="a"><segment><source>x</source></segment></unit>\n'
                '<group id="g"><unit id="a"><segment><source>y</source></segment></unit></group>'
            ),
            "duplicate unit 'a' (first at line 4)",
            5,
        ),
    ],
)
def test_refusals(data, message, line):
    with pytest.raises(FormatError) as caught:
        FORMAT.read(data, "f.xliff")
    assert (caught.value.message, caught.value.line) == (message, line)
