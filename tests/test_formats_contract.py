"""One contract for every exchange-format adapter: round trip, sniffing, states, inline tags.

Each test runs once per adapter in the registry, so a new adapter is held to the same
promises the moment it is registered. Every file an adapter writes here also goes through
its outside oracle (``msgfmt --check`` for PO, the OASIS schemas for XLIFF).
"""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import msgfmt_check
from tm.errors import FormatError
from tm.formats import _adapters, detect, exchange_format, format_names
from tm.model import Catalog, Entry, Suggestion
from tm.placeholders import Tag, tokens
from xliff_oracles import schema_errors

FORMATS = format_names()
CARRIES_SUGGESTIONS = {"xliff", "xliff2"}  # PO offers the best one as a fuzzy translation instead


def test_every_adapter_is_registered():
    assert sorted(FORMATS) == ["po", "xliff", "xliff2"]
    assert len({a.suffixes[0] for a in _adapters()}) == len(FORMATS)


def oracle(name: str, data: bytes, tmp_path) -> list[str]:
    """The outside tool's complaints about a file the adapter wrote; empty when valid."""
    if name == "po":
        path = tmp_path / "oracle.po"
        path.write_bytes(data)
        result = msgfmt_check(path)
        return [result.stderr] if result.returncode else []
    return schema_errors(data, name)


# Text a translator's tool may carry: Arabic, French and English letters, digits, punctuation,
# markup-like characters, inner spaces and tabs, and numbered inline tags.
_chars = st.characters(categories=["L", "M", "N", "P", "S", "Zs"], exclude_characters="\x85\u2028\u2029")
_run = st.text(_chars, min_size=1, max_size=12)
_tag = st.integers(1, 4).map(lambda n: f"<{n}/>")


@st.composite
def segment_text(draw) -> str:
    parts = draw(st.lists(st.one_of(_run, _tag), min_size=1, max_size=4))
    if draw(st.booleans()):
        n = draw(st.integers(5, 9))
        inner = draw(_run)
        parts.insert(draw(st.integers(0, len(parts))), f"<{n}>{inner}</{n}>")
    text = "".join(parts).strip()
    return text or "x"


@st.composite
def catalogs(draw, name: str) -> Catalog:
    count = draw(st.integers(1, 6))
    entries = []
    for index in range(count):
        paragraph, sentence = divmod(index, 2)
        state = draw(st.sampled_from(["untranslated", "fuzzy", "translated"]))
        target = "" if state == "untranslated" else draw(segment_text())
        fuzzy = state == "fuzzy"
        suggestions = []
        if name in CARRIES_SUGGESTIONS and state != "translated":
            suggestions = [
                Suggestion(draw(segment_text()), draw(segment_text()), draw(st.integers(50, 100)))
                for _ in range(draw(st.integers(0, 2)))
            ]
        entries.append(
            Entry(
                id=f"p{paragraph + 1}.s{sentence + 1}",
                source=draw(segment_text()),
                target=target,
                fuzzy=fuzzy,
                previous_source=draw(st.none() | segment_text()) if fuzzy else None,
                context=f"paragraph {paragraph + 1}, sentence {sentence + 1}",
                references=[f"sources/r.ar.txt:{index * 2 + 1}"],
                comments=draw(st.sampled_from([[], ["check the name"], ["two", "notes"]])),
                suggestions=suggestions,
            )
        )
    return Catalog("2024-01-02-some-release", "ar", draw(st.sampled_from(["en", "fr"])), entries)


def comparable(entry: Entry) -> dict:
    return dataclasses.asdict(entry)


@pytest.mark.parametrize("name", FORMATS)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_write_then_read_gives_the_same_entries(name, data):
    catalog = data.draw(catalogs(name))
    adapter = exchange_format(name)
    written = adapter.write(catalog)
    back = adapter.read(written, f"x{adapter.suffixes[0]}")
    assert (back.release, back.source_lang, back.lang) == (catalog.release, "ar", catalog.lang)
    assert [comparable(e) for e in back.entries] == [comparable(e) for e in catalog.entries]
    if name != "po":  # msgfmt runs once per format below; the schema is cheap enough for every example
        assert schema_errors(written, name) == []


def rich_catalog() -> Catalog:
    return Catalog(
        "2012-05-22-operation-laminar",
        "ar",
        "fr",
        [
            Entry(
                "p1.s1",
                "Hello <1>world</1>, <2/> & “friends”.",
                "Bonjour <1>monde</1>, <2/> & « amis ».",
                context="paragraph 1, sentence 1 of 2",
            ),
            Entry(
                "p1.s2",
                "Read <1>the <2>full</2> text</1>.",
                "",
                context="paragraph 1, sentence 2 of 2",
                references=["sources/2012-05-22-operation-laminar.ar.txt:1"],
            ),
            Entry(
                "p2.s1",
                "Lone <3> opening.",
                "Ouverture <3> seule.",
                fuzzy=True,
                previous_source="Old <3>.",
                comments=["translator's note"],
            ),
        ],
    )


@pytest.mark.parametrize("name", FORMATS)
def test_written_files_satisfy_their_oracle(name, tmp_path):
    catalog = rich_catalog()
    catalog.entries[1].suggestions = [Suggestion("Read the text.", "Lisez le texte.", 87)]
    assert oracle(name, exchange_format(name).write(catalog), tmp_path) == []


@pytest.mark.parametrize("name", FORMATS)
def test_detect_recognises_only_its_own_output(name):
    written = exchange_format(name).write(rich_catalog())
    assert detect(written, "f").name == name
    others = [a for a in _adapters() if a.name != name]
    assert not any(a.sniff(written) for a in others)


@pytest.mark.parametrize("name", FORMATS)
def test_states_come_back(name):
    adapter = exchange_format(name)
    back = adapter.read(adapter.write(rich_catalog()), "f")
    assert [e.state for e in back.entries] == ["translated", "untranslated", "fuzzy"]


@pytest.mark.parametrize("name", FORMATS)
def test_inline_tags_come_back_as_the_same_numbered_text(name):
    adapter = exchange_format(name)
    back = adapter.read(adapter.write(rich_catalog()), "f")
    sources = [e.source for e in back.entries]
    assert sources == [e.source for e in rich_catalog().entries]
    assert [str(t) for t in tokens(sources[1]) if isinstance(t, Tag)] == ["<1>", "<2>", "</2>", "</1>"]


@pytest.mark.parametrize("name", FORMATS)
def test_duplicate_units_are_refused_with_their_line(name):
    catalog = rich_catalog()
    catalog.entries[2].id = "p1.s1"
    adapter = exchange_format(name)
    written = adapter.write(catalog)
    with pytest.raises(FormatError) as caught:
        adapter.read(written, "dup")
    mentions = [i for i, line in enumerate(written.decode().splitlines(), 1) if "p1.s1" in line]
    first_unit = caught.value.message.removeprefix("duplicate unit 'p1.s1' (first at line ").rstrip(")")
    assert int(first_unit) <= mentions[0]
    # the error points at the second unit: after the first one's lines, at or before its id
    assert mentions[0] < caught.value.line <= mentions[-1]
