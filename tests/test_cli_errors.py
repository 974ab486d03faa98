"""Bad input: one line naming the file (and line), exit status 2, nothing in locales/ changed."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import RELEASE, snapshot
from tm.cli import cli


def test_no_workspace_found(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["status"])
    assert result.exit_code == 2
    assert result.stderr == (
        f"tm: no workspace found: no tm.toml in {tmp_path.resolve()} or any folder above it "
        "(run 'tm init' or pass --workspace DIR)\n"
    )


def test_unknown_release(tm):
    result = tm("merge", "2099-01-01-nothing")
    assert result.exit_code == 2
    assert result.stderr == f"tm: unknown release '2099-01-01-nothing' (releases: {RELEASE})\n"


def returned_po(tm, tmp_path: Path, lang: str = "en") -> Path:
    tm("extract")
    path = tmp_path / f"returned.{lang}.po"
    assert tm("export", RELEASE, "--lang", lang, "-o", path).exit_code == 0
    return path


def test_po_for_a_language_that_is_not_a_target(tm, workspace, tmp_path):
    path = returned_po(tm, tmp_path)
    path.write_text(path.read_text().replace('"Language: en\\n"', '"Language: ar\\n"'))
    before = snapshot(workspace / "locales")
    result = tm("import", path)
    assert result.exit_code == 2
    assert result.stderr == (
        f"tm: {path}: language 'ar' is not a target of release '{RELEASE}' (targets: en, fr)\n"
    )
    assert snapshot(workspace / "locales") == before


def test_po_for_an_unknown_release(tm, workspace, tmp_path):
    path = returned_po(tm, tmp_path)
    path.write_text(path.read_text().replace(f"X-Release: {RELEASE}", "X-Release: other"))
    before = snapshot(workspace / "locales")
    result = tm("import", path)
    assert result.exit_code == 2
    assert result.stderr == f"tm: {path}: unknown release 'other'\n"
    assert snapshot(workspace / "locales") == before


def test_malformed_po_names_file_and_line(tm, workspace, tmp_path):
    path = returned_po(tm, tmp_path)
    lines = path.read_text().splitlines()
    broken_at = next(i for i, line in enumerate(lines) if line.startswith("msgctxt")) + 1
    lines[broken_at - 1] = 'msgctxt "p1.s1'  # unterminated string
    path.write_text("\n".join(lines) + "\n")
    before = snapshot(workspace / "locales")
    result = tm("import", path)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"tm: {path}:{broken_at}: malformed PO file")
    assert result.stderr.count("\n") == 1
    assert snapshot(workspace / "locales") == before


@pytest.mark.parametrize("content", [b"", b"\x00\x01binary\x00", b"just some text\n"])
def test_not_a_translation_file(tm, workspace, tmp_path, content):
    tm("extract")
    path = tmp_path / "returned.po"
    path.write_bytes(content)
    before = snapshot(workspace / "locales")
    result = tm("import", path)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"tm: {path}: ")
    assert result.stderr.count("\n") == 1
    assert snapshot(workspace / "locales") == before


def test_two_sources_for_one_release(tm, workspace):
    (workspace / "sources" / f"{RELEASE}.en.txt").write_text("Hello.\n")
    result = tm("extract")
    assert result.exit_code == 2
    assert "two sources for release" in result.stderr
    assert not (workspace / "locales").exists()


def test_a_release_in_an_unknown_format_is_named(tm, workspace):
    (workspace / "sources" / "2026-01-01-statement.en.docx").write_bytes(b"PK\x03\x04")
    (workspace / "sources" / "logo.min.svg").write_text("<svg/>")  # not a release: left alone
    result = tm("extract")
    assert result.exit_code == 2
    assert result.stderr == (
        "tm: sources/2026-01-01-statement.en.docx: unknown source format '.docx' "
        "(tm reads .txt, .md, .markdown, .html, .htm); save the release as text, Markdown or HTML\n"
    )
