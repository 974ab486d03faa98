"""The memory bench's own measures: recall against the reference, and the lookup's work."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tm.memory import Unit, open_memory

ROOT = Path(__file__).parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_memory import recall  # noqa: E402


def test_recall_counts_found_best_and_top_3_over_the_sentences_the_reference_matches():
    reference = [[("a", 90), ("b", 85), ("c", 80)], [], [("d", 100)]]
    result = {
        "results": [[("a", 90)], [("z", 77)], [("e", 95)]],
        # the second suggestion is another sentence scoring as high (a tie), the third is weaker
        "top3": [[("a", 90), ("x", 85), ("y", 70)], [("z", 77)], [("e", 95)]],
    }
    found, best, top3 = recall(result, reference)
    assert found == 1.0  # both sentences the reference matches got a match
    assert best == 0.5  # the third got 95 where 100 was there
    assert top3 == 0.5  # a, the tie with b; not c, not d


def test_the_work_of_a_lookup_is_counted(tmp_path):
    url = str(tmp_path / "tm.sqlite")
    memory = open_memory(url)
    texts = [f"The police of country {n} arrested {n} suspects in the capital on Monday." for n in range(200)]
    memory.add_units([Unit({"en": text, "fr": f"Traduction {n}."}) for n, text in enumerate(texts)])
    memory.close()
    release = tmp_path / "release.json"
    release.write_text(json.dumps([[texts[3].replace("Monday", "Friday"), "near"], [texts[7], "exact"]]))
    out = subprocess.run(
        [sys.executable, "-m", "bench.bench_memory", "--child", "work", url, str(release)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    work = json.loads(out)
    assert work["queries"] >= 3  # exact matches, term counts, postings, texts
    assert work["rows"] > 0 and work["postings"] > 0
    assert 1 <= work["read_in_full"] <= work["rows"]


def test_a_child_reports_its_own_peak_memory_not_the_bench_process_s(tmp_path):
    from bench.bench_memory import run_child

    url = str(tmp_path / "tm.sqlite")
    memory = open_memory(url)
    memory.add_units(
        [Unit({"en": "The police arrested suspects.", "fr": "La police a arrêté des suspects."})]
    )
    memory.close()
    release = tmp_path / "release.json"
    release.write_text(json.dumps([["The police arrested the suspects.", "near"]]))
    ballast = bytearray(300 << 20)  # the bench process holding a large corpus, say
    ballast[::4096] = b"\1" * len(ballast[::4096])
    result = run_child("leverage", url, str(release))
    assert result["results"][0]  # the lookup ran
    assert 5 < result["rss"] < 200  # MB: a lookup of one sentence, not 300 MB and more
    del ballast


def test_the_bench_prints_each_tool_s_time_as_a_multiple_of_tm_s():
    from bench.bench_memory import ratios

    rows = [
        {"tool": "brute-force rapidfuzz", "wall": 30.0, "lookup": 27.0},
        {"tool": "tm SQLite", "wall": 0.25, "lookup": 0.15},
        {"tool": "tm PostgreSQL", "wall": 0.5, "lookup": 0.3},
    ]
    whole, alone = ratios(rows)
    assert "brute-force rapidfuzz 120.0x" in whole and "tm PostgreSQL 2.0x" in whole
    assert "brute-force rapidfuzz 180.0x" in alone and "tm PostgreSQL 2.0x" in alone
    assert ratios(rows[:1]) == []  # no tm SQLite row: nothing to compare with


def test_a_million_units_figures_are_also_given_for_the_host_the_targets_were_set_on():
    from bench.bench_memory import on_reference_host

    rows = [
        {"tool": "brute-force rapidfuzz", "wall": 30.0, "lookup": 27.0},  # 1.5 times slower than 18 s
        {"tool": "tm SQLite", "wall": 0.3, "lookup": 0.2, "rate": 16000.0},
        {"tool": "tm PostgreSQL", "wall": 0.45, "lookup": 0.3, "rate": 12000.0},
    ]
    head, sqlite, postgres = on_reference_host(1_000_000, rows)
    assert "x0.67" in head
    assert "leverage 0.200 s (target 0.25 s)" in sqlite and "import 24,000 units/s" in sqlite
    assert "leverage 0.300 s (target 0.5 s)" in postgres and "import 18,000 units/s" in postgres
    assert on_reference_host(100_000, rows) == []  # the targets are for a million units


def test_the_import_s_memory_is_sampled_through_threads_that_end_meanwhile(monkeypatch):
    """A thread of a sampled process may end between its listing and its reading: it is
    left out, and the sampling goes on (it once stopped half-way through an import)."""
    from pathlib import Path

    from bench import bench_memory

    real_glob = Path.glob

    def with_a_vanished_thread(self, pattern):
        yield Path("/proc/self/task/0/children")  # no such thread
        yield from real_glob(self, pattern)

    monkeypatch.setattr(Path, "glob", with_a_vanished_thread)
    assert bench_memory._tree(os.getpid())[0] == os.getpid()
