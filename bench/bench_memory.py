"""The translation memory at 10k, 100k and 1M entries, side by side with the alternatives.

For each size: a synthetic archive of English/French press-release sentences in families of
near repeats (bench/memory_corpus.py), written as TMX, and a 50-sentence release (15 exact
repeats, 20 near repeats, 15 new sentences). Printed for each tool:

- build: the time to import the TMX (tm) or load the sentences (the others), its peak RSS;
- leverage (median of three runs): a fresh process opens the memory and looks up the 50
  sentences (threshold 75,
  the best suggestion for each, as ``tm extract`` asks): wall time of the whole process,
  and the time from opening the memory to the last match (``open+match``); its peak RSS;
- recall against a brute-force ``rapidfuzz`` scan of every sentence: ``found`` is the share
  of sentences with a brute-force match ≥ 75 for which the tool also returned one; ``best``
  the share for which the tool's best match is as good as the brute-force best;
- size on disk.

Run: ``.venv/bin/python -m bench memory`` (sizes 10k, 100k, 1M) or
``.venv/bin/python -m bench.bench_memory --sizes 10000,100000``; ``--reuse`` keeps the
memories (and build figures) of the last run instead of importing again. Generated archives and
memories are cached in bench/out/memory/. The PostgreSQL rows need a server:
TM_TEST_POSTGRES, else a throwaway cluster is started when initdb is found.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

OUT = Path(__file__).parent / "out" / "memory"
THRESHOLD = 75
SIZES = (10_000, 100_000, 1_000_000)
TTK_MAX = 100_000  # translate-toolkit's matcher is only run up to this size


# -- children: each runs in a fresh process, so that time and RSS are its own ---------------


def child_import(url: str, tmx: str) -> dict:
    from tm.memory import open_memory
    from tm.memory.exchange import import_file

    start = time.perf_counter()
    memory = open_memory(url)
    intake = import_file(memory, Path(tmx))
    memory.close()
    return {"seconds": time.perf_counter() - start, "units": intake.units}


def child_leverage(url: str, release: str) -> dict:
    from tm.memory import open_memory

    sentences = json.loads(Path(release).read_text())
    start = time.perf_counter()
    memory = open_memory(url)
    # the best suggestion per sentence, as tm extract asks for it
    results = [[m.source for m in memory.matches("en", s, "fr", THRESHOLD, 1)] for s, _kind in sentences]
    memory.close()
    return {"seconds": time.perf_counter() - start, "results": results}


def child_brute(sources: str, release: str) -> dict:
    from rapidfuzz import fuzz, process

    from tm.memory.normalise import normalise

    sentences = json.loads(Path(release).read_text())
    start = time.perf_counter()
    lines = Path(sources).read_text(encoding="utf-8").splitlines()
    norms = [normalise(line) for line in lines]
    loaded = time.perf_counter()
    results = [
        [
            lines[i]
            for _t, _s, i in process.extract(
                normalise(s), norms, scorer=fuzz.ratio, limit=3, score_cutoff=THRESHOLD
            )
        ]
        for s, _kind in sentences
    ]
    return {"seconds": time.perf_counter() - start, "load": loaded - start, "results": results}


def child_ttk(sources: str, release: str) -> dict:
    from translate.search.match import matcher
    from translate.storage.base import TranslationStore, TranslationUnit

    # the matcher's heap compares units when two candidates tie, and units do not order
    # (translate-toolkit 3.x raises TypeError): give them an order so that it can run at all
    TranslationUnit.__lt__ = lambda self, other: id(self) < id(other)
    sentences = json.loads(Path(release).read_text())
    start = time.perf_counter()
    store = TranslationStore()
    for line in Path(sources).read_text(encoding="utf-8").splitlines():
        unit = TranslationUnit(line)
        unit.target = line
        store.addunit(unit)
    tm = matcher(store, max_candidates=1, min_similarity=THRESHOLD, max_length=1000)
    loaded = time.perf_counter()
    results = [[u.source for u in tm.matches(s)] for s, _kind in sentences]
    return {"seconds": time.perf_counter() - start, "load": loaded - start, "results": results}


CHILDREN = {
    "prepare": lambda size: child_prepare(size),
    "import": child_import,
    "leverage": child_leverage,
    "brute": child_brute,
    "ttk": child_ttk,
}


def run_child(kind: str, *args: str) -> dict:
    """Run one child in a fresh process; its figures, wall time and peak RSS (MB)."""
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "bench.bench_memory", "--child", kind, *args],
        stdout=subprocess.PIPE,
        cwd=Path(__file__).parent.parent,
    )
    output = process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        raise RuntimeError(f"bench child {kind} failed")
    result = json.loads(output)
    result["wall"] = wall
    result["rss"] = usage.ru_maxrss / 1024
    return result


# -- the corpus and the reference -------------------------------------------------------------


def prepare(size: int) -> dict[str, Path]:
    """Archive TMX, plain English sources and the release for one size (cached)."""
    from bench.memory_corpus import archive, release
    from tm.formats.tmx import write_tmx
    from tm.memory import Provenance, Unit

    paths = {
        "tmx": OUT / f"archive-{size}.tmx",
        "sources": OUT / f"archive-{size}.en.txt",
        "release": OUT / f"release-{size}.json",
    }
    if all(p.exists() for p in paths.values()):
        return paths
    OUT.mkdir(parents=True, exist_ok=True)
    pairs = archive(size)
    with open(paths["tmx"], "wb") as handle:
        write_tmx((Unit({"en": en, "fr": fr}, Provenance(origin="tmx")) for en, fr in pairs), handle, "en")
    paths["sources"].write_text("\n".join(en for en, _fr in pairs) + "\n", encoding="utf-8")
    paths["release"].write_text(json.dumps(release(pairs), ensure_ascii=False))
    return paths


def recall(results: list[list[str]], reference: list[list[str]], release: list) -> tuple[float, float]:
    from rapidfuzz import fuzz

    from tm.memory.normalise import normalise

    def best(query: str, found: list[str]) -> float:
        return max((fuzz.ratio(normalise(query), normalise(f)) for f in found), default=0.0)

    wanted = [(q, r, ref) for (q, _k), r, ref in zip(release, results, reference, strict=True) if ref]
    if not wanted:
        return 1.0, 1.0
    found = sum(1 for _q, r, _ref in wanted if r) / len(wanted)
    as_good = sum(1 for q, r, ref in wanted if best(q, r) >= best(q, ref) - 0.01) / len(wanted)
    return found, as_good


# -- PostgreSQL ------------------------------------------------------------------------------


@contextlib.contextmanager
def postgres_server():
    """TM_TEST_POSTGRES, else a throwaway cluster on a Unix socket, else None."""
    if os.environ.get("TM_TEST_POSTGRES"):
        yield os.environ["TM_TEST_POSTGRES"]
        return
    bins = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
    if not bins:
        yield None
        return
    folder = Path(tempfile.mkdtemp(prefix="tm-pgb-", dir="/tmp"))
    prefix = []
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
        prefix = ["runuser", "-u", "postgres", "--"]
    data = folder / "data"
    options = f"-c listen_addresses='' -k {folder} -c fsync=off -c shared_buffers=256MB"
    subprocess.run(
        [*prefix, bins[-1] / "initdb", "-D", data, "-U", "tm", "-A", "trust"], check=True, capture_output=True
    )
    subprocess.run(
        [*prefix, bins[-1] / "pg_ctl", "-D", data, "-l", folder / "log", "-w", "-o", options, "start"],
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql://tm@/postgres?host={folder}"
    finally:
        subprocess.run([*prefix, bins[-1] / "pg_ctl", "-D", data, "-m", "fast", "stop"], capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


def postgres_memory(server: str, size: int) -> tuple[str, float]:
    """A fresh schema for this run; its URL and the size function's SQL."""
    import psycopg

    schema = f"bench_{size}_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(server, autocommit=True) as db:
        db.execute(f"CREATE SCHEMA {schema}")
    joiner = "&" if "?" in server else "?"
    return f"{server}{joiner}options=-csearch_path%3D{schema}", schema


def postgres_size(server: str, schema: str) -> int:
    import psycopg

    with psycopg.connect(server, autocommit=True) as db:
        return int(
            db.execute(
                "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c"
                " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s AND c.relkind = 'r'",
                (schema,),
            ).fetchone()[0]
        )


# -- the table -------------------------------------------------------------------------------


def child_prepare(size: str) -> dict:
    return {key: str(path) for key, path in prepare(int(size)).items()}


def _fresh_sqlite(db: Path) -> tuple[str, str]:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    return str(db), ""


def _built(record: Path, reuse: bool, create, tmx: str) -> dict:
    """Import the archive into a new memory (or, with --reuse, take the last import's
    memory and figures); the build figures and the memory's URL."""
    if reuse and record.exists():
        return json.loads(record.read_text())
    url, schema = create()
    result = run_child("import", url, tmx)
    built = {
        "build": result["seconds"],
        "build_rss": result["rss"],
        "rate": result["units"] / result["seconds"],
        "url": url,
        "schema": schema,
    }
    record.write_text(json.dumps(built))
    return built


def leverage(url: str, release: Path) -> dict:
    """The median of three fresh processes (the first may find the memory's pages out of
    the operating system's cache, as after a reboot; the figure is the usual case)."""
    runs = sorted((run_child("leverage", url, str(release)) for _ in range(3)), key=lambda r: r["seconds"])
    return runs[1]


def measure(size: int, server: str | None, reuse: bool = False) -> list[dict]:
    # generated in a child: a big parent would count in every child's peak RSS (fork)
    paths = {
        key: Path(value)
        for key, value in run_child("prepare", str(size)).items()
        if key in ("tmx", "sources", "release")
    }
    release = json.loads(paths["release"].read_text())
    rows = []
    brute = run_child("brute", str(paths["sources"]), str(paths["release"]))
    reference = brute["results"]
    rows.append(
        {
            "tool": "brute-force rapidfuzz",
            "build": brute["load"],
            "build_rss": None,
            **_leverage(brute),
            "recall": (1.0, 1.0),
            "bytes": paths["sources"].stat().st_size,
        }
    )
    db = OUT / f"tm-{size}.sqlite"
    built = _built(OUT / f"tm-{size}.sqlite.json", reuse, lambda: _fresh_sqlite(db), str(paths["tmx"]))
    used = leverage(str(db), paths["release"])
    rows.append(
        {
            "tool": "tm SQLite",
            **built,
            **_leverage(used),
            "recall": recall(used["results"], reference, release),
            "bytes": sum(Path(f"{db}{s}").stat().st_size for s in ("", "-wal") if Path(f"{db}{s}").exists()),
        }
    )
    if server:
        built = _built(
            OUT / f"tm-{size}.postgres.json", reuse, lambda: postgres_memory(server, size), str(paths["tmx"])
        )
        used = leverage(built["url"], paths["release"])
        rows.append(
            {
                "tool": "tm PostgreSQL",
                **built,
                **_leverage(used),
                "recall": recall(used["results"], reference, release),
                "bytes": postgres_size(server, built["schema"]),
            }
        )
    if size <= TTK_MAX:
        ttk = run_child("ttk", str(paths["sources"]), str(paths["release"]))
        rows.append(
            {
                "tool": "translate-toolkit matcher",
                "build": ttk["load"],
                "build_rss": None,
                **_leverage(ttk),
                "recall": recall(ttk["results"], reference, release),
                "bytes": None,
            }
        )
    return rows


def _leverage(result: dict) -> dict:
    return {"wall": result["wall"], "lookup": result["seconds"] - result.get("load", 0), "rss": result["rss"]}


def render(size: int, rows: list[dict]) -> str:
    head = (
        f"{'tool':<26} {'build s':>9} {'units/s':>9} {'build MB':>9} {'leverage s':>11} "
        f"{'open+match s':>13} {'RSS MB':>8} {'found':>7} {'best':>7} {'disk MB':>8}"
    )
    lines = [f"\n{size:,} entries, release of 50 sentences, threshold {THRESHOLD}", head, "-" * len(head)]
    for r in rows:
        lines.append(
            f"{r['tool']:<26} {r['build']:>9.2f} {_opt(r.get('rate'), '.0f'):>9} "
            f"{_opt(r['build_rss'], '.0f'):>9} "
            f"{r['wall']:>11.3f} {r['lookup']:>13.3f} {r['rss']:>8.0f} {r['recall'][0]:>7.1%} "
            f"{r['recall'][1]:>7.1%} {_opt(r['bytes'] and r['bytes'] / 1e6, '.0f'):>8}"
        )
    return "\n".join(lines)


def _opt(value, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        print(json.dumps(CHILDREN[argv[1]](*argv[2:]), ensure_ascii=False))
        return
    sizes, reuse = SIZES, "--reuse" in argv
    if "--sizes" in argv:
        sizes = tuple(int(s) for s in argv[argv.index("--sizes") + 1].split(","))
    print(
        "leverage s: a fresh process, interpreter start-up included; open+match s: opening the memory"
        " and matching the 50 sentences (for brute force and translate-toolkit: matching only)."
    )
    with postgres_server() as server:
        if server is None:
            print("(no PostgreSQL server: set TM_TEST_POSTGRES or install postgresql for those rows)")
        for size in sizes:
            print(render(size, measure(size, server, reuse)), flush=True)


if __name__ == "__main__":
    main()
