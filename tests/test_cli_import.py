"""``tm import``: whatever translators' tools send back lands safely, or is refused cleanly.

Round trips go through the real tools (GNU gettext, polib, Babel, translate-toolkit) and end
by comparing the workspace's working files with the translations the tools held. Hostile and
broken files are refused with one line, exit status 2, and nothing changed in ``locales/``
or the memory.
"""

from __future__ import annotations

import http.server
import json
import shutil
import sqlite3
import threading
import unicodedata
from pathlib import Path

import polib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from conftest import RELEASE, REPO, Tm, msgfmt_check, snapshot
from translator_tools import (
    babel_rewrite,
    fill_po,
    gettext,
    reserialise,
    split_into_mrk,
    ttk_xliff2,
    ttk_xliff12,
)
from xliff_oracles import XLIFF2, XLIFF12

SUFFIX = {"po": "po", "xliff": "xlf", "xliff2": "xliff"}
PROJECT = {
    lang: {e.msgctxt: e.msgstr for e in polib.pofile(str(REPO / "locales" / lang / f"{RELEASE}.po"))}
    for lang in ("en", "fr")
}


def working(root: Path, lang: str, release: str = RELEASE) -> dict[str, tuple[str, bool]]:
    """The working file's translations: segment ID → (translation, fuzzy)."""
    po = polib.pofile(str(root / "locales" / lang / f"{release}.po"))
    return {e.msgctxt: (e.msgstr, "fuzzy" in e.flags) for e in po if not e.obsolete}


def memory_rows(root: Path) -> tuple[int, int]:
    path = root / "memory" / "tm.sqlite"
    if not path.exists():
        return (0, 0)
    with sqlite3.connect(path) as db:
        return tuple(db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("unit", "variant"))


def memory_texts(root: Path) -> str:
    path = root / "memory" / "tm.sqlite"
    if not path.exists():
        return ""
    with sqlite3.connect(path) as db:
        return "\n".join(r[0] for r in db.execute("SELECT text FROM variant"))


def export(tm: Tm, tmp_path: Path, lang: str, name: str = "po", release: str = RELEASE) -> Path:
    path = tmp_path / f"out.{release}.{lang}.{SUFFIX[name]}"
    result = tm("export", release, "--lang", lang, "--format", name, "-o", path)
    assert result.exit_code == 0, result.output
    return path


def imported(tm: Tm, *paths: Path):
    result = tm("import", *paths)
    assert result.exit_code == 0, result.output + result.stderr
    return result


@pytest.fixture
def ready(tm: Tm) -> Tm:
    assert tm("extract").exit_code == 0
    return tm


# --- round trips through translators' tools ------------------------------------------------


def test_gettext_tools_round_trip(ready, workspace, tmp_path):
    path = export(ready, tmp_path, "fr")
    fill_po(path, PROJECT["fr"], fuzzy={"p2.s1", "p5.s1"})
    pot = tmp_path / "laminar.pot"
    template = polib.pofile(str(path))
    for entry in template:
        entry.msgstr, entry.flags = "", []
    template.save(str(pot))
    steps = [
        ("msgcat", "--width=40", "-o", tmp_path / "1.po", path),
        ("msgcat", "--sort-output", "-o", tmp_path / "2.po", tmp_path / "1.po"),
        ("msgattrib", "--clear-fuzzy", "-o", tmp_path / "3.po", tmp_path / "2.po"),
        ("msgmerge", "--quiet", "-o", tmp_path / "4.po", tmp_path / "3.po", pot),
    ]
    for step in steps:
        gettext(*step)
    result = imported(ready, tmp_path / "4.po")
    assert "32 new, 0 changed, 0 unchanged, 0 stale, 0 rejected; 32 into memory" in result.output
    assert working(workspace, "fr") == {k: (v, False) for k, v in PROJECT["fr"].items()}
    assert msgfmt_check(workspace / "locales" / "fr" / f"{RELEASE}.po").returncode == 0


def test_polib_round_trip_keeps_fuzzy_marks(ready, workspace, tmp_path):
    path = export(ready, tmp_path, "en")
    fill_po(path, PROJECT["en"], fuzzy={"p4.s1"})
    imported(ready, path)
    expected = {k: (v, k == "p4.s1") for k, v in PROJECT["en"].items()}
    assert working(workspace, "en") == expected
    assert memory_rows(workspace) == (31, 62)  # the fuzzy one is not approved


def test_babel_round_trip_with_previous_msgid(ready, workspace, tmp_path):
    # A source revision leaves p3.s1 fuzzy with its previous source (#| msgid) in the export.
    source = workspace / "sources" / f"{RELEASE}.ar.txt"
    path = export(ready, tmp_path, "en")
    fill_po(path, PROJECT["en"])
    imported(ready, path)
    source.write_text(source.read_text().replace("ليون (فرنسا)", "ليون - فرنسا", 1))
    assert ready("extract").exit_code == 0
    path = export(ready, tmp_path, "en")
    assert "#| msgid" in path.read_text()
    rewritten = babel_rewrite(path, {"p3.s1": "LYON, France – A global operation revised."})
    babel_po = tmp_path / "babel.po"
    babel_po.write_bytes(rewritten)
    assert "# | msgid" in babel_po.read_text()  # Babel's way of keeping the previous msgid
    assert "X-Release" not in babel_po.read_text()  # and it rebuilds the header
    result = imported(ready, babel_po)
    assert "0 new, 1 changed, 31 unchanged, 0 stale, 0 rejected" in result.output
    assert working(workspace, "en")["p3.s1"] == ("LYON, France – A global operation revised.", False)


def test_po_with_crlf_line_endings_and_bom(ready, workspace, tmp_path):
    path = export(ready, tmp_path, "fr")
    fill_po(path, PROJECT["fr"])
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    imported(ready, path)
    assert working(workspace, "fr") == {k: (v, False) for k, v in PROJECT["fr"].items()}


SECOND = "2013-02-01-second"
SECOND_FR = {
    "p1.s1": "Le secrétaire général s’est exprimé à Lyon.",
    "p1.s2": "« Opération réussie », a-t-il dit.",
}


def test_french_po_in_iso_8859_1(tm, workspace, tmp_path):
    (workspace / "sources" / f"{SECOND}.en.txt").write_text(
        "The Secretary General spoke in Lyon. 'Operation successful', he said.\n"
    )
    assert tm("extract", SECOND).exit_code == 0
    path = export(tm, tmp_path, "fr", release=SECOND)
    latin = {k: v.replace("’", "'") for k, v in SECOND_FR.items()}
    fill_po(path, latin)
    converted = tmp_path / "latin1.po"
    gettext("msgconv", "--to-code=ISO-8859-1", "-o", converted, path)
    assert b"charset=ISO-8859-1" in converted.read_bytes()
    assert "é".encode("latin-1") in converted.read_bytes()
    imported(tm, converted)
    assert working(workspace, "fr", SECOND) == {k: (v, False) for k, v in latin.items()}


def test_translate_toolkit_xliff12_round_trip(ready, workspace, tmp_path):
    path = export(ready, tmp_path, "fr", "xliff")
    path.write_bytes(ttk_xliff12(path.read_bytes(), PROJECT["fr"], fuzzy={"p6.s1"}))
    imported(ready, path)
    assert working(workspace, "fr") == {k: (v, k == "p6.s1") for k, v in PROJECT["fr"].items()}


def test_translate_toolkit_xliff2_round_trip(ready, workspace, tmp_path):
    path = export(ready, tmp_path, "en", "xliff2")
    path.write_bytes(ttk_xliff2(path.read_bytes(), PROJECT["en"], fuzzy={"p7.s1"}))
    imported(ready, path)
    assert working(workspace, "en") == {k: (v, k == "p7.s1") for k, v in PROJECT["en"].items()}


@pytest.mark.parametrize("name", ["xliff", "xliff2"])
def test_xliff_reserialised_with_other_prefixes_order_and_indentation(name, tmp_path, translated_workspace):
    tm = Tm(translated_workspace)
    assert tm("extract").exit_code == 0
    path = export(tm, tmp_path, "fr", name)
    ns = XLIFF12 if name == "xliff" else XLIFF2
    changed = reserialise(path.read_bytes(), "x")
    assert b"<x:xliff" in changed and f'xmlns:x="{ns}"'.encode() in changed
    path.write_bytes(changed)
    result = imported(tm, path)
    assert "0 new, 0 changed, 32 unchanged, 0 stale, 0 rejected" in result.output
    assert working(translated_workspace, "fr") == {k: (v, False) for k, v in PROJECT["fr"].items()}


def test_xliff12_with_mrk_sub_segments(ready, workspace, tmp_path):
    """A tool that segments further (OmegaT, Okapi) writes seg-source and targets made of mrk."""
    path = export(ready, tmp_path, "en", "xliff")
    path.write_bytes(split_into_mrk(path.read_bytes(), PROJECT["en"]))
    assert b'<mrk mtype="seg" mid="1">' in path.read_bytes()
    imported(ready, path)
    assert working(workspace, "en") == {k: (v, False) for k, v in PROJECT["en"].items()}


# --- what import does with each unit -----------------------------------------------------------


@pytest.mark.parametrize("name", ["po", "xliff", "xliff2"])
@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_import_what_was_exported_gives_the_same_translations(name, tmp_path_factory, data):
    """Property: whatever mix of translated, fuzzy and empty entries, export then import changes nothing."""
    root = tmp_path_factory.mktemp("ws")
    shutil.copy(REPO / "tm.toml", root / "tm.toml")
    (root / "sources").mkdir()
    shutil.copy(REPO / "sources" / f"{RELEASE}.ar.txt", root / "sources")
    tm = Tm(root)
    assert tm("extract").exit_code == 0
    states = data.draw(st.lists(st.sampled_from(["", "fuzzy", "done"]), min_size=32, max_size=32))
    po_path = root / "locales" / "fr" / f"{RELEASE}.po"
    po = polib.pofile(str(po_path))
    for entry, state in zip(po, states, strict=True):
        entry.msgstr = PROJECT["fr"][entry.msgctxt] if state else ""
        entry.flags = ["fuzzy"] if state == "fuzzy" else []
    po.save(str(po_path))
    before = working(root, "fr")
    path = export(tm, root, "fr", name)
    result = imported(tm, path)
    kept = sum(1 for s in states if s)
    assert f"0 new, 0 changed, {kept} unchanged, 0 stale, 0 rejected" in result.output
    assert working(root, "fr") == before


def test_empty_translation_never_erases(translated_workspace, tmp_path):
    tm = Tm(translated_workspace)
    assert tm("extract").exit_code == 0
    path = export(tm, tmp_path, "fr")
    fill_po(path, {"p1.s1": "", "p2.s1": "22 mai 2012 (révisé)"})
    result = imported(tm, path)
    assert "0 new, 1 changed, 30 unchanged, 0 stale, 0 rejected; 31 into memory" in result.output
    after = working(translated_workspace, "fr")
    assert after["p1.s1"] == (PROJECT["fr"]["p1.s1"], False)
    assert after["p2.s1"] == ("22 mai 2012 (révisé)", False)


@pytest.mark.parametrize("name", ["po", "xliff", "xliff2"])
def test_source_changed_since_export_is_kept_fuzzy_and_reported_stale(name, ready, workspace, tmp_path):
    path = export(ready, tmp_path, "en", name)
    source = workspace / "sources" / f"{RELEASE}.ar.txt"
    source.write_text(source.read_text().replace("٢٢ مايو، ٢٠١٢", "٢٣ مايو، ٢٠١٢", 1))
    assert ready("extract").exit_code == 0
    data = path.read_bytes()
    if name == "po":
        fill_po(path, {"p2.s1": "22 May 2012", "p1.s1": PROJECT["en"]["p1.s1"]})
    else:
        tag = "trans-unit" if name == "xliff" else "unit"
        root = etree.fromstring(data)
        ns = XLIFF12 if name == "xliff" else XLIFF2
        for unit in root.iter(f"{{{ns}}}{tag}"):
            if unit.get("id") in ("p1.s1", "p2.s1"):
                holder = unit if name == "xliff" else unit.find(f"{{{ns}}}segment")
                target = holder.find(f"{{{ns}}}target")
                if target is None:
                    target = etree.SubElement(holder, f"{{{ns}}}target")
                target.text = "22 May 2012" if unit.get("id") == "p2.s1" else PROJECT["en"]["p1.s1"]
                (target if name == "xliff" else holder).set("state", "translated")
                if name == "xliff":
                    unit.set("approved", "yes")
        path.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
    result = imported(ready, path)
    assert "2 new, 0 changed, 0 unchanged, 1 stale, 0 rejected; 1 into memory" in result.output
    assert "  p2.s1: source changed since export; kept as fuzzy\n" in result.output
    assert working(workspace, "en")["p2.s1"] == ("22 May 2012", True)
    assert working(workspace, "en")["p1.s1"] == (PROJECT["en"]["p1.s1"], False)
    po = polib.pofile(str(workspace / "locales" / "en" / f"{RELEASE}.po"))
    assert next(e for e in po if e.msgctxt == "p2.s1").previous_msgid == "٢٢ مايو، ٢٠١٢"
    assert "22 May 2012" not in memory_texts(workspace)


def test_dry_run_shows_the_summary_and_writes_nothing(ready, workspace, tmp_path):
    path = export(ready, tmp_path, "en")
    fill_po(path, {"p1.s1": "Headline"})
    before = snapshot(workspace / "locales")
    result = ready("import", "--dry-run", path)
    assert result.exit_code == 0
    assert result.output == (
        f"{path}: {RELEASE} [en] 1 new, 0 changed, 0 unchanged, 0 stale, 0 rejected"
        " (dry run: nothing written)\n"
    )
    assert snapshot(workspace / "locales") == before
    assert memory_rows(workspace) == (0, 0)


def test_msgctxt_that_is_not_a_segment_is_warned_not_stored(ready, workspace, tmp_path):
    path = export(ready, tmp_path, "en")
    fill_po(path, {"p1.s1": "Headline"})
    with path.open("a") as handle:
        handle.write('\nmsgctxt "p99.s1"\nmsgid "ليس هنا"\nmsgstr "Not here"\n')
    result = ready("import", path)
    assert result.exit_code == 0
    assert result.stderr == f"tm: warning: {path}: p99.s1: not a segment of the release; not stored\n"
    assert "1 new, 0 changed, 0 unchanged, 0 stale, 1 rejected; 1 into memory" in result.output
    assert "p99.s1" not in (workspace / "locales" / "en" / f"{RELEASE}.po").read_text()
    assert "Not here" not in memory_texts(workspace)
    assert working(workspace, "en")["p1.s1"] == ("Headline", False)


def test_several_files_each_all_or_nothing(ready, workspace, tmp_path):
    good = export(ready, tmp_path, "en")
    fill_po(good, PROJECT["en"])
    bad = export(ready, tmp_path, "fr", "xliff")
    fill = bad.read_text().replace('<trans-unit id="p2.s1"', '<trans-unit id="p1.s1"')
    bad.write_text(fill.replace('state="needs-translation"/>', 'state="translated">Traduit</target>', 1))
    fr_before = (workspace / "locales" / "fr" / f"{RELEASE}.po").read_bytes()
    result = ready("import", bad, good)
    assert result.exit_code == 2
    assert result.output.startswith(f"{good}: {RELEASE} [en] 32 new")
    assert result.stderr.startswith(f"tm: {bad}:") and "duplicate unit 'p1.s1'" in result.stderr
    assert working(workspace, "en") == {k: (v, False) for k, v in PROJECT["en"].items()}
    assert (workspace / "locales" / "fr" / f"{RELEASE}.po").read_bytes() == fr_before
    assert "Traduit" not in memory_texts(workspace)


# --- hostile and broken files ---------------------------------------------------------------------


@pytest.fixture
def listener():
    """A local HTTP server that records every request: proof that nothing is fetched."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b'<!ENTITY leak "LEAKED">')

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", hits
    server.shutdown()
    server.server_close()


def p2_source(root: Path) -> str:
    return next(
        e.msgid for e in polib.pofile(str(root / "locales/fr" / f"{RELEASE}.po")) if e.msgctxt == "p2.s1"
    )


def xliff12(
    root: Path,
    *,
    prolog: str = "",
    original: str = RELEASE,
    lang: str = "fr",
    target: str = "22 mai 2012",
    units: int = 1,
) -> str:
    unit = (
        f'<trans-unit id="p2.s1"><source>{p2_source(root)}</source>'
        f'<target state="translated">{target}</target></trans-unit>\n'
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n{prolog}<xliff xmlns="{XLIFF12}" version="1.2">\n'
        f'<file original="{original}" source-language="ar" target-language="{lang}" datatype="plaintext">\n'
        f"<body>\n{unit * units}</body>\n</file>\n</xliff>\n"
    )


def xliff2(root: Path, *, original: str = RELEASE, trg: str = ' trgLang="fr"') -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<xliff xmlns="{XLIFF2}" version="2.1" srcLang="ar"{trg}>\n'
        f'<file id="f1" original="{original}">\n<unit id="p2.s1"><segment state="translated">\n'
        f"<source>{p2_source(root)}</source><target>22 mai 2012</target>"
        "</segment></unit>\n</file>\n</xliff>\n"
    )


LAUGHS = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">\n' for i in range(1, 10))
BAD_INPUTS = {
    "truncated XML": (
        lambda root, url, secret: xliff12(root).partition("22 mai")[0] + "22",
        "{path}:5: malformed XML: Premature end of data in tag target line 5",
    ),
    "billion laughs": (
        lambda root, url, secret: xliff12(
            root, prolog=f'<!DOCTYPE xliff [\n<!ENTITY lol0 "lol">\n{LAUGHS}]>\n', target="&lol9;"
        ),
        "{path}:3: XML declares entities; refused (no entity is ever expanded)",
    ),
    "external entity to a local file": (
        lambda root, url, secret: xliff12(
            root,
            prolog=f'<!DOCTYPE xliff [\n<!ENTITY secret SYSTEM "file://{secret}">\n]>\n',
            target="&secret;",
        ),
        "{path}:3: XML declares entities; refused (no entity is ever expanded)",
    ),
    "external parameter entity over the network": (
        lambda root, url, secret: xliff12(
            root, prolog=f'<!DOCTYPE xliff [<!ENTITY % r SYSTEM "{url}/e"> %r;]>\n'
        ),
        "{path}:2: XML declares entities; refused (no entity is ever expanded)",
    ),
    "DOCTYPE with an external DTD": (
        lambda root, url, secret: xliff12(root, prolog=f'<!DOCTYPE xliff SYSTEM "{url}/xliff.dtd">\n'),
        "{path}:2: XML refers to an external DTD; refused (nothing is ever fetched)",
    ),
    "PO with a syntax error": (
        lambda root, url, secret: (
            (root / "locales/en" / f"{RELEASE}.po")
            .read_text()
            .replace('msgstr "22 May 2012"', 'msgstr "22 May 2012')
        ),
        "{path}:{po_line}: malformed PO file: cannot read 'msgstr \"22 May 2012'",
    ),
    "unknown release": (
        lambda root, url, secret: xliff2(root, original="2099-01-01-nothing"),
        "{path}: unknown release '2099-01-01-nothing'",
    ),
    "language not a target of the release": (
        lambda root, url, secret: xliff12(root, lang="ar"),
        f"{{path}}: language 'ar' is not a target of release '{RELEASE}' (targets: en, fr)",
    ),
    "XLIFF 2 without trgLang": (
        lambda root, url, secret: xliff2(root, trg=""),
        "{path}:2: XLIFF without trgLang; cannot tell the target language",
    ),
    "duplicate units": (
        lambda root, url, secret: xliff12(root, units=2),
        "{path}:6: duplicate unit 'p2.s1' (first at line 5)",
    ),
    "binary file": (
        lambda root, url, secret: b"PK\x03\x04\x00\x00binary",
        "{path}: binary file; expected a PO or XLIFF file",
    ),
    "empty file": (lambda root, url, secret: b"", "{path}: empty file; expected a PO or XLIFF file"),
    "XML that is not XLIFF": (
        lambda root, url, secret: "<?xml version='1.0'?>\n<html><body>22 May 2012</body></html>\n",
        "{path}: not a PO or XLIFF file",
    ),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_is_refused_and_changes_nothing(case, ready, workspace, tmp_path, listener):
    url, hits = listener
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-42")
    good = export(ready, tmp_path, "en")
    fill_po(good, PROJECT["en"])
    imported(ready, good)  # the memory and locales/en hold something to lose
    make, message = BAD_INPUTS[case]
    content = make(workspace, url, secret)
    path = tmp_path / "returned.bin"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    po_line = next(
        (
            i
            for i, line in enumerate(path.read_text("utf-8", "replace").splitlines(), 1)
            if line == 'msgstr "22 May 2012'
        ),
        0,
    )
    before, rows = snapshot(workspace / "locales"), memory_rows(workspace)

    result = ready("import", path)

    assert result.exit_code == 2
    assert result.stderr == "tm: " + message.format(path=path, po_line=po_line) + "\n"
    assert result.stdout == ""
    assert snapshot(workspace / "locales") == before
    assert memory_rows(workspace) == rows
    assert hits == []
    assert "TOP-SECRET-42" not in memory_texts(workspace)


# --- files as translators' tools wrote them (tests/data/returned, see make_returned.py) ------------

RETURNED = Path(__file__).parent / "data" / "returned"
BRIEFING = "2013-02-01-briefing"
BRIEFING_TRANSLATIONS = json.loads((RETURNED / "translations.json").read_text())


@pytest.mark.parametrize(
    "name", sorted(p.name for p in RETURNED.glob(f"{BRIEFING}.*.*") if p.suffix != ".txt")
)
def test_returned_files_land_with_every_translation(name, tmp_path):
    root = tmp_path / "ws"
    (root / "sources").mkdir(parents=True)
    shutil.copy(REPO / "tm.toml", root)
    shutil.copy(RETURNED / f"{BRIEFING}.en.txt", root / "sources")
    tm = Tm(root)
    assert tm("extract").exit_code == 0
    lang = name.split(".")[1]
    expected = BRIEFING_TRANSLATIONS[lang]
    if "iso-8859-1" in name:
        expected = {k: v.replace("’", "'") for k, v in expected.items()}
    result = imported(tm, RETURNED / name)
    assert (
        f"{BRIEFING} [{lang}] 5 new, 0 changed, 0 unchanged, 0 stale, 0 rejected; 5 into memory"
        in result.output
    )
    assert working(root, lang, BRIEFING) == {k: (v, False) for k, v in expected.items()}


def test_po_whose_tool_dropped_msgctxt_is_matched_by_source_text(ready, workspace, tmp_path):
    path = export(ready, tmp_path, "en")
    fill_po(path, {"p1.s1": "Headline", "p2.s1": "22 May 2012"})
    po = polib.pofile(str(path))
    for entry in po:
        entry.msgctxt = None
    po.append(polib.POEntry(msgid="جملة ليست في البيان", msgstr="Not in the release"))
    po.save(str(path))
    result = ready("import", path)
    assert result.exit_code == 0
    assert "2 new, 0 changed, 0 unchanged, 0 stale, 1 rejected" in result.stdout
    assert result.stderr == (
        f"tm: warning: {path}: msgid 'جملة ليست في البيان': not a segment of the release; not stored\n"
    )
    assert working(workspace, "en")["p2.s1"] == ("22 May 2012", False)


def test_a_tool_that_renormalises_unicode_does_not_make_sources_stale(ready, workspace, tmp_path):
    path = export(ready, tmp_path, "en")
    fill_po(path, PROJECT["en"])
    decomposed = unicodedata.normalize("NFD", path.read_text())
    assert decomposed != path.read_text()  # the Arabic source has marks that decompose
    path.write_text(decomposed)
    result = imported(ready, path)
    assert "32 new, 0 changed, 0 unchanged, 0 stale, 0 rejected" in result.stdout
