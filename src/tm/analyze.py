"""``tm analyze``: what the memory already covers of a release, before translation.

Segments and source words fall into the bands CAT tools quote and translators are paid by:
repetitions within the release, 100%, 95–99, 85–94, 75–84, 50–74 and no match. The memory
is passed in (any :class:`~tm.memory.Memory`), so the same analysis runs against SQLite,
PostgreSQL or a test double.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from tm.memory import Memory
from tm.memory.normalise import normalise
from tm.model import Document
from tm.reports import count_words

# (key, label, lowest score); repetitions come first and are decided within the release.
BANDS = (
    ("repetitions", "Repetitions", None),
    ("100", "100%", 100),
    ("95-99", "95–99%", 95),
    ("85-94", "85–94%", 85),
    ("75-84", "75–84%", 75),
    ("50-74", "50–74%", 50),
    ("no-match", "No match", 0),
)
LOWEST_SCORE = 50


@dataclass
class Band:
    segments: int = 0
    words: int = 0


@dataclass
class Leverage:
    """One release against the memory, in one target language."""

    lang: str
    bands: dict[str, Band] = field(default_factory=lambda: {key: Band() for key, _, _ in BANDS})

    @property
    def segments(self) -> int:
        return sum(b.segments for b in self.bands.values())

    @property
    def words(self) -> int:
        return sum(b.words for b in self.bands.values())


@dataclass
class Analysis:
    release: str
    source_language: str
    languages: dict[str, Leverage] = field(default_factory=dict)


def band_of(score: int | None) -> str:
    """The band of a best memory score (``None`` when the memory has nothing at 50 or above)."""
    for key, _, lowest in BANDS[1:]:
        if score is not None and score >= lowest:
            return key
    return "no-match"


def analyze(document: Document, targets: list[str], memory: Memory) -> Analysis:
    """Band every segment of ``document`` for each target language."""
    release = document.release
    analysis = Analysis(release.id, release.lang)
    for lang in targets:
        leverage = Leverage(lang)
        seen: set[str] = set()
        repeats = []
        for segment in document.segments:
            key = normalise(segment.text)
            repeats.append(key in seen)
            seen.add(key)
        firsts = [s.text for s, repeat in zip(document.segments, repeats, strict=True) if not repeat]
        best = iter(memory.matches_many(release.lang, firsts, lang, threshold=LOWEST_SCORE, limit=1))
        for segment, repeat in zip(document.segments, repeats, strict=True):
            if repeat:
                band = "repetitions"
            else:
                found = next(best)
                band = band_of(found[0].score if found else None)
            leverage.bands[band].segments += 1
            leverage.bands[band].words += count_words(segment.text, release.lang)
        analysis.languages[lang] = leverage
    return analysis


def as_json(analysis: Analysis) -> str:
    document = {
        "release": analysis.release,
        "source_language": analysis.source_language,
        "languages": {
            lang: {
                "segments": leverage.segments,
                "words": leverage.words,
                "bands": {
                    key: {"segments": band.segments, "words": band.words}
                    for key, band in leverage.bands.items()
                },
            }
            for lang, leverage in analysis.languages.items()
        },
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def as_table(analysis: Analysis) -> str:
    langs = list(analysis.languages)
    header = ["band", *(f"{lang} {unit}" for lang in langs for unit in ("segments", "words", "%words"))]
    body = []
    for key, label, _ in BANDS:
        row = [label]
        for lang in langs:
            leverage = analysis.languages[lang]
            band = leverage.bands[key]
            share = 100 * band.words / leverage.words if leverage.words else 0.0
            row += [str(band.segments), str(band.words), f"{share:.1f}"]
        body.append(row)
    body.append(
        ["Total", *(v for lang in langs for v in _total(analysis.languages[lang]))],
    )
    widths = [max(len(r[i]) for r in [header, *body]) for i in range(len(header))]
    lines = [f"{analysis.release} ({analysis.source_language} source)"]
    for row in [header, *body]:
        lines.append(
            "  ".join(
                v.ljust(w) if i == 0 else v.rjust(w) for i, (v, w) in enumerate(zip(row, widths, strict=True))
            )
        )
    return "\n".join(lines) + "\n"


def _total(leverage: Leverage) -> list[str]:
    return [str(leverage.segments), str(leverage.words), "100.0" if leverage.words else "0.0"]


RENDERERS = {"table": as_table, "json": as_json}
