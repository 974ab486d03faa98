"""TMX units taken apart by the C of tm.formats.tmx._unit_parts (tm.formats._tmx): for every
unit it takes, it must give what the Python gives; every other unit (inline codes, errors,
namespaces, DTD defaults) it must leave to the Python, returning None; and it is used only
when built from the file beside it, against the lxml that runs."""

from __future__ import annotations

from types import SimpleNamespace
from xml.sax.saxutils import escape, quoteattr

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from conftest import need_oracle
from tm.formats import tmx
from tm.formats.xml import _parser, parse_xml


@pytest.fixture
def built():
    """``unit_parts`` compiled (``make test`` builds it; CI fails without it)."""
    unit_parts = tmx._compiled_parts()
    need_oracle(unit_parts is not None, "the compiled TMX unit parts (make fast)")
    return unit_parts


def _document(body: str, doctype: str = "") -> str:
    head = '<?xml version="1.0" encoding="UTF-8"?>'
    return f'{head}{doctype}<tmx version="1.4"><header/><body>{body}</body></tmx>'


def _units(body: str, doctype: str = "") -> list:
    """The ``<tu>`` elements of a document, parsed as tm parses (its DTD is not refused
    here: the test looks at what a declared attribute does)."""
    return list(etree.fromstring(_document(body, doctype).encode(), _parser()).iter("tu"))


def _compiled(unit_parts, tu):
    return unit_parts(tu, "tmx", tmx.PROPS, tmx._language, tmx._provenance, tmx._iso_date)


def _python(tu):
    try:
        return tmx._unit_parts(tu, "t.tmx", "tmx")
    except Exception as exc:  # compared, not handled
        return type(exc)


TAKEN = {
    "plain": (
        '<tu><tuv xml:lang="en"><seg>Fifty-five suspects.</seg></tuv>'
        '<tuv xml:lang="ar"><seg>٥٥ مشتبهاً</seg></tuv></tu>'
    ),
    "props and notes": (
        '<tu><prop type="x-origin">aligned</prop><prop type="x-status">draft</prop>'
        '<prop type="x-release">2012-05-22</prop><prop type="x-segment">s3</prop>'
        '<prop type="x-file">a.po</prop><prop type="x-other">kept out</prop><prop>no type</prop>'
        '<note>checked</note><note/><note>twice</note><tuv xml:lang="fr"><seg>Oui</seg></tuv></tu>'
    ),
    "a status neither approved nor draft": (
        '<tu><prop type="x-status"> draft</prop><tuv xml:lang="fr"><seg>x</seg></tuv></tu>'
    ),
    "TMX 1.1 with OmegaT's attributes": (
        '<tu><tuv lang="EN-US" changeid="ann" changedate="20120522T101010Z"><seg>Hello</seg></tuv>'
        '<tuv lang="fr_FR" creationid="bob" creationdate="20110101T000000Z"><seg>Bonjour</seg></tuv></tu>'
    ),
    "who and when on the unit": (
        '<tu tuid="7" changeid="" creationid="cy" creationdate="2012-05-22"><tuv xml:lang="en" changeid="no">'
        "<seg>Hi</seg></tuv></tu>"
    ),
    "attributes that are not who or when": (
        '<tu srclang="en"><tuv xml:lang="en" o-encoding="utf-8"><seg>Hi</seg></tuv></tu>'
    ),
    "an empty xml:lang beside lang": '<tu><tuv xml:lang="" lang="FR"><seg>Oui</seg></tuv></tu>',
    "blank and empty texts": (
        '<tu><tuv xml:lang="en"><seg/></tuv><tuv xml:lang="fr"><seg> \u00a0\u2003\n</seg></tuv>'
        '<tuv xml:lang="ar"><seg>نعم</seg></tuv></tu>'
    ),
    "CDATA and references": (
        '<tu><tuv xml:lang="en"><seg>a &amp; b <![CDATA[<kept> & raw]]> &#x20AC;5 \U0001f600</seg></tuv></tu>'
    ),
    "a language twice": (
        '<tu><tuv xml:lang="en"><seg>first</seg></tuv><tuv xml:lang="EN"><seg>second</seg></tuv></tu>'
    ),
    "comments and PIs between elements": (
        '<tu><!-- c --><?pi x?><tuv xml:lang="en"><!-- c --><seg>text</seg></tuv>'
        '<prop type="x-release">r<!-- c -->tail</prop></tu>'
    ),
    "an element before the seg": '<tu><tuv xml:lang="en"><x/><seg>text</seg></tuv></tu>',
    "a language under another namespace": (
        '<tu xmlns:o="urn:o"><tuv o:lang="de" lang="en"><seg>text</seg></tuv></tu>'
    ),
    "a date in another form": '<tu changedate="22/05/2012"><tuv xml:lang="en"><seg>t</seg></tuv></tu>',
}

LEFT = {
    "inline codes": '<tu><tuv xml:lang="en"><seg>a <ph x="1">&lt;b&gt;</ph> b</seg></tuv></tu>',
    "a comment in a seg": '<tu><tuv xml:lang="en"><seg>a <!-- c --> b</seg></tuv></tu>',
    "a tuv without a language": "<tu><tuv><seg>text</seg></tuv></tu>",
    "a tuv without a seg": '<tu><tuv xml:lang="en"><note>x</note></tuv></tu>',
    "an element in a namespace": '<tu><tuv xmlns="urn:x" xml:lang="en"><seg>text</seg></tuv></tu>',
}


@pytest.mark.parametrize("name", TAKEN)
def test_a_usual_unit_is_taken_apart_as_the_python_does(built, name):
    for tu in _units(TAKEN[name]):
        parts = _compiled(built, tu)
        assert parts is not None, name
        assert parts == _python(tu), name


@pytest.mark.parametrize("name", LEFT)
def test_an_unusual_unit_is_left_to_the_python(built, name):
    for tu in _units(LEFT[name]):
        assert _compiled(built, tu) is None, name
        assert _python(tu) is not None


def test_a_dtd_that_may_give_attributes_defaults_leaves_every_unit_to_the_python(built):
    doctype = '<!DOCTYPE tmx [<!ATTLIST prop type CDATA "x-release">]>'
    (tu,) = _units('<tu><prop>2012-05-22</prop><tuv xml:lang="en"><seg>Hi</seg></tuv></tu>', doctype)
    assert _python(tu)[1].release == "2012-05-22"  # the default lxml gives
    assert _compiled(built, tu) is None
    (tu,) = _units(TAKEN["plain"], '<!DOCTYPE tmx SYSTEM "tmx14.dtd">')
    assert _compiled(built, tu) == _python(tu)  # a DOCTYPE alone declares nothing


def test_what_is_not_a_tu_element_is_left_to_the_python(built):
    (tu,) = _units(TAKEN["plain"])
    assert built(tu.getroottree(), "tmx", tmx.PROPS, tmx._language, tmx._provenance, tmx._iso_date) is None
    comment = parse_xml(b"<r><!-- c --></r>", "t.xml")[0]
    assert built(comment, "tmx", tmx.PROPS, tmx._language, tmx._provenance, tmx._iso_date) is None


_TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"), max_size=12
)
_LANG = st.sampled_from(["en", "EN-US", "fr_FR", "ar", "", " "])
_ATTRS = st.dictionaries(
    st.sampled_from(["changeid", "creationid", "changedate", "creationdate", "tuid", "o-tmf"]),
    st.sampled_from(["", "ann", "20120522T101010Z", "2012-05-22", "x"]),
    max_size=3,
)


def _attributes(attrs: dict[str, str]) -> str:
    return "".join(f" {name}={quoteattr(value)}" for name, value in attrs.items())


@st.composite
def _tu(draw) -> str:
    children = []
    for kind in draw(st.lists(st.sampled_from(["tuv", "prop", "note", "comment", "space"]), max_size=5)):
        if kind == "tuv":
            lang = draw(st.sampled_from(['xml:lang="{}"', 'lang="{}"', 'xml:lang="" lang="{}"'])).format(
                draw(_LANG)
            )
            text = draw(_TEXT)
            cdata = text.replace("]]>", "]]")
            seg = draw(
                st.sampled_from(
                    [f"<seg>{escape(text)}</seg>", "<seg/>", f"<seg><![CDATA[{cdata}]]>{escape(text)}</seg>"]
                )
            )
            children.append(f"<tuv {lang}{_attributes(draw(_ATTRS))}>{seg}</tuv>")
        elif kind == "prop":
            kind = draw(
                st.sampled_from(["x-origin", "x-status", "x-release", "x-file", "x-segment", "x-other"])
            )
            value = draw(st.one_of(st.sampled_from(["approved", "draft"]), _TEXT))
            children.append(f"<prop type={quoteattr(kind)}>{escape(value)}</prop>")
        elif kind == "note":
            children.append(f"<note>{escape(draw(_TEXT))}</note>")
        elif kind == "comment":
            children.append("<!-- between -->")
        else:
            children.append("\n  ")
    return f"<tu{_attributes(draw(_ATTRS))}>{''.join(children)}</tu>"


@settings(max_examples=400, deadline=None)
@given(st.lists(_tu(), min_size=1, max_size=3))
def test_any_unit_gives_what_the_python_gives(units):
    unit_parts = tmx._compiled_parts()
    need_oracle(unit_parts is not None, "the compiled TMX unit parts (make fast)")
    for tu in _units("".join(units)):
        expected = _python(tu)
        if isinstance(expected, type):  # an error, which the Python reports
            assert _compiled(unit_parts, tu) is None
        else:
            assert _compiled(unit_parts, tu) == expected


def test_reading_a_file_gives_the_same_units_with_or_without_the_compiled_copy(built, tmp_path, monkeypatch):
    path = tmp_path / "mixed.tmx"
    body = "".join([*TAKEN.values(), LEFT["inline codes"], LEFT["a comment in a seg"]])
    path.write_text(
        f'<?xml version="1.0" encoding="UTF-8"?><tmx version="1.4"><header/><body>{body}</body></tmx>'
    )
    taken = []
    monkeypatch.setattr(tmx, "_compiled_parts", lambda: lambda *args: taken.append(built(*args)) or taken[-1])
    with_c = list(tmx.read_tmx_parts(path))
    monkeypatch.setattr(tmx, "_compiled_parts", lambda: None)
    assert with_c == list(tmx.read_tmx_parts(path))
    assert sum(parts is not None for parts in taken) == len(TAKEN)


def test_a_copy_built_against_another_lxml_is_not_used(monkeypatch):
    stale = SimpleNamespace(unit_parts=lambda *args: None, LXML_VERSION="0.0")
    monkeypatch.setattr(tmx, "built_from", lambda name, source: stale)
    assert tmx._compiled_parts.__wrapped__() is None
    monkeypatch.setattr(
        tmx,
        "built_from",
        lambda name, source: SimpleNamespace(**{**vars(stale), "LXML_VERSION": tmx.etree.__version__}),
    )
    assert tmx._compiled_parts.__wrapped__() is stale.unit_parts
