"""``tm analyze``: the leverage bands, against a memory we fill and against a test double."""

from __future__ import annotations

import json

import polib

from conftest import RELEASE, REPO, Tm
from tm.analyze import BANDS, analyze, band_of
from tm.memory import Match, Translation, open_memory
from tm.model import Document, Release, Segment, Skeleton

BAND_KEYS = [key for key, _, _ in BANDS]


class ScoredMemory:
    """A memory that answers with fixed scores, as a fuzzy memory would."""

    def __init__(self, scores: dict[str, int]):
        self.scores = scores
        self.asked: list[tuple] = []

    def matches(self, source_lang, source, target_lang, threshold=75, limit=3):
        self.asked.append((source_lang, source, target_lang, threshold, limit))
        score = self.scores.get(source)
        return [Match(source, "…", score)] if score is not None and score >= threshold else []

    def matches_many(self, source_lang, sources, target_lang, threshold=75, limit=3):
        return [self.matches(source_lang, source, target_lang, threshold, limit) for source in sources]


def document(*texts: str) -> Document:
    release = Release("news", "en", REPO / "news.en.txt", "txt")
    segments = tuple(Segment(f"p{i}.s1", i, 1, text, text, i) for i, text in enumerate(texts, 1))
    return Document(release, Skeleton(()), segments)


def test_every_band_from_scores():
    texts = {
        "One two three.": 100,
        "Four five six seven.": 97,
        "Eight nine.": 90,
        "Ten eleven twelve.": 80,
        "Thirteen.": 60,
        "Fourteen fifteen.": 40,  # under 50: the memory does not offer it
        "Sixteen seventeen eighteen nineteen twenty.": None,
    }
    memory = ScoredMemory({t: s for t, s in texts.items() if s is not None})
    release = document(*texts, "one two three", "Eight nine.")  # two repetitions
    analysis = analyze(release, ["fr", "ar"], memory)
    fr = analysis.languages["fr"]
    assert {k: (b.segments, b.words) for k, b in fr.bands.items()} == {
        "repetitions": (2, 5),
        "100": (1, 3),
        "95-99": (1, 4),
        "85-94": (1, 2),
        "75-84": (1, 3),
        "50-74": (1, 1),
        "no-match": (2, 7),
    }
    assert (fr.segments, fr.words) == (9, 25)
    assert analysis.languages["ar"].bands["100"].segments == 1
    # Repetitions are never looked up; the rest once per language, from 50 up, best only.
    assert len(memory.asked) == 2 * 7
    assert {(a[0], a[3], a[4]) for a in memory.asked} == {("en", 50, 1)}


def test_band_edges():
    assert [band_of(s) for s in (100, 99, 95, 94, 85, 84, 75, 74, 50, 49, None)] == [
        "100",
        "95-99",
        "95-99",
        "85-94",
        "85-94",
        "75-84",
        "75-84",
        "50-74",
        "50-74",
        "no-match",
        "no-match",
    ]


def test_analyze_the_real_release_against_a_memory_we_fill(workspace):
    memory = open_memory(str(workspace / "memory" / "tm.sqlite"))
    english = polib.pofile(str(REPO / "locales" / "en" / f"{RELEASE}.po"))
    known = [e for e in english if e.msgctxt in {"p18.s1", "p21.s1", "p24.s1"}]  # 1 + 1 + 3 words
    memory.add([Translation("ar", e.msgid, "en", e.msgstr) for e in known])
    memory.close()
    tm = Tm(workspace)
    result = tm("analyze", RELEASE, "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["release"] == RELEASE and report["source_language"] == "ar"
    en, fr = report["languages"]["en"], report["languages"]["fr"]
    assert list(en["bands"]) == BAND_KEYS
    assert en["bands"]["100"] == {"segments": 3, "words": 5}
    assert en["bands"]["repetitions"] == {"segments": 0, "words": 0}
    # The rest is spread over the lower bands by however fuzzy the memory is.
    rest = [band for key, band in en["bands"].items() if key not in ("100", "repetitions")]
    assert (sum(b["segments"] for b in rest), sum(b["words"] for b in rest)) == (29, 705)
    assert (en["segments"], en["words"]) == (32, 710)
    assert fr["bands"]["100"] == {"segments": 0, "words": 0}  # nothing in French yet

    table = tm("analyze", RELEASE, "--lang", "en").stdout.splitlines()
    assert table[0] == f"{RELEASE} (ar source)"
    assert table[1].split() == ["band", "en", "segments", "en", "words", "en", "%words"]
    assert table[3].split() == ["100%", "3", "5", "0.7"]
    assert table[-1].split() == ["Total", "32", "710", "100.0"]


def test_analyze_an_unknown_release_is_refused(workspace):
    result = Tm(workspace)("analyze", "no-such-release")
    assert result.exit_code == 2
    assert result.stderr.startswith("tm: unknown release 'no-such-release'")
