"""The translation memory at 10k, 100k and 1M entries, side by side with the alternatives.

For each size: a synthetic archive of English/French press-release sentences in families of
near repeats (bench/memory_corpus.py), written as TMX, and a 50-sentence release (15 exact
repeats, 20 near repeats, 15 new sentences). Printed for each tool:

- build: the time to import the TMX (tm) or load the sentences (the others), the import
  rate in units per second of wall time and of CPU time (the machine is shared: CPU time
  is the steadier figure; tm's counts its TMX reader and indexing worker too), its peak
  RSS (tm's: of the import process, its TMX reader and its indexing worker together,
  sampled four times a second);
- leverage (median of seven runs): a fresh process opens the memory and looks up the 50
  sentences (threshold 75, the best suggestion for each, as ``tm extract`` asks): wall
  time of the whole process, and the time from opening the memory to the last match
  (``open+match``, and its CPU time); its peak RSS. For brute force and translate-toolkit,
  matching only (their loading is the build);
- recall against a reference: a brute-force ``rapidfuzz`` scan of every sentence whose best
  50 hits are re-scored as tm scores them (98 when only numbers differ and carry over, 99
  when only punctuation does) and kept one per distinct suggestion. Over the sentences for
  which the reference has a match ≥ 75: ``found`` is the share for which the tool returned
  one; ``best`` the share for which the tool's best scores as high as the reference's
  best; ``top 3`` the share of all (sentence, suggestion) pairs in the reference's top 3
  that the tool's top 3 (three suggestions asked for, untimed) holds, the same sentence
  or one scoring as high at that rank (ties). The brute-force row ranks by plain edit
  distance, hence below 100% where tm's adjustments reorder;
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
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

from bench import leverage as leverage_step
from bench.leverage import THRESHOLD

OUT = Path(__file__).parent / "out" / "memory"
SIZES = (10_000, 100_000, 1_000_000)
TTK_MAX = 100_000  # translate-toolkit's matcher is only run up to this size
# the reference re-scores brute force's best REFERENCE_POOL hits by edit distance as tm
# scores them (a sentence whose numbers alone differ scores 98): tm's top 3 lies among them
REFERENCE_POOL = 50


# -- children: each runs in a fresh process, so that time and RSS are its own ---------------


def child_import(url: str, tmx: str) -> dict:
    from tm.memory import open_memory
    from tm.memory.exchange import import_file

    sampler = _TreeRss()
    start, cpu = time.perf_counter(), time.process_time()
    memory = open_memory(url)
    intake = import_file(memory, Path(tmx))
    memory.close()
    sampler.stop()
    # the indexing worker's CPU time counts too (it has ended: its usage is in RUSAGE_CHILDREN)
    worker = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = time.process_time() - cpu + worker.ru_utime + worker.ru_stime
    return {
        "seconds": time.perf_counter() - start,
        "cpu": cpu,
        "units": intake.units,
        "worker_rss": worker.ru_maxrss / 1024,
        "tree_rss": sampler.peak / 1024,
    }


class _TreeRss(threading.Thread):
    """The peak of the summed resident memory of this process and its children (the
    import's TMX reader and indexing worker), sampled four times a second: the peak of
    each process alone would overstate (they peak at different times) or, for the
    children, be lost (the operating system keeps only the largest child's)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak = 0  # KiB
        self._done = threading.Event()
        self.start()

    def run(self) -> None:
        while not self._done.wait(0.25):
            self.peak = max(self.peak, sum(map(_rss, _tree(os.getpid()))))

    def stop(self) -> None:
        self._done.set()
        self.join()


def _tree(pid: int) -> list[int]:
    """``pid`` and its descendants; a thread or process that ends while they are listed is
    left out (an uncaught error here once ended the sampling half-way through an import)."""
    found = [pid]
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            children = task.read_text().split()
        except OSError:  # the thread ended meanwhile
            continue
        for child in children:
            found += _tree(int(child))
    return found


def _rss(pid: int) -> int:
    return leverage_step.status_kib("VmRSS", pid) or 0  # 0: ended meanwhile


def child_top3(url: str, release: str) -> dict:
    """Three suggestions per sentence, as an XLIFF export carries them (untimed, for recall)."""
    return {"top3": leverage_step.leverage(url, release, 3)["results"]}


def child_work(url: str, release: str) -> dict:
    """What the leverage step does, counted rather than timed (the same on any host, so that
    two versions of the code compare even when the machine's speed moves): queries, rows
    they return, posting entries counted (identical lists once) and units read in full."""
    from tm.memory import open_memory, store

    work = {"queries": 0, "rows": 0, "postings": 0, "read_in_full": 0}
    memory = open_memory(url)
    store_class = type(memory)  # PostgreSQL has its own _rows
    rows, count, read = store_class._rows, store._Lookup.count, store.IndexedMemory._read_and_score

    def counted_rows(self, sql, params, values):
        found = rows(self, sql, params, values)
        work["queries"] += 1
        work["rows"] += len(found)
        return found

    def counted_count(self, postings):
        work["postings"] += sum(map(len, dict.fromkeys(postings))) // 8
        return count(self, postings)

    def counted_read(self, norms, langs, threshold, wanted, found, checked=True):
        work["read_in_full"] += len({u for units in wanted.values() for u in units})
        return read(self, norms, langs, threshold, wanted, found, checked)

    store_class._rows = counted_rows
    store._Lookup.count = counted_count
    store.IndexedMemory._read_and_score = counted_read
    sentences = json.loads(Path(release).read_text())
    memory.matches_many("en", [s for s, _kind in sentences], "fr", leverage_step.THRESHOLD, 1)
    memory.close()
    return work


def child_brute(sources: str, targets: str, release: str) -> dict:
    from rapidfuzz import fuzz, process

    from tm.memory.normalise import normalise

    sentences = json.loads(Path(release).read_text())
    start, cpu = time.perf_counter(), time.process_time()
    lines = Path(sources).read_text(encoding="utf-8").splitlines()
    norms = [normalise(line) for line in lines]
    loaded, cpu = time.perf_counter(), time.process_time()
    found = [
        process.extract(normalise(s), norms, scorer=fuzz.ratio, limit=REFERENCE_POOL, score_cutoff=THRESHOLD)
        for s, _kind in sentences
    ]
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    # untimed: the reference, every hit re-scored as tm scores (number transfer, punctuation)
    translations = Path(targets).read_text(encoding="utf-8").splitlines()
    reference = [
        _ranked(s, [(lines[i], translations[i]) for _t, _s, i in hits])
        for (s, _kind), hits in zip(sentences, found, strict=True)
    ]
    plain = [[(lines[i], None) for _t, _s, i in hits[:3]] for hits in found]
    return {
        "seconds": seconds,
        "cpu": cpu,
        "load": loaded - start,
        "results": [_scored(s, r, translations, lines) for (s, _k), r in zip(sentences, plain, strict=True)],
        "top3": [_scored(s, r, translations, lines) for (s, _k), r in zip(sentences, plain, strict=True)],
        "reference": reference,
    }


def _ranked(query: str, pairs: list[tuple[str, str]], limit: int = 3) -> list[tuple[str, int]]:
    """The best ``limit`` of (source, target) pairs for ``query`` as tm ranks them: tm's
    score, and one suggestion per distinct (number-transferred) translation."""
    from tm.memory.normalise import normalise
    from tm.memory.scoring import score

    norm = normalise(query)
    scored = sorted(
        ((score(norm, normalise(src), tgt, "fr"), src) for src, tgt in pairs), key=lambda x: -x[0].score
    )
    ranked, seen = [], set()
    for result, src in scored:
        if result.score >= THRESHOLD and result.target not in seen:
            seen.add(result.target)
            ranked.append((src, result.score))
    return ranked[:limit]


def _scored(query: str, found: list, translations: list[str], lines: list[str]) -> list[tuple[str, int]]:
    """tm's score for each source a tool returned (for the brute-force row)."""
    index = {line: i for i, line in enumerate(lines) if line in {src for src, _ in found}}
    return _ranked(query, [(src, translations[index[src]]) for src, _ in found])


def child_ttk(sources: str, targets: str, release: str) -> dict:
    from translate.search.match import matcher
    from translate.storage.base import TranslationStore, TranslationUnit

    # the matcher's heap compares units when two candidates tie, and units do not order
    # (translate-toolkit 3.x raises TypeError): give them an order so that it can run at all
    TranslationUnit.__lt__ = lambda self, other: id(self) < id(other)
    sentences = json.loads(Path(release).read_text())
    start, cpu = time.perf_counter(), time.process_time()
    store = TranslationStore()
    translations = Path(targets).read_text(encoding="utf-8").splitlines()
    for line, translation in zip(
        Path(sources).read_text(encoding="utf-8").splitlines(), translations, strict=True
    ):
        unit = TranslationUnit(line)
        unit.target = translation
        store.addunit(unit)
    tm = matcher(store, max_candidates=3, min_similarity=THRESHOLD, max_length=1000)
    loaded, cpu = time.perf_counter(), time.process_time()
    found = [tm.matches(s) for s, _kind in sentences]
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    top3 = [
        _ranked(s, [(u.source, u.target) for u in units])
        for (s, _k), units in zip(sentences, found, strict=True)
    ]
    return {"seconds": seconds, "cpu": cpu, "load": loaded - start, "results": top3, "top3": top3}


CHILDREN = {
    "prepare": lambda size: child_prepare(size),
    "import": child_import,
    "top3": child_top3,
    "work": child_work,
    "brute": child_brute,
    "ttk": child_ttk,
}


def run_child(kind: str, *args: str) -> dict:
    """Run one child in a fresh process; its figures, wall time and peak RSS (MB)."""
    start = time.perf_counter()
    # the leverage step runs in a module importing nothing but tm (its whole-process time)
    command = (
        ["-m", "bench.leverage"] if kind == "leverage" else ["-m", "bench.bench_memory", "--child", kind]
    )
    process = subprocess.Popen(
        [sys.executable, *command, *args],
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
    # its own peak where the system tells it (see bench.leverage.peak_rss)
    result["rss"] = result.get("peak_rss") or usage.ru_maxrss / 1024
    return result


# -- the corpus and the reference -------------------------------------------------------------


def prepare(size: int) -> dict[str, Path]:
    """Archive TMX, plain English sources, their French and the release for one size (cached)."""
    from bench.memory_corpus import archive, release
    from tm.formats.tmx import read_tmx, write_tmx
    from tm.memory import Provenance, Unit

    paths = {
        "tmx": OUT / f"archive-{size}.tmx",
        "sources": OUT / f"archive-{size}.en.txt",
        "targets": OUT / f"archive-{size}.fr.txt",
        "release": OUT / f"release-{size}.json",
    }
    if all(p.exists() for p in paths.values()):
        return paths
    if paths["tmx"].exists() and paths["sources"].exists() and paths["release"].exists():
        # a corpus cached before the French was kept beside it: read it back from the TMX
        with open(paths["targets"], "w", encoding="utf-8") as out:
            out.writelines(unit.variants["fr"] + "\n" for unit in read_tmx(paths["tmx"]))
        return paths
    OUT.mkdir(parents=True, exist_ok=True)
    pairs = archive(size)
    with open(paths["tmx"], "wb") as handle:
        write_tmx((Unit({"en": en, "fr": fr}, Provenance(origin="tmx")) for en, fr in pairs), handle, "en")
    paths["sources"].write_text("\n".join(en for en, _fr in pairs) + "\n", encoding="utf-8")
    paths["targets"].write_text("\n".join(fr for _en, fr in pairs) + "\n", encoding="utf-8")
    paths["release"].write_text(json.dumps(release(pairs), ensure_ascii=False))
    return paths


def by_kind(result: dict, reference: list, kinds: list[str]) -> dict[str, tuple[float, float]]:
    """``best`` and ``top 3`` (see :func:`recall`) for each kind of sentence: exact, near
    and new."""
    found = {}
    for kind in dict.fromkeys(kinds):
        keep = [i for i, k in enumerate(kinds) if k == kind]
        part = {"results": [result["results"][i] for i in keep], "top3": [result["top3"][i] for i in keep]}
        _found, best, top3 = recall(part, [reference[i] for i in keep])
        found[kind] = (best, top3)
    return found


def recall(result: dict, reference: list[list[tuple[str, int]]]) -> tuple[float, float, float]:
    """Three figures against the reference (brute force, scored as tm scores), over the
    sentences for which it has a match at or above the threshold:

    - found: the tool returned a match (its best, as tm extract asks);
    - best: the tool's best scores as high as the reference's best;
    - top 3: of all (sentence, suggestion) pairs in the reference's top 3, the share that
      the tool's top 3 holds: the same sentence, or one scoring as high at that rank (ties).
    """
    wanted = [i for i, ref in enumerate(reference) if ref]
    if not wanted:
        return 1.0, 1.0, 1.0
    best, top3 = result["results"], result["top3"]
    found = sum(1 for i in wanted if best[i]) / len(wanted)
    as_good = sum(1 for i in wanted if best[i] and best[i][0][1] >= reference[i][0][1]) / len(wanted)
    pairs = held = 0
    for i in wanted:
        sources = {src for src, _score in top3[i]}
        for rank, (src, score) in enumerate(reference[i]):
            pairs += 1
            held += src in sources or (rank < len(top3[i]) and top3[i][rank][1] >= score)
    return found, as_good, held / pairs


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
    # a bench stopped with SIGTERM (kill, a CI timeout) still stops its cluster
    previous = signal.signal(signal.SIGTERM, _stop_on_sigterm)
    try:
        yield f"postgresql://tm@/postgres?host={folder}"
    finally:
        subprocess.run([*prefix, bins[-1] / "pg_ctl", "-D", data, "-m", "fast", "stop"], capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)
        signal.signal(signal.SIGTERM, previous)


def _stop_on_sigterm(signum, frame):
    raise SystemExit(128 + signum)


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
        # every process of the import (tm: the TMX reader and the indexing worker too)
        "build_rss": max(result["rss"], result.get("tree_rss", 0)),
        "rate": result["units"] / result["seconds"],
        "cpu_rate": result["units"] / result["cpu"],
        "url": url,
        "schema": schema,
    }
    record.write_text(json.dumps(built))
    return built


def leverage(url: str, release: Path) -> dict:
    """The median of seven fresh processes (the first may find the memory's pages out of
    the operating system's cache, as after a reboot; the figure is the usual case; on
    these shared machines one process's time moves by half from one run to the next)."""
    runs = sorted((run_child("leverage", url, str(release)) for _ in range(7)), key=lambda r: r["seconds"])
    untimed = {
        "top3": run_child("top3", url, str(release))["top3"],
        "work": run_child("work", url, str(release)),
    }
    return {**runs[3], **untimed}


def measure(size: int, server: str | None, reuse: bool = False) -> list[dict]:
    # generated in a child: a big parent would count in every child's peak RSS (fork)
    paths = {
        key: Path(value)
        for key, value in run_child("prepare", str(size)).items()
        if key in ("tmx", "sources", "targets", "release")
    }
    rows = []
    kinds = [kind for _sentence, kind in json.loads(paths["release"].read_text())]
    brute = run_child("brute", str(paths["sources"]), str(paths["targets"]), str(paths["release"]))
    reference = brute["reference"]
    rows.append(
        {
            "tool": "brute-force rapidfuzz",
            "build": brute["load"],
            "build_rss": None,
            **_leverage(brute),
            "recall": recall(brute, reference),
            "kinds": by_kind(brute, reference, kinds),
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
            "recall": recall(used, reference),
            "kinds": by_kind(used, reference, kinds),
            "bytes": sum(Path(f"{db}{s}").stat().st_size for s in ("", "-wal") if Path(f"{db}{s}").exists()),
        }
    )
    if server:
        record = OUT / f"tm-{size}.postgres.json"
        # a memory on the server of an earlier run (a throwaway cluster, gone since) is built anew
        same_server = record.exists() and json.loads(record.read_text())["url"].startswith(server)
        built = _built(
            record, reuse and same_server, lambda: postgres_memory(server, size), str(paths["tmx"])
        )
        used = leverage(built["url"], paths["release"])
        rows.append(
            {
                "tool": "tm PostgreSQL",
                **built,
                **_leverage(used),
                "recall": recall(used, reference),
                "kinds": by_kind(used, reference, kinds),
                "bytes": postgres_size(server, built["schema"]),
            }
        )
    if size <= TTK_MAX:
        ttk = run_child("ttk", str(paths["sources"]), str(paths["targets"]), str(paths["release"]))
        rows.append(
            {
                "tool": "translate-toolkit matcher",
                "build": ttk["load"],
                "build_rss": None,
                **_leverage(ttk),
                "recall": recall(ttk, reference),
                "kinds": by_kind(ttk, reference, kinds),
                "bytes": None,
            }
        )
    return rows


def _leverage(result: dict) -> dict:
    return {
        "wall": result["wall"],
        "lookup": result["seconds"] - result.get("load", 0),
        "cpu": result["cpu"],
        "rss": result["rss"],
        "private_rss": result.get("private_rss"),
        "work": result.get("work"),
    }


def render(size: int, rows: list[dict]) -> str:
    head = (
        f"{'tool':<26} {'build s':>9} {'units/s':>9} {'(CPU)':>8} {'build MB':>9} {'leverage s':>11} "
        f"{'open+match s':>13} {'(CPU)':>7} {'RSS MB':>7} {'found':>6} {'best':>6} {'top 3':>6} "
        f"{'disk MB':>8}"
    )
    lines = [f"\n{size:,} entries, release of 50 sentences, threshold {THRESHOLD}", head, "-" * len(head)]
    for r in rows:
        lines.append(
            f"{r['tool']:<26} {r['build']:>9.2f} {_opt(r.get('rate'), '.0f'):>9} "
            f"{_opt(r.get('cpu_rate'), '.0f'):>8} {_opt(r['build_rss'], '.0f'):>9} "
            f"{r['wall']:>11.3f} {r['lookup']:>13.3f} {r['cpu']:>7.3f} {r['rss']:>7.0f} "
            f"{r['recall'][0]:>6.0%} {r['recall'][1]:>6.0%} {r['recall'][2]:>6.0%} "
            f"{_opt(r['bytes'] and r['bytes'] / 1e6, '.0f'):>8}"
        )
    lines.extend(ratios(rows))
    lines.extend(on_reference_host(size, rows))
    lines.append("best / top 3 by kind of sentence (of those the reference has a match for):")
    for r in rows:
        kinds = "  ".join(f"{kind} {best:.0%} / {top3:.0%}" for kind, (best, top3) in r["kinds"].items())
        lines.append(f"  {r['tool']:<26} {kinds}")
    lines.append("RSS of the lookup: its peak, and the process's own memory at the end (the rest is")
    lines.append("pages of the memory file read through a map, the system's shared file cache):")
    for r in rows:
        if r.get("private_rss") is not None:
            lines.append(f"  {r['tool']:<26} {r['rss']:.0f} MB, of which its own {r['private_rss']:.0f} MB")
    lines.append("work of the lookup, the same on any host (queries, rows returned, posting entries")
    lines.append("counted, units read in full):")
    for r in rows:
        if r.get("work"):
            w = r["work"]
            lines.append(
                f"  {r['tool']:<26} {w['queries']} queries, {w['rows']:,} rows, {w['postings']:,} postings,"
                f" {w['read_in_full']:,} units read in full"
            )
    return "\n".join(lines)


# the brute-force scan of a million units as measured on the machine the targets were set
# on (issue #6): a run's own scan time says how much quicker or slower its host was
REFERENCE_SCAN = 18.0
TARGETS = {"tm SQLite": 0.25, "tm PostgreSQL": 0.5}  # s, the whole leverage process at 1M
TARGET_RATE = 20000  # units/s, a million units' import


def on_reference_host(size: int, rows: list[dict]) -> list[str]:
    """At a million units, this run's leverage and import figures scaled by the speed of
    its host against the one the targets were measured on (the brute-force scan's time:
    these shared machines vary by half within minutes), beside the targets."""
    scan = next((r["lookup"] for r in rows if r["tool"] == "brute-force rapidfuzz"), None)
    if size != 1_000_000 or not scan:
        return []
    factor = REFERENCE_SCAN / scan
    lines = [
        f"on the host the targets were set on (brute force {REFERENCE_SCAN:.0f} s there,"
        f" {scan:.1f} s here: times x{factor:.2f}):"
    ]
    for r in rows:
        if r["tool"] in TARGETS:
            rate = (
                f", import {r['rate'] / factor:,.0f} units/s (target {TARGET_RATE:,})"
                if r.get("rate")
                else ""
            )
            lines.append(
                f"  {r['tool']:<26} leverage {r['wall'] * factor:.3f} s (target {TARGETS[r['tool']]} s){rate}"
            )
    return lines


def ratios(rows: list[dict], base: str = "tm SQLite") -> list[str]:
    """How many times as long as tm on SQLite each other tool takes for the leverage step,
    a fresh process each (and for opening and matching alone), as lines to print."""
    mine = next((r for r in rows if r["tool"] == base), None)
    if mine is None:
        return []
    others = [r for r in rows if r is not mine]
    whole = "   ".join(f"{r['tool']} {r['wall'] / mine['wall']:.1f}x" for r in others)
    alone = "   ".join(f"{r['tool']} {r['lookup'] / mine['lookup']:.1f}x" for r in others)
    return [
        f"time as a multiple of {base}'s: leverage (whole process) {whole}",
        f"{'':>{len(base) + 25}}open + match {alone}",
    ]


def _opt(value, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        result = CHILDREN[argv[1]](*argv[2:])
        print(json.dumps({**result, "peak_rss": leverage_step.peak_rss()}, ensure_ascii=False))
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
