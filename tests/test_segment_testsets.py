"""Our own test sets: press-release paragraphs in Arabic, English and French with the
sentences the shipped rules must find (tests/data/segmentation/<lang>.txt)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tm.segment import segmenter_for

DATA = Path(__file__).parent / "data" / "segmentation"
# What SPEC section 4 and issue 3 ask the rules to handle, in every language.
RULES = {
    "sentence-end",
    "question",
    "exclamation",
    "colon-semicolon",
    "titles",
    "abbreviations",
    "initials",
    "url",
    "email",
    "domain",
    "numbers",
    "phone",
    "quotation",
    "closing-quote",
    "closing-bracket",
    "ellipsis",
    "bidi",
    "list",
    "dateline",
    "contact",
    "country-list",
}


def read_test_set(lang: str) -> list[tuple[set[str], list[str]]]:
    """(rules covered, expected sentences) for each paragraph of the test set."""
    paragraphs = []
    for block in (DATA / f"{lang}.txt").read_text(encoding="utf-8").split("\n\n"):
        lines = block.strip("\n").split("\n")
        covers = set()
        sentences = []
        for line in lines:
            if line.startswith("# covers:"):
                covers |= {word.strip() for word in line.removeprefix("# covers:").split(",")}
            elif not line.startswith("#") and line:
                sentences.append(line)
        if sentences:
            paragraphs.append((covers, sentences))
    return paragraphs


@pytest.mark.parametrize("lang", ["ar", "en", "fr"])
def test_test_set_is_big_enough_and_covers_every_rule(lang):
    paragraphs = read_test_set(lang)
    assert len(paragraphs) >= 40
    covered = set().union(*(covers for covers, _ in paragraphs))
    assert covered >= RULES, f"not covered in {lang}.txt: {sorted(RULES - covered)}"


@pytest.mark.parametrize("lang", ["ar", "en", "fr"])
@pytest.mark.usefixtures("each_cutter")  # with the pure-Python cutter, then the compiled one
def test_test_set_segments_as_expected(lang):
    segmenter = segmenter_for(lang)
    failures = []
    for covers, expected in read_test_set(lang):
        text = " ".join(expected)
        pieces = segmenter.split(text)
        assert "".join(pieces) == text
        got = [p.strip() for p in pieces if p.strip()]
        if got != expected:
            failures.append((sorted(covers), got, expected))
    assert failures == []
