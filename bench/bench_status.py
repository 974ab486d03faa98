"""``tm status`` over 1,000 releases with two target languages each, against ``pocount``.

Generates (once, under ``bench/out/status/``) a workspace of 1,000 short releases, a third
each in Arabic, English and French, each with its two working PO files part-translated; then
times, each in a fresh process, ``tm status --format json`` and translate-toolkit's
``pocount --csv`` over the same 2,000 PO files. Target: about a second for tm.
"""

from __future__ import annotations

import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

OUT = Path(__file__).parent / "out" / "status"
RELEASES = 1000
RUNS = 3

SENTENCES = {
    "en": [
        "INTERPOL has coordinated an operation against {n} suspects in {m} countries.",
        "The operation ran from {d} May to {e} June {y}.",
        "Officers seized {n},{k:03d} counterfeit items worth {m}.5 million euros.",
        "For more information, contact the press office at www.interpol.int/News.",
        "Tel. +33 4 72 44 71 69",
        "Secretary General Jürgen Stock said: “This shows what police cooperation can achieve.”",
        "Media contacts:",
        "The {m} member countries agreed to share data through the I-24/7 network.",
    ],
    "fr": [
        "INTERPOL a coordonné une opération contre {n} suspects dans {m} pays.",
        "L’opération s’est déroulée du {d} mai au {e} juin {y}.",
        "Les policiers ont saisi {n}\u00a0{k:03d} articles contrefaits"
        " d’une valeur de {m},5 millions d’euros.",
        "Pour plus d’informations, contactez le service de presse\u00a0: www.interpol.int/News.",
        "Tél. +33 4 72 44 71 69",
        "Le Secrétaire général Jürgen Stock a déclaré\u00a0:"
        " «\u00a0Voilà ce que permet la coopération\u00a0».",
        "Contacts pour les médias\u00a0:",
        "Les {m} pays membres sont convenus d’échanger des données via le réseau I-24/7.",
    ],
    "ar": [
        "نسّق الإنتربول عملية استهدفت {n} مشبوها في {m} بلدا.",
        "جرت العملية من {d} مايو إلى {e} يونيو {y}.",
        "ضبط الشرطيون {n}٬{k:03d} سلعة مقلدة تبلغ قيمتها {m}٫5 مليون يورو.",
        "للمزيد من المعلومات، يرجى الاتصال بمكتب الصحافة: www.interpol.int/News.",
        "الهاتف +33 4 72 44 71 69",
        "وقال الأمين العام يورغن شتوك: ’’هذا ما يمكن أن يحققه التعاون الشرطي‘‘.",
        "الجهات المرجعية التي يمكن لوسائط الإعلام الاتصال بها:",
        "واتفقت البلدان الأعضاء الـ {m} على تبادل البيانات عبر شبكة I-24/7.",
    ],
}


def build(root: Path) -> list[Path]:
    """Write the workspace (once) and return its working PO files."""
    stamp = root / ".complete"
    if stamp.exists():
        return sorted((root / "locales").rglob("*.po"))
    from tm import locales
    from tm.extract import extract
    from tm.memory import open_memory
    from tm.workspace import Workspace, init_workspace

    shutil.rmtree(root, ignore_errors=True)
    init_workspace(root)
    rng = random.Random(7)
    langs = ("ar", "en", "fr")
    plans = []  # per release: the same sentences in every language
    for number in range(RELEASES):
        lang = langs[number % 3]
        values = [
            {
                "n": rng.randint(2, 99),
                "m": rng.randint(2, 60),
                "d": rng.randint(1, 15),
                "e": rng.randint(16, 28),
                "y": rng.randint(2005, 2024),
                "k": rng.randint(0, 999),
            }
            for _ in range(8)
        ]
        picked = [i for i in range(8) if rng.random() < 0.8] or [0]
        text = "\n\n".join(SENTENCES[lang][i].format(**values[i]) for i in picked) + "\n"
        (root / "sources" / f"{2010 + number // 100}-{number:04d}-release.{lang}.txt").write_text(text)
        plans.append({lang: [SENTENCES[lang][i].format(**values[i]) for i in picked] for lang in langs})
    ws = Workspace.open(root)
    memory = open_memory(str(root / "memory" / "tm.sqlite"))
    extract(ws, ws.select([]), memory)
    memory.close()
    for release in ws.select([]):
        plan = plans[int(release.id.split("-")[1])]
        for lang in ws.targets(release):
            translation = dict(zip(plan[release.lang], plan[lang], strict=True))
            catalog = locales.load(ws, release.id, lang)
            for entry in catalog.active:
                roll = rng.random()
                if roll < 0.7:
                    entry.target = translation.get(entry.source, f"[{lang}] {entry.source}")
                elif roll < 0.8:
                    entry.target, entry.fuzzy = "…", True
            locales.save(ws, catalog)
    stamp.touch()
    return sorted((root / "locales").rglob("*.po"))


def timed(command: list[str], runs: int = RUNS) -> tuple[float, subprocess.CompletedProcess]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = subprocess.run(command, capture_output=True, text=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    start = time.perf_counter()
    files = build(OUT)
    print(
        f"workspace: {RELEASES} releases, {len(files)} working PO files in {OUT} "
        f"(ready in {time.perf_counter() - start:.1f} s)"
    )
    bin_dir = Path(sys.executable).parent
    tm = [str(bin_dir / "tm"), "--workspace", str(OUT), "status", "--format", "json"]
    shutil.rmtree(OUT / ".tm-cache", ignore_errors=True)
    cold, tm_result = timed(tm, runs=1)  # reads every source and PO file, runs every check
    if tm_result.returncode != 0:
        sys.exit(f"tm status failed: {tm_result.stderr.strip()}")
    warm, _ = timed(tm)  # the usual case: nothing or little changed since the last report
    pocount = [str(bin_dir / "pocount"), "--csv", *map(str, files)]
    po_time, po_result = timed(pocount)
    if po_result.returncode != 0:
        sys.exit(f"pocount failed: {po_result.stderr.strip()[:200]}")
    print(f"fresh process each run; median of {RUNS} runs except the cold one (cpu count {os.cpu_count()})")
    print(f"{'command':<58}{'seconds':>9}{'pocount/tm':>12}")
    rows = [
        ("tm status --format json (cold: no status cache)", cold),
        ("tm status --format json (status cache, files unchanged)", warm),
        ("pocount --csv (same 2,000 PO files)", po_time),
    ]
    for name, seconds in rows:
        print(f"{name:<58}{seconds:>9.2f}{po_time / seconds:>12.2f}")
    print("(tm also runs every check on every finished translation; pocount only counts)")


if __name__ == "__main__":
    main()
