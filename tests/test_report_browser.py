"""The HTML status report opened in headless Chromium: it renders, bars match percentages,
problems are linked, it fits a phone, and nothing is fetched from the network."""

from __future__ import annotations

import json
from pathlib import Path

import polib
import pytest

from browser import save_screenshot
from conftest import RELEASE, Tm

NBSP = "\u00a0"


@pytest.fixture
def report(translated_workspace: Path, tmp_path: Path) -> tuple[Path, dict]:
    """The real release: English part-translated (missing, fuzzy, a number error), French complete
    with a French-spacing warning."""
    english = translated_workspace / "locales" / "en" / f"{RELEASE}.po"
    po = polib.pofile(str(english))
    for entry in po:
        if entry.msgctxt in {"p4.s1", "p5.s1", "p7.s1"}:
            entry.msgstr = ""
        elif entry.msgctxt in {"p9.s1", "p10.s1"}:
            entry.flags.append("fuzzy")
        elif entry.msgctxt == "p3.s1":
            entry.msgstr = entry.msgstr.replace("55", "56")
    po.save(str(english))
    french = translated_workspace / "locales" / "fr" / f"{RELEASE}.po"
    po = polib.pofile(str(french))
    for entry in po:
        if entry.msgctxt == "p17.s1":
            entry.msgstr = entry.msgstr.replace(f"{NBSP}:", ":")
    po.save(str(french))
    tm = Tm(translated_workspace)
    out = tmp_path / "status.html"
    assert tm("status", "--format", "html", "-o", out).exit_code == 0
    numbers = json.loads(tm("status", "--format", "json").stdout)
    return out, numbers


def measure(page, bar_id: str) -> dict[str, float]:
    return page.evaluate(
        """id => {
            const bar = document.getElementById(id);
            const total = bar.getBoundingClientRect().width;
            const share = cls => bar.querySelector('.' + cls).getBoundingClientRect().width / total * 100;
            return {total, done: share('done'), fuzzy: share('fuzzy'), missing: share('missing'),
                    doneColour: getComputedStyle(bar.querySelector('.done')).backgroundColor,
                    fuzzyColour: getComputedStyle(bar.querySelector('.fuzzy')).backgroundColor,
                    missingColour: getComputedStyle(bar.querySelector('.missing')).backgroundColor};
        }""",
        bar_id,
    )


def test_bars_match_the_percentages(page, report):
    path, numbers = report
    page.goto(path.as_uri())
    assert page.title() == "Translation status"
    en = numbers["releases"][0]["languages"]["en"]
    assert 0 < en["percent"] < 100
    bars = {
        f"{RELEASE}-en-bar": en["percent"],
        f"{RELEASE}-fr-bar": numbers["releases"][0]["languages"]["fr"]["percent"],
        "total-all-bar": numbers["totals"]["all"]["percent"],
    }
    for bar_id, percent in bars.items():
        widths = measure(page, bar_id)
        assert widths["total"] > 100
        assert widths["done"] == pytest.approx(percent, abs=0.5), bar_id
        assert widths["done"] + widths["fuzzy"] + widths["missing"] == pytest.approx(100, abs=0.5)
    en_widths = measure(page, f"{RELEASE}-en-bar")
    assert en_widths["fuzzy"] > 1 and en_widths["missing"] > 1
    colours = {en_widths["doneColour"], en_widths["fuzzyColour"], en_widths["missingColour"]}
    assert len(colours) == 3
    save_screenshot(page, "status-report")
    assert page.blocked == []


def test_problems_are_linked_to_their_segments(page, report):
    path, _ = report
    page.goto(path.as_uri())
    link = page.locator(f'a[href="#{RELEASE}-en"]')
    assert link.inner_text() == "1 error, 0 warnings"
    link.click()
    assert page.evaluate("location.hash") == f"#{RELEASE}-en"
    item = page.locator(f'[id="{RELEASE}-en-p3.s1"]')
    assert item.is_visible()
    text = item.inner_text()
    assert "error [numbers] missing number 55; unexpected number 56" in text
    assert page.locator(f'[id="{RELEASE}-en-p3.s1"] [lang="ar"]').get_attribute("dir") == "rtl"
    assert (
        page.locator(f'[id="{RELEASE}-fr-p17.s1"]').inner_text().startswith("p17.s1 warning [french-spacing]")
    )


def test_readable_on_a_phone(page, report):
    path, _ = report
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(path.as_uri())
    # Nothing wider than the screen: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    widths = measure(page, f"{RELEASE}-en-bar")
    assert widths["total"] > 250  # the bar takes the row, not a sliver
    save_screenshot(page, "status-report-phone")
