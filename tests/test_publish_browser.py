"""The aligned page of the real release, opened in headless Chromium."""

from __future__ import annotations

from browser import save_screenshot
from conftest import RELEASE, Tm


def test_aligned_page_in_a_real_browser(translated_workspace, page):
    tm = Tm(translated_workspace)
    assert tm("extract").exit_code == 0
    assert tm("merge", RELEASE, "--aligned", "html").exit_code == 0
    path = translated_workspace / "build" / RELEASE / f"{RELEASE}.aligned.html"

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(path.as_uri())
    layout = page.evaluate(
        """() => ({
        columns: [...document.querySelectorAll('thead th[lang]')].map(th => th.lang),
        rows: document.querySelectorAll('tbody tr').length,
        directions: Object.fromEntries(['ar', 'en', 'fr'].map(lang => [lang,
            [...new Set([...document.querySelectorAll(`td[lang=${lang}]`)]
                .map(td => getComputedStyle(td).direction))]])),
        scrollWidth: document.documentElement.scrollWidth,
        clientWidth: document.documentElement.clientWidth,
        })"""
    )
    assert layout["columns"] == ["ar", "en", "fr"]
    assert layout["rows"] == 32
    assert layout["directions"] == {"ar": ["rtl"], "en": ["ltr"], "fr": ["ltr"]}
    assert layout["scrollWidth"] <= layout["clientWidth"], "horizontal scrollbar at 1280 px"
    assert page.blocked == []
    assert save_screenshot(page, "aligned-laminar").stat().st_size > 10_000
