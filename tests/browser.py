"""A real headless browser for tests of the HTML pages we write (status report, aligned view).

Debian's ``chromium`` driven by Playwright; a missing browser skips the test on a developer
machine and fails it in CI (``TM_REQUIRE_ORACLES=1``). Screenshots go to ``test-artifacts/``.

Use the ``page`` fixture: ``page.goto(path.as_uri())``, then measure what the browser
computed (``page.evaluate``) and ``save_screenshot(page, "name")``.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import REPO, need_oracle

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    need_oracle(Path(CHROMIUM).exists() or shutil.which("chromium") is not None, "headless Chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        need_oracle(False, "Playwright's Python package")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium"),
            args=CHROMIUM_ARGS,
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser) -> Iterator[object]:
    """A fresh page that refuses every network request: our pages must be self-contained."""
    context = browser.new_context(viewport={"width": 1000, "height": 800})
    tab = context.new_page()
    tab.blocked = []
    tab.route(
        lambda url: not url.startswith(("file:", "data:", "about:")),
        lambda route: (tab.blocked.append(route.request.url), route.abort()),
    )
    try:
        yield tab
    finally:
        context.close()


def save_screenshot(page, name: str) -> Path:
    """Save a full-page screenshot under test-artifacts/ and return its path."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
