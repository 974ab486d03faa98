"""Sentence segmentation: tm's SRX rules against pySBD and a bare ``re.split``.

Builds about 5 MB of press-release text per language from the sentences of our test sets
(tests/data/segmentation/), shuffled into new paragraphs with their numbers varied, and
prints side by side: tm's throughput, pySBD's on a slice of the same text (it is about a
hundred times slower), a bare ``re.split`` on sentence-final marks as a floor, and the
accuracy of tm and pySBD on the English golden rules (../shared/benchmarks).
"""

from __future__ import annotations

import json
import os
import random
import re
import time
from pathlib import Path

from tm.segment import segmenter_for

ROOT = Path(__file__).resolve().parents[1]
TEST_SETS = ROOT / "tests" / "data" / "segmentation"
SHARED = Path(os.environ.get("TM_SHARED", ROOT.parent / "shared"))
GOLDEN = SHARED / "benchmarks" / "golden_en_core.json"
CORPUS_BYTES = 5_000_000
PYSBD_BYTES = 150_000
FLOOR = re.compile(r"(?<=[.!?؟])\s+")
_DIGITS = re.compile(r"\d+")


def sentences_of(lang: str) -> list[str]:
    lines = (TEST_SETS / f"{lang}.txt").read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("#")]


def corpus(lang: str, size: int = CORPUS_BYTES, seed: int = 2012) -> list[str]:
    """Paragraphs of 1 to 6 sentences drawn from the test set, numbers varied."""
    rng = random.Random(seed)
    sentences = sentences_of(lang)
    paragraphs: list[str] = []
    total = 0
    while total < size:
        picked = rng.sample(sentences, rng.randint(1, 6))
        paragraph = _DIGITS.sub(lambda m: str(rng.randrange(10 ** len(m.group())) or 1), " ".join(picked))
        paragraphs.append(paragraph)
        total += len(paragraph.encode("utf-8")) + 2
    return paragraphs


def throughput(split, paragraphs: list[str]) -> float:
    """MB/s of UTF-8 text, in CPU time of this process (the machine is shared: wall-clock
    time would measure the neighbours too)."""
    size = sum(len(p.encode("utf-8")) for p in paragraphs)
    start = time.process_time()
    for paragraph in paragraphs:
        split(paragraph)
    return size / 1e6 / (time.process_time() - start)


def golden_accuracy(split) -> tuple[int, int]:
    cases = json.loads(GOLDEN.read_text(encoding="utf-8"))["cases"]
    passed = sum([s.strip() for s in split(case["text"]) if s.strip()] == case["expected"] for case in cases)
    return passed, len(cases)


def _pysbd(lang: str):
    try:
        import pysbd
    except ImportError:
        return None
    return pysbd.Segmenter(language=lang, clean=False).segment


def main() -> None:
    rows = []
    for lang in ("ar", "en", "fr"):
        paragraphs = corpus(lang)
        size = sum(len(p.encode("utf-8")) for p in paragraphs) / 1e6
        segmenter = segmenter_for(lang)
        tm_speed = throughput(segmenter.split, paragraphs)
        floor_speed = throughput(FLOOR.split, paragraphs)
        pysbd = _pysbd(lang)
        sample, taken = [], 0
        for paragraph in paragraphs:
            if taken >= PYSBD_BYTES:
                break
            sample.append(paragraph)
            taken += len(paragraph.encode("utf-8"))
        pysbd_speed = throughput(pysbd, sample) if pysbd else None
        rows.append((lang, size, tm_speed, pysbd_speed, floor_speed))

    print("Throughput (MB/s of UTF-8 text, CPU time; pySBD timed on the first 0.15 MB, the rest on all)")
    print(f"{'lang':<5}{'corpus MB':>10}{'tm':>9}{'pySBD':>9}{'tm/pySBD':>10}{'re.split':>10}")
    for lang, size, tm_speed, pysbd_speed, floor_speed in rows:
        pysbd_cell = f"{pysbd_speed:9.2f}" if pysbd_speed else f"{'-':>9}"
        ratio = f"{tm_speed / pysbd_speed:9.0f}x" if pysbd_speed else f"{'-':>10}"
        print(f"{lang:<5}{size:10.1f}{tm_speed:9.1f}{pysbd_cell}{ratio}{floor_speed:10.1f}")

    print()
    print(f"Accuracy on {GOLDEN.name} (a case passes when every sentence, stripped, is as expected)")
    if not GOLDEN.is_file():
        print(f"  {GOLDEN} not found; set TM_SHARED")
        return
    passed, total = golden_accuracy(segmenter_for("en").split)
    print(f"  tm      {passed}/{total}")
    pysbd = _pysbd("en")
    if pysbd:
        passed, total = golden_accuracy(pysbd)
        print(f"  pySBD   {passed}/{total}")
    passed, total = golden_accuracy(FLOOR.split)
    print(f"  re.split {passed}/{total}")
