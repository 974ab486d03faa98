"""The segmenter: SRX rules files, workspace overrides, bad rules, losslessness, bidi, speed-free."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import Tm
from tm.errors import RulesError
from tm.model import Release
from tm.segment import BIDI_CONTROLS, segmenter_for
from tm.segment.srx import read_srx
from tm.sources.text import FORMAT as TEXT

# Every test here runs with the pure-Python cutter and with its compiled copy.
pytestmark = pytest.mark.usefixtures("each_cutter")


def sentences(text: str, lang: str = "en", **kwargs) -> list[str]:
    return [p.strip() for p in segmenter_for(lang, **kwargs).split(text) if p.strip()]


def srx(rules: str, pattern: str = ".*", cascade: str = "no", extra: str = "") -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<srx xmlns="http://www.lisa.org/srx20" version="2.0">
  <header segmentsubflows="yes" cascade="{cascade}"/>
  <body>
    <languagerules>
      <languagerule languagerulename="Office">
{rules}
      </languagerule>{extra}
    </languagerules>
    <maprules>
      <languagemap languagepattern="{pattern}" languagerulename="Office"/>
    </maprules>
  </body>
</srx>
"""


BREAK_AFTER_STOP = """<rule break="yes"><beforebreak>\\.</beforebreak><afterbreak>\\s</afterbreak></rule>"""


# -- The golden rules ------------------------------------------------------------------


def test_golden_english_rules(shared):
    cases = json.loads((shared / "benchmarks" / "golden_en_core.json").read_text())["cases"]
    failed = [c["id"] for c in cases if sentences(c["text"]) != c["expected"]]
    assert len(cases) - len(failed) >= 158, failed


# -- Lossless pieces, white space at the end of the sentence ---------------------------


def test_white_space_after_a_sentence_ends_the_piece_before_it():
    pieces = segmenter_for("en").split("First one.  \u00a0Second one!\r\n Third?")
    assert pieces == ["First one.  \u00a0", "Second one!\r\n ", "Third?"]


def test_empty_and_blank_text():
    assert segmenter_for("en").split("") == []
    assert segmenter_for("en").split("   ") == ["   "]


# Pieces of text that exercise the rules, with every kind of white space and bidi control.
PIECES = [
    "Mr.",
    "U.S.",
    "د.",
    "ص.ب.",
    "M.",
    "p. ex.",
    "3.5",
    "٣٫٥",
    "1,250",
    "12,5",
    "www.interpol.int",
    "a@b.org",
    "grou.ps",
    ".",
    "..",
    "...",
    "…",
    "!",
    "?",
    "؟",
    "،",
    "؛",
    ":",
    ";",
    "’’",
    "‘‘",
    "«",
    "»",
    "“",
    "”",
    '"',
    "'",
    "(",
    ")",
    "[1]",
    " ",
    "  ",
    "\xa0",
    "\u202f",
    "\n",
    "\r\n",
    "\t",
    "\u200e",
    "\u200f",
    "\u202b",
    "\u202c",
    "\u2066",
    "\u2069",
    "•",
    "1.",
    "a)",
    "The",
    "Il",
    "وقال",
    "x",
]
pieces = st.lists(
    st.one_of(st.sampled_from(PIECES), st.text(alphabet="abcXYZ دمنو0123456789.!?", max_size=6)),
    max_size=60,
)


@settings(max_examples=300, deadline=None)
@given(pieces, st.sampled_from(["ar", "en", "fr", "de"]))
def test_pieces_join_to_the_input(parts, lang):
    text = "".join(parts)
    split = segmenter_for(lang).split(text)
    assert "".join(split) == text
    assert all(split)
    for piece in split[1:]:
        assert not piece[0].isspace()


@settings(max_examples=200, deadline=None)
@given(pieces, st.sampled_from(["ar", "en", "fr"]))
def test_skeleton_and_segments_give_back_the_input(parts, lang):
    text = "".join(parts)
    document = TEXT.parse(text, Release("r", lang, None, "txt"), segmenter_for(lang))
    assert TEXT.render(document, {}, lang) == text


# -- Bidi controls are transparent ------------------------------------------------------


@pytest.mark.parametrize("mark", list(BIDI_CONTROLS))
@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("ar", "قال د. أحمد إن العملية نجحت. وأضاف أن التعاون سيستمر؟ نعم."),
        ("en", "Dr. Smith arrived at 10 a.m. He spoke. “It works.” They left!"),
        ("fr", "M. Dupont est arrivé. Il a parlé ! « Merci. » Fin."),
    ],
)
def test_bidi_controls_next_to_punctuation_change_nothing(mark, lang, text):
    plain = sentences(text, lang)
    for mark_place in ("before", "after"):
        marked = "".join(
            (mark + ch if mark_place == "before" else ch + mark) if ch in ".!?؟“”«»" else ch for ch in text
        )
        got = [s.replace(mark, "") for s in sentences(marked, lang)]
        assert got == plain


def test_bidi_mark_before_the_next_sentence_goes_with_it():
    assert segmenter_for("ar").split("نجحت. \u200fوأضاف") == ["نجحت. ", "\u200fوأضاف"]
    assert segmenter_for("ar").split("نجحت.\u200f وأضاف") == ["نجحت.\u200f ", "وأضاف"]


# -- Languages, fallback and warnings -----------------------------------------------------


def test_unknown_language_falls_back_with_a_warning():
    segmenter = segmenter_for("de")
    assert segmenter.warnings == ("no segmentation rules for language 'de'; using the default rules",)
    assert sentences("Das ist gut. Dr. Müller kommt.", "de") == ["Das ist gut.", "Dr. Müller kommt."]


@pytest.mark.parametrize("lang", ["ar", "en", "fr", "en-GB", "fr_CA"])
def test_shipped_languages_have_no_warning(lang):
    assert segmenter_for(lang).warnings == ()


def test_regional_variants_use_the_language_rules():
    assert sentences("Mr. Smith left. He came back.", "en-GB") == ["Mr. Smith left.", "He came back."]


def test_cli_prints_the_warning_on_standard_error(tmp_path):
    result = Tm(tmp_path)("segment", "--lang", "de", input="Eins. Zwei.")
    assert result.exit_code == 0
    assert result.stdout == "Eins.\nZwei.\n"
    assert result.stderr == "tm: warning: no segmentation rules for language 'de'; using the default rules\n"


# -- Workspace overrides and office rules files -------------------------------------------


def test_workspace_abbreviations_and_no_break_patterns():
    assert sentences("We met Cllr. Laura Chen. It ends.") == ["We met Cllr.", "Laura Chen.", "It ends."]
    overrides = {"en": {"abbreviations": ["Cllr.", "Ref."]}}
    assert sentences("We met Cllr. Laura Chen. It ends.", overrides=overrides) == [
        "We met Cllr. Laura Chen.",
        "It ends.",
    ]
    assert sentences("The proof ends. Here it is.") == ["The proof ends.", "Here it is."]
    overrides = {"en": {"no_break": [r"\bends\."]}}
    assert sentences("The proof ends. Here it is.", overrides=overrides) == ["The proof ends. Here it is."]
    overrides = {"en": {"no_break": [{"before": r"\bsee\.", "after": r"\s+Annex"}]}}
    assert sentences("We see. Annex 2. We see. Then.", overrides=overrides) == [
        "We see. Annex 2.",
        "We see.",
        "Then.",
    ]


def test_workspace_overrides_come_from_tm_toml(workspace):
    (workspace / "tm.toml").write_text(
        (workspace / "tm.toml").read_text() + '\n[segmentation.en]\nabbreviations = ["Amb."]\n'
    )
    result = Tm(workspace)("segment", "--lang", "en", input="Amb. Chen spoke. She left.")
    assert result.stdout == "Amb. Chen spoke.\nShe left.\n"


def test_workspace_rules_file_is_relative_to_the_workspace(workspace):
    (workspace / "rules").mkdir()
    (workspace / "rules" / "office.srx").write_text(srx(BREAK_AFTER_STOP))
    (workspace / "tm.toml").write_text(
        (workspace / "tm.toml").read_text() + '\n[segmentation.en]\nrules = "rules/office.srx"\n'
    )
    result = Tm(workspace)("segment", "--lang", "en", input="Mr. Smith. Yes!")
    assert result.stdout == "Mr.\nSmith.\nYes!\n"


def test_rules_option_replaces_the_shipped_rules(tmp_path):
    office = tmp_path / "office.srx"
    office.write_text(srx(BREAK_AFTER_STOP))
    result = Tm(tmp_path)("segment", "--lang", "fr", "--rules", str(office), input="M. Dupont. Oui ! Non.")
    assert result.exit_code == 0
    assert result.stdout == "M.\nDupont.\nOui ! Non.\n"


def test_rules_file_without_the_language_falls_back_to_the_shipped_rules(tmp_path):
    office = tmp_path / "office.srx"
    office.write_text(srx(BREAK_AFTER_STOP, pattern="de.*"))
    segmenter = segmenter_for("en", rules=office)
    assert segmenter.warnings == (f"{office} has no rules for language 'en'; using the shipped rules",)
    assert sentences("Mr. Smith left. Yes.", rules=office) == ["Mr. Smith left.", "Yes."]


# -- SRX semantics ---------------------------------------------------------------------------


def test_first_matching_rule_decides():
    rules = """<rule break="no"><beforebreak>\\bNo\\.</beforebreak><afterbreak>\\s</afterbreak></rule>
<rule break="yes"><beforebreak>\\.</beforebreak><afterbreak>\\s</afterbreak></rule>
<rule break="no"><beforebreak>\\bend\\.</beforebreak><afterbreak>\\s</afterbreak></rule>"""
    office = read_srx(srx(rules).encode(), "office.srx")
    from tm.segment import Segmenter

    segmenter = Segmenter("xx", office.rules_for("xx"))
    assert segmenter.split("No. 5 is the end. Next.") == ["No. 5 is the end. ", "Next."]


def test_more_rules_than_a_machine_word_holds():
    """Sets of rules are bit masks: past 64 rules (an office's long abbreviation list on top
    of the shipped rules) the cuts stay those of the rules applied at every position."""
    words = [f"Abr{n}" for n in range(70)] + ["Dr", "No"]
    table = {"abbreviations": [f"{word}." for word in words], "no_break": [r"\bRef\.", r"\bx\d\."]}
    segmenter = segmenter_for("en", {"en": table})
    assert len(segmenter.rules) > 100
    text = "See Abr69. Smith and Dr. Jones. Ref. 5 is x7. Then No. 3 left! Abr3. Yes. Abr99. The end."
    assert segmenter.split(text) == reference_split(segmenter, text)
    assert segmenter.split(text) == [
        "See Abr69. Smith and Dr. Jones. ",
        "Ref. 5 is x7. Then No. 3 left! ",
        "Abr3. Yes. ",
        "Abr99. ",
        "The end.",
    ]


def test_cascade_uses_every_matching_map():
    extra = """
      <languagerule languagerulename="Stops">
        <rule break="yes"><beforebreak>!</beforebreak><afterbreak>\\s</afterbreak></rule>
      </languagerule>"""
    text = srx(BREAK_AFTER_STOP, pattern="en.*", cascade="yes", extra=extra).replace(
        "</maprules>", '  <languagemap languagepattern=".*" languagerulename="Stops"/>\n    </maprules>'
    )
    office = read_srx(text.encode(), "office.srx")
    assert len(office.rules_for("en")) == 2
    assert len(office.rules_for("fr")) == 1
    single = read_srx(text.replace('cascade="yes"', 'cascade="no"').encode(), "office.srx")
    assert len(single.rules_for("en")) == 1


def test_leading_inline_flags_stay_local_to_their_rule():
    rules = """<rule break="no"><beforebreak>(?i)\\bdr\\.</beforebreak><afterbreak>\\s</afterbreak></rule>
<rule break="yes"><beforebreak>\\.</beforebreak><afterbreak>\\s+[A-Z]</afterbreak></rule>"""
    office = read_srx(srx(rules).encode(), "office.srx")
    from tm.segment import Segmenter

    segmenter = Segmenter("xx", office.rules_for("xx"))
    assert segmenter.split("DR. Who. then. Yes") == ["DR. Who. then. ", "Yes"]


# -- Bad rules: one line naming the file, the line and the rule, exit 2 ------------------------


def test_malformed_xml_names_the_file_and_line(tmp_path):
    office = tmp_path / "office.srx"
    office.write_text('<?xml version="1.0"?>\n<srx xmlns="http://www.lisa.org/srx20">\n<header>\n</srx>\n')
    with pytest.raises(RulesError) as caught:
        segmenter_for("en", rules=office)
    assert caught.value.path == str(office)
    assert caught.value.line == 4
    assert "not a valid SRX file: malformed XML" in caught.value.message


def test_xml_that_is_not_srx(tmp_path):
    office = tmp_path / "office.srx"
    office.write_text('<?xml version="1.0"?>\n<tmx version="1.4"/>\n')
    result = Tm(tmp_path)("segment", "--lang", "en", "--rules", str(office), input="A. B.")
    assert result.exit_code == 2
    assert result.stderr == (
        f"tm: {office}:2: not an SRX file: the root element is <tmx> in namespace '', "
        "expected <srx> in 'http://www.lisa.org/srx20'\n"
    )


def test_bad_regular_expression_names_file_line_and_rule(tmp_path):
    office = tmp_path / "office.srx"
    office.write_text(srx(BREAK_AFTER_STOP + '\n<rule break="no"><beforebreak>(Mr\\.</beforebreak></rule>'))
    result = Tm(tmp_path)("segment", "--lang", "en", "--rules", str(office), input="A. B.")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f"tm: {office}:8: rule 2 of languagerule 'Office': bad regular expression in beforebreak '(Mr\\.': "
    )
    assert result.stderr.count("\n") == 1


def test_bad_break_attribute_and_unknown_languagerule(tmp_path):
    bad = "rule 1 of languagerule 'Office': break must be yes or no, not 'maybe'"
    with pytest.raises(RulesError, match=bad):
        read_srx(srx('<rule break="maybe"><beforebreak>x</beforebreak></rule>').encode(), "o.srx")
    text = srx(BREAK_AFTER_STOP).replace('languagerulename="Office"/>', 'languagerulename="Nope"/>')
    with pytest.raises(RulesError, match="languagemap names an unknown languagerule 'Nope'"):
        read_srx(text.encode(), "o.srx")


def test_entities_are_refused_in_rules_files(tmp_path):
    text = srx(BREAK_AFTER_STOP).replace(
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE srx [<!ENTITY a "b">]>',
    )
    with pytest.raises(RulesError, match="declares entities"):
        read_srx(text.encode(), "o.srx")


def test_missing_rules_file(tmp_path):
    result = Tm(tmp_path)("segment", "--lang", "en", "--rules", str(tmp_path / "none.srx"), input="A.")
    assert result.exit_code == 2
    missing = tmp_path / "none.srx"
    assert result.stderr == f"tm: {missing}: cannot read rules file: No such file or directory\n"


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"abbreviations": "Amb."}, "[segmentation.en] abbreviations must be a list of words"),
        ({"no_break": ["(unclosed"]}, "no_break pattern 1 in [segmentation.en]: bad regular expression"),
        ({"colour": 1}, "[segmentation.en]: unknown setting 'colour'"),
    ],
)
def test_bad_workspace_overrides(table, message):
    with pytest.raises(RulesError) as caught:
        segmenter_for("en", {"en": table})
    assert caught.value.path == "tm.toml"
    assert message in caught.value.message


# -- The fast path decides exactly like the rules applied at every position ----------------


def reference_split(segmenter, text: str) -> list[str]:
    """SRX by the book: every position, every rule in order (slow, obviously right).

    A rule applies at a position when its ``beforebreak``, as a look-behind, matches the
    whole text there and its ``afterbreak`` matches what follows: a look-ahead at the end
    of ``beforebreak`` sees the text after the position (the English list rule relies on
    it), and a possessive repeat runs back from the position.
    """
    import regex

    from tm.segment import _scoped

    visible = "".join(ch for ch in text if ch not in BIDI_CONTROLS)
    if visible != text or not text:
        return segmenter.split(text)  # bidi mapping is tested on its own above
    cuts = []
    for position in range(1, len(text)):
        for rule in segmenter.rules:
            behind = regex.compile(f"(?<={_scoped(rule.before)})")
            before = behind.match(text, position) if rule.before else True
            after = regex.match(_scoped(rule.after), text[position:]) if rule.after else True
            if before and after:
                if rule.breaks:
                    cut = position
                    while cut < len(text) and text[cut].isspace():
                        cut += 1
                    if cut < len(text) and cut not in cuts:
                        cuts.append(cut)
                break
    return [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]


@settings(max_examples=150, deadline=None)
@given(pieces, st.sampled_from(["ar", "en", "fr", "de"]))
def test_fast_path_agrees_with_the_rules_applied_everywhere(parts, lang):
    text = "".join(p for p in parts if p not in BIDI_CONTROLS)
    segmenter = segmenter_for(lang)
    assert segmenter.split(text) == reference_split(segmenter, text)


@pytest.mark.parametrize("lang", ["ar", "en", "fr"])
def test_fast_path_agrees_on_the_test_sets(lang):
    from test_segment_testsets import read_test_set

    segmenter = segmenter_for(lang)
    for _covers, expected in read_test_set(lang):
        text = " ".join(expected).replace("\u200e", "").replace("\u200f", "")
        assert segmenter.split(text) == reference_split(segmenter, text)


@pytest.mark.parametrize("lang", ["ar", "en", "fr"])
def test_fast_path_agrees_on_the_benchmark_corpus(lang):
    """The paragraphs ``make bench`` times (templates mixed with test-set sentences, numbers
    varied), a fresh sample of them: the speed measured is that of the right cuts."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "bench" / "bench_segmentation.py"
    spec = importlib.util.spec_from_file_location("bench_segmentation", path)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    segmenter = segmenter_for(lang)
    paragraphs = bench.corpus(lang, size=4000, seed=7)
    assert len(paragraphs) >= 8
    for text in paragraphs:
        assert segmenter.split(text) == reference_split(segmenter, text)


def test_a_look_ahead_at_the_end_of_beforebreak_sees_the_text_after_the_position():
    # the English list rule: "… a. First item 2. Second item" breaks before "2." because its
    # beforebreak looks ahead past the position
    segmenter = segmenter_for("en")
    text = "See note 5. a. First item 2. Second item. Done 55. Next."
    assert segmenter.split(text) == reference_split(segmenter, text)
    assert "2. Second item. " in segmenter.split(text)


@pytest.mark.parametrize(
    "text",
    [
        "INTERPOL's chief said: 'We act now. We act together.' The police's report is out. Go.",
        "The team's work. 'Quoted. Still quoted,' he said. Police’s ‘view. Here.’ Done. It's over.",
        'He said "one. two." Then: "three. Four. ',
        "No quotes here. None at all. " * 30 + "INTERPOL's. 'Open. Never closed.",
        "The team's work is done. It's over. INTERPOL's view. " * 5,
    ],
)
def test_quotation_rules_left_out_only_where_they_cannot_match(text):
    segmenter = segmenter_for("en")
    assert segmenter.split(text) == reference_split(segmenter, text)
    if "'We act" in text:
        assert "'We act now. We act together.' " in segmenter.split(text)[0]


def test_rules_that_scan_far_and_their_presence_search():
    from tm.segment.trigger import presence, scans_far

    assert scans_far(r"(?:^|\s)'[^'\n]{0,600}+") and scans_far(r"[^\n]{0,400}\s")
    assert not scans_far(r"\S{0,300}") and not scans_far(r"\s+\p{Lu}") and not scans_far(r"\.")
    # Possessive repeats become ordinary ones: a look-behind (run backwards) may match
    # where the pattern run forwards cannot.
    assert presence(r"a{0,5}+a")("xaax") is not None
    assert presence(r"(?:^|\s)'(?<=\s')x")("it's") is None
    assert presence(r"(?:^|\s)'(?<=\s')x")("say 'x") is not None


def test_loosened_patterns_keep_their_extent():
    from tm.segment.trigger import loosened, required_characters, without_lookbehinds

    assert without_lookbehinds(r"\.(?<=(?:(?<![\w.])[A-Z]\.)+)x[(](?<!\()") == r"\.x[(]"
    assert loosened(r"[.!?](?<=[\p{Ll}\d][.!?])(?=\p{Lu}\p{Ll})") == r"[.!?](?=[^\W\d_a-z][^\W\d_A-Z])"
    assert loosened(r"\s+[^\s\p{Ll}\d]") == r"\s+[^\sa-z\d]"
    assert loosened(r"[\p{P}]") is None
    assert required_characters(r"(?:^|\s)\"[^\"]*(?=x@)") == frozenset('"x@')


def test_comments_anywhere_and_a_header_without_cascade():
    text = srx(BREAK_AFTER_STOP, pattern="en.*").replace(
        '<languagerule languagerulename="Office">',
        '<!-- office rules -->\n<languagerule languagerulename="Office">',
    )
    text = text.replace('<header segmentsubflows="yes" cascade="no"/>', "<header></header>")
    extra = '<languagemap languagepattern=".*" languagerulename="Office"/>\n    </maprules>'
    office = read_srx(text.replace("</maprules>", extra).encode(), "office.srx")
    # Like OmegaT, whose default rules leave the attribute out: every matching map applies.
    assert len(office.rules_for("en")) == 2


@pytest.mark.parametrize("lang", ["../rules/en", "default", "EN"])
def test_odd_language_codes_never_pick_a_file_by_path(lang):
    warnings = segmenter_for(lang).warnings
    if lang == "EN":
        assert warnings == ()
    else:
        assert warnings == (f"no segmentation rules for language '{lang}'; using the default rules",)
