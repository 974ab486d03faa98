"""Markdown releases: blocks, inline placeholders, a byte-for-byte skeleton and rendering back."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from tm.errors import SourceError
from tm.model import Release
from tm.placeholders import tag_problems
from tm.segment import segmenter_for
from tm.sources.markdown import FORMAT as MARKDOWN

DATA = Path(__file__).parent / "data"
HTML = MarkdownIt("commonmark").enable("table")


def parse(text: str, lang: str = "en"):
    return MARKDOWN.parse(text, Release("r", lang, Path("r.en.md"), "md"), segmenter_for(lang))


def texts(document) -> dict[str, str]:
    return {s.id: s.text for s in document.segments}


def test_blocks_become_paragraphs_with_their_context():
    document = parse((DATA / "inline.md").read_text())
    assert texts(document) == {
        "p1.s1": "Title <1>x</1>",
        "p2.s1": "quote <1>link</1> and <2>alt <3>eye</3></2>.",
        "p2.s2": "Second <1>bold. Still</1> here.",
        "p2.s3": "Then <1/> line<2/>third <3/> literal",
        "p3.s1": "a",
        "p4.s1": "b | c",
        "p5.s1": "two.",  # the cell "1" has no letter: nothing to translate
        "p5.s2": "Three.",
        "p6.s1": "item one",
        "p7.s1": "item <1/>two<2/> &",
        "p8.s1": "<1>Contact:</1> Jane",
    }
    contexts = {s.id: s.context.split(";")[0] for s in document.segments}
    assert contexts["p1.s1"] == "heading 1"
    assert contexts["p2.s1"] == "block quote"
    assert contexts["p3.s1"] == "table header"
    assert contexts["p5.s2"] == "table cell"
    assert contexts["p7.s1"] == "list item"
    assert document.segment("p5.s2").context == "table cell; paragraph 5, sentence 2 of 2"
    assert [document.segment(i).line for i in ("p1.s1", "p2.s3", "p5.s1", "p8.s1")] == [1, 4, 9, 14]


def test_urls_and_code_stay_in_the_markup_not_the_text():
    document = parse((DATA / "inline.md").read_text())
    quote = document.segment("p2.s1")
    assert "http" not in quote.text
    assert quote.markup == (("1", "[", '](http://a.b "t")'), ("2", "![", "](i.png)"), ("3", "*", "*"))
    code = document.segment("p2.s3")
    assert code.markup[0] == ("1", "`code`", "")
    # Source text that looks like a placeholder is protected as one, standing for itself.
    assert code.markup[2] == ("3", "<1>", "")


def test_source_language_merges_back_byte_for_byte():
    text = (DATA / "inline.md").read_text()
    document = parse(text)
    assert MARKDOWN.render(document, {}, "en") == text
    assert MARKDOWN.render(document, {s.id: s.raw for s in document.segments}, "en") == text


def test_tables_in_quotes_and_lists_and_no_break_space_lines():
    text = (
        "> | a | b |\n> |---|---|\n> | one | two. |\n\n"
        "- item\n\n  | x | y |\n  |---|---|\n\n"
        "1. \u00a0\nLate.\n"
    )
    document = parse(text)
    assert MARKDOWN.render(document, {}, "en") == text
    assert list(texts(document).values()) == ["a", "b", "one", "two.", "item", "x", "y", "Late."]


def test_bom_crlf_and_lazy_continuation_survive():
    text = "\ufeff# Title\r\n\r\n> First line\r\nlazy *line*. Next one.\r\n\r\n1. one\r\n2. two\r\n"
    document = parse(text)
    assert MARKDOWN.render(document, {}, "en") == text
    assert texts(document)["p2.s1"] == "First line lazy <1>line</1>."


def test_translation_with_moved_tags_renders_valid_markdown():
    document = parse("See the [annual report](https://example.org/r.pdf) of **INTERPOL** today.\n")
    assert texts(document) == {"p1.s1": "See the <1>annual report</1> of <2>INTERPOL</2> today."}
    french = MARKDOWN.render(document, {"p1.s1": "Voir le <2>rapport</2> <1>annuel</1> aujourd’hui."}, "fr")
    assert french == "Voir le **rapport** [annuel](https://example.org/r.pdf) aujourd’hui.\n"
    assert HTML.render(french) == (
        '<p>Voir le <strong>rapport</strong> <a href="https://example.org/r.pdf">annuel</a>'
        " aujourd’hui.</p>\n"
    )


def test_markdown_characters_in_a_translation_stay_text():
    document = parse("# Title\n\nA sentence.\n")
    rendered = MARKDOWN.render(document, {"p1.s1": "# 5 * 3 = [x] <b>", "p2.s1": "1. first_one"}, "fr")
    assert HTML.render(rendered) == "<h1># 5 * 3 = [x] &lt;b&gt;</h1>\n<p>1. first_one</p>\n"


def test_code_blocks_html_blocks_and_reference_definitions_are_skeleton():
    text = "Intro.\n\n    code block.\n\n<div>raw html</div>\n\n[ref]: https://x.org\n\nSee [it][ref].\n"
    document = parse(text)
    assert texts(document) == {"p1.s1": "Intro.", "p2.s1": "See <1>it</1>."}
    assert document.segment("p2.s1").markup == (("1", "[", "][ref]"),)
    assert MARKDOWN.render(document, {}, "en") == text


def test_image_alone_in_a_paragraph_is_its_alt_text():
    document = parse("![Headquarters in Lyon](hq.jpg)\n")
    [segment] = document.segments
    assert (segment.text, segment.context.split(";")[0]) == ("Headquarters in Lyon", "image alt")
    assert MARKDOWN.render(document, {"p1.s1": "Siège à Lyon"}, "fr") == "![Siège à Lyon](hq.jpg)\n"


def test_arabic_release_segments():
    document = parse("## عنوان\n\nقال **المتحدث**: نعم. هل هذا صحيح؟ نعم.\n", "ar")
    assert texts(document) == {
        "p1.s1": "عنوان",
        "p2.s1": "قال <1>المتحدث</1>: نعم.",
        "p2.s2": "هل هذا صحيح؟",
        "p2.s3": "نعم.",
    }


# Generated documents: blocks of inline pieces, with the line endings and containers a
# press office's editors produce.
WORDS = ["INTERPOL", "said", "today", "Lyon", "مرحبا", "الإنتربول", "élevé", "3.5", "Mr. Smith", "x"]
INLINE = st.lists(
    st.one_of(
        st.sampled_from(WORDS),
        st.sampled_from([" ", ". ", "! ", "? ", "؟ ", ", ", ": ", "\u00a0", "’’", "«", "»", "&amp;", "\\*"]),
        # Emphasis next to emphasis ("**a***b*") pairs up differently once the text
        # between changes, so generated emphasis has a space on each side.
        st.sampled_from(WORDS).map(lambda w: f" **{w}** "),
        st.sampled_from(WORDS).map(lambda w: f" *{w}.* "),
        st.sampled_from(WORDS).map(lambda w: f"[{w}](https://example.org/{len(w)})"),
        st.sampled_from(WORDS).map(lambda w: f"![{w}](i{len(w)}.png)"),
        st.sampled_from(["`tm extract`", "<https://interpol.int>", "<1>", "</2>", "<span>"]),
    ),
    min_size=1,
    max_size=12,
).map("".join)


def _block(kind: str, lines: list[str]) -> str:
    lines = [line.strip() or "x" for line in lines]
    if kind == "heading":
        return "## " + " ".join(lines)
    if kind == "list":
        return "\n".join(f"- {line}" for line in lines)
    if kind == "quote":
        return "\n".join(f"> {line}" for line in lines)
    if kind == "nested":
        return "\n".join(
            f"{'  ' * (i % 3)}- {line}\n{'  ' * (i % 3)}  {line}" for i, line in enumerate(lines)
        )
    if kind == "setext":
        return "\n".join(lines) + "\n===="
    if kind == "ordered":
        return "\n".join(f"{i + 1}) {line}\n   {line}" for i, line in enumerate(lines))
    if kind == "quoted list":
        return "\n".join(f"> -\t{line}\n>   {line}" for line in lines)
    if kind == "indented":
        return "\n".join(f"{' ' * (i % 4)}{line}" for i, line in enumerate(lines))
    if kind == "table":
        cells = [line.replace("|", "\\|") for line in lines]
        return "| A | B |\n|---|---|\n" + "\n".join(f"| {c} | {c} |" for c in cells)
    return "\n".join(lines)


BLOCKS = st.lists(
    st.tuples(
        st.sampled_from(
            [
                "paragraph",
                "heading",
                "list",
                "quote",
                "table",
                "nested",
                "setext",
                "ordered",
                "quoted list",
                "indented",
            ]
        ),
        st.lists(INLINE, min_size=1, max_size=3),
    ),
    min_size=1,
    max_size=5,
)


@settings(max_examples=150, deadline=None)
@given(BLOCKS, st.sampled_from(["\n", "\r\n"]), st.sampled_from(["", "\ufeff"]), st.booleans())
def test_generated_documents_merge_back_byte_for_byte(blocks, newline, bom, final_newline):
    text = bom + "\n\n".join(_block(kind, lines) for kind, lines in blocks)
    text = (text + ("\n" if final_newline else "")).replace("\n", newline)
    document = parse(text)
    assert MARKDOWN.render(document, {}, "en") == text
    for segment in document.segments:
        assert tag_problems(segment.text, segment.text) == []
        assert segment.text == segment.text.strip()
    # The placeholder text rendered back gives the same page as the source (a soft line
    # break is a space for translators).
    rendered = MARKDOWN.render(document, {s.id: s.text for s in document.segments}, "fr")
    assert page(rendered) == page(text)


def page(text: str) -> str:
    return re.sub(r"\s+", " ", HTML.render(text))


def test_not_utf8_is_refused_with_the_line(tmp_path):
    from tm.sources import read_release

    path = tmp_path / "r.fr.md"
    path.write_bytes("# Titre\n\nÉté\n".encode("latin-1"))
    with pytest.raises(SourceError) as caught:
        read_release(Release("r", "fr", path, "md"), segmenter_for("fr"), "sources/r.fr.md")
    assert str(caught.value) == "sources/r.fr.md:3: not UTF-8 text (byte 0xc9); save the release as UTF-8"


REAL = "2026-02-18-operation-sentinelle-verte"


def test_real_release_merges_back_and_every_translation_is_complete():
    import polib

    from conftest import REPO, msgfmt_check

    data = (REPO / "sources" / f"{REAL}.fr.md").read_bytes()
    document = parse(data.decode("utf-8"), "fr")
    assert MARKDOWN.render(document, {}, "fr").encode("utf-8") == data
    source_page = HTML.parse(data.decode("utf-8"))
    for lang in ("en", "ar"):
        po = polib.pofile(str(REPO / "locales" / lang / f"{REAL}.po"))
        assert {e.msgctxt: e.msgid for e in po} == texts(document)
        assert all(e.msgstr and "fuzzy" not in e.flags and not e.obsolete for e in po)
        assert all(tag_problems(e.msgid, e.msgstr) == [] for e in po)
        assert msgfmt_check(REPO / "locales" / lang / f"{REAL}.po").returncode == 0
        version = MARKDOWN.render(document, {e.msgctxt: e.msgstr for e in po}, lang)
        # Same structure as the source: the same blocks and inline markup, in the same order.
        shape = [(t.type, t.attrGet("href")) for t in HTML.parse(version) if t.type != "inline"]
        assert shape == [(t.type, t.attrGet("href")) for t in source_page if t.type != "inline"]


def test_french_typography_in_the_french_source_and_translations():
    import polib

    from conftest import REPO

    french = [(REPO / "sources" / f"{REAL}.fr.md").read_text(encoding="utf-8")]
    for path in (REPO / "locales" / "fr").glob("2026-*.po"):
        french += [e.msgstr for e in polib.pofile(str(path))]
    assert len(french) > 20
    for text in french:
        # A no-break space before : ; ! ? and » and after «, never a plain one.
        assert not re.search(r"[ \t][:;!?»]|«[ \t]", text), text
    assert all(re.search("\u00a0[:»]", text) for text in french[:1])


PIECES = [
    *"ab .!*_`[]()<>#>-|\\&;:\n\r\t1\"'~=+",
    *["&amp;", "&#65;", "&copy", "](x)", '](<a b> "t")', "][r]", "[r]: /u\n", "> ", "- ", "1. ", "**"],
    *["<b>", "\n\n", "|---|---|\n", "![i](j)", "<http://x.y>", "``", "    ", "\u00a0", "é", "م"],
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=60).map("".join))
def test_any_text_is_read_byte_for_byte_or_refused_with_its_line(text):
    try:
        document = parse(text)
    except SourceError as exc:
        assert exc.line is not None
        return
    assert MARKDOWN.render(document, {}, "en") == text
