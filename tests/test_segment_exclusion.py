"""What a window of text around a position tells about the rules (segment/exclusion.py) and
the cheap tests the trigger runs first (segment/trigger.py): a rule is never left out where
it matches, a rule shown to match matches whatever surrounds the window, and the segmenter
that relies on them cuts exactly where the rules applied at every position cut."""

from __future__ import annotations

import random

import pytest
import regex

from test_segment import reference_split
from test_segment_testsets import read_test_set
from tm.segment import _scoped, segmenter_for
from tm.segment.exclusion import (
    after_sure,
    after_test,
    before_sure,
    before_test,
    equivalent_characters,
    never_at_edges,
    without_assertions,
)
from tm.segment.trigger import behind_search, last_characters, necessary_strings

# Texts around the tails and heads of the test sets, to try the claims against.
LEFT = ["", " ", "x", "1", ".", "\n", "Mr", "e.g", "1. ", "a", '"', "www.x"]
RIGHT = ["", " ", "x", "X", "1", ".", "\n", "--", " The", "@x"]


def texts(lang: str) -> list[str]:
    return [" ".join(expected) for _covers, expected in read_test_set(lang)]


def positions(text: str, rng: random.Random) -> list[int]:
    """Positions after a character that is not a letter (where rules act), and some others."""
    return [p for p in range(1, len(text)) if not text[p - 1].isalpha() or rng.random() < 0.1]


@pytest.mark.parametrize("lang", ["ar", "en", "fr", "de"])
def test_a_rule_is_left_out_only_where_it_cannot_match(lang):
    rng = random.Random(3)
    rules = segmenter_for(lang).rules
    checks = [
        (
            before_test(_scoped(r.before)) if r.before else None,
            after_test(_scoped(r.after)) if r.after else None,
            regex.compile(f"(?<={_scoped(r.before)})") if r.before else None,
            regex.compile(f"(?={_scoped(r.after)})") if r.after else None,
        )
        for r in rules
    ]
    tried = 0
    for text in texts(lang if lang != "de" else "en")[:25]:
        for p in positions(text, rng):
            for before, after, before_here, after_here in checks:
                if before is not None and before_here.match(text, p):
                    for length in (1, 3, 8, 20):
                        tried += 1
                        assert before(text[max(0, p - length) : p]), (text, p)
                if after is not None and after_here.match(text, p):
                    for length in (1, 4):
                        tried += 1
                        assert after(text[p : p + length]), (text, p)
    assert tried > 1000


@pytest.mark.parametrize("lang", ["ar", "en", "fr"])
def test_a_rule_shown_to_match_matches_whatever_surrounds_the_window(lang):
    rng = random.Random(5)
    rules = segmenter_for(lang).rules
    shown = 0
    for rule in rules:
        sure_before = before_sure(_scoped(rule.before)) if rule.before else None
        sure_after = after_sure(_scoped(rule.after)) if rule.after else None
        before_here = regex.compile(f"(?<={_scoped(rule.before)})") if rule.before else None
        after_here = regex.compile(f"(?={_scoped(rule.after)})") if rule.after else None
        for text in texts(lang)[:20]:
            for p in positions(text, rng):
                tail = text[max(0, p - rng.choice((2, 5, 12))) : p]
                if sure_before is not None and sure_before(tail):
                    shown += 1
                    for left in LEFT:
                        assert before_here.match(left + tail, len(left + tail)), (rule.before, left + tail)
                head = text[p : p + rng.choice((2, 3, 4, 6))]
                if sure_after is not None and sure_after(head):
                    shown += 1
                    for right in RIGHT:
                        assert after_here.match(head + right), (rule.after, head + right)
    assert shown > 100


def test_what_the_window_tests_see():
    # Word boundaries stay, also true at the edges of the characters given.
    assert not before_test(r"\b(?:Mr|al)\.")(" material.")
    assert before_test(r"\b(?:Mr|al)\.")("al.")
    assert before_test(r"\b(?:Mr|al)\.")("l.")  # "al." may start before the tail
    # A look-ahead at the end of a beforebreak would look past the tail: dropped.
    assert before_test(r"\s(?=\d)")("word ")
    assert without_assertions(r"a(?=b)(?!c)\bd", ahead=True, behind=False) == r"a(?!c)(?:\b|^|$)d"
    assert without_assertions(r"(?<=x)[\b]y", ahead=False, behind=True) == r"[\b]y"
    # A head that cannot start the afterbreak, and one that may.
    assert not after_test(r"\s+\p{Lu}")(" off")
    assert after_test(r"\s+\p{Lu}")("   ")
    # Anchors never match in the sure tests: the tail need not start the paragraph.
    assert never_at_edges(r"(?:^|[.!?]\s)[^$^]x$\A") == r"(?:(?!)|[.!?]\s)[^$^]x(?!)(?!)"
    list_marker = before_sure(r"(?:^|[.!?:]\s+)(?:\d{1,2}|\p{L})\.")
    assert list_marker(". H.") and not list_marker("H.") and not list_marker(" H.")
    sentence_end = after_sure(r"\s+(?!--)[^\s\p{Ll}\d»”’)\]]")
    assert sentence_end(" Off") and sentence_end(" Of") and not sentence_end(" O") and not sentence_end(" of")
    # Rules whose answer on a piece of text says nothing about the whole are never sure.
    assert before_sure(r"a{0,3}+b") is None and after_sure(r"(?<=x)y") is None


def test_digits_no_rule_tells_apart_are_one():
    en = segmenter_for("en").rules
    same = equivalent_characters([p for r in en for p in (r.before, r.after) if p])
    assert same["7"] == same["3"] == same["0"] and same["1"] == "1"  # "1." opens a list
    assert same["\u0663"] == same["7"]  # \d holds the Arabic-Indic digits too
    ar = segmenter_for("ar").rules
    same = equivalent_characters([p for r in ar for p in (r.before, r.after) if p])
    assert same["\u0663"] == same["\u0660"] != same["3"]  # \p{Arabic} holds only those
    same = equivalent_characters([r"[0-4]\.", r"\d"])
    assert same["3"] == same["0"] != same["7"] == same["\u0663"]
    assert equivalent_characters([r"(\d)\1"]) == {}  # back-references are not read
    assert equivalent_characters([r"(?P<d>\d)(?P=d)"]) == {}
    # groups, capturing or not, hold atoms like any others
    same = equivalent_characters([r"([0-4])\.", r"(?-i:\d)(?|x|y)"])
    assert same["3"] == same["0"] != same["7"] == same["\u0663"]


def test_trigger_sees_what_rules_end_with_and_need():
    assert set(last_characters(r"[.!?]{1,8}(?:[\"'”’»)\]]){0,8}")) >= set(".!?\"')]")
    assert last_characters(r"\.\d{1,3}") is None  # ends with a digit: searched alone
    assert last_characters(r"\s") is None and last_characters(r"x?") is None
    opener = r"(?<=(?:^|[.!?:]\s+)(?:1|a)(?:\.\)?|\))\s[^\n]{0,400})\s(?=[A-Z])"
    assert set(necessary_strings(opener)) == {"1.", "1)", "a.", "a)"}
    assert set(necessary_strings(r"(?=[•‣])")) == {"•", "‣"}
    assert necessary_strings(r"\.\s+[A-Z]") is None  # "." is in every paragraph


def test_what_a_look_behind_needs_is_found_wherever_the_rule_matches():
    rule = r"(?<=(?:^|[.!?:]\s+)(?:1|a)(?:\.\)?|\))\s[^\n]{0,400})\s(?=(?:\d{1,2}|[a-z])[.)]\s+[A-Z])"
    needs = behind_search(rule)
    matches = regex.compile(rule).search
    rng = random.Random(2)
    alphabet = list("a1.) :!Ab\n2")
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        if matches(text):
            assert needs(text), text
    assert needs("1. First 2. Second") and needs("Done. a) one b) Two")
    assert not needs("In Africa. 2. The") and not needs("x 1. y")
    assert behind_search(r"\.x") is None


@pytest.mark.usefixtures("each_cutter")  # with the pure-Python cutter, then the compiled one
def test_cuts_stay_exact_when_what_was_learnt_is_forgotten(monkeypatch):
    import tm.segment

    monkeypatch.setattr(tm.segment, "_MEMORY", 3)
    segmenter = segmenter_for("en")
    for text in texts("en")[:15]:
        assert segmenter.split(text) == reference_split(segmenter, text)


@pytest.mark.usefixtures("each_cutter")  # with the pure-Python cutter, then the compiled one
def test_windows_told_apart_only_by_digits_cut_alike():
    segmenter = segmenter_for("en")
    for text in ("It rose 12. Then it fell.", "It rose 17. Then it fell.", "Item 1. Then it fell."):
        assert segmenter.split(text) == reference_split(segmenter, text)
    for digit in "0123456789\u0663":
        text = f"See note {digit}. It rose {digit}{digit}. Then 1{digit}. 1. Done {digit}.{digit} Next."
        assert segmenter.split(text) == reference_split(segmenter, text)


@pytest.mark.parametrize("lang", ["en", "fr", "ar"])
@pytest.mark.usefixtures("each_cutter")  # with the pure-Python cutter, then the compiled one
def test_fast_path_agrees_with_omegat_rules_applied_everywhere(lang):
    """OmegaT's own rules (Java-style patterns, many abbreviations): the windows, the
    trigger and the chains derived from them cut exactly where those rules say."""
    from test_segment_srx_oracle import oracle

    path = oracle("TM_OMEGAT_SRX", "OmegaT's defaultRules.srx")
    segmenter = segmenter_for(lang, rules=path)
    for text in texts(lang)[:12]:
        assert segmenter.split(text) == reference_split(segmenter, text)


def test_strings_a_paragraph_holds_are_found_however_they_are_looked_for(each_cutter):
    strings = ["@", '"', "1.", "a.", "A.", "a)", "1)", "Yahoo!", "www.", "-.", "]x", "ex.", "\u2022"]
    held = each_cutter.Strings(strings).held
    rng = random.Random(11)
    alphabet = list('aA1x.)]-@!Yho"w e\u2022\n')
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        found = held(text)
        assert {s for s in strings if s in found} == {s for s in strings if s in text}, text
