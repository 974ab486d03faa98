"""Our SRX files and reader against OmegaT's: its SRX 2.0 schema and its default rules.

CI takes both out of the Debian package (.ci/setup.d/20-omegat-srx.sh) and passes their paths
in TM_SRX_SCHEMA and TM_OMEGAT_SRX.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from lxml import etree

from conftest import need_oracle
from tm.segment import segmenter_for

RULES = Path(__file__).resolve().parents[1] / "src" / "tm" / "segment" / "rules"


def oracle(variable: str, what: str) -> Path:
    path = os.environ.get(variable)
    need_oracle(bool(path) and Path(path).is_file(), f"{what} (set {variable})")
    return Path(path)


@pytest.mark.parametrize("name", ["ar", "en", "fr", "default"])
def test_shipped_rules_are_valid_srx_2(name, shared):
    xsd = oracle("TM_SRX_SCHEMA", "OmegaT's SRX 2.0 schema").read_text(encoding="utf-8")
    xsd = xsd.replace("http://www.w3.org/2001/xml.xsd", (shared / "schemas" / "xml.xsd").as_uri())
    schema = etree.XMLSchema(etree.fromstring(xsd.encode("utf-8")))
    document = etree.parse(str(RULES / f"{name}.srx"))
    assert schema.validate(document), schema.error_log


@pytest.mark.parametrize(
    "lang", ["ca", "de", "en", "es", "fi", "fr", "it", "ja", "nl", "pl", "ru", "sv", "zh", "ar"]
)
def test_omegat_default_rules_compile_for_every_language(lang):
    rules = oracle("TM_OMEGAT_SRX", "OmegaT's defaultRules.srx")
    segmenter = segmenter_for(lang, rules=rules)
    assert segmenter.warnings == ()
    text = "One sentence. Another one! A third?"
    assert "".join(segmenter.split(text)) == text


def test_omegat_english_rules_segment_like_omegat():
    rules = oracle("TM_OMEGAT_SRX", "OmegaT's defaultRules.srx")
    pieces = segmenter_for("en", rules=rules).split("Dr. Smith arrived. He spoke. It ends.")
    assert pieces == ["Dr. Smith arrived. ", "He spoke. ", "It ends."]
