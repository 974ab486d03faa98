"""The OASIS XLIFF schemas as oracles, loaded from local files only (never the network).

Tests find the schemas through ``TM_SCHEMAS`` (default ``$TM_SHARED/schemas``, that is
``../shared/schemas`` next to the repository). In CI a missing schema fails the test
(``need_oracle``); elsewhere it skips.
The matches module schema is not among the shared schemas, so XLIFF 2 files are validated
against the core schema, whose ``<unit>`` accepts other namespaces laxly; the matches are
checked in code below.
"""

from __future__ import annotations

import functools
import os
from collections import Counter
from pathlib import Path

from lxml import etree

from conftest import SHARED, need_oracle

SCHEMAS = Path(os.environ.get("TM_SCHEMAS", SHARED / "schemas"))
XLIFF12 = "urn:oasis:names:tc:xliff:document:1.2"
XLIFF2 = "urn:oasis:names:tc:xliff:document:2.0"
MTC = "urn:oasis:names:tc:xliff:matches:2.0"
SCHEMA_FILES = {"xliff": "xliff-core-1.2-strict.xsd", "xliff2": "xliff-core-2.0.xsd"}


class _LocalOnly(etree.Resolver):
    """Refuse every URL that is not a file under the schemas folder."""

    def resolve(self, url, pubid, context):
        if url.startswith(("http:", "https:", "ftp:")):
            raise AssertionError(f"schema tried to fetch {url}")
        return None


@functools.cache
def _schema(name: str) -> etree.XMLSchema:
    path = SCHEMAS / SCHEMA_FILES[name]
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    parser.resolvers.add(_LocalOnly())
    return etree.XMLSchema(etree.parse(str(path), parser))


def schema_errors(data: bytes, name: str) -> list[str]:
    """Every reason ``data`` is not a valid XLIFF of format ``name`` ("xliff" or "xliff2")."""
    need_oracle((SCHEMAS / SCHEMA_FILES[name]).is_file(), f"XLIFF schema {SCHEMAS / SCHEMA_FILES[name]}")
    schema = _schema(name)
    root = etree.fromstring(data, etree.XMLParser(no_network=True, resolve_entities=False))
    errors = [] if schema.validate(root) else [str(e) for e in schema.error_log]
    if name == "xliff2":
        errors += _xliff2_rules(root)
    return errors


def _xliff2_rules(root: etree._Element) -> list[str]:
    """What the XLIFF 2 core schema cannot say: unit ids unique per file, trgLang present."""
    errors = []
    if not root.get("trgLang"):
        errors.append("no trgLang on <xliff>")
    for file in root.iter(f"{{{XLIFF2}}}file"):
        ids = Counter(u.get("id") for u in file.iter(f"{{{XLIFF2}}}unit", f"{{{XLIFF2}}}group"))
        errors += [f"duplicate unit or group id {i!r}" for i, n in ids.items() if n > 1]
        for unit in file.iter(f"{{{XLIFF2}}}unit"):
            segment_ids = {s.get("id") for s in unit.iter(f"{{{XLIFF2}}}segment")}
            for match in unit.iter(f"{{{MTC}}}match"):
                if match.get("ref", "").lstrip("#") not in segment_ids:
                    errors.append(f"unit {unit.get('id')}: mtc:match ref {match.get('ref')!r} points nowhere")
                quality = float(match.get("matchQuality", "-1"))
                if not 0 <= quality <= 100:
                    errors.append(f"unit {unit.get('id')}: matchQuality {quality} out of 0-100")
    return errors
