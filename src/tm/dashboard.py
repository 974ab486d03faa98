"""The status dashboard: one self-contained HTML page for coordinators.

No network, no JavaScript: inline CSS, a progress bar per release and language (translated,
fuzzy and missing words in their own colours), and every check problem listed under its
release and language with an anchor of its own, linked from the counts. It reflows to one
column on a phone.
"""

from __future__ import annotations

from html import escape

from tm.checks import Finding
from tm.model import LANGUAGE_NAMES, direction
from tm.reports import Coverage, ReleaseStatus, totals

STYLE = """
:root { --done: #2e7d32; --fuzzy: #f9a825; --missing: #d9534f; --line: #ddd; }
* { box-sizing: border-box; }
body { font-family: system-ui, "Noto Sans", "Noto Naskh Arabic", sans-serif; margin: 0 auto;
       padding: 1rem; max-width: 60rem; line-height: 1.4; color: #222; }
h1 { font-size: 1.4rem; } h2 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; overflow-wrap: anywhere; }
.legend span { display: inline-block; margin-inline-end: 1rem; }
.swatch { display: inline-block; width: .8rem; height: .8rem; vertical-align: middle;
          margin-inline-end: .3rem; }
.row { display: grid; grid-template-columns: 8rem minmax(8rem, 1fr) 27rem; gap: .3rem 1rem;
       align-items: center; padding: .4rem 0; border-bottom: 1px solid var(--line); }
.bar { display: flex; height: 1rem; width: 100%; background: var(--missing); border-radius: 2px;
       overflow: hidden; }
.bar span { display: block; height: 100%; flex: none; }
.done { background: var(--done); } .fuzzy { background: var(--fuzzy); }
.missing { background: var(--missing); }
.numbers { font-size: .9rem; white-space: nowrap; }
.stale { color: #8a4b00; font-weight: bold; }
.errors { color: #b00020; font-weight: bold; } .warnings { color: #8a4b00; }
details { margin: .5rem 0 1rem; } summary { cursor: pointer; font-weight: bold; }
ol.problems { padding-inline-start: 1.2rem; }
ol.problems li { margin: .6rem 0; }
ol.problems li:target { background: #fff3cd; }
.text { display: block; font-size: .9rem; overflow-wrap: anywhere; }
.id { font-family: ui-monospace, monospace; }
@media (max-width: 36rem) {
  .row { grid-template-columns: 1fr; }
  .numbers { white-space: normal; }
}
"""


def page(statuses: list[ReleaseStatus]) -> str:
    sections = [_summary(statuses)]
    sections += [_release(s) for s in statuses]
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Translation status</title>
<style>{STYLE}</style></head><body>
<h1>Translation status</h1>
<p class="legend"><span><i class="swatch done"></i>translated</span>
<span><i class="swatch fuzzy"></i>fuzzy</span>
<span><i class="swatch missing"></i>missing</span> (share of source words)</p>
{"".join(sections)}
</body></html>
"""


def _summary(statuses: list[ReleaseStatus]) -> str:
    rows = "".join(_row(lang, cov, f"total-{lang}-bar", None) for lang, cov in totals(statuses).items())
    return f'<section id="totals"><h2>All releases</h2>{rows}</section>'


def _release(status: ReleaseStatus) -> str:
    rows, problems = [], []
    for lang, cov in status.languages.items():
        anchor = _anchor(status.release, lang)
        rows.append(_row(lang, cov, f"{anchor}-bar", f"#{anchor}" if cov.errors or cov.warnings else None))
        shown = [f for f in cov.findings if not f.waived]
        if shown:
            items = "".join(_finding(anchor, f, status.source_language, lang) for f in shown)
            problems.append(
                f'<details id="{anchor}" open><summary>{_name(lang)}: {_counts(cov)} in '
                f'<span class="id">{escape(cov.path)}</span></summary>'
                f'<ol class="problems">{items}</ol></details>'
            )
    source = _name(status.source_language)
    return (
        f'<section id="{escape(_anchor(status.release))}"><h2>{escape(status.release)} '
        f"<small>({source} source)</small></h2>{''.join(rows)}{''.join(problems)}</section>"
    )


def _row(lang: str, cov: Coverage, bar_id: str, problems_href: str | None) -> str:
    done, fuzzy = cov.percent, cov.percent_fuzzy
    missing = max(0.0, round(100 - done - fuzzy, 1))
    counts = _counts(cov)
    if problems_href:
        kind = "errors" if cov.errors else "warnings"
        counts = f'<a class="{kind}" href="{escape(problems_href)}">{counts}</a>'
    elif not (cov.errors or cov.warnings):
        counts = "no problems"
    stale = ' · <span class="stale">stale: run tm extract</span>' if cov.stale else ""
    label = f"{done}% translated, {fuzzy}% fuzzy, {missing}% missing"
    return (
        f'<div class="row"><div lang="{escape(lang)}">{_name(lang)}</div>'
        f'<div class="bar" id="{escape(bar_id)}" role="img" aria-label="{label}" title="{label}">'
        f'<span class="done" style="width:{done}%" data-percent="{done}"></span>'
        f'<span class="fuzzy" style="width:{fuzzy}%" data-percent="{fuzzy}"></span>'
        f'<span class="missing" style="width:{missing}%" data-percent="{missing}"></span></div>'
        f'<div class="numbers">{done}% · {cov.translated}/{cov.segments} segments · '
        f"{cov.fuzzy} fuzzy · {cov.untranslated} missing · {counts}{stale}</div></div>"
    )


def _finding(anchor: str, finding: Finding, source_lang: str, lang: str) -> str:
    segment = escape(finding.segment)
    return (
        f'<li id="{escape(anchor)}-{segment}"><span class="id">{segment}</span> '
        f'<span class="{"errors" if finding.severity == "error" else ""}">{finding.severity}</span> '
        f"[{escape(finding.check)}] {escape(finding.message)}{_text(finding.source, source_lang)}"
        f"{_text(finding.target, lang)}</li>"
    )


def _text(text: str, lang: str) -> str:
    return f'<span class="text" lang="{lang}" dir="{direction(lang)}">{escape(text)}</span>'


def _counts(cov: Coverage) -> str:
    return f"{cov.errors} error{'s' * (cov.errors != 1)}, {cov.warnings} warning{'s' * (cov.warnings != 1)}"


def _name(lang: str) -> str:
    return escape(LANGUAGE_NAMES.get(lang, "All languages" if lang == "all" else lang))


def _anchor(release: str, lang: str = "") -> str:
    return f"{release}-{lang}" if lang else f"release-{release}"
