"""Shared fixtures: the real release, throwaway workspaces and a CLI runner."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from tm.cli import cli

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("TM_SHARED", REPO.parent / "shared"))
RELEASE = "2012-05-22-operation-laminar"
SOURCE = REPO / "sources" / f"{RELEASE}.ar.txt"
REQUIRE_ORACLES = os.environ.get("TM_REQUIRE_ORACLES") == "1"


def need_oracle(available: bool, what: str) -> None:
    """Skip when an outside tool is missing on a developer machine; fail in CI."""
    if available:
        return
    if REQUIRE_ORACLES:
        pytest.fail(f"{what} is required in CI but missing")
    pytest.skip(f"{what} not available")


@pytest.fixture(params=["cutter.py", "compiled"])
def each_cutter(request, monkeypatch):
    """Runs a test with the segmenter's pure-Python cutter, then with its copy compiled by
    ``make`` (tm.segment._cutter): both must cut alike."""
    import tm.segment
    from tm.segment import cutter

    module = cutter
    if request.param == "compiled":
        module = tm.segment.cutter_module()
        need_oracle(module is not cutter, "the compiled cutter (make fast)")
    monkeypatch.setattr(tm.segment, "cutter_module", lambda: module)
    return module


@pytest.fixture
def shared() -> Path:
    need_oracle(SHARED.is_dir(), f"shared folder {SHARED}")
    return SHARED


@pytest.fixture
def tmx_dtd(shared: Path):
    """The TMX 1.4 DTD from ../shared/schemas, the oracle for every TMX we write."""
    from lxml import etree

    return etree.DTD(str(shared / "schemas" / "tmx14.dtd"))


def assert_valid(data: bytes, dtd) -> None:
    """``data`` is a document valid against ``dtd`` (parsed without entities or network)."""
    from lxml import etree

    document = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    assert dtd.validate(document), dtd.error_log.filter_from_errors()


@pytest.fixture
def fixture_segments(shared: Path) -> list[list[str]]:
    return json.loads((shared / "fixtures" / "operation-laminar.ar.segments.json").read_text())["paragraphs"]


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A fresh workspace holding the real Arabic release and nothing translated."""
    root = tmp_path / "ws"
    (root / "sources").mkdir(parents=True)
    shutil.copy(REPO / "tm.toml", root / "tm.toml")
    shutil.copy(SOURCE, root / "sources" / SOURCE.name)
    return root


@pytest.fixture
def translated_workspace(workspace: Path) -> Path:
    """The workspace with the project's own English and French translations in locales/."""
    for lang in ("en", "fr"):
        target = workspace / "locales" / lang
        target.mkdir(parents=True)
        shutil.copy(REPO / "locales" / lang / f"{RELEASE}.po", target)
    return workspace


class Tm:
    """Runs ``tm`` in one workspace through click's CliRunner."""

    def __init__(self, root: Path):
        self.root = root
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | bytes | None = None):
        return self.runner.invoke(
            cli, ["--workspace", str(self.root), *map(str, args)], input=input, catch_exceptions=False
        )


@pytest.fixture
def tm(workspace: Path) -> Tm:
    return Tm(workspace)


def msgfmt_check(path: Path) -> subprocess.CompletedProcess:
    need_oracle(shutil.which("msgfmt") is not None, "GNU gettext (msgfmt)")
    return subprocess.run(
        ["msgfmt", "--check-format", "--check-header", "--check", "-o", os.devnull, str(path)],
        capture_output=True,
        text=True,
    )


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes, to prove a refused command changed nothing."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory):
    """A PostgreSQL server URL: TM_TEST_POSTGRES (CI sets it), else a throwaway cluster
    started here on a Unix socket; skipped (failed in CI) when neither is possible."""
    url = os.environ.get("TM_TEST_POSTGRES")
    if url:
        yield url
        return
    import glob
    import uuid

    bins = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
    need_oracle(bool(bins), "PostgreSQL (initdb, pg_ctl)")
    folder = Path("/tmp") / f"tm-pg-{uuid.uuid4().hex[:8]}"  # short: socket paths are limited
    folder.mkdir()
    prefix = []
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
        prefix = ["runuser", "-u", "postgres", "--"]
    data = folder / "data"
    options = f"-c listen_addresses='' -k {folder} -c fsync=off"
    try:
        subprocess.run(
            [*prefix, f"{bins[-1]}/initdb", "-D", data, "-U", "tm", "-A", "trust"],
            check=True,
            capture_output=True,
        )
        subprocess.run(
            [*prefix, f"{bins[-1]}/pg_ctl", "-D", data, "-l", folder / "log", "-w", "-o", options, "start"],
            check=True,
            capture_output=True,
        )
    except (subprocess.CalledProcessError, OSError) as exc:
        need_oracle(False, f"a PostgreSQL server ({exc})")
    try:
        yield f"postgresql://tm@/postgres?host={folder}"
    finally:
        subprocess.run(
            [*prefix, f"{bins[-1]}/pg_ctl", "-D", data, "-m", "immediate", "stop"], capture_output=True
        )
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def memory_url(request, tmp_path: Path) -> str:
    """The URL of an empty memory, once per store: a SQLite file, a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        return str(tmp_path / "memory" / "tm.sqlite")
    import uuid

    import psycopg

    server = request.getfixturevalue("postgres_server")
    schema = f"test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server, autocommit=True) as db:
        db.execute(f"CREATE SCHEMA {schema}")
    joiner = "&" if "?" in server else "?"
    return f"{server}{joiner}options=-csearch_path%3D{schema}"


from browser import browser, page  # noqa: E402, F401  (the headless-browser fixtures, for every test)
