"""Reading Markdown and HTML releases: tm's readers against what a user would otherwise run.

HTML: translate-toolkit's ``htmlfile`` (what ``html2po`` uses) extracts the same kind of
units. Markdown: markdown-it-py's parse alone is the floor under tm's reader (tm adds the
source positions, placeholders and sentence splitting); translate-toolkit's Markdown store
is timed when its optional dependency (mistletoe) is installed.
"""

from __future__ import annotations

import io
import time
from pathlib import Path

from tm.model import Release
from tm.segment import segmenter_for
from tm.sources.html import FORMAT as HTML
from tm.sources.markdown import FORMAT as MARKDOWN

ROOT = Path(__file__).resolve().parents[1] / "sources"
COPIES = 100


def _best(run, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def _html_document() -> str:
    page = (ROOT / "2026-03-10-operation-amphora.en.html").read_text(encoding="utf-8")
    body = page[page.index("<main>") + len("<main>") : page.index("</main>")]
    return page.replace(body, body * COPIES)


def _markdown_document() -> str:
    return (ROOT / "2026-02-18-operation-sentinelle-verte.fr.md").read_text(encoding="utf-8") * COPIES


def main() -> None:
    rows = []
    html = _html_document()
    release = Release("bench", "en", Path("bench.en.html"), "html")
    ours = _best(lambda: HTML.parse(html, release, segmenter_for("en")))
    rows.append(("html", "tm (parse, segment)", len(html), ours, ours))
    try:
        from translate.storage.html import htmlfile
    except ImportError:  # pragma: no cover - translate-toolkit is a dependency
        pass
    else:
        data = html.encode("utf-8")
        theirs = _best(lambda: htmlfile(inputfile=io.BytesIO(data)))
        rows.append(("html", "translate-toolkit htmlfile", len(html), theirs, ours))

    markdown = _markdown_document()
    release = Release("bench", "fr", Path("bench.fr.md"), "md")
    ours = _best(lambda: MARKDOWN.parse(markdown, release, segmenter_for("fr")))
    rows.append(("md", "tm (parse, segment)", len(markdown), ours, ours))
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark").enable("table")
    floor = _best(lambda: parser.parse(markdown))
    rows.append(("md", "markdown-it-py parse only", len(markdown), floor, ours))
    try:
        from translate.storage.markdown import markdownfile
    except ImportError:
        rows.append(("md", "translate-toolkit markdownfile", len(markdown), None, ours))
    else:  # pragma: no cover - needs mistletoe
        data = markdown.encode("utf-8")
        theirs = _best(lambda: markdownfile(inputfile=io.BytesIO(data)))
        rows.append(("md", "translate-toolkit markdownfile", len(markdown), theirs, ours))

    print(f"{'format':6}  {'reader':32}  {'size':>8}  {'seconds':>8}  {'MB/s':>6}  {'tm is':>10}")
    for fmt, reader, size, seconds, tm_seconds in rows:
        if seconds is None:
            print(f"{fmt:6}  {reader:32}  {size / 1e6:6.2f}MB  {'n/a':>8}  {'':>6}  (not installed)")
            continue
        slower = tm_seconds / seconds
        verdict = f"{slower:.2f}x slower" if slower > 1 else f"{1 / slower:.2f}x faster"
        shown = "" if reader.startswith("tm") else verdict
        speed = size / 1e6 / seconds
        print(f"{fmt:6}  {reader:32}  {size / 1e6:6.2f}MB  {seconds:8.3f}  {speed:6.2f}  {shown:>10}")


if __name__ == "__main__":
    main()
