"""tm init, tm segment and the help every command owes its user."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from conftest import SOURCE
from tm.cli import cli


def test_init_writes_a_workspace_with_three_languages(tmp_path):
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "office")])
    assert result.exit_code == 0
    config = (tmp_path / "office" / "tm.toml").read_text()
    assert 'languages = ["ar", "en", "fr"]' in config
    assert all((tmp_path / "office" / d).is_dir() for d in ("sources", "locales", "memory"))
    again = CliRunner().invoke(cli, ["init", str(tmp_path / "office")])
    assert again.exit_code == 2
    assert (
        again.stderr == f"tm: {tmp_path / 'office' / 'tm.toml'} already exists; this is a workspace already\n"
    )


def test_segment_prints_sentences_and_paragraphs(tmp_path):
    result = CliRunner().invoke(cli, ["segment", "--lang", "en"], input="First one. Second one!\n\nThird?\n")
    assert result.exit_code == 0
    assert result.stdout == "First one.\nSecond one!\n\nThird?\n"


def test_segment_json_of_the_real_release(fixture_segments):
    result = CliRunner().invoke(cli, ["segment", str(SOURCE), "--lang", "ar", "--format", "json"])
    assert result.exit_code == 0
    paragraphs = json.loads(result.stdout)
    assert len(paragraphs) == 26
    assert sum(map(len, paragraphs)) == 32
    assert paragraphs[7] == [" ".join(s.split()) for s in fixture_segments[7]]


def test_segment_of_a_missing_file():
    result = CliRunner().invoke(cli, ["segment", "no-such-file.txt", "--lang", "en"])
    assert result.exit_code == 2


def command_paths(group=cli, prefix=()):
    """Every command and subcommand, as the words that call it."""
    for name, command in sorted(group.commands.items()):
        yield (*prefix, name)
        if hasattr(command, "commands"):
            yield from command_paths(command, (*prefix, name))


@pytest.mark.parametrize("words", list(command_paths()), ids=" ".join)
def test_every_command_has_help_with_an_example(words):
    result = CliRunner().invoke(cli, [*words, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output, f"tm {' '.join(words)} --help shows no example"


def test_extract_warns_about_a_language_without_rules_of_its_own(tm, workspace):
    (workspace / "sources" / "2026-01-01-nachricht.de.txt").write_text("Erster Satz. Zweiter Satz.\n")
    result = tm("extract", "2026-01-01-nachricht")
    assert result.exit_code == 0
    assert result.stderr.startswith("tm: warning: sources/2026-01-01-nachricht.de.txt: ")
    assert "default rules" in result.stderr
    assert (workspace / "locales" / "en" / "2026-01-01-nachricht.po").exists()
