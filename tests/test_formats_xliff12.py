"""XLIFF 1.2 adapter: what it writes, and what it reads from files other tools wrote."""

from __future__ import annotations

import pytest
from lxml import etree

from tm.errors import FormatError
from tm.formats.xliff12 import FORMAT, NS
from tm.model import Catalog, Entry
from xliff_oracles import schema_errors


def document(
    units: str, *, attrs: str = 'original="r1" source-language="en" target-language="fr-FR"'
) -> bytes:
    return (
        f'<?xml version="1.0"?>\n<xliff xmlns="{NS}" version="1.2">\n'
        f'<file {attrs} datatype="plaintext"><body>\n{units}\n</body></file>\n</xliff>\n'
    ).encode()


def one(unit: str) -> Entry:
    return FORMAT.read(document(unit), "f.xlf").entries[0]


def test_numbered_tags_become_g_x_bx_ex():
    catalog = Catalog("r1", "en", "fr", [Entry("p1.s1", "A <1>b <2/></1> <3>c", "A <1>b</1> c</4> <2/>")])
    data = FORMAT.write(catalog)
    assert schema_errors(data, "xliff") == []
    unit = etree.fromstring(data).find(f".//{{{NS}}}trans-unit")
    source, target = unit.find(f"{{{NS}}}source"), unit.find(f"{{{NS}}}target")
    assert etree.tostring(source, encoding="unicode", with_tail=False).split(">", 1)[1] == (
        'A <g id="1">b <x id="2"/></g> <bx id="3"/>c</source>'
    )
    assert [(etree.QName(e).localname, e.get("id")) for e in target] == [("g", "1"), ("ex", "4"), ("x", "2")]


def test_native_codes_from_other_tools_read_as_numbered_tags():
    entry = one(
        '<trans-unit id="p1.s1"><source>A <bpt id="1">&lt;b&gt;</bpt>bold<ept id="1">&lt;/b&gt;</ept>'
        '<ph id="2">&lt;br/&gt;</ph> <it id="3" pos="open">&lt;i&gt;</it>x'
        '<it id="3" pos="close">&lt;/i&gt;</it>'
        ' <mrk mtype="term">term</mrk></source></trans-unit>'
    )
    assert entry.source == "A <1>bold</1><2/> <3>x</3> term"


@pytest.mark.parametrize(
    ("state", "approved", "target", "expected"),
    [
        ("translated", None, "Oui", "translated"),
        ("signed-off", None, "Oui", "translated"),
        ("final", "no", "Oui", "translated"),
        (None, "yes", "Oui", "translated"),
        ("needs-review-translation", "yes", "Oui", "fuzzy"),
        ("needs-translation", None, "Oui", "fuzzy"),  # translate-toolkit's markfuzzy()
        ("new", None, "Oui", "fuzzy"),
        (None, None, "Oui", "fuzzy"),
        (None, "no", "Oui", "fuzzy"),
        ("translated", "yes", "", "untranslated"),
    ],
)
def test_state_mapping_on_read(state, approved, target, expected):
    state_attr = f' state="{state}"' if state else ""
    approved_attr = f' approved="{approved}"' if approved else ""
    entry = one(
        f'<trans-unit id="p1.s1"{approved_attr}><source>Yes</source>'
        f"<target{state_attr}>{target}</target></trans-unit>"
    )
    assert entry.state == expected


def test_language_and_release_come_from_the_file_element():
    catalog = FORMAT.read(document('<trans-unit id="a"><source>x</source></trans-unit>'), "f.xlf")
    assert (catalog.release, catalog.source_lang, catalog.lang) == ("r1", "en", "fr")


def test_whitespace_is_normalised_unless_preserved():
    default = one('<trans-unit id="a"><source>\n    Two\n    lines  here\n  </source></trans-unit>')
    kept = one('<trans-unit id="a" xml:space="preserve"><source>\n Two  </source></trans-unit>')
    assert default.source == "Two lines  here"
    assert kept.source == "\n Two  "


def test_alternatives_scores_and_previous_version():
    entry = one(
        '<trans-unit id="a"><source>New</source><target state="needs-review-translation">Neuf</target>'
        '<alt-trans match-quality="87%" origin="omegat"><source>Knew</source><target>Su</target></alt-trans>'
        "<alt-trans><target>no score: a tool's own note</target></alt-trans>"
        '<alt-trans alttranstype="previous-version"><source>Old</source><target>Neuf</target></alt-trans>'
        "</trans-unit>"
    )
    assert [(s.source, s.target, s.score, s.origin) for s in entry.suggestions] == [
        ("Knew", "Su", 87, "omegat")
    ]
    assert entry.previous_source == "Old"


@pytest.mark.parametrize(
    ("body", "message", "line"),
    [
        (
            document("", attrs='original="r1" source-language="en" target-language="fr"').replace(
                b"</file>",
                b'</file>\n<file original="r2" source-language="en" datatype="plaintext"><body/></file>',
            ),
            "the file holds several releases or languages; send one per file",
            6,
        ),
        (document('<trans-unit id="a"><target>x</target></trans-unit>'), "unit 'a' has no <source>", 4),
        (
            document("<trans-unit><source>x</source></trans-unit>"),
            "a unit has no id; cannot tell which segment it translates",
            4,
        ),
        (
            b'<xliff xmlns="urn:other" version="1.2"/>',
            "not an XLIFF 1.2 document (the root must be <xliff> in urn:oasis:names:tc:xliff:document:1.2)",
            None,
        ),
    ],
)
def test_refusals(body, message, line):
    with pytest.raises(FormatError) as caught:
        FORMAT.read(body, "f.xlf")
    assert (caught.value.message, caught.value.line) == (message, line)
