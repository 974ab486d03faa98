"""Reading and writing translators' files: tm's adapters beside translate-toolkit and Babel.

A synthetic release of 5,000 segments (inline tags in one in five, half translated, memory
suggestions on the rest) is written and read by each of tm's adapters; the same bytes are
read by the library a press office would otherwise script against, down to each unit's id,
source and target (what an import needs; translate-toolkit builds those lazily). Figures are the best of
three runs; the ratio is the other tool's time over tm's (above 1: tm is faster).
"""

from __future__ import annotations

import io
import time

from tm.formats import exchange_format
from tm.model import Catalog, Entry, Suggestion

SEGMENTS = 5_000


def catalog() -> Catalog:
    entries = []
    for n in range(SEGMENTS):
        source = f"Officers from {n} countries met in Lyon on {n % 28 + 1} May to <1>share</1> evidence."
        if n % 5:
            source = source.replace("<1>share</1>", "share")
        translated = n % 2 == 0
        entries.append(
            Entry(
                id=f"p{n // 3 + 1}.s{n % 3 + 1}",
                source=source,
                target=f"Des agents de {n} pays se sont réunis à Lyon." if translated else "",
                context=f"paragraph {n // 3 + 1}",
                references=[f"sources/bench.en.txt:{n + 1}"],
                suggestions=[] if translated else [Suggestion(source, "Des agents se sont réunis.", 86)],
            )
        )
    return Catalog("2024-01-01-bench", "en", "fr", entries)


def texts(store) -> list[tuple[str, str, str]]:
    """What an import needs from each unit: its id, source and target (translate-toolkit reads lazily)."""
    return [(unit.getid(), unit.source, unit.target) for unit in store.units]


def best(run, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    from babel.messages.pofile import read_po
    from translate.storage.po import pofile as ttk_pofile
    from translate.storage.xliff import xlifffile
    from translate.storage.xliff2 import Xliff2File

    source = catalog()
    others = {
        "po": [
            ("Babel read_po", lambda data: list(read_po(io.BytesIO(data)))),
            ("translate-toolkit pofile", lambda data: texts(ttk_pofile.parsestring(data))),
        ],
        "xliff": [("translate-toolkit xlifffile", lambda data: texts(xlifffile.parsestring(data)))],
        "xliff2": [("translate-toolkit Xliff2File", lambda data: texts(Xliff2File.parsestring(data)))],
    }
    print(f"{SEGMENTS} segments per file; best of 3 runs; ratio = other reader's time / tm's read time")
    print(
        f"{'format':7} {'MB':>5} {'tm write s':>10} {'tm read s':>9}  {'other reader':28} "
        f"{'other s':>7} {'ratio':>5}"
    )
    for name, readers in others.items():
        adapter = exchange_format(name)
        data = adapter.write(source)
        write = best(lambda adapter=adapter: adapter.write(source))
        read = best(lambda adapter=adapter, data=data: adapter.read(data, "bench"))
        for label, other in readers:
            other_read = best(lambda other=other, data=data: other(data))
            print(
                f"{name:7} {len(data) / 1e6:5.2f} {write:10.3f} {read:9.3f}  {label:28} "
                f"{other_read:7.3f} {other_read / read:5.2f}"
            )


if __name__ == "__main__":
    main()
