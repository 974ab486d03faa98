"""Rebuild the returned-file fixtures.

Run from the repository: ``.venv/bin/python tests/data/returned/make_returned.py``.

Each fixture is what one translator's tool wrote after editing a file ``tm export`` made for
the small release ``2013-02-01-briefing.en.txt`` here, with the translations in
``translations.json``. Kept as files so that the import is tested against these exact bytes
even where the tool is missing, and so that a change in how we export is seen against them.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))  # tests/, for the helpers

from click.testing import CliRunner  # noqa: E402

from tm.cli import cli  # noqa: E402
from translator_tools import (  # noqa: E402
    babel_rewrite,
    fill_po,
    gettext,
    reserialise,
    split_into_mrk,
    ttk_xliff2,
    ttk_xliff12,
)

RELEASE = "2013-02-01-briefing"


def main() -> None:
    translations = json.loads((HERE / "translations.json").read_text())
    fr, ar = translations["fr"], translations["ar"]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "ws"
        runner = CliRunner()

        def tm(*args):
            result = runner.invoke(cli, ["--workspace", str(root), *map(str, args)], catch_exceptions=False)
            assert result.exit_code == 0, result.output
            return result

        tm("init", root)
        shutil.copy(HERE / f"{RELEASE}.en.txt", root / "sources")
        tm("extract")

        def exported(lang: str, fmt: str) -> Path:
            path = Path(tmp) / f"{lang}.{fmt}"
            tm("export", RELEASE, "--lang", lang, "--format", fmt, "-o", path)
            return path

        out = {}
        po = exported("fr", "po")
        fill_po(po, fr)
        gettext("msgcat", "--width=40", "--sort-output", "-o", Path(tmp) / "w.po", po)
        gettext("msgattrib", "--clear-fuzzy", "-o", Path(tmp) / "gettext.po", Path(tmp) / "w.po")
        out["fr.gettext-msgcat-msgattrib.po"] = (Path(tmp) / "gettext.po").read_bytes()
        out["fr.windows-crlf-bom.po"] = b"\xef\xbb\xbf" + po.read_bytes().replace(b"\n", b"\r\n")
        latin = exported("fr", "po")
        fill_po(latin, {k: v.replace("’", "'") for k, v in fr.items()})
        gettext("msgconv", "--to-code=ISO-8859-1", "-o", Path(tmp) / "latin.po", latin)
        out["fr.iso-8859-1.po"] = (Path(tmp) / "latin.po").read_bytes()
        out["ar.babel.po"] = babel_rewrite(exported("ar", "po"), ar)
        out["fr.translate-toolkit.xlf"] = ttk_xliff12(exported("fr", "xliff").read_bytes(), fr)
        out["fr.mrk-sub-segments.xlf"] = split_into_mrk(exported("fr", "xliff").read_bytes(), fr)
        out["ar.translate-toolkit.xliff"] = ttk_xliff2(exported("ar", "xliff2").read_bytes(), ar)
        out["ar.reserialised.xliff"] = reserialise(ttk_xliff2(exported("ar", "xliff2").read_bytes(), ar))
        out["ar.reserialised.xlf"] = reserialise(ttk_xliff12(exported("ar", "xliff").read_bytes(), ar))
    for name, data in out.items():
        (HERE / f"{RELEASE}.{name}").write_bytes(data)
        print(f"wrote {RELEASE}.{name}")


if __name__ == "__main__":
    main()
