"""Sentence segmentation: tm's SRX rules against pySBD and a bare ``re.split``.

Builds about 5 MB of press-release text per language: paragraphs of one to six sentences,
each an ordinary sentence from templates (names, countries, numbers and dates filled in at
random) or, one time in three, a sentence of our test sets (tests/data/segmentation/), which
are dense with abbreviations, initials, URLs and quotations; numbers are varied. It prints
side by side: tm's throughput, pySBD's on a slice of the same text (it is about a
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
SPECIAL_SHARE = 1 / 3

# Ordinary press-release sentences; {slots} are filled from FILLERS.
TEMPLATES = {
    "en": [
        "The {org} announced on {day} that {n} suspects had been arrested in {country}.",
        "Officers from {country} and {country2} took part in the operation, which lasted {n} days.",
        "The investigation began in {month} {year} after a report from the national police.",
        "More than {n} victims have been identified since the start of the programme.",
        "{name}, head of the {org}, said the results showed the value of international cooperation.",
        "The next meeting of the working group will take place in {city} in {month}.",
        "All suspects will appear before a judge in the coming weeks.",
        "The {org} supports its member countries with training, databases and operational assistance.",
        "Why does this matter for the public?",
        "The campaign will run in {n} countries until the end of {year}!",
    ],
    "fr": [
        "L’{org} a annoncé {day} l’arrestation de {n} suspects en {country}.",
        "Des policiers de {country} et de {country2} ont participé à l’opération, qui a duré {n} jours.",
        "L’enquête a commencé en {month} {year} à la suite d’un signalement de la police nationale.",
        "Plus de {n} victimes ont été identifiées depuis le début du programme.",
        "{name}, chef de l’{org}, a déclaré que les résultats montraient l’intérêt de la coopération.",
        "La prochaine réunion du groupe de travail aura lieu à {city} en {month}.",
        "Tous les suspects comparaîtront devant un juge dans les semaines à venir.",
        "L’{org} aide ses pays membres par la formation, les bases de données et l’appui opérationnel.",
        "Pourquoi est-ce important pour le public ?",
        "La campagne se déroulera dans {n} pays jusqu’à la fin de {year} !",
    ],
    "ar": [
        "أعلنت {org} يوم {day} توقيف {n} مشبوها في {country}.",
        "وشارك في العملية، التي استمرت {n} يوما، أفراد من شرطة {country} و{country2}.",
        "وبدأ التحقيق في {month} {year} بعد بلاغ من الشرطة الوطنية.",
        "وتم تحديد هوية أكثر من {n} ضحية منذ بدء البرنامج.",
        "وقال {name}، رئيس {org}، إن النتائج تثبت أهمية التعاون الدولي.",
        "وسيعقد الاجتماع المقبل لفريق العمل في {city} في شهر {month}.",
        "وسيمثل جميع المشبوهين أمام القضاء في الأسابيع المقبلة.",
        "وتدعم {org} البلدان الأعضاء بالتدريب وقواعد البيانات والمساعدة العملياتية.",
        "لماذا يهم هذا الأمر الجمهور؟",
        "وستستمر الحملة في {n} بلدا حتى نهاية عام {year}!",
    ],
}
FILLERS = {
    "en": {
        "org": ["INTERPOL", "Europol", "Ministry of the Interior", "Crimes against Children unit"],
        "day": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
        "country": ["Brazil", "Chile", "France", "Indonesia", "Norway", "Tunisia", "Turkey"],
        "country2": ["Finland", "Mexico", "South Africa", "the Netherlands", "Venezuela"],
        "month": ["January", "March", "May", "October", "December"],
        "name": ["Martin Kiefer", "Mick Moran", "Laura Chen", "Ahmed Saleh"],
        "city": ["Lyon", "Singapore", "Buenos Aires", "Nairobi"],
    },
    "fr": {
        "org": ["INTERPOL", "Office central", "unité Crimes contre les enfants"],
        "day": ["lundi", "mardi", "mercredi", "jeudi", "vendredi"],
        "country": ["Tunisie", "France", "Indonésie", "Norvège", "Turquie"],
        "country2": ["Finlande", "Belgique", "Suisse", "Côte d’Ivoire"],
        "month": ["janvier", "mars", "mai", "octobre", "décembre"],
        "name": ["Martin Kiefer", "Mick Moran", "Laura Chen", "Ahmed Saleh"],
        "city": ["Lyon", "Singapour", "Dakar", "Montréal"],
    },
    "ar": {
        "org": ["الإنتربول", "وزارة الداخلية", "وحدة مكافحة الجرائم ضد الأطفال"],
        "day": ["الاثنين", "الثلاثاء", "الأربعاء", "الخميس"],
        "country": ["تونس", "فرنسا", "إندونيسيا", "النرويج", "تركيا"],
        "country2": ["فنلندا", "المكسيك", "جنوب أفريقيا", "هولندا"],
        "month": ["كانون الثاني/يناير", "آذار/مارس", "أيار/مايو", "تشرين الأول/أكتوبر"],
        "name": ["مارتن كيفوي", "ميك موران", "أحمد صالح", "ليلى منصور"],
        "city": ["ليون", "سنغافورة", "القاهرة", "الرباط"],
    },
}


def sentences_of(lang: str) -> list[str]:
    lines = (TEST_SETS / f"{lang}.txt").read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("#")]


def corpus(lang: str, size: int = CORPUS_BYTES, seed: int = 2012) -> list[str]:
    """Paragraphs of 1 to 6 sentences, ordinary or special (see the module's docstring)."""
    rng = random.Random(seed)
    special = sentences_of(lang)
    fillers = FILLERS[lang]

    def sentence() -> str:
        if rng.random() < SPECIAL_SHARE:
            return rng.choice(special)
        slots = {slot: rng.choice(values) for slot, values in fillers.items()}
        slots.update(n=rng.randint(2, 950), year=rng.randint(2009, 2013))
        return rng.choice(TEMPLATES[lang]).format(**slots)

    paragraphs: list[str] = []
    total = 0
    while total < size:
        picked = " ".join(sentence() for _ in range(rng.randint(1, 6)))
        paragraph = _DIGITS.sub(lambda m: str(rng.randrange(10 ** len(m.group())) or 1), picked)
        paragraphs.append(paragraph)
        total += len(paragraph.encode("utf-8")) + 2
    return paragraphs


def distinct_paragraphs(lang: str) -> list[str]:
    """Real text that does not repeat: the test set, and every translation into ``lang`` in
    locales/ (the project's releases, as translated)."""
    from tm.formats.po import FORMAT as PO

    found = sentences_of(lang)
    for path in sorted((ROOT / "locales" / lang).glob("*.po")):
        found += [entry.target for entry in PO.read(path.read_bytes(), str(path)).active if entry.target]
    return list(dict.fromkeys(found))


def cold_throughput(lang: str, paragraphs: list[str], runs: int = 5) -> float:
    """MB/s on ``paragraphs`` with nothing learnt beforehand (the rules compiled): what a
    single short release costs, where no window around a candidate has been seen before.
    Best of ``runs``."""
    from tm import segment

    best = 0.0
    for _ in range(runs):
        segment._learnt.cache_clear()  # forget the windows learnt (the rules stay compiled)
        best = max(best, throughput(segmenter_for(lang).split, paragraphs))
    return best


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
        # The same text in paragraphs ten times longer: a rule that scans back or ahead over
        # the whole paragraph at every candidate shows here.
        long_speed = throughput(
            segmenter.split, [" ".join(paragraphs[i : i + 10]) for i in range(0, len(paragraphs), 10)]
        )
        floor_speed = throughput(FLOOR.split, paragraphs)
        pysbd = _pysbd(lang)
        sample, taken = [], 0
        for paragraph in paragraphs:
            if taken >= PYSBD_BYTES:
                break
            sample.append(paragraph)
            taken += len(paragraph.encode("utf-8"))
        pysbd_speed = throughput(pysbd, sample) if pysbd else None
        distinct = distinct_paragraphs(lang)
        cold = (cold_throughput(lang, distinct), sum(len(p.encode("utf-8")) for p in distinct) / 1e3)
        rows.append((lang, size, tm_speed, long_speed, pysbd_speed, floor_speed, cold))

    print("Throughput (MB/s of UTF-8 text, CPU time; pySBD timed on the first 0.15 MB, the rest on all;")
    print("'tm 10x': the same text in paragraphs ten times longer; 'tm cold': text that does not")
    print("repeat (the test set and the translations in locales/), nothing learnt beforehand)")
    print(
        f"{'lang':<5}{'corpus MB':>10}{'tm':>9}{'tm 10x':>9}{'pySBD':>9}{'tm/pySBD':>10}{'re.split':>10}"
        f"{'tm cold':>9}{'(KB)':>6}"
    )
    for lang, size, tm_speed, long_speed, pysbd_speed, floor_speed, (cold, kb) in rows:
        pysbd_cell = f"{pysbd_speed:9.2f}" if pysbd_speed else f"{'-':>9}"
        ratio = f"{tm_speed / pysbd_speed:9.0f}x" if pysbd_speed else f"{'-':>10}"
        print(
            f"{lang:<5}{size:10.1f}{tm_speed:9.1f}{long_speed:9.1f}{pysbd_cell}{ratio}{floor_speed:10.1f}"
            f"{cold:9.1f}{kb:6.0f}"
        )

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
