"""Plain-text releases: lossless skeleton and the real release's segmentation."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from conftest import SOURCE
from tm.model import Release
from tm.segment import segmenter_for
from tm.sources.text import FORMAT as TEXT


def parse(text: str, lang: str = "ar"):
    return TEXT.parse(text, Release("r", lang, None, "txt"), segmenter_for(lang))


def collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_real_release_segments_like_the_fixture(fixture_segments):
    document = parse(SOURCE.read_bytes().decode("utf-8"))
    got = [[collapse(s.text) for s in p] for p in document.paragraphs]
    assert got == [[collapse(s) for s in p] for p in fixture_segments]
    assert len(document.segments) == 32
    assert document.segments[3].id == "p4.s1"


def test_real_release_round_trips_byte_for_byte():
    data = SOURCE.read_bytes()
    document = parse(data.decode("utf-8"))
    assert TEXT.render(document, {}, "ar").encode("utf-8") == data


def test_soft_line_break_is_a_space_for_translators_and_kept_in_the_skeleton():
    document = parse(SOURCE.read_text(encoding="utf-8"))
    p4 = document.segment("p4.s1")
    assert "\n" in p4.raw
    assert "\n" not in p4.text
    assert "الجرائم المرتكبة" in p4.text


def test_leading_no_break_space_stays_in_the_skeleton():
    document = parse(SOURCE.read_text(encoding="utf-8"))
    assert document.segment("p21.s1").text == "الإنتربول"
    assert "\n\n\u00a0" in "".join(p for p in document.skeleton.parts if isinstance(p, str))


def test_translations_replace_segments_in_the_layout():
    document = parse("Title\r\n\r\n  First one. Second one\r\nstill second.\r\n", "en")
    rendered = TEXT.render(document, {"p1.s1": "Titre", "p2.s2": "Deuxième."}, "fr")
    assert rendered == "Titre\r\n\r\n  First one. Deuxième.\r\n"
    assert [s.line for s in document.segments] == [1, 3, 3]


def test_bom_and_crlf_survive():
    text = "\ufeffOne.\r\n\r\nTwo. Three.\r\n"
    assert TEXT.render(parse(text, "en"), {}, "en") == text


text_pieces = st.lists(
    st.sampled_from(
        [
            "Mr. Smith",
            "said",
            "٣٫٥",
            "مرحبا",
            "؟",
            "!",
            ".",
            "…",
            " ",
            "  ",
            "\n",
            "\r\n",
            "\n\n",
            "\u00a0",
            "\u200f",
            "’’",
            "‘‘",
            "«",
            "»",
            "(grou.ps)",
            "3.5",
            "www.interpol.int",
            "A. J.",
            "\t",
            "x",
        ]
    ),
    max_size=40,
)


@given(text_pieces, st.sampled_from(["ar", "en", "fr"]))
def test_any_text_round_trips(pieces, lang):
    text = "".join(pieces)
    document = parse(text, lang)
    assert TEXT.render(document, {}, lang) == text
    for segment in document.segments:
        assert segment.text == segment.text.strip()
        assert segment.text
