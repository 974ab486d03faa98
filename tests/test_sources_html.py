"""HTML releases: blocks, inline placeholders, translatable attributes and the same tree back."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import lxml.html
import polib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import msgfmt_check, need_oracle
from tm.errors import SourceError
from tm.model import Release
from tm.placeholders import tag_problems
from tm.segment import segmenter_for
from tm.sources.html import FORMAT as HTML
from tm.sources.html import is_tree_equal

DATA = Path(__file__).parent / "data"


def parse(text: str, lang: str = "en"):
    return HTML.parse(text, Release("r", lang, Path("r.en.html"), "html"), segmenter_for(lang))


def tree(text: str):
    return lxml.html.document_fromstring(text)


def texts(document) -> dict[str, str]:
    return {s.id: s.text for s in document.segments}


def test_blocks_inline_tags_and_attributes():
    document = parse((DATA / "inline.html").read_text())
    assert texts(document) == {
        "p1.s1": "Hello & bye",
        "p2.s1": "Big title",
        "p3.s1": "Operation <1>Sea</1>",
        "p4.s1": "First sentence.",
        "p4.s2": "Bold one. Bold two.",
        "p4.s3": "A <1>link</1> here.",
        "p4.s4": "Tel: +33 4 72 44 70 00 <1/> <2/> literal \u00a0ok",
        "p5.s1": "Go there",
        "p6.s1": "Logo of the agency",
        "p7.s1": "Loose text",
        "p8.s1": "inner",
        "p9.s1": "tail text.",
        "p10.s1": "One",
        "p11.s1": "Two <1>bold</1>",
        "p12.s1": "Broken <1>unclosed <2>nest</2></1>",
    }
    contexts = {s.id: s.context.split(";")[0] for s in document.segments}
    assert contexts["p1.s1"] == "title"
    assert contexts["p2.s1"] == "title attribute of <h1>"
    assert contexts["p3.s1"] == "heading 1"
    assert contexts["p6.s1"] == "alt attribute of <img>"
    assert contexts["p10.s1"] == "list item"
    assert [document.segment(i).line for i in ("p1.s1", "p3.s1", "p4.s4", "p12.s1")] == [3, 6, 7, 12]
    # The link's URL and the literal "<1>" of the source are markup, never text.
    assert document.segment("p4.s3").markup[0][1].startswith('<a href="http://x.org?a=1&amp;b=2"')
    assert document.segment("p4.s4").markup[1] == ("2", "&lt;1&gt;", "")


def test_source_merges_back_to_the_same_tree_with_script_style_and_comments():
    text = (DATA / "inline.html").read_text()
    rendered = HTML.render(parse(text), {}, "en")
    assert is_tree_equal(tree(rendered), tree(text))
    assert '<script>if (a < b && c) { x("</p>") }</script>' in rendered
    assert "<style>p > a { color: red }</style>" in rendered
    assert "<!-- top -->" in rendered
    assert "&nbsp;ok" not in rendered and "\u00a0ok" in rendered  # the character survives


def test_target_version_gets_lang_dir_title_and_moved_tags():
    document = parse((DATA / "inline.html").read_text())
    arabic = HTML.render(
        document,
        {
            "p1.s1": "مرحبا و وداعا",
            "p3.s1": "عملية <1>البحر</1>",
            "p4.s3": "<1>رابط</1> هنا.",
            "p5.s1": 'اذهب "هناك"',
            "p11.s1": "<1>غامق</1> اثنان",
        },
        "ar",
    )
    root = tree(arabic)
    assert (root.get("lang"), root.get("dir")) == ("ar", "rtl")
    assert root.findtext(".//title") == "مرحبا و وداعا"
    link = root.find(".//a")
    assert (link.text, link.get("href"), link.get("title")) == ("رابط", "http://x.org?a=1&b=2", 'اذهب "هناك"')
    assert lxml.html.tostring(root.find(".//h1"), encoding="unicode", with_tail=False) == (
        '<h1 title="Big title">عملية <em>البحر</em></h1>'
    )
    assert root.findall(".//li")[1].text_content() == "غامق اثنان"
    french = tree(HTML.render(document, {}, "fr"))
    assert (french.get("lang"), french.get("dir")) == ("fr", "ltr")


def test_meta_description_is_translatable_other_meta_is_not():
    document = parse(
        '<html><head><meta name="description" content="Stolen art found.">'
        '<meta property="og:title" content="Amphora"><meta name="author" content="Press Office">'
        "<title>T</title></head><body><p>Text.</p></body></html>"
    )
    assert [(s.text, s.context.split(";")[0]) for s in document.segments] == [
        ("Stolen art found.", "content attribute of <meta>"),
        ("Amphora", "content attribute of <meta>"),
        ("T", "title"),
        ("Text.", "paragraph"),
    ]
    french = tree(HTML.render(document, {"p1.s1": "Œuvres volées retrouvées."}, "fr"))
    assert french.find(".//meta[@name='description']").get("content") == "Œuvres volées retrouvées."
    assert french.find(".//meta[@name='author']").get("content") == "Press Office"


def test_translated_text_is_escaped():
    document = parse("<p>Hello.</p>")
    rendered = HTML.render(document, {"p1.s1": "a < b & <script>"}, "fr")
    assert tree(rendered).findtext(".//p") == "a < b & <script>"


@pytest.mark.parametrize(
    "soup",
    ["<p>unclosed <b>bold", "<table><p>inside</table>", "</p></div>text<<>>", "<p title='x>y'>a", "plain"],
)
def test_malformed_html_is_read_as_browsers_do(soup):
    document = parse(soup)
    assert is_tree_equal(tree(HTML.render(document, {}, "en")), tree(soup))


def test_empty_html_is_a_source_error():
    with pytest.raises(SourceError, match="cannot read as HTML"):
        parse("   ")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"%PDF-1.4\n\x00\x01", "sources/2026-01-01-x.en.html:2: binary data (a NUL byte), not a text, "
         "Markdown or HTML release"),
        ("<p>Caf\u00e9</p>".encode("latin-1"), "sources/2026-01-01-x.en.html:1: not UTF-8 text (byte 0xe9); "
         "save the release as UTF-8"),
        (b"  \n", "sources/2026-01-01-x.en.html: cannot read as HTML: Document is empty"),
    ],
)  # fmt: skip
def test_unreadable_release_is_one_line_naming_the_file_exit_2(workspace, data, message):
    from conftest import Tm

    (workspace / "sources" / "2026-01-01-x.en.html").write_bytes(data)
    result = Tm(workspace)("extract", "2026-01-01-x")
    assert (result.exit_code, result.stderr) == (2, f"tm: {message}\n")
    assert not (workspace / "locales").exists()


def test_headless_chromium_sees_the_same_page_and_rtl(tmp_path):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    need_oracle(chromium is not None, "headless Chromium")
    # Well-formed HTML: for broken nesting, browsers re-open formatting elements after a
    # block closes (the "adoption agency"), which libxml2's parser does not.
    text = (DATA / "inline.html").read_text().replace("<p>Broken <b>unclosed <i>nest</p>\n", "")
    document = parse(text)

    def dom(html: str, name: str) -> str:
        path = tmp_path / name
        path.write_text(html, encoding="utf-8")
        done = subprocess.run(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", path.as_uri()],
            capture_output=True,
            text=True,
            timeout=120,
        )
        # White space after </html> is moved into <body> by browsers and dropped by lxml.
        return re.sub(r"\s+</body>", "</body>", done.stdout)

    assert dom(HTML.render(document, {}, "en"), "merged.html") == dom(text, "source.html")
    arabic = dom(HTML.render(document, {"p3.s1": "عملية <1>البحر</1>"}, "ar"), "ar.html")
    assert '<html lang="ar" dir="rtl">' in arabic
    assert "عملية <em>البحر</em>" in arabic


INLINE_TAGS = ["b", "strong", "em", "i", "span", "sup", "sub", "code"]
TEXT = st.lists(
    st.sampled_from(
        ["INTERPOL", "said", "Lyon", "الإنتربول", "élevé", "3.5", ". ", "? ", "؟ ", " ", "\n  ", "&amp;",
         "&lt;1&gt;", "&nbsp;", "&#233;", "<br>", '<img src="i.png" alt="A logo.">', "<!-- note -->"]
    ),
    max_size=8,
).map("".join)  # fmt: skip


@st.composite
def inline_content(draw, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        if depth < 2 and draw(st.booleans()):
            tag = draw(st.sampled_from([*INLINE_TAGS, "a"]))
            attributes = ' href="https://example.org/?a=1&amp;b=2" title="More."' if tag == "a" else ""
            parts.append(f"<{tag}{attributes}>{draw(inline_content(depth + 1))}</{tag}>")
        else:
            parts.append(draw(TEXT))
    return "".join(parts)


@st.composite
def documents(draw) -> str:
    blocks = []
    for _ in range(draw(st.integers(1, 5))):
        tag = draw(st.sampled_from(["p", "h1", "h2", "li", "blockquote", "div", "td"]))
        body = draw(inline_content())
        blocks.append(
            {"li": f"<ul><li>{body}</li></ul>", "td": f"<table><tr><td>{body}</td></tr></table>"}.get(
                tag, f"<{tag}>{body}</{tag}>"
            )
        )
    title = draw(TEXT.filter(lambda t: "<" not in t))
    script = "<script>if (a < b) { go('</p>') }</script>" if draw(st.booleans()) else ""
    return (
        f"<!DOCTYPE html>\n<html><head><title>{title}</title>{script}</head>\n"
        f"<body>\n{chr(10).join(blocks)}\n</body></html>"
    )


@settings(max_examples=150, deadline=None)
@given(documents())
def test_generated_documents_merge_back_to_the_same_tree(text):
    document = parse(text)
    assert is_tree_equal(tree(HTML.render(document, {}, "en")), tree(text))
    for segment in document.segments:
        assert tag_problems(segment.text, segment.text) == []
    # The placeholder text rendered back gives the same tree too, bar white space.
    rendered = HTML.render(document, {s.id: s.text for s in document.segments}, "fr")
    assert _words(tree(rendered)) == _words(tree(text))


def _words(root) -> list[str]:
    return " ".join(root.itertext()).split()


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>/=\"' abpi&;#!-\n")), max_size=60))
def test_any_tag_soup_is_parsed_or_refused_cleanly(soup):
    try:
        document = parse(soup)
    except SourceError:
        return
    assert is_tree_equal(tree(HTML.render(document, {}, "en")), tree(soup))


REAL = "2026-03-10-operation-amphora"


def test_real_release_merges_back_and_every_translation_is_complete():
    from conftest import REPO

    text = (REPO / "sources" / f"{REAL}.en.html").read_text(encoding="utf-8")
    document = parse(text)
    rendered = HTML.render(document, {}, "en")
    assert is_tree_equal(tree(rendered), tree(text))
    assert rendered == text  # written in the same style as lxml reads it: even the bytes agree
    for lang in ("fr", "ar"):
        po = polib.pofile(str(REPO / "locales" / lang / f"{REAL}.po"))
        assert {e.msgctxt: e.msgid for e in po} == texts(document)
        assert all(e.msgstr and "fuzzy" not in e.flags and not e.obsolete for e in po)
        assert all(tag_problems(e.msgid, e.msgstr) == [] for e in po)
        assert msgfmt_check(REPO / "locales" / lang / f"{REAL}.po").returncode == 0
        version = tree(HTML.render(document, {e.msgctxt: e.msgstr for e in po}, lang))
        assert (version.get("lang"), version.get("dir")) == (lang, "rtl" if lang == "ar" else "ltr")
        assert version.findtext(".//title") == po.find("p1.s1", by="msgctxt").msgstr
        links = [(a.get("href"), a.text) for a in version.iter("a")]
        assert [h for h, _ in links] == [a.get("href") for a in tree(text).iter("a")]


def test_workspace_merge_of_the_real_release(tmp_path):
    import shutil

    from conftest import REPO, Tm

    root = tmp_path / "ws"
    (root / "sources").mkdir(parents=True)
    shutil.copy(REPO / "tm.toml", root / "tm.toml")
    shutil.copy(REPO / "sources" / f"{REAL}.en.html", root / "sources")
    for lang in ("fr", "ar"):
        (root / "locales" / lang).mkdir(parents=True)
        shutil.copy(REPO / "locales" / lang / f"{REAL}.po", root / "locales" / lang)
    tm = Tm(root)
    assert tm("extract").output.count("26 unchanged") == 2
    result = tm("merge", REAL, "--aligned", "html")
    assert result.exit_code == 0, result.output
    out = root / "build" / REAL
    assert (out / f"{REAL}.en.html").read_bytes() == (REPO / "sources" / f"{REAL}.en.html").read_bytes()
    arabic = tree((out / f"{REAL}.ar.html").read_text(encoding="utf-8"))
    assert (arabic.get("lang"), arabic.get("dir")) == ("ar", "rtl")
    page = (out / f"{REAL}.aligned.html").read_text(encoding="utf-8")
    # Every column shows what translators saw: placeholders, never the source's raw markup.
    assert '<td lang="en" dir="ltr">The ICPC has published &lt;1&gt;a practical guide' in page
    assert "\ue000" not in page and "&lt;a href" not in page
